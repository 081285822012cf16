/// Why the office processes a person's data: each purpose has its legal basis in the register, and every processing
/// step names its purpose and is checked against that basis before it runs.
public enum ProcessingPurpose: String, CaseIterable, Codable, Sendable {
    case counselling
    case euReintegrationExport = "eu_reintegration_export"
    case dnaVerification = "dna_verification"
    case medicalData = "medical_data"
    case sms
    case partnerSharing = "partner_sharing"
    case researchStatistics = "research_statistics"

    /// How a refusal names the purpose ("the consent to DNA verification").
    public var phrase: String {
        switch self {
        case .counselling: return "counselling"
        case .euReintegrationExport: return "sharing with the EU reintegration programme"
        case .dnaVerification: return "DNA verification"
        case .medicalData: return "the processing of medical data"
        case .sms: return "text messages"
        case .partnerSharing: return "sharing with partners"
        case .researchStatistics: return "research statistics"
        }
    }
}

/// The lawful bases of GDPR article 6 (and the article 9 conditions the office relies on, named with them).
public enum LegalBasis: String, CaseIterable, Codable, Sendable {
    case consent
    case contract
    case legalObligation = "legal_obligation"
    case vitalInterests = "vital_interests"
    case publicInterest = "public_interest"
    case legitimateInterests = "legitimate_interests"
}

/// The categories a field of a record belongs to; what a role may read is said per category.
public enum DataCategory: String, CaseIterable, Codable, Sendable {
    case ordinary
    case medical
    case trafficking
    case childProtection = "child_protection"
    case genetic
    case notes
}

/// One consent as recorded: the days are ISO days (`YYYY-MM-DD`), compared as text.
public struct ConsentFacts: Sendable, Equatable {
    public var givenOn: String
    public var expiresOn: String?
    public var withdrawnOn: String?

    public init(givenOn: String, expiresOn: String? = nil, withdrawnOn: String? = nil) {
        self.givenOn = givenOn; self.expiresOn = expiresOn; self.withdrawnOn = withdrawnOn
    }

    /// Whether it covers processing on `day`: given by then, not lapsed, not withdrawn by then.
    public func covers(_ day: String) -> Bool {
        givenOn <= day && (expiresOn.map { day <= $0 } ?? true) && (withdrawnOn.map { day < $0 } ?? true)
    }
}

public enum ProcessingBasisCheck {
    /// Why processing for `purpose` may not happen on `day` (nil when it may): a purpose whose basis is not consent
    /// needs none; one whose basis is consent needs a consent that covers the day. The reason names what is missing,
    /// the day a consent lapsed or the day it was withdrawn.
    public static func refusal(
        _ purpose: ProcessingPurpose, basis: LegalBasis?, consents: [ConsentFacts], on day: String
    ) -> String? {
        guard let basis else {
            return "No legal basis for \(purpose.phrase) is named in the register of processing."
        }
        guard basis == .consent else { return nil }
        if consents.contains(where: { $0.covers(day) }) { return nil }
        let latest = consents.max { ($0.givenOn, $0.withdrawnOn ?? "") < ($1.givenOn, $1.withdrawnOn ?? "") }
        guard let latest else { return "The person's consent to \(purpose.phrase) is not recorded." }
        if let w = latest.withdrawnOn, w <= day {
            return "The person withdrew their consent to \(purpose.phrase) on \(w)."
        }
        if let x = latest.expiresOn, x < day { return "The person's consent to \(purpose.phrase) lapsed on \(x)." }
        return "The person's consent to \(purpose.phrase) is recorded from \(latest.givenOn) only."
    }
}
