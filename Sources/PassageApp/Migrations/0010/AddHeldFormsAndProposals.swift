import Fluent

/// Forms kept when they arrive after their session ended, and registry entries proposed by staff that an
/// administrator has not yet confirmed.
struct AddHeldFormsAndProposals: AsyncMigration {
    var name: String { "0010_AddHeldFormsAndProposals" }

    func prepare(on db: any Database) async throws {
        try await db.schema(HeldForm.schema)
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("path", .string, .required)
            .field("fields", .string, .required)
            .field("held_at", .datetime, .required)
            .create()
        try await db.schema("partners").field("proposed_by", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("partners").deleteField("proposed_by").update()
        try await db.schema(HeldForm.schema).delete()
    }
}
