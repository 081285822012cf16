import Vapor
import Fluent
import PassageDomain

/// The return-programme part of a case: where it stands and what the intake recorded.
final class ReturnCase: Model, @unchecked Sendable {
    static let schema = "return_cases"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "stage") var stage: ReturnStage
    @Field(key: "referral_source") var referralSource: ReferralSource
    @OptionalParent(key: "stay_location_id") var stayLocation: Location?
    @OptionalField(key: "preferred_language") var preferredLanguage: String?
    @Field(key: "interpreter_needed") var interpreterNeeded: Bool
    @Field(key: "destination_country") var destinationCountry: String
    @Field(key: "destination_place") var destinationPlace: String
    @Field(key: "companions") var companionsText: String
    @OptionalField(key: "departed_on") var departedOn: String?
    @Field(key: "receiving_office") var receivingOffice: String
    @OptionalField(key: "eu_consent_on") var euConsentOn: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var companionIDs: [String] { companionsText.split(separator: ",").map(String.init) }

    var auditSnapshot: [String: String] {
        var s = [
            "stage": stage.rawValue, "referralSource": referralSource.rawValue,
            "interpreterNeeded": String(interpreterNeeded),
            "destinationCountry": destinationCountry, "destinationPlace": destinationPlace,
            "companions": companionsText,
            "receivingOffice": receivingOffice,
        ]
        s["stayLocation"] = $stayLocation.id?.uuidString
        s["preferredLanguage"] = preferredLanguage
        s["departedOn"] = departedOn
        s["euConsentOn"] = euConsentOn
        return s
    }
}

final class CounsellingSession: Model, @unchecked Sendable {
    static let schema = "counselling_sessions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    /// The case's person, kept beside the case for the reports' counts of persons.
    @OptionalField(key: "person_id") var personID: UUID?
    @Field(key: "held_on") var heldOn: String
    @Parent(key: "location_id") var location: Location
    @Parent(key: "counsellor_id") var counsellor: User
    @Field(key: "language") var language: String
    @Field(key: "interpreter") var interpreter: Bool
    @Field(key: "duration_minutes") var durationMinutes: Int
    /// The notes as stored: sealed (`FieldCipher`); `notes` reads and writes them plain.
    @Field(key: "notes") var sealedNotes: String
    @Field(key: "outcome") var outcome: CounsellingOutcome
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var notes: String {
        get { FieldCipher.open(sealedNotes) }
        set { sealedNotes = FieldCipher.seal(newValue) }
    }

    var auditSnapshot: [String: String] {
        [
            "heldOn": heldOn, "location": $location.id.uuidString, "counsellor": $counsellor.id.uuidString,
            "language": language,
            "interpreter": String(interpreter), "durationMinutes": String(durationMinutes), "notes": notes,
            "outcome": outcome.rawValue,
        ]
    }
}

/// A version of the eligibility rules, stored whole and never changed.
final class RuleSetRecord: Model, @unchecked Sendable {
    static let schema = "eligibility_rule_sets"
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "body") var body: String
    @Field(key: "note") var note: String
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    func ruleSet() throws -> EligibilityRuleSet {
        try JSONDecoder().decode(EligibilityRuleSet.self, from: Data(body.utf8))
    }
}

final class DecisionRecord: Model, @unchecked Sendable {
    static let schema = "eligibility_decisions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "decided_for") var decidedFor: String
    @Field(key: "nationality") var nationality: String
    @Field(key: "outcome") var outcome: EligibilityOutcome
    @Field(key: "grant_types") var grantTypes: String
    @Field(key: "rule_set_version") var ruleSetVersion: Int
    @Field(key: "explanation") var explanation: String
    @Field(key: "decided_by") var decidedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    convenience init(caseID: UUID, _ d: EligibilityDecision, decidedBy: String) {
        self.init()
        $caseRecord.id = caseID; decidedFor = d.decidedFor.isoText; nationality = d.nationality;
        outcome = d.outcome
        grantTypes = d.grantTypes.map(\.rawValue).joined(separator: ","); ruleSetVersion = d.ruleSetVersion
        explanation = d.explanation; self.decidedBy = decidedBy
    }

    var decision: EligibilityDecision {
        EligibilityDecision(
            decidedFor: PartialDate(parsing: decidedFor)!, nationality: nationality,
            outcome: outcome,
            grantTypes: grantTypes.split(separator: ",").compactMap { GrantType(rawValue: String($0)) },
            ruleSetVersion: ruleSetVersion, explanation: explanation)
    }

    var auditSnapshot: [String: String] {
        [
            "decidedFor": decidedFor, "nationality": nationality, "outcome": outcome.rawValue, "grantTypes": grantTypes,
            "ruleSetVersion": String(ruleSetVersion), "explanation": explanation,
        ]
    }
}

/// A vulnerability of a case; its details are one of the domain's records, kept as JSON.
final class VulnerabilityRecord: Model, @unchecked Sendable {
    static let schema = "vulnerabilities"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "kind") var kind: VulnerabilityKind
    /// The details as stored: sealed (`FieldCipher`); `details` reads and writes them plain.
    @Field(key: "details") var sealedDetails: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var details: String {
        get { FieldCipher.open(sealedDetails) }
        set { sealedDetails = FieldCipher.seal(newValue) }
    }

    func decode<T: Decodable>(_ type: T.Type) -> T? { try? JSONDecoder().decode(T.self, from: Data(details.utf8)) }
}

final class TravelDocumentRequest: Model, @unchecked Sendable {
    static let schema = "travel_document_requests"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Parent(key: "embassy_id") var embassy: Partner
    @Field(key: "kind") var kind: TravelDocumentKind
    @Field(key: "status") var status: TravelDocumentStatus
    @Field(key: "requested_on") var requestedOn: String
    @OptionalField(key: "interview_on") var interviewOn: String?
    @Field(key: "number") var number: String
    @OptionalField(key: "expires_on") var expiresOn: String?
    @OptionalField(key: "issued_on") var issuedOn: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var auditSnapshot: [String: String] {
        var s = [
            "embassy": $embassy.id.uuidString, "kind": kind.rawValue, "status": status.rawValue,
            "requestedOn": requestedOn,
            "number": number,
        ]
        s["interviewOn"] = interviewOn
        s["expiresOn"] = expiresOn
        s["issuedOn"] = issuedOn
        return s
    }
}

final class ReintegrationPlan: Model, @unchecked Sendable {
    static let schema = "reintegration_plans"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "purpose") var purpose: PlanPurpose
    @Field(key: "description") var description: String
    @Field(key: "budget") var budget: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var budgetLines: [ReturnValidation.BudgetLine] {
        (try? JSONDecoder().decode([ReturnValidation.BudgetLine].self, from: Data(budget.utf8))) ?? []
    }
    var auditSnapshot: [String: String] { ["purpose": purpose.rawValue, "description": description, "budget": budget] }
}

final class GrantRecord: Model, @unchecked Sendable {
    static let schema = "grants"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "type") var type: GrantType
    @Field(key: "amount") var amount: Int
    /// The sum of its payments, kept with each payment so outstanding grants are found without adding them up.
    @Field(key: "paid") var paid: Int
    @Field(key: "cash") var cash: Int
    @Field(key: "in_kind") var inKind: Int
    @OptionalParent(key: "funder_id") var funder: Partner?
    /// The day it was granted (YYYY-MM-DD): the period report counts it then.
    @OptionalField(key: "granted_on") var grantedOn: String?
    @Children(for: \.$grant) var payments: [GrantPayment]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var grant: ReturnValidation.Grant {
        .init(
            type: type, amount: amount, cash: cash, inKind: inKind,
            funderID: $funder.id?.uuidString, grantedOn: grantedOn.flatMap { PartialDate(parsing: $0) })
    }
    var auditSnapshot: [String: String] {
        var s = ["type": type.rawValue, "amount": String(amount), "cash": String(cash), "inKind": String(inKind)]
        s["funder"] = $funder.id?.uuidString
        s["grantedOn"] = grantedOn
        return s
    }
}

final class GrantPayment: Model, @unchecked Sendable {
    static let schema = "grant_payments"
    @ID(key: .id) var id: UUID?
    @Parent(key: "grant_id") var grant: GrantRecord
    @Field(key: "kind") var kind: PaymentKind
    @Field(key: "amount") var amount: Int
    @Field(key: "paid_on") var paidOn: String
    @Field(key: "proof_reference") var proofReference: String
    @Field(key: "reported_by") var reportedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var payment: ReturnValidation.Payment {
        .init(
            kind: kind, amount: amount, paidOn: PartialDate(parsing: paidOn)!,
            proofReference: proofReference, reportedBy: reportedBy)
    }
    var auditSnapshot: [String: String] {
        [
            "kind": kind.rawValue, "amount": String(amount), "paidOn": paidOn, "proofReference": proofReference,
            "reportedBy": reportedBy,
        ]
    }
}

final class CargoItem: Model, @unchecked Sendable {
    static let schema = "cargo_items"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "description") var description: String
    @Field(key: "volume_litres") var volumeLitres: Int
    @Field(key: "clearance") var clearance: CargoClearance
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var auditSnapshot: [String: String] {
        ["description": description, "volumeLitres": String(volumeLitres), "clearance": clearance.rawValue]
    }
}

final class MonitoringVisit: Model, @unchecked Sendable {
    static let schema = "monitoring_visits"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "visited_on") var visitedOn: String
    @Field(key: "visitor") var visitor: String
    @Field(key: "findings") var findings: String
    @Field(key: "progress") var progress: ReintegrationProgress
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var auditSnapshot: [String: String] {
        ["visitedOn": visitedOn, "visitor": visitor, "findings": findings, "progress": progress.rawValue]
    }
}

final class OutreachActivity: Model, @unchecked Sendable {
    static let schema = "outreach_activities"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: OutreachKind
    @Field(key: "held_on") var heldOn: String
    @OptionalParent(key: "location_id") var location: Location?
    @Field(key: "audience") var audience: String
    @Field(key: "attendees") var attendees: Int
    @Field(key: "organisations") var organisations: String
    @Field(key: "topic") var topic: String
    @Parent(key: "counsellor_id") var counsellor: User
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    var auditSnapshot: [String: String] {
        var s = [
            "kind": kind.rawValue, "heldOn": heldOn, "audience": audience, "attendees": String(attendees),
            "organisations": organisations, "topic": topic, "counsellor": $counsellor.id.uuidString,
        ]
        s["location"] = $location.id?.uuidString
        return s
    }
}
