import Fluent
import SQLKit

/// Family reunification: the IND's referrals with the family members to verify, the centres abroad with their
/// schedules, appointments, DNA samples and their append-only chain of custody.
struct CreateReunification: AsyncMigration {
    var name: String { "0016_CreateReunification" }

    func prepare(on db: any Database) async throws {
        try await db.schema("fr_centres")
            .id()
            .field("location_id", .uuid, .required, .references("locations", "id", onDelete: .restrict))
            .field("time_zone", .string, .required)
            .field("open_days", .string, .required)
            .field("opens", .int, .required)
            .field("closes", .int, .required)
            .field("slot_minutes", .int, .required)
            .field("dna_capacity", .int, .required)
            .field("interview_capacity", .int, .required)
            .field("holidays", .string, .required)
            .field("updated_by", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "location_id")
            .create()
        try await db.schema("fr_referrals")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("partner_id", .uuid, .references("partners", "id", onDelete: .setNull))
            .field("ind_file_number", .string, .required)
            .field("sponsor_id", .uuid, .required, .references("persons", "id", onDelete: .restrict))
            .field("deadline", .string, .required)
            .field("centre_id", .uuid, .required, .references("fr_centres", "id", onDelete: .restrict))
            .field("note", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "case_id")
            .unique(on: "ind_file_number")
            .create()
        try await db.schema("fr_members")
            .id()
            .field("referral_id", .uuid, .required, .references("fr_referrals", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("persons", "id", onDelete: .restrict))
            .field("relationship", .string, .required)
            .field("verification", .string, .required)
            .unique(on: "referral_id", "person_id")
            .create()
        try await db.schema("fr_appointments")
            .id()
            .field("referral_id", .uuid, .required, .references("fr_referrals", "id", onDelete: .cascade))
            .field("member_id", .uuid, .required, .references("fr_members", "id", onDelete: .cascade))
            .field("centre_id", .uuid, .required, .references("fr_centres", "id", onDelete: .restrict))
            .field("service", .string, .required)
            .field("day", .string, .required)
            .field("minute", .int, .required)
            .field("starts_at", .datetime, .required)
            .field("status", .string, .required)
            .field("replaced_by_id", .uuid)
            .field("note", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.schema("fr_samples")
            .id()
            .field("identifier", .string, .required)
            .field("referral_id", .uuid, .required, .references("fr_referrals", "id", onDelete: .cascade))
            .field("member_id", .uuid, .required, .references("fr_members", "id", onDelete: .cascade))
            .field("appointment_id", .uuid, .references("fr_appointments", "id", onDelete: .setNull))
            .field("status", .string, .required)
            .field("collected_by", .string, .required)
            .field("collected_at", .datetime, .required)
            .field("place", .string, .required)
            .field("document_seen", .string, .required)
            .field("photo_taken", .bool, .required)
            .field("witness", .string, .required)
            .field("seal_number", .string, .required)
            .field("holder_kind", .string, .required)
            .field("holder_name", .string, .required)
            .field("holder_since", .datetime, .required)
            .field("compromised_reason", .string)
            .field("outcome", .string)
            .field("report_reference", .string)
            .field("result_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "identifier")
            .create()
        try await db.schema("fr_custody_events")
            .id()
            .field("sample_id", .uuid, .required, .references("fr_samples", "id", onDelete: .restrict))
            .field("seq", .int, .required)
            .field("kind", .string, .required)
            .field("custodian", .string, .required)
            .field("holder_name", .string, .required)
            .field("from_name", .string, .required)
            .field("handed_over_at", .datetime)
            .field("received_at", .datetime, .required)
            .field("seal_number", .string, .required)
            .field("seal_intact", .bool, .required)
            .field("note", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .unique(on: "sample_id", "seq")
            .create()
        let sql = db as! any SQLDatabase
        // A centre's day sheet, a referral's appointments and samples, a family member's, the samples by state.
        for (name, table, columns) in [
            ("fr_appointments_centre_day", "fr_appointments", ["centre_id", "day", "minute"]),
            ("fr_appointments_referral", "fr_appointments", ["referral_id"]),
            ("fr_appointments_member", "fr_appointments", ["member_id"]),
            ("fr_samples_referral", "fr_samples", ["referral_id"]),
            ("fr_samples_member", "fr_samples", ["member_id"]),
            ("fr_samples_status", "fr_samples", ["status", "holder_since"]),
            ("fr_members_person", "fr_members", ["person_id"]),
            ("fr_referrals_sponsor", "fr_referrals", ["sponsor_id"]),
        ] {
            var index = sql.create(index: name).on(table)
            for c in columns { index = index.column(c) }
            try await index.run()
        }
        // The chain of custody is append-only in the database itself, whoever writes to it.
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION fr_custody_append_only() RETURNS trigger AS $$ BEGIN \
                RAISE EXCEPTION 'the chain of custody is append-only'; END; $$ LANGUAGE plpgsql
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER fr_custody_append_only BEFORE UPDATE OR DELETE ON fr_custody_events \
                FOR EACH ROW EXECUTE FUNCTION fr_custody_append_only()
                """
            ).run()
        } else {
            for op in ["UPDATE", "DELETE"] {
                try await sql.raw(
                    """
                    CREATE TRIGGER fr_custody_no_\(unsafeRaw: op.lowercased()) BEFORE \(unsafeRaw: op) ON \
                    fr_custody_events BEGIN SELECT RAISE(ABORT, 'the chain of custody is append-only'); END
                    """
                ).run()
            }
        }
    }

    func revert(on db: any Database) async throws {
        for t in ["fr_custody_events", "fr_samples", "fr_appointments", "fr_members", "fr_referrals", "fr_centres"] {
            try await db.schema(t).delete()
        }
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("DROP FUNCTION IF EXISTS fr_custody_append_only()").run()
        }
    }
}
