import Fluent
import SQLKit

/// The pairs the registry's batch check found to be one person, waiting for staff to merge them or say they differ.
struct AddDuplicateReviews: AsyncMigration {
    var name: String { "0013_AddDuplicateReviews" }

    func prepare(on db: any Database) async throws {
        try await db.schema(DuplicateReview.schema)
            .id()
            .field("person_a", .uuid, .required, .references("persons", "id", onDelete: .cascade))
            .field("person_b", .uuid, .required, .references("persons", "id", onDelete: .cascade))
            .field("score", .int, .required)
            .field("found_at", .datetime, .required)
            .unique(on: "person_a", "person_b")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "duplicate_reviews_score").on(DuplicateReview.schema).column("score").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(DuplicateReview.schema).delete()
    }
}
