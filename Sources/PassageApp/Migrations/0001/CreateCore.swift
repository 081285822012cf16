import Fluent
import SQLKit

/// Staff accounts, registries, persons, households, cases, the timeline and the audit trail.
struct CreateCore: AsyncMigration {
    var name: String { "0001_CreateCore" }

    func prepare(on db: any Database) async throws {
        try await db.schema("partners")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("country", .string)
            .field("contact_email", .string)
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
        try await db.schema("locations")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("city", .string, .required)
            .field("country", .string, .required)
            .field("partner_id", .uuid, .references("partners", "id", onDelete: .setNull))
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
        try await db.schema("users")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("roles", .string, .required)
            .field("partner_id", .uuid, .references("partners", "id", onDelete: .restrict))
            .field("locale", .string, .required)
            .field("active", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
        try await db.schema("api_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("token_prefix", .string, .required)
            .field("created_at", .datetime)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await db.schema("persons")
            .id()
            .field("reference", .string, .required)
            .field("family_name", .string, .required)
            .field("given_names", .string, .required)
            .field("family_name_original", .string)
            .field("given_names_original", .string)
            .field("aliases", .string, .required)
            .field("sex", .string, .required)
            .field("dob_year", .int)
            .field("dob_month", .int)
            .field("dob_day", .int)
            .field("dob_estimated", .bool, .required)
            .field("nationality", .string, .required)
            .field("languages", .string, .required)
            .field("phone", .string)
            .field("location_id", .uuid, .references("locations", "id", onDelete: .setNull))
            .field("sort_name", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "reference")
            .create()
        try await db.schema("identity_documents")
            .id()
            .field("person_id", .uuid, .required, .references("persons", "id", onDelete: .cascade))
            .field("type", .string, .required)
            .field("number", .string, .required)
            .field("issuing_country", .string, .required)
            .field("expires_on", .string)
            .field("created_at", .datetime)
            .create()
        try await db.schema("household_links")
            .id()
            .field("person_id", .uuid, .required, .references("persons", "id", onDelete: .cascade))
            .field("related_person_id", .uuid, .required, .references("persons", "id", onDelete: .cascade))
            .field("relationship", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "person_id", "related_person_id")
            .create()
        try await db.schema("cases")
            .id()
            .field("reference", .string, .required)
            .field("programme", .string, .required)
            .field("status", .string, .required)
            .field("person_id", .uuid, .required, .references("persons", "id", onDelete: .restrict))
            .field("owner_id", .uuid, .references("users", "id", onDelete: .setNull))
            .field("office_location_id", .uuid, .references("locations", "id", onDelete: .setNull))
            .field("opened_on", .string, .required)
            .field("closed_on", .string)
            .field("summary", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "reference")
            .create()
        try await db.schema("case_events")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .create()
        try await db.schema("reference_counters")
            .field("key", .string, .identifier(auto: false))
            .field("last_value", .int, .required)
            .create()
        try await db.schema("audit_entries")
            .field("sequence", .int64, .identifier(auto: false))
            .field("at", .string, .required)
            .field("actor", .string, .required)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string, .required)
            .field("person_id", .string)
            .field("changes", .string, .required)
            .field("note", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .create()

        let sql = db.sql
        let postgres = db.isPostgres
        // Search terms: byte-order collation so that a prefix is a contiguous index range.
        let termType = postgres ? #"TEXT COLLATE "C""# : "TEXT"
        let uuidType = postgres ? "UUID" : "TEXT"
        let rowid = postgres ? "" : " WITHOUT ROWID"
        try await sql.raw(
            SQLQueryString(
                """
                CREATE TABLE person_search_terms (
                    term \(unsafeRaw: termType) NOT NULL,
                    kind SMALLINT NOT NULL,
                    person_id \(unsafeRaw: uuidType) NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
                    PRIMARY KEY (term, kind, person_id)
                )\(unsafeRaw: rowid)
                """)
        ).run()
        for statement in [
            "CREATE INDEX person_search_terms_person ON person_search_terms (person_id)",
            "CREATE INDEX persons_dob ON persons (dob_year, dob_month, dob_day)",
            "CREATE INDEX persons_sort_name ON persons (sort_name)",
            "CREATE INDEX persons_location ON persons (location_id)",
            "CREATE INDEX identity_documents_number ON identity_documents (number)",
            "CREATE INDEX identity_documents_person ON identity_documents (person_id)",
            "CREATE INDEX household_links_related ON household_links (related_person_id)",
            "CREATE INDEX cases_person ON cases (person_id)",
            "CREATE INDEX cases_owner_status ON cases (owner_id, status)",
            "CREATE INDEX cases_programme_status ON cases (programme, status, opened_on)",
            "CREATE INDEX case_events_case ON case_events (case_id, at)",
            "CREATE INDEX audit_entries_person ON audit_entries (person_id, sequence)",
            "CREATE INDEX audit_entries_actor ON audit_entries (actor, sequence)",
            "CREATE INDEX audit_entries_at ON audit_entries (at)",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
        // The audit trail is append-only in the database itself, not only in the code.
        if postgres {
            try await sql.raw(
                """
                CREATE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$ LANGUAGE plpgsql
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
                FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()
                """
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END
                """
            ).run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.sql.raw("DROP TABLE IF EXISTS person_search_terms").run()
        if db.isPostgres {
            try await db.sql.raw("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries").run()
            try await db.sql.raw("DROP FUNCTION IF EXISTS audit_entries_append_only()").run()
        }
        for table in [
            "audit_entries", "reference_counters", "case_events", "cases", "household_links",
            "identity_documents", "persons", "api_tokens", "users", "locations", "partners",
        ] {
            try await db.schema(table).delete()
        }
    }
}
