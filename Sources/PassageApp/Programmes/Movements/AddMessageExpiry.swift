import Fluent

/// Outbound messages may expire: an SMS about a flight is not sent once the flight has left.
struct AddMessageExpiry: AsyncMigration {
    var name: String { "0007_AddMessageExpiry" }

    func prepare(on db: any Database) async throws {
        try await db.schema("outbox_messages").field("expires_at", .datetime).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("outbox_messages").deleteField("expires_at").update()
    }
}
