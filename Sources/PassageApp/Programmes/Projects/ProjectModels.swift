import Fluent
import PassageDomain
import Vapor

/// A project of the office, funded by a donor for a period.
final class PJProject: Model, @unchecked Sendable {
    static let schema = "pj_projects"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "donor") var donor: String
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "summary") var summary: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var period: (PartialDate, PartialDate) { (PartialDate(parsing: startsOn)!, PartialDate(parsing: endsOn)!) }
}

final class PJBudgetLine: Model, @unchecked Sendable {
    static let schema = "pj_budget_lines"
    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: PJProject
    @Field(key: "line") var line: String
    @Field(key: "budget_cents") var budgetCents: Int
    @Field(key: "spent_cents") var spentCents: Int
    init() {}
}

/// A conference, training, campaign, outreach day, study visit or meeting of a project.
final class PJEvent: Model, @unchecked Sendable {
    static let schema = "pj_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: PJProject
    @Field(key: "kind") var kind: ProjectEventKind
    @Field(key: "title") var title: String
    @Field(key: "day") var day: String
    @Field(key: "place") var place: String
    @Field(key: "stakeholders") var stakeholders: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Children(for: \.$event) var participants: [PJEventParticipants]
    init() {}
}

/// How many of a group took part in an event.
final class PJEventParticipants: Model, @unchecked Sendable {
    static let schema = "pj_event_participants"
    @ID(key: .id) var id: UUID?
    @Parent(key: "event_id") var event: PJEvent
    @Field(key: "participant_group") var group: ParticipantGroup
    @Field(key: "count") var count: Int
    init() {}
}

final class PJIndicator: Model, @unchecked Sendable {
    static let schema = "pj_indicators"
    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: PJProject
    @Field(key: "name") var name: String
    /// What is counted: "people reached", "trainings held".
    @Field(key: "unit") var unit: String
    @Children(for: \.$indicator) var values: [PJIndicatorValue]
    init() {}
}

/// An indicator's target and actual for one period.
final class PJIndicatorValue: Model, @unchecked Sendable {
    static let schema = "pj_indicator_values"
    @ID(key: .id) var id: UUID?
    @Parent(key: "indicator_id") var indicator: PJIndicator
    @Field(key: "period") var period: String
    @Field(key: "target") var target: Int
    @OptionalField(key: "actual") var actual: Int?
    @Field(key: "note") var note: String
    init() {}
}
