import Fluent
import PassageDomain
import Vapor

/// A centre abroad where families give DNA samples and hold interviews: an office location and its schedule.
final class FRCentre: Model, @unchecked Sendable {
    static let schema = "fr_centres"
    @ID(key: .id) var id: UUID?
    @Parent(key: "location_id") var location: Location
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "open_days") var openDays: String
    @Field(key: "opens") var opens: Int
    @Field(key: "closes") var closes: Int
    @Field(key: "slot_minutes") var slotMinutes: Int
    @Field(key: "dna_capacity") var dnaCapacity: Int
    @Field(key: "interview_capacity") var interviewCapacity: Int
    @Field(key: "holidays") var holidays: String
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var schedule: CentreSchedule {
        CentreSchedule(
            timeZone: timeZone, openDays: Set(openDays.split(separator: ",").compactMap { Int($0) }), opens: opens,
            closes: closes, slotMinutes: slotMinutes, dnaCapacity: dnaCapacity, interviewCapacity: interviewCapacity,
            holidays: Set(holidays.split(separator: ",").map(String.init)))
    }

    func apply(_ s: CentreSchedule) {
        timeZone = s.timeZone; openDays = s.openDays.sorted().map(String.init).joined(separator: ",")
        opens = s.opens; closes = s.closes; slotMinutes = s.slotMinutes; dnaCapacity = s.dnaCapacity
        interviewCapacity = s.interviewCapacity; holidays = s.holidays.sorted().joined(separator: ",")
    }

    var auditSnapshot: [String: String] {
        [
            "timeZone": timeZone, "openDays": openDays, "opens": CentreSchedule.clock(opens),
            "closes": CentreSchedule.clock(closes), "slotMinutes": String(slotMinutes),
            "dnaCapacity": String(dnaCapacity), "interviewCapacity": String(interviewCapacity), "holidays": holidays,
        ]
    }
}

/// The IND's request to verify a family's relationships: one per reunification case.
final class FRReferral: Model, @unchecked Sendable {
    static let schema = "fr_referrals"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    /// The partner that sent it through the API; nil when entered by the office.
    @OptionalParent(key: "partner_id") var partner: Partner?
    @Field(key: "ind_file_number") var indFileNumber: String
    @Parent(key: "sponsor_id") var sponsor: Person
    @Field(key: "deadline") var deadline: String
    @Parent(key: "centre_id") var centre: FRCentre
    @Field(key: "note") var note: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Children(for: \.$referral) var members: [FRMember]
    init() {}
}

/// A family member abroad, their relationship to the sponsor and what is to be verified for them.
final class FRMember: Model, @unchecked Sendable {
    static let schema = "fr_members"
    @ID(key: .id) var id: UUID?
    @Parent(key: "referral_id") var referral: FRReferral
    @Parent(key: "person_id") var person: Person
    @Field(key: "relationship") var relationship: FamilyRelationship
    @Field(key: "verification") var verification: VerificationKind
    init() {}
}

final class FRAppointment: Model, @unchecked Sendable {
    static let schema = "fr_appointments"
    @ID(key: .id) var id: UUID?
    @Parent(key: "referral_id") var referral: FRReferral
    @Parent(key: "member_id") var member: FRMember
    @Parent(key: "centre_id") var centre: FRCentre
    @Field(key: "service") var service: AppointmentService
    /// The centre's local day and minute after midnight; for the waiting list, the day asked for.
    @Field(key: "day") var day: String
    @Field(key: "minute") var minute: Int
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "status") var status: AppointmentStatus
    @OptionalField(key: "replaced_by_id") var replacedByID: UUID?
    @Field(key: "note") var note: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var auditSnapshot: [String: String] {
        [
            "service": service.rawValue, "day": day, "time": CentreSchedule.clock(minute), "status": status.rawValue,
            "note": note,
        ]
    }
}

/// A DNA sample, from collection to the laboratory's result, and who holds it now.
final class FRSample: Model, @unchecked Sendable {
    static let schema = "fr_samples"
    @ID(key: .id) var id: UUID?
    @Field(key: "identifier") var identifier: String
    @Parent(key: "referral_id") var referral: FRReferral
    @Parent(key: "member_id") var member: FRMember
    @OptionalParent(key: "appointment_id") var appointment: FRAppointment?
    @Field(key: "status") var status: SampleStatus
    @Field(key: "collected_by") var collectedBy: String
    @Field(key: "collected_at") var collectedAt: Date
    @Field(key: "place") var place: String
    @Field(key: "document_seen") var documentSeen: String
    @Field(key: "photo_taken") var photoTaken: Bool
    @Field(key: "witness") var witness: String
    @Field(key: "seal_number") var sealNumber: String
    @Field(key: "holder_kind") var holderKind: CustodianKind
    @Field(key: "holder_name") var holderName: String
    @Field(key: "holder_since") var holderSince: Date
    @OptionalField(key: "compromised_reason") var compromisedReason: String?
    /// The laboratory's outcome and report reference as stored: sealed (`FieldCipher`), being genetic data;
    /// `outcome` and `reportReference` read and write them plain.
    @OptionalField(key: "outcome") var sealedOutcome: String?
    @OptionalField(key: "report_reference") var sealedReportReference: String?
    @OptionalField(key: "result_at") var resultAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var outcome: LabOutcome? {
        get { sealedOutcome.flatMap { LabOutcome(rawValue: FieldCipher.open($0)) } }
        set { sealedOutcome = newValue.map { FieldCipher.seal($0.rawValue) } }
    }

    var reportReference: String? {
        get { sealedReportReference.map(FieldCipher.open) }
        set { sealedReportReference = newValue.map(FieldCipher.seal) }
    }

    var holder: CustodyHolder { CustodyHolder(custodian: holderKind, name: holderName, since: holderSince) }

    var auditSnapshot: [String: String] {
        var s = [
            "identifier": identifier, "status": status.rawValue, "collectedBy": collectedBy, "place": place,
            "documentSeen": documentSeen, "photoTaken": String(photoTaken), "witness": witness,
            "sealNumber": sealNumber, "holder": "\(holderKind.rawValue): \(holderName)",
        ]
        s["compromised"] = compromisedReason
        s["outcome"] = outcome?.rawValue
        s["reportReference"] = reportReference
        return s
    }
}

/// One step of a sample's chain of custody; never changed or removed (the database refuses it).
final class FRCustodyEvent: Model, @unchecked Sendable {
    static let schema = "fr_custody_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "sample_id") var sample: FRSample
    @Field(key: "seq") var seq: Int
    /// collected, handover, compromised or result.
    @Field(key: "kind") var kind: String
    @Field(key: "custodian") var custodian: CustodianKind
    @Field(key: "holder_name") var holderName: String
    @Field(key: "from_name") var fromName: String
    @OptionalField(key: "handed_over_at") var handedOverAt: Date?
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "seal_number") var sealNumber: String
    @Field(key: "seal_intact") var sealIntact: Bool
    @Field(key: "note") var note: String
    @Field(key: "recorded_by") var recordedBy: String
    @Field(key: "recorded_at") var recordedAt: Date
    init() {}
}

/// A videoconference interview's arrangements and outcome, on its appointment.
final class FRInterview: Model, @unchecked Sendable {
    static let schema = "fr_interviews"
    @ID(key: .id) var id: UUID?
    @Parent(key: "appointment_id") var appointment: FRAppointment
    /// The IND caseworker in the Netherlands.
    @Field(key: "caseworker") var caseworker: String
    @Field(key: "language") var language: String
    @Field(key: "interpreter") var interpreter: String
    @Field(key: "room") var room: String
    @OptionalField(key: "outcome") var outcome: InterviewOutcome?
    /// The note as stored: sealed (`FieldCipher`); `note` reads and writes it plain.
    @Field(key: "note") var sealedNote: String
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var note: String {
        get { FieldCipher.open(sealedNote) }
        set { sealedNote = FieldCipher.seal(newValue) }
    }

    var auditSnapshot: [String: String] {
        var s = [
            "caseworker": caseworker, "language": language, "interpreter": interpreter, "room": room, "note": note,
        ]
        s["outcome"] = outcome?.rawValue
        return s
    }
}

/// A family helped with its visa application at a consulate on a day.
final class FRVisaAssistance: Model, @unchecked Sendable {
    static let schema = "fr_visa_assistance"
    @ID(key: .id) var id: UUID?
    @Field(key: "day") var day: String
    @Field(key: "place") var place: String
    /// The family's name as the desk writes it.
    @Field(key: "family") var family: String
    /// The applicant's record, when the family has one.
    @OptionalParent(key: "person_id") var person: Person?
    @Field(key: "persons") var persons: Int
    @Field(key: "nationality") var nationality: String
    @Field(key: "services") var services: String
    @Field(key: "problems") var problems: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// An entry of the Mileage Fund's ledger: a donation in, or a ticket paid for a traveller.
final class FRMileageEntry: Model, @unchecked Sendable {
    static let schema = "fr_mileage_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: MileageEntryKind
    @Field(key: "day") var day: String
    @Field(key: "amount_cents") var amountCents: Int
    @Field(key: "donor") var donor: String
    @OptionalParent(key: "person_id") var person: Person?
    @OptionalParent(key: "referral_id") var referral: FRReferral?
    @OptionalField(key: "eligibility") var eligibility: MileageEligibility?
    @Field(key: "reason") var reason: String
    @OptionalField(key: "booking_id") var bookingID: UUID?
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}
