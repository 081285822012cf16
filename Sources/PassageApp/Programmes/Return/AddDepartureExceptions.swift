import Fluent
import Foundation
import SQLKit

/// A departure is a fact, whatever the checks said: a flown booking departs the case and checks that were not met
/// become an exception for a manager to review; a departure without a flown booking (on the person's own ticket)
/// is recorded with how the person left, and the report counts it as it counts the flown.
struct AddDepartureExceptions: AsyncMigration {
    var name: String { "0008_AddDepartureExceptions" }

    func prepare(on db: any Database) async throws {
        try await db.schema("return_exceptions")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("raised_on", .string, .required)
            .field("raised_by", .string, .required)
            .field("summary", .string, .required)
            .field("reviewed_by", .string)
            .field("reviewed_at", .datetime)
            .field("review_note", .string)
            .field("created_at", .datetime)
            .create()
        try await db.schema("departures_without_flight")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("persons", "id", onDelete: .restrict))
            .field("programme", .string, .required)
            .field("day", .string, .required)
            .field("destination_country", .string)
            .field("nationality", .string, .required)
            .field("granted", .bool, .required)
            .field("how", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        let sql = db.sql
        try await sql.raw("CREATE INDEX return_exceptions_open ON return_exceptions (reviewed_at, case_id)").run()
        try await sql.raw("CREATE INDEX departures_without_flight_day ON departures_without_flight (programme, day)")
            .run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("departures_without_flight").delete()
        try await db.schema("return_exceptions").delete()
    }
}

/// Something about a case a manager has to look at: a departure with checks that were not met.
final class ReturnException: Model, @unchecked Sendable {
    static let schema = "return_exceptions"
    enum Kind: String, Codable, Sendable { case departureChecks = "departure_checks" }
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "kind") var kind: Kind
    @Field(key: "raised_on") var raisedOn: String
    @Field(key: "raised_by") var raisedBy: String
    /// What every reader of the case may read; restricted reasons stay on the timeline for their readers.
    @Field(key: "summary") var summary: String
    @OptionalField(key: "reviewed_by") var reviewedBy: String?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    @OptionalField(key: "review_note") var reviewNote: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A person who left without a flown booking in Passage, and how.
final class DepartureWithoutFlight: Model, @unchecked Sendable {
    static let schema = "departures_without_flight"
    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "programme") var programme: String
    @Field(key: "day") var day: String
    @OptionalField(key: "destination_country") var destinationCountry: String?
    @Field(key: "nationality") var nationality: String
    @Field(key: "granted") var granted: Bool
    @Field(key: "how") var how: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}
