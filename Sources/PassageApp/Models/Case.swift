import Vapor
import Fluent
import PassageDomain

final class Case: Model, @unchecked Sendable {
    static let schema = "cases"
    @ID(key: .id) var id: UUID?
    @Field(key: "reference") var reference: String
    @Field(key: "programme") var programme: Programme
    @Field(key: "status") var status: CaseStatus
    @Parent(key: "person_id") var person: Person
    @OptionalParent(key: "owner_id") var owner: User?
    @OptionalParent(key: "office_location_id") var officeLocation: Location?
    @Field(key: "opened_on") var openedOn: String
    @OptionalField(key: "closed_on") var closedOn: String?
    @Field(key: "summary") var summary: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var auditSnapshot: [String: String] {
        var s = [
            "programme": programme.rawValue, "status": status.rawValue, "openedOn": openedOn, "summary": summary,
            "person": $person.id.uuidString,
        ]
        s["owner"] = $owner.id?.uuidString
        s["officeLocation"] = $officeLocation.id?.uuidString
        s["closedOn"] = closedOn
        return s
    }
}

/// One line of a case's timeline.
final class CaseEvent: Model, @unchecked Sendable {
    static let schema = "case_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "kind") var kind: String
    @Field(key: "text") var text: String
    /// Who may read the line (`Timeline.lines` filters by it).
    @Field(key: "audience") var audience: TimelineAudience
    /// What the line says, to be said in the reader's language (a `Phrase` as JSON); nil on older lines.
    @OptionalField(key: "phrase") var phrase: String?

    init() {}
    init(
        caseID: UUID, at: Date, actorID: UUID?, actorName: String, kind: String, text: String,
        audience: TimelineAudience? = nil, phrase: Phrase? = nil
    ) {
        self.$caseRecord.id = caseID; self.at = at; self.actorID = actorID
        self.actorName = actorName; self.kind = kind; self.text = text
        self.audience = audience ?? TimelineAudience.of(kind: kind)
        self.phrase = phrase?.json
    }

    /// Writes a line of a case's timeline now, by `actor`, inside the caller's transaction; a programme's lines are
    /// read by that programme's readers.
    static func note(
        _ caseID: UUID, _ actor: Actor, kind: String, _ text: String, audience: TimelineAudience? = .programme,
        on db: any Database
    ) async throws {
        try await CaseEvent(
            caseID: caseID, at: Clock.now(), actorID: UUID(uuidString: actor.id), actorName: actor.name, kind: kind,
            text: text, audience: audience
        ).create(on: db)
    }
}
