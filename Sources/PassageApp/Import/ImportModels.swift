import Fluent
import SQLKit
import Foundation
import PassageDomain

/// The office's own reference of an imported record, and a fingerprint of the row it came from: the same row again
/// changes nothing, a corrected row updates the record.
final class ImportKey: Model, @unchecked Sendable {
    static let schema = "import_keys"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "ref") var ref: String
    @Field(key: "record_id") var recordID: UUID
    @Field(key: "digest") var digest: String
    @Field(key: "import_id") var importID: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
    init(kind: ImportKind, ref: String, recordID: UUID, digest: String, importID: UUID) {
        self.id = UUID()
        self.kind = kind.rawValue; self.ref = ref; self.recordID = recordID; self.digest = digest
        self.importID = importID
    }
}

/// One import: who started it, from what, how far it is and what it found.
final class ImportRun: Model, @unchecked Sendable {
    static let schema = "import_runs"
    @ID(key: .id) var id: UUID?
    /// waiting, checking, writing, done, refused (problems and nothing written), failed.
    @Field(key: "status") var status: String
    @Field(key: "mode") var mode: String
    @Field(key: "source") var source: String
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "requested_by_id") var requestedByID: UUID
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @Field(key: "done") var done: Int
    @Field(key: "total") var total: Int
    /// `ImportReport` as JSON once finished.
    @OptionalField(key: "report") var report: String?
    @OptionalField(key: "error") var error: String?

    init() {}
}

struct CreateImports: AsyncMigration {
    var name: String { "0023_CreateImports" }

    func prepare(on db: any Database) async throws {
        try await db.schema(ImportKey.schema)
            .id()
            .field("kind", .string, .required)
            .field("ref", .string, .required)
            .field("record_id", .uuid, .required)
            .field("digest", .string, .required)
            .field("import_id", .uuid, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "kind", "ref")
            .create()
        try await db.schema(ImportRun.schema)
            .id()
            .field("status", .string, .required)
            .field("mode", .string, .required)
            .field("source", .string, .required)
            .field("requested_by", .string, .required)
            .field("requested_by_id", .uuid, .required)
            .field("requested_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("done", .int, .required)
            .field("total", .int, .required)
            .field("report", .string)
            .field("error", .string)
            .create()
        try await (db as! any SQLDatabase).raw("CREATE INDEX import_keys_record ON import_keys (record_id)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ImportRun.schema).delete()
        try await db.schema(ImportKey.schema).delete()
    }
}
