import Fluent
import PassageDomain
import Vapor

/// A member of the diaspora who offers their expertise: a person of the registry with what they bring.
final class DPExpert: Model, @unchecked Sendable {
    static let schema = "dp_experts"
    @ID(key: .id) var id: UUID?
    @Parent(key: "person_id") var person: Person
    @Field(key: "profession") var profession: String
    /// Comma-separated, as typed: "public health, epidemiology".
    @Field(key: "skills") var skills: String
    /// Language codes, comma-separated.
    @Field(key: "languages") var languages: String
    /// Country codes of the countries they work for, comma-separated.
    @Field(key: "countries") var countries: String
    @Field(key: "email") var email: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var auditSnapshot: [String: String] {
        [
            "profession": profession, "skills": skills, "languages": languages, "countries": countries,
            "email": email,
        ]
    }
}

/// An institution in a country of origin that hosts experts.
final class DPInstitution: Model, @unchecked Sendable {
    static let schema = "dp_institutions"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "country") var country: String
    @Field(key: "city") var city: String
    @Field(key: "sector") var sector: HostSector
    @Field(key: "contact") var contact: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// An expert's assignment at a host institution: one per diaspora-assignment case.
final class DPAssignment: Model, @unchecked Sendable {
    static let schema = "dp_assignments"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Parent(key: "expert_id") var expert: DPExpert
    @Parent(key: "institution_id") var institution: DPInstitution
    @Field(key: "mode") var mode: AssignmentMode
    @Field(key: "status") var status: AssignmentStatus
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "tasks") var tasks: String
    @Field(key: "deliverables") var deliverables: String
    /// The host's evaluation, 1 to 5, once the assignment is completed.
    @OptionalField(key: "score") var score: Int?
    @Field(key: "evaluation") var evaluation: String
    @OptionalField(key: "evaluated_on") var evaluatedOn: String?
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var auditSnapshot: [String: String] {
        var s = [
            "mode": mode.rawValue, "status": status.rawValue, "startsOn": startsOn, "endsOn": endsOn, "tasks": tasks,
            "deliverables": deliverables, "evaluation": evaluation,
        ]
        s["score"] = score.map(String.init)
        s["evaluatedOn"] = evaluatedOn
        return s
    }
}
