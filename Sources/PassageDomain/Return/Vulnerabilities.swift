/// An unaccompanied migrant child: the family in the country of origin is assessed and a legal
/// guardian is confirmed on both sides before the child may travel.
public struct ChildSafeguards: Codable, Equatable, Sendable {
    public var familyAssessment: FamilyAssessmentStatus = .notRequested
    public var assessmentOutcome: FamilyAssessmentOutcome = .pending
    public var guardianHostConfirmed = false
    public var guardianHostName = ""
    public var guardianReturnConfirmed = false
    public var guardianReturnName = ""
    public init() {}

    public var blockers: [String] {
        var b: [String] = []
        if familyAssessment != .received || assessmentOutcome != .favourable {
            b.append("the family assessment in the country of origin has not been received with a favourable outcome")
        }
        if !guardianHostConfirmed { b.append("the legal guardian in the host country is not confirmed") }
        if !guardianReturnConfirmed { b.append("the legal guardian in the country of return is not confirmed") }
        return b
    }
}

/// A victim of trafficking. Seen only by the case owner, managers and staff granted access by name.
public struct TraffickingRecord: Codable, Equatable, Sendable {
    public var referralSource = ""
    public var exploitation: Exploitation = .other
    public var returnPlan = ""
    public var postReturnPartner = ""
    /// Staff (user ids) granted access besides the case owner and managers.
    public var grantedUserIDs: [String] = []
    public init() {}

    /// Who may see the record: the roles that read trafficking records (managers, as the office starts), the case
    /// owner, and staff granted access by name.
    public func visible(toUser userID: String, roles: Set<Role>, caseOwnerID: String?) -> Bool {
        visible(
            toUser: userID, readsCategory: CategoryMatrix.standard.may(roles, read: .trafficking),
            caseOwnerID: caseOwnerID)
    }

    /// `readsCategory`: whether the user's roles read trafficking records.
    public func visible(toUser userID: String, readsCategory: Bool, caseOwnerID: String?) -> Bool {
        readsCategory || caseOwnerID == userID || grantedUserIDs.contains(userID)
    }

    public var blockers: [String] {
        var b: [String] = []
        if returnPlan.isEmpty { b.append("the safe return plan is not written") }
        if postReturnPartner.isEmpty { b.append("no post-return referral partner is named") }
        return b
    }
}

/// Medical needs. Details are seen by medical officers and managers only.
public struct MedicalRecord: Codable, Equatable, Sendable {
    public var category: MedicalCategory = .other
    public var chronic = false
    public var treatmentAvailability: TreatmentAvailability = .unchecked
    public var recordsTranslated = false
    public var fitToFlyRequired = true
    public var fitToFly: FitToFly = .notAssessed
    public var fitToFlyOn: PartialDate?
    public var fitToFlyValidUntil: PartialDate?
    public var escort: Escort = .none
    /// Budget for care after return, in euro cents.
    public var postReturnBudget = 0
    public init() {}

    public func blockers(departing day: PartialDate) -> [String] {
        guard fitToFlyRequired else { return [] }
        guard fitToFly == .fit, let on = fitToFlyOn, let until = fitToFlyValidUntil else {
            return ["a fit-to-fly assessment is required and there is no valid one"]
        }
        if day < on || until < day {
            return ["the fit-to-fly assessment (\(on.isoText) to \(until.isoText)) is not valid on \(day.isoText)"]
        }
        return []
    }
}

/// Reading the vulnerability forms. Every field arrives as text, from a page or from JSON.
public enum VulnerabilityValidation {
    public static func child(_ f: [String: String]) throws -> ChildSafeguards {
        var e = ValidationErrors()
        var c = ChildSafeguards()
        c.familyAssessment =
            FamilyAssessmentStatus.read(
                f["familyAssessment"], field: "familyAssessment", default: .notRequested, into: &e) ?? .notRequested
        c.assessmentOutcome =
            FamilyAssessmentOutcome.read(
                f["assessmentOutcome"], field: "assessmentOutcome", default: .pending, into: &e) ?? .pending
        if c.assessmentOutcome != .pending && c.familyAssessment != .received {
            e.add("assessmentOutcome", "can only be given once the assessment is received")
        }
        c.guardianHostConfirmed = Input.flag(f["guardianHostConfirmed"])
        c.guardianHostName = Input.text(
            f["guardianHostName"], field: "guardianHostName", max: 200, required: c.guardianHostConfirmed, into: &e)
        c.guardianReturnConfirmed = Input.flag(f["guardianReturnConfirmed"])
        c.guardianReturnName = Input.text(
            f["guardianReturnName"], field: "guardianReturnName", max: 200, required: c.guardianReturnConfirmed,
            into: &e)
        try e.throwIfAny()
        return c
    }

    public static func trafficking(_ f: [String: String], granted: [String]) throws -> TraffickingRecord {
        var e = ValidationErrors()
        var v = TraffickingRecord()
        v.referralSource = Input.text(f["referralSource"], field: "referralSource", max: 200, required: true, into: &e)
        v.exploitation = Exploitation.read(f["exploitation"], field: "exploitation", into: &e) ?? .other
        v.returnPlan = Input.text(f["returnPlan"], field: "returnPlan", max: 4000, into: &e)
        v.postReturnPartner = Input.text(f["postReturnPartner"], field: "postReturnPartner", max: 200, into: &e)
        v.grantedUserIDs = granted
        try e.throwIfAny()
        return v
    }

    public static func medical(_ f: [String: String]) throws -> MedicalRecord {
        var e = ValidationErrors()
        var m = MedicalRecord()
        m.category = MedicalCategory.read(f["category"], field: "category", into: &e) ?? .other
        m.chronic = Input.flag(f["chronic"])
        m.treatmentAvailability =
            TreatmentAvailability.read(
                f["treatmentAvailability"], field: "treatmentAvailability", default: .unchecked, into: &e) ?? .unchecked
        m.recordsTranslated = Input.flag(f["recordsTranslated"])
        m.fitToFlyRequired = f["fitToFlyRequired"] == nil ? true : Input.flag(f["fitToFlyRequired"])
        m.fitToFly = FitToFly.read(f["fitToFly"], field: "fitToFly", default: .notAssessed, into: &e) ?? .notAssessed
        m.fitToFlyOn = Input.day(f["fitToFlyOn"], field: "fitToFlyOn", required: m.fitToFly != .notAssessed, into: &e)
        m.fitToFlyValidUntil = Input.day(
            f["fitToFlyValidUntil"], field: "fitToFlyValidUntil", required: m.fitToFly == .fit, into: &e)
        if let a = m.fitToFlyOn, let b = m.fitToFlyValidUntil, b < a {
            e.add("fitToFlyValidUntil", "must not be before the assessment date")
        }
        m.escort = Escort.read(f["escort"], field: "escort", default: Escort.none, into: &e) ?? .none
        m.postReturnBudget =
            Money.read(f["postReturnBudget"], field: "postReturnBudget", required: false, into: &e) ?? 0
        try e.throwIfAny()
        return m
    }
}
