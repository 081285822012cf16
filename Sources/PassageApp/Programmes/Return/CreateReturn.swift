import Fluent
import SQLKit
import PassageDomain

/// The return programme: intake, counselling, eligibility rule sets and decisions, vulnerabilities,
/// travel documents, reintegration plans, grants and payments, cargo, monitoring and outreach.
struct CreateReturn: AsyncMigration {
    var name: String { "0002_CreateReturn" }

    func prepare(on db: any Database) async throws {
        try await db.schema("return_cases")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("stage", .string, .required)
            .field("referral_source", .string, .required)
            .field("stay_location_id", .uuid, .references("locations", "id", onDelete: .setNull))
            .field("preferred_language", .string)
            .field("interpreter_needed", .bool, .required)
            .field("destination_country", .string, .required)
            .field("destination_place", .string, .required)
            .field("companions", .string, .required)
            .field("departed_on", .string)
            .field("receiving_office", .string, .required)
            .field("eu_consent_on", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "case_id")
            .create()
        try await db.schema("counselling_sessions")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("held_on", .string, .required)
            .field("location_id", .uuid, .required, .references("locations", "id", onDelete: .restrict))
            .field("counsellor_id", .uuid, .required, .references("users", "id", onDelete: .restrict))
            .field("language", .string, .required)
            .field("interpreter", .bool, .required)
            .field("duration_minutes", .int, .required)
            .field("notes", .string, .required)
            .field("outcome", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("eligibility_rule_sets")
            .id()
            .field("version", .int, .required)
            .field("body", .string, .required)
            .field("note", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "version")
            .create()
        try await db.schema("eligibility_decisions")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("decided_for", .string, .required)
            .field("nationality", .string, .required)
            .field("outcome", .string, .required)
            .field("grant_types", .string, .required)
            .field("rule_set_version", .int, .required)
            .field("explanation", .string, .required)
            .field("decided_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("vulnerabilities")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("details", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "case_id", "kind")
            .create()
        try await db.schema("travel_document_requests")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("embassy_id", .uuid, .required, .references("partners", "id", onDelete: .restrict))
            .field("kind", .string, .required)
            .field("status", .string, .required)
            .field("requested_on", .string, .required)
            .field("interview_on", .string)
            .field("number", .string, .required)
            .field("expires_on", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.schema("reintegration_plans")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("description", .string, .required)
            .field("budget", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "case_id")
            .create()
        try await db.schema("grants")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("type", .string, .required)
            .field("amount", .int, .required)
            .field("cash", .int, .required)
            .field("in_kind", .int, .required)
            .field("funder_id", .uuid, .references("partners", "id", onDelete: .restrict))
            .field("created_at", .datetime)
            .create()
        try await db.schema("grant_payments")
            .id()
            .field("grant_id", .uuid, .required, .references("grants", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("amount", .int, .required)
            .field("paid_on", .string, .required)
            .field("proof_reference", .string, .required)
            .field("reported_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("cargo_items")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("description", .string, .required)
            .field("volume_litres", .int, .required)
            .field("clearance", .string, .required)
            .field("updated_at", .datetime)
            .create()
        try await db.schema("monitoring_visits")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("visited_on", .string, .required)
            .field("visitor", .string, .required)
            .field("findings", .string, .required)
            .field("progress", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("outreach_activities")
            .id()
            .field("kind", .string, .required)
            .field("held_on", .string, .required)
            .field("location_id", .uuid, .references("locations", "id", onDelete: .setNull))
            .field("audience", .string, .required)
            .field("attendees", .int, .required)
            .field("organisations", .string, .required)
            .field("topic", .string, .required)
            .field("counsellor_id", .uuid, .required, .references("users", "id", onDelete: .restrict))
            .field("created_at", .datetime)
            .create()
        let sql = db.sql
        for (table, column) in [
            ("counselling_sessions", "case_id"), ("eligibility_decisions", "case_id"),
            ("travel_document_requests", "case_id"),
            ("travel_document_requests", "embassy_id"), ("grants", "case_id"), ("grant_payments", "grant_id"),
            ("cargo_items", "case_id"), ("monitoring_visits", "case_id"), ("return_cases", "stage"),
            ("counselling_sessions", "held_on"), ("outreach_activities", "held_on"),
        ] {
            try await sql.raw(
                "CREATE INDEX \(unsafeRaw: "ix_\(table)_\(column)") ON \(ident: table) (\(ident: column))"
            ).run()
        }

        // The office's rules as they stand, version 1; administrators make the next versions.
        let first = RuleSetRecord()
        first.version = EligibilityRuleSet.initial.version
        first.body = try ReturnRecords.json(EligibilityRuleSet.initial)
        first.note = "Regular support for every nationality; eight countries readmitted on 1 July 2023"
        first.createdBy = "system"
        try await first.create(on: db)
    }

    func revert(on db: any Database) async throws {
        for table in [
            "outreach_activities", "monitoring_visits", "cargo_items", "grant_payments", "grants",
            "reintegration_plans",
            "travel_document_requests", "vulnerabilities", "eligibility_decisions", "eligibility_rule_sets",
            "counselling_sessions", "return_cases",
        ] {
            try await db.schema(table).delete()
        }
    }
}
