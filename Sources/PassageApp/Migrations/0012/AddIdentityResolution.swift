import Fluent
import SQLKit

/// What identity resolution keeps: pairs of persons staff decided are not the same person, merges (with what each
/// moved, so that it can be undone) and the redirect a merged record leaves behind.
struct AddIdentityResolution: AsyncMigration {
    var name: String { "0012_AddIdentityResolution" }

    func prepare(on db: any Database) async throws {
        try await db.schema(PersonDistinction.schema)
            .id()
            .field("person_a", .uuid, .required, .references("persons", "id", onDelete: .cascade))
            .field("person_b", .uuid, .required, .references("persons", "id", onDelete: .cascade))
            .field("decided_by", .string, .required)
            .field("decided_by_name", .string, .required)
            .field("decided_at", .datetime, .required)
            .unique(on: "person_a", "person_b")
            .create()
        try await db.schema(PersonMerge.schema)
            .id()
            .field("survivor_id", .uuid, .required, .references("persons", "id", onDelete: .restrict))
            .field("merged_id", .uuid, .required, .references("persons", "id", onDelete: .restrict))
            .field("reason", .string, .required)
            .field("merged_by", .string, .required)
            .field("merged_by_name", .string, .required)
            .field("merged_at", .datetime, .required)
            .field("moved", .string, .required)
            .field("survivor_before", .string, .required)
            .field("survivor_after", .string, .required)
            .field("undone_at", .datetime)
            .field("undone_by_name", .string)
            .create()
        try await db.schema("persons").field("merged_into", .uuid).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "person_distinctions_b").on(PersonDistinction.schema).column("person_b").run()
        try await sql.create(index: "person_merges_survivor").on(PersonMerge.schema).column("survivor_id").run()
        try await sql.create(index: "person_merges_merged").on(PersonMerge.schema).column("merged_id").run()
        try await sql.create(index: "persons_phone").on("persons").column("phone").run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.drop(index: "persons_phone").run()
        }
        try await db.schema("persons").deleteField("merged_into").update()
        try await db.schema(PersonMerge.schema).delete()
        try await db.schema(PersonDistinction.schema).delete()
    }
}
