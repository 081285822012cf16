import Foundation

/// What the immigration service asks the office to verify for a family member.
public enum VerificationKind: String, CaseIterable, Codable, Sendable {
    case dna, interview, both

    public var needsDNA: Bool { self == .dna || self == .both }
    public var needsInterview: Bool { self == .interview || self == .both }
}

/// A family member's relationship to the sponsor in the Netherlands.
public enum FamilyRelationship: String, CaseIterable, Codable, Sendable {
    case spouse, partner, child, parent, sibling, other
}

/// What an appointment at a centre abroad is for.
public enum AppointmentService: String, CaseIterable, Codable, Sendable {
    case dnaSampling = "dna_sampling"
    case interview
}

/// Where an appointment stands. Waiting is the waiting list of a full centre; attended, no-show and cancelled are
/// final, and a rescheduled appointment points to the one that replaced it.
public enum AppointmentStatus: String, CaseIterable, Codable, Sendable {
    case booked, waiting, attended
    case noShow = "no_show"
    case cancelled, rescheduled

    public var next: Set<AppointmentStatus> {
        switch self {
        case .booked: [.attended, .noShow, .cancelled, .rescheduled]
        case .waiting: [.booked, .cancelled]
        case .attended, .noShow, .cancelled, .rescheduled: []
        }
    }
    /// An appointment that holds a place in its slot.
    public var holdsPlace: Bool { self == .booked }

    public func check(to target: AppointmentStatus) throws {
        guard next.contains(target) else {
            throw DomainError(
                .conflict,
                "An appointment that is \(rawValue) cannot become \(target.rawValue)"
                    + (next.isEmpty
                        ? " (it is final)."
                        : "; it can become " + next.map(\.rawValue).sorted().joined(separator: ", ") + "."))
        }
    }
}

/// Where a DNA sample is.
public enum SampleStatus: String, CaseIterable, Codable, Sendable {
    case collected
    case inTransit = "in_transit"
    case atLaboratory = "at_laboratory"
    case resulted, compromised
}

/// Who holds a sample at a step of its chain of custody, in the order the chain runs.
public enum CustodianKind: String, CaseIterable, Codable, Sendable, Comparable {
    case collector, courier, embassy, laboratory

    var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: CustodianKind, b: CustodianKind) -> Bool { a.order < b.order }
}

/// The laboratory's finding.
public enum LabOutcome: String, CaseIterable, Codable, Sendable {
    case match
    case noMatch = "no_match"
    case inconclusive
}

extension VerificationKind: CustomStringConvertible { public var description: String { rawValue } }
extension FamilyRelationship: CustomStringConvertible { public var description: String { rawValue } }
extension AppointmentService: CustomStringConvertible { public var description: String { rawValue } }
extension AppointmentStatus: CustomStringConvertible { public var description: String { rawValue } }
extension SampleStatus: CustomStringConvertible { public var description: String { rawValue } }
extension CustodianKind: CustomStringConvertible { public var description: String { rawValue } }
extension LabOutcome: CustomStringConvertible { public var description: String { rawValue } }

/// How a videoconference interview went.
public enum InterviewOutcome: String, CaseIterable, Codable, Sendable {
    case held
    case noShow = "no_show"
    case technicalFailure = "technical_failure"
    case rescheduled
}

/// What the office does for a family applying for a visa at a consulate.
public enum VisaService: String, CaseIterable, Codable, Sendable {
    case translation, interpretation
    case formFilling = "form_filling"
    case documentCheck = "document_check"
    case photoCheck = "photo_check"
}

/// An entry of the Mileage Fund's ledger: money in, or a ticket paid from it.
public enum MileageEntryKind: String, CaseIterable, Codable, Sendable {
    case donation, ticket
}

/// Why a traveller may be paid a ticket from the Mileage Fund: a vulnerability, with no means to pay.
public enum MileageEligibility: String, CaseIterable, Codable, Sendable {
    case unaccompaniedMinor = "unaccompanied_minor"
    case medicalNeeds = "medical_needs"
    case protectionNeeds = "protection_needs"
    case missingDocuments = "missing_documents"
}

/// The Mileage Fund never pays more than it holds.
public enum MileageFund {
    public static func checkTicket(amount: Int, balance: Int) throws {
        guard amount <= balance else {
            throw DomainError(
                .conflict,
                "The Mileage Fund holds \(Money.format(balance)); a ticket of \(Money.format(amount)) would take it "
                    + "below zero. Record a donation first, or pay less from the fund.")
        }
    }
}

extension InterviewOutcome: CustomStringConvertible { public var description: String { rawValue } }
extension VisaService: CustomStringConvertible { public var description: String { rawValue } }
extension MileageEntryKind: CustomStringConvertible { public var description: String { rawValue } }
extension MileageEligibility: CustomStringConvertible { public var description: String { rawValue } }
