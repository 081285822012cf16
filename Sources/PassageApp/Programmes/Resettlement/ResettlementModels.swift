import Fluent
import PassageDomain
import Vapor

/// UNHCR's submission of a refugee household: one per resettlement case (the principal applicant's).
final class RSReferral: Model, @unchecked Sendable {
    static let schema = "rs_referrals"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    /// The partner that sent it through the API; nil when entered by the office.
    @OptionalParent(key: "partner_id") var partner: Partner?
    @Field(key: "unhcr_case_number") var unhcrCaseNumber: String
    @Field(key: "country_of_asylum") var countryOfAsylum: String
    @Field(key: "category") var category: SubmissionCategory
    @Field(key: "priority") var priority: SubmissionPriority
    @Field(key: "decision") var decision: SelectionOutcome
    @OptionalField(key: "decided_on") var decidedOn: String?
    @Field(key: "stage") var stage: ResettlementStage
    /// The municipality that will receive the household.
    @Field(key: "municipality") var municipality: String
    @Field(key: "note") var note: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Children(for: \.$referral) var members: [RSMember]
    init() {}

    var auditSnapshot: [String: String] {
        var s = [
            "unhcrCaseNumber": unhcrCaseNumber, "countryOfAsylum": countryOfAsylum, "category": category.rawValue,
            "priority": priority.rawValue, "decision": decision.rawValue, "stage": stage.rawValue,
            "municipality": municipality, "note": note,
        ]
        s["decidedOn"] = decidedOn
        return s
    }
}

/// A person of a referred household; `relationship` is to the principal applicant ("principal" for them).
final class RSMember: Model, @unchecked Sendable {
    static let schema = "rs_members"
    @ID(key: .id) var id: UUID?
    @Parent(key: "referral_id") var referral: RSReferral
    @Parent(key: "person_id") var person: Person
    @Field(key: "relationship") var relationship: String
    init() {}
}

/// A selection mission of the immigration service, supported by the office.
final class RSMission: Model, @unchecked Sendable {
    static let schema = "rs_missions"
    @ID(key: .id) var id: UUID?
    @Field(key: "country") var country: String
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "team") var team: String
    @Field(key: "note") var note: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// A household interviewed on a mission, and the outcome the immigration service decided.
final class RSMissionHousehold: Model, @unchecked Sendable {
    static let schema = "rs_mission_households"
    @ID(key: .id) var id: UUID?
    @Parent(key: "mission_id") var mission: RSMission
    @Parent(key: "referral_id") var referral: RSReferral
    @Field(key: "outcome") var outcome: SelectionOutcome
    @OptionalField(key: "decided_on") var decidedOn: String?
    @Field(key: "note") var note: String
    init() {}
}

/// A pre-departure orientation session.
final class RSOrientationSession: Model, @unchecked Sendable {
    static let schema = "rs_pdo_sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "country") var country: String
    @Field(key: "place") var place: String
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @Field(key: "language") var language: String
    @Field(key: "facilitator") var facilitator: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class RSAttendance: Model, @unchecked Sendable {
    static let schema = "rs_pdo_attendance"
    @ID(key: .id) var id: UUID?
    @Parent(key: "session_id") var session: RSOrientationSession
    @Parent(key: "person_id") var person: Person
    @Field(key: "recorded_by") var recordedBy: String
    init() {}
}

/// A health check of a member: its finding on travel and what the journey needs are for everyone who arranges it;
/// `medicalDetails` is for medical officers only.
final class RSHealthCheck: Model, @unchecked Sendable {
    static let schema = "rs_health_checks"
    @ID(key: .id) var id: UUID?
    @Parent(key: "referral_id") var referral: RSReferral
    @Parent(key: "person_id") var person: Person
    @Field(key: "kind") var kind: HealthCheckKind
    @Field(key: "examined_on") var examinedOn: String
    @OptionalField(key: "valid_until") var validUntil: String?
    @Field(key: "fitness") var fitness: TravelFitness
    @Field(key: "escort") var escort: EscortKind
    @Field(key: "assistance") var assistanceText: String
    /// The details as stored: sealed (`FieldCipher`); `medicalDetails` reads and writes them plain.
    @Field(key: "medical_details") var sealedMedicalDetails: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var medicalDetails: String {
        get { FieldCipher.open(sealedMedicalDetails) }
        set { sealedMedicalDetails = FieldCipher.seal(newValue) }
    }

    var assistance: [AssistanceKind] {
        assistanceText.split(separator: ",").compactMap { AssistanceKind(rawValue: String($0)) }
    }
}

/// The visa or laissez-passer a member travels on.
final class RSDocument: Model, @unchecked Sendable {
    static let schema = "rs_documents"
    @ID(key: .id) var id: UUID?
    @Parent(key: "referral_id") var referral: RSReferral
    @Parent(key: "person_id") var person: Person
    @Field(key: "kind") var kind: ResettlementDocumentKind
    @Field(key: "number") var number: String
    @Field(key: "issued_on") var issuedOn: String
    @Field(key: "valid_until") var validUntil: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// Households travelling together on one itinerary (a charter or a scheduled flight), each on a booking of its own
/// made through the movements module with the same flights.
final class RSMovement: Model, @unchecked Sendable {
    static let schema = "rs_movements"
    @ID(key: .id) var id: UUID?
    @Field(key: "reference") var reference: String
    @Field(key: "status") var status: GroupMovementStatus
    @Field(key: "charter") var charter: Bool
    /// The local day and the instant the first flight leaves.
    @Field(key: "departs_on") var departsOn: String
    @Field(key: "departs_at") var departsAt: Date
    /// The country of the first airport.
    @Field(key: "from_country") var fromCountry: String
    /// The flights as booking fields (`leg1_carrier`, …), JSON.
    @Field(key: "itinerary") var itinerary: String
    /// The airports where the group is met and helped to its next flight, comma-separated.
    @Field(key: "transit_assistance") var transitAssistance: String
    @OptionalField(key: "arrived_at") var arrivedAt: Date?
    @Field(key: "arrival_note") var arrivalNote: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Children(for: \.$movement) var households: [RSMovementHousehold]
    init() {}

    var legFields: [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(itinerary.utf8))) ?? [:]
    }

    /// The flights, read again from the stored fields.
    var flights: [LegInput] {
        var e = ValidationErrors()
        return BookingValidation.legs(legFields, prefix: "leg", airports: ReferenceData.airports, into: &e)
    }
}

final class RSMovementHousehold: Model, @unchecked Sendable {
    static let schema = "rs_movement_households"
    @ID(key: .id) var id: UUID?
    @Parent(key: "movement_id") var movement: RSMovement
    @Parent(key: "referral_id") var referral: RSReferral
    @Parent(key: "booking_id") var booking: Booking
    @Field(key: "persons") var persons: Int
    @Field(key: "medical_escort") var medicalEscort: Bool
    init() {}
}
