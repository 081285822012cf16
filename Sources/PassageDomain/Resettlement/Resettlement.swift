import Foundation

/// UNHCR's resettlement submission categories.
public enum SubmissionCategory: String, CaseIterable, Codable, Sendable {
    case legalPhysicalProtection = "legal_physical_protection"
    case survivorsOfViolence = "survivors_of_violence_torture"
    case medicalNeeds = "medical_needs"
    case womenAtRisk = "women_and_girls_at_risk"
    case familyReunification = "family_reunification"
    case childrenAtRisk = "children_and_adolescents_at_risk"
    case noDurableSolution = "lack_of_durable_solutions"
}

/// How fast UNHCR asks for a submission to be processed.
public enum SubmissionPriority: String, CaseIterable, Codable, Sendable {
    case emergency, urgent, normal
}

/// The immigration service's decision on a household after a selection mission (or on its file).
public enum SelectionOutcome: String, CaseIterable, Codable, Sendable {
    case pending, accepted, rejected, deferred
}

/// The health checks before a resettlement journey.
public enum HealthCheckKind: String, CaseIterable, Codable, Sendable {
    /// The pre-departure medical check, weeks before travel.
    case preDeparture = "pre_departure"
    /// The pre-embarkation check, in the days before the flight.
    case preEmbarkation = "pre_embarkation"
    /// The migration health assessment, for a serious condition.
    case healthAssessment = "migration_health_assessment"

    /// The checks that say whether a person may travel on a day.
    public var decidesFitness: Bool { self != .healthAssessment }
}

/// What a health check found about travel.
public enum TravelFitness: String, CaseIterable, Codable, Sendable {
    case fit
    case fitWithEscort = "fit_with_escort"
    case unfit

    public var mayTravel: Bool { self != .unfit }
}

/// The document a refugee travels on.
public enum ResettlementDocumentKind: String, CaseIterable, Codable, Sendable {
    case visa
    case laissezPasser = "laissez_passer"
}

/// Where a group movement stands.
public enum GroupMovementStatus: String, CaseIterable, Codable, Sendable {
    case planned, departed, arrived
}

/// Where a household stands on its way to the Netherlands, in the order of the pipeline.
public enum ResettlementStage: String, CaseIterable, Codable, Sendable, Comparable {
    case referred, accepted
    case oriented
    case ready
    case booked, departed, arrived
    case rejected, deferred

    var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: ResettlementStage, b: ResettlementStage) -> Bool { a.order < b.order }
    /// The stages of the dashboard's pipeline (rejected and deferred beside it).
    public static let pipeline: [ResettlementStage] = [
        .referred, .accepted, .oriented, .ready, .booked, .departed,
        .arrived,
    ]
}

extension SubmissionCategory: CustomStringConvertible { public var description: String { rawValue } }
extension SubmissionPriority: CustomStringConvertible { public var description: String { rawValue } }
extension SelectionOutcome: CustomStringConvertible { public var description: String { rawValue } }
extension HealthCheckKind: CustomStringConvertible { public var description: String { rawValue } }
extension TravelFitness: CustomStringConvertible { public var description: String { rawValue } }
extension ResettlementDocumentKind: CustomStringConvertible { public var description: String { rawValue } }
extension GroupMovementStatus: CustomStringConvertible { public var description: String { rawValue } }
extension ResettlementStage: CustomStringConvertible { public var description: String { rawValue } }

/// What one member of a household has towards a journey on a day.
public struct TravellerReadiness: Sendable, Equatable {
    public var name: String
    /// Born on (a partial date: the year at least), when known.
    public var birth: PartialDate?
    public var attendedOrientation: Bool
    /// The last day of the member's visa or laissez-passer, when one was issued.
    public var documentValidUntil: PartialDate?
    /// The latest check that decides fitness: its finding and its last valid day.
    public var fitness: TravelFitness?
    public var fitnessValidUntil: PartialDate?

    public init(
        name: String, birth: PartialDate?, attendedOrientation: Bool, documentValidUntil: PartialDate?,
        fitness: TravelFitness?, fitnessValidUntil: PartialDate?
    ) {
        self.name = name; self.birth = birth; self.attendedOrientation = attendedOrientation
        self.documentValidUntil = documentValidUntil; self.fitness = fitness
        self.fitnessValidUntil = fitnessValidUntil
    }

    /// Whole years of age on `day`; nil when the birth date is unknown.
    public func age(on day: PartialDate) -> Int? {
        guard let b = birth else { return nil }
        var years = day.year - b.year
        if let m = b.month, let dm = day.month {
            if dm < m || (dm == m && (day.day ?? 1) < (b.day ?? 1)) { years -= 1 }
        }
        return years
    }
}

/// The conditions of a resettlement journey: accepted by the immigration service, orientation attended, a travel
/// document and a fit-to-travel check valid on the day of travel for every member.
public enum ResettlementGuard {
    /// From this age, a member is expected at the pre-departure orientation (younger children have their own
    /// activities there).
    public static let orientationAge = 15

    /// Whether the household attended orientation: every member aged 15 or more (or of unknown age) on `day`; a
    /// household with none of that age, when any of its members attended.
    public static func oriented(_ members: [TravellerReadiness], on day: PartialDate) -> Bool {
        let expected = members.filter { ($0.age(on: day) ?? orientationAge) >= orientationAge }
        if expected.isEmpty { return members.contains { $0.attendedOrientation } }
        return expected.allSatisfy(\.attendedOrientation)
    }

    /// Why the household may not travel on `day`, one sentence per unmet condition; empty when it may.
    public static func refusals(accepted: SelectionOutcome, members: [TravellerReadiness], day: PartialDate)
        -> [String]
    {
        var out: [String] = []
        if accepted != .accepted {
            out.append("the household has not been accepted by the IND (the decision is \(accepted.rawValue))")
        }
        if !oriented(members, on: day) {
            let missing = members.filter {
                !$0.attendedOrientation && ($0.age(on: day) ?? orientationAge) >= orientationAge
            }.map(\.name)
            out.append(
                "pre-departure orientation has not been attended"
                    + (missing.isEmpty ? "" : " by " + missing.joined(separator: ", ")))
        }
        for m in members {
            if let until = m.documentValidUntil {
                if until < day { out.append("\(m.name)'s travel document is valid only until \(until.isoText)") }
            } else {
                out.append("\(m.name) has no visa or laissez-passer")
            }
            switch (m.fitness, m.fitnessValidUntil) {
            case (nil, _): out.append("\(m.name) has no fit-to-travel check")
            case (.unfit?, _): out.append("\(m.name) was found unfit to travel")
            case (_, let until?) where until < day:
                out.append("\(m.name)'s fit-to-travel check is valid only until \(until.isoText)")
            case (_, nil): out.append("\(m.name)'s fit-to-travel check has no validity")
            default: break
            }
        }
        return out
    }
}

/// Reading a UNHCR case number (`LEB-12C34567`: a three-letter office code, a hyphen, then letters and digits).
public enum UNHCRCaseNumber {
    public static func read(_ raw: String?, field: String, into e: inout ValidationErrors) -> String {
        let t = (raw ?? "").trimmingWhitespace.uppercased()
        if t.isEmpty {
            e.add(field, "is required (UNHCR's case number, like LEB-12C34567)")
            return t
        }
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        let ok =
            parts.count == 2 && parts[0].count == 3 && parts[0].allSatisfy({ $0.isASCII && $0.isLetter })
            && (4...12).contains(parts[1].count) && parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        if !ok { e.add(field, "must be UNHCR's case number: three letters, a hyphen, 4 to 12 letters or digits") }
        return t
    }
}
