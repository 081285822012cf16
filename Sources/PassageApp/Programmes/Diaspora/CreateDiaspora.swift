import Fluent
import SQLKit

/// Diaspora engagement: experts, the institutions that host them, and their assignments with the host's evaluation.
struct CreateDiaspora: AsyncMigration {
    var name: String { "0020_CreateDiaspora" }

    func prepare(on db: any Database) async throws {
        try await db.schema("dp_experts")
            .id()
            .field("person_id", .uuid, .required, .references("persons", "id", onDelete: .restrict))
            .field("profession", .string, .required)
            .field("skills", .string, .required)
            .field("languages", .string, .required)
            .field("countries", .string, .required)
            .field("email", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "person_id")
            .create()
        try await db.schema("dp_institutions")
            .id()
            .field("name", .string, .required)
            .field("country", .string, .required)
            .field("city", .string, .required)
            .field("sector", .string, .required)
            .field("contact", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "name", "country")
            .create()
        try await db.schema("dp_assignments")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("expert_id", .uuid, .required, .references("dp_experts", "id", onDelete: .restrict))
            .field("institution_id", .uuid, .required, .references("dp_institutions", "id", onDelete: .restrict))
            .field("mode", .string, .required)
            .field("status", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("tasks", .string, .required)
            .field("deliverables", .string, .required)
            .field("score", .int)
            .field("evaluation", .string, .required)
            .field("evaluated_on", .string)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "case_id")
            .create()
        for statement in [
            "CREATE INDEX dp_assignments_expert ON dp_assignments (expert_id)",
            "CREATE INDEX dp_assignments_institution ON dp_assignments (institution_id)",
            "CREATE INDEX dp_assignments_starts ON dp_assignments (starts_on)",
        ] {
            try await db.sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on db: any Database) async throws {
        for table in ["dp_assignments", "dp_institutions", "dp_experts"] { try await db.schema(table).delete() }
    }
}
