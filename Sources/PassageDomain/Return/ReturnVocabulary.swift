/// The words of the return programme. Each raw value is what the records and the API carry.

public enum ReferralSource: String, CaseIterable, Codable, Sendable {
    case selfReferral = "self"
    case receptionAgency = "reception_agency"
    case departureService = "departure_service"
    case ngo, police, shelter, embassy, other
}

public enum CounsellingOutcome: String, CaseIterable, Codable, Sendable {
    case informed, considering
    case decided = "decided_to_return"
    case declined
}

public enum EligibilityOutcome: String, CaseIterable, Codable, Sendable {
    /// Travel assistance and reintegration support.
    case reintegration
    /// Travel assistance only.
    case travelOnly = "travel_only"
    case excluded
}

public enum GrantType: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable, Comparable {
    case economic, medical
    public static func < (a: GrantType, b: GrantType) -> Bool { a.rawValue < b.rawValue }
}

public enum VulnerabilityKind: String, CaseIterable, Codable, Sendable {
    case unaccompaniedChild = "unaccompanied_child"
    case trafficking, medical

    /// The category of data the record's details belong to.
    public var category: DataCategory {
        switch self {
        case .unaccompaniedChild: return .childProtection
        case .trafficking: return .trafficking
        case .medical: return .medical
        }
    }
}

public enum FamilyAssessmentStatus: String, CaseIterable, Codable, Sendable {
    case notRequested = "not_requested"
    case requested, received
}
public enum FamilyAssessmentOutcome: String, CaseIterable, Codable, Sendable { case pending, favourable, unfavourable }
public enum Exploitation: String, CaseIterable, Codable, Sendable { case sexual, labour, other }
public enum MedicalCategory: String, CaseIterable, Codable, Sendable {
    case diabetes, cardiovascular, infectious
    case mentalHealth = "mental_health"
    case other
}
public enum TreatmentAvailability: String, CaseIterable, Codable, Sendable {
    case unchecked, available, partly, unavailable
}
public enum FitToFly: String, CaseIterable, Codable, Sendable {
    case notAssessed = "not_assessed"
    case fit, unfit
}
public enum Escort: String, CaseIterable, Codable, Sendable { case none, operational, medical }

public enum TravelDocumentKind: String, CaseIterable, Codable, Sendable {
    case emergency = "emergency_travel_document"
    case passport
}
public enum TravelDocumentStatus: String, CaseIterable, Codable, Sendable {
    case requested
    case interviewScheduled = "interview_scheduled"
    case issued, refused
    public var isOpen: Bool { self == .requested || self == .interviewScheduled }
    /// An issued or refused request is finished: a new document needs a new request.
    public func canBecome(_ next: TravelDocumentStatus) -> Bool { isOpen || next == self }
}

public enum PlanPurpose: String, CaseIterable, Codable, Sendable { case business, education, housing, medical, other }
public enum PaymentKind: String, CaseIterable, Codable, Sendable {
    case cash
    case inKind = "in_kind"
}
public enum CargoClearance: String, CaseIterable, Codable, Sendable { case pending, shipped, held, cleared, delivered }
public enum ReintegrationProgress: String, CaseIterable, Codable, Sendable {
    case notStarted = "not_started"
    case onTrack = "on_track"
    case partly, completed, discontinued
}
public enum OutreachKind: String, CaseIterable, Codable, Sendable {
    case informationSession = "information_session"
    case networkMeeting = "network_meeting"
    case embassyMeeting = "embassy_meeting"
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// "must be one of a, b, c": the message of a refused vocabulary word.
    public static var oneOf: String { "must be one of " + allCases.map(\.rawValue).joined(separator: ", ") }

    /// Reads a vocabulary word from input; a missing one takes `default`, a wrong one is a field error.
    public static func read(_ raw: String?, field: String, default d: Self? = nil, into errors: inout ValidationErrors)
        -> Self?
    {
        let text = (raw ?? "").trimmingWhitespace
        if text.isEmpty {
            if d == nil { errors.add(field, "is required: " + oneOf.dropFirst(5)) }
            return d
        }
        guard let v = Self(rawValue: text) else { errors.add(field, oneOf); return nil }
        return v
    }
}
