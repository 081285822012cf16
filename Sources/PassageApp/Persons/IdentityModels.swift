import Fluent
import Foundation

/// Two persons staff decided are not the same person (twins, namesakes): never offered as duplicates again, and
/// merged only by a manager. The pair is kept in one order (`person_a` < `person_b`).
final class PersonDistinction: Model, @unchecked Sendable {
    static let schema = "person_distinctions"
    @ID(key: .id) var id: UUID?
    @Field(key: "person_a") var personA: UUID
    @Field(key: "person_b") var personB: UUID
    @Field(key: "decided_by") var decidedBy: String
    @Field(key: "decided_by_name") var decidedByName: String
    @Field(key: "decided_at") var decidedAt: Date

    init() {}
    init(_ x: UUID, _ y: UUID, actor: Actor) {
        let (a, b) = Self.ordered(x, y)
        personA = a; personB = b
        decidedBy = actor.id; decidedByName = actor.name; decidedAt = Clock.now()
    }

    static func ordered(_ x: UUID, _ y: UUID) -> (UUID, UUID) {
        x.uuidString < y.uuidString ? (x, y) : (y, x)
    }
}

/// One record merged into another: what it moved, so that the merge can be undone.
final class PersonMerge: Model, @unchecked Sendable {
    static let schema = "person_merges"
    @ID(key: .id) var id: UUID?
    @Field(key: "survivor_id") var survivorID: UUID
    @Field(key: "merged_id") var mergedID: UUID
    @Field(key: "reason") var reason: String
    @Field(key: "merged_by") var mergedBy: String
    @Field(key: "merged_by_name") var mergedByName: String
    @Field(key: "merged_at") var mergedAt: Date
    /// JSON: the rows moved, per table and column.
    @Field(key: "moved") var movedJSON: String
    /// JSON: the surviving record's fields (as its form) before the merge and after it, so that an undo puts back
    /// only what the merge changed, and only when no one changed it since.
    @Field(key: "survivor_before") var survivorBeforeJSON: String
    @Field(key: "survivor_after") var survivorAfterJSON: String
    @OptionalField(key: "undone_at") var undoneAt: Date?
    @OptionalField(key: "undone_by_name") var undoneByName: String?

    init() {}

    struct Moved: Codable, Sendable, Equatable {
        var table: String
        var column: String
        var ids: [String]
    }

    var moved: [Moved] {
        get { (try? JSONDecoder().decode([Moved].self, from: Data(movedJSON.utf8))) ?? [] }
        set { movedJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("[]".utf8), as: UTF8.self) }
    }
}
