import Fluent

/// API tokens with a last day and a scope (read only, one programme's routes).
struct AddTokenScopes: AsyncMigration {
    var name: String { "0022_AddTokenScopes" }

    func prepare(on db: any Database) async throws {
        try await db.schema("api_tokens").field("expires_on", .string).update()
        try await db.schema("api_tokens").field("scope", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("api_tokens").deleteField("scope").update()
        try await db.schema("api_tokens").deleteField("expires_on").update()
    }
}
