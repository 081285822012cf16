import Fluent

/// A timeline line keeps, beside its English text, what it says as a catalogue key and arguments,
/// so each reader reads it in their own language. Older lines have none and are shown as written.
struct AddTimelinePhrases: AsyncMigration {
    var name: String { "0009_AddTimelinePhrases" }

    func prepare(on db: any Database) async throws {
        try await db.schema("case_events").field("phrase", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("case_events").deleteField("phrase").update()
    }
}
