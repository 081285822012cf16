import Fluent
import SQLKit

/// Sound keys are now given to short names with two consonants (Nur and Noor, Layla and Leila, Mawa and Mava), so
/// every person's sound terms are written again: the database then finds what the name index finds.
struct RekeySoundTerms: AsyncMigration {
    var name: String { "0014_RekeySoundTerms" }

    func prepare(on db: any Database) async throws {
        try await db.sql.delete(from: "person_search_terms").where("kind", .equal, SQLBind(2)).run()
        try await AddSoundTerms.writeSoundTerms(on: db)
    }

    /// The terms written are a superset of the earlier ones: nothing to undo.
    func revert(on db: any Database) async throws {}
}
