import Fluent
import PassageDomain
import Vapor

/// The register's first entries: the office's usual bases, which an administrator may change.
enum ProcessingRegister {
    struct Default: Sendable {
        var purpose: ProcessingPurpose
        var basis: LegalBasis
        var description: String
        var categories: [DataCategory]
        var recipients: String
        var retention: String
        var safeguards: String
    }

    static let defaults: [Default] = [
        .init(
            purpose: .counselling, basis: .publicInterest,
            description: "Counselling, case management and assistance of migrants and refugees",
            categories: [.ordinary, .notes, .childProtection, .trafficking],
            recipients: "Office staff by role", retention: "5 years after the case is closed",
            safeguards: "Role-based access; confidential notes to counsellors and managers; every read audited"),
        .init(
            purpose: .euReintegrationExport, basis: .consent,
            description: "Application to the EU reintegration programme for a returning migrant",
            categories: [.ordinary], recipients: "EU reintegration programme (EURP) and its service partners",
            retention: "5 years after the case is closed",
            safeguards: "Written consent per person; vulnerabilities by category only; each export audited"),
        .init(
            purpose: .dnaVerification, basis: .consent,
            description: "DNA tests proving family ties for family reunification",
            categories: [.genetic, .ordinary], recipients: "Contracted laboratory; immigration service (IND)",
            retention: "As the agreement with the IND says",
            safeguards: "Separate written consent; chain of custody; results to the family reunification team only"),
        .init(
            purpose: .medicalData, basis: .consent,
            description: "Health conditions, fitness to travel and medical escorts",
            categories: [.medical], recipients: "Medical officers; escorts and carriers where travel requires",
            retention: "5 years after the case is closed",
            safeguards: "Separate consent; details to medical officers only; others see the need, never the finding"),
        .init(
            purpose: .sms, basis: .legitimateInterests,
            description: "Text messages about appointments and flights",
            categories: [.ordinary], recipients: "The person, through the office's SMS gateway",
            retention: "Delivery log 1 year",
            safeguards: "No special-category data in texts; opt-out honoured at once"),
        .init(
            purpose: .partnerSharing, basis: .publicInterest,
            description: "Notifications and data partners need to do their part (reception, departure, embassies)",
            categories: [.ordinary], recipients: "Partners with a sharing agreement",
            retention: "As each sharing agreement says",
            safeguards: "Only under a live sharing agreement; each transfer logged with its basis"),
        .init(
            purpose: .researchStatistics, basis: .publicInterest,
            description: "The annual figures and programme statistics",
            categories: [.ordinary], recipients: "Funders and the public, as figures",
            retention: "Figures kept; no person named",
            safeguards: "Aggregates only; small counts suppressed"),
    ]

    static func entries(on db: any Database) async throws -> [ProcessingEntry] {
        let all = try await ProcessingEntry.query(on: db).all()
        let order = ProcessingPurpose.allCases.map(\.rawValue)
        return all.sorted { (order.firstIndex(of: $0.purpose) ?? 99) < (order.firstIndex(of: $1.purpose) ?? 99) }
    }
}

/// Every processing step asks here first: whether the purpose's basis holds for the person on the day.
enum ProcessingBasis {
    static func basis(of purpose: ProcessingPurpose, on db: any Database) async throws -> LegalBasis? {
        try await ProcessingEntry.query(on: db).filter(\.$purpose == purpose.rawValue).first()
            .flatMap { LegalBasis(rawValue: $0.basis) }
    }

    /// Why processing `purpose` for the person may not happen on `day`, or nil when it may.
    static func refusal(
        _ purpose: ProcessingPurpose, person: UUID, day: PartialDate = Clock.today(), on db: any Database
    ) async throws -> String? {
        try await refusal(purpose, person: person, basis: try await basis(of: purpose, on: db), day: day, on: db)
    }

    /// The same, with the purpose's basis read before (a batch of messages reads it once).
    static func refusal(
        _ purpose: ProcessingPurpose, person: UUID, basis: LegalBasis?, day: PartialDate = Clock.today(),
        on db: any Database
    ) async throws -> String? {
        guard basis == .consent else {
            return ProcessingBasisCheck.refusal(purpose, basis: basis, consents: [], on: day.isoText)
        }
        let consents = try await ConsentRecord.query(on: db).filter(\.$personID == person)
            .filter(\.$purpose == purpose.rawValue).all().map(\.facts)
        return ProcessingBasisCheck.refusal(purpose, basis: basis, consents: consents, on: day.isoText)
    }

    /// Refuses (409, with the reason) when the basis does not hold.
    static func require(
        _ purpose: ProcessingPurpose, person: UUID, day: PartialDate = Clock.today(), on db: any Database
    ) async throws {
        if let reason = try await refusal(purpose, person: person, day: day, on: db) {
            throw DomainError(.conflict, reason)
        }
    }

    /// The consent that covers the day, the latest given, if any.
    static func liveConsent(
        _ purpose: ProcessingPurpose, person: UUID, day: PartialDate = Clock.today(), on db: any Database
    ) async throws -> ConsentRecord? {
        try await ConsentRecord.query(on: db).filter(\.$personID == person).filter(\.$purpose == purpose.rawValue)
            .all().filter { $0.facts.covers(day.isoText) }.max { $0.givenOn < $1.givenOn }
    }
}
