/// The stages of a return case, from first contact to monitoring after return.
public enum ReturnStage: String, CaseIterable, Codable, Sendable {
    case intake, counselling
    case decided = "decided_to_return"
    case eligibility = "eligibility_decided"
    case preparing = "preparing_departure"
    case departed, reintegration, monitoring, closed, withdrawn
    case noShow = "no_show"

    /// Where a case may go from here.
    public var next: [ReturnStage] {
        switch self {
        case .intake: [.counselling, .withdrawn]
        case .counselling: [.decided, .withdrawn]
        case .decided: [.eligibility, .withdrawn]
        case .eligibility: [.preparing, .withdrawn]
        case .preparing: [.departed, .noShow, .withdrawn]
        case .noShow: [.preparing, .withdrawn]
        case .departed: [.reintegration, .monitoring, .closed]
        case .reintegration: [.monitoring, .closed]
        case .monitoring: [.closed]
        case .closed, .withdrawn: []
        }
    }

    public var isFinal: Bool { next.isEmpty }
    /// The general status of the case while it is at this stage.
    public var caseStatus: CaseStatus { isFinal ? .closed : .open }
    /// Counselling sessions are recorded until the case is finished.
    public var acceptsSessions: Bool { !isFinal }
    /// Eligibility is decided (and decided again) before departure.
    public var acceptsEligibility: Bool { beforeDeparture }
    /// Monitoring visits come after departure.
    public var acceptsMonitoring: Bool { !beforeDeparture }
    /// The stages before the migrant leaves.
    public var beforeDeparture: Bool {
        [.intake, .counselling, .decided, .eligibility, .preparing, .noShow].contains(self)
    }
}

/// What the guards of the workflow look at, gathered from the case's records.
public struct ReturnFacts: Sendable {
    public var sessionOutcomes: [CounsellingOutcome] = []
    public var decision: EligibilityDecision?
    public var child: ChildSafeguards?
    public var trafficking: TraffickingRecord?
    public var medical: MedicalRecord?
    /// Expiry dates of the valid travel documents held for the journey: issued emergency documents and passports.
    public var travelDocumentExpiries: [PartialDate] = []
    public var grantCount = 0
    /// The day of the first counselling session: no one leaves on the programme before it.
    public var firstSessionOn: PartialDate?
    public init() {}
}

public enum ReturnWorkflow {
    /// Why the migrant may not leave on `day`; empty when every guard is satisfied.
    public static func departureBlockers(_ f: ReturnFacts, on day: PartialDate) -> [String] {
        let b = departureBlockersByReader(f, on: day)
        return b.general + b.trafficking + b.medical
    }

    /// What stands in the way of departure, by who may read it: the programme's staff, those who may read the
    /// trafficking record, medical officers and managers.
    public struct Blockers: Sendable, Equatable {
        public var general: [String] = []
        public var trafficking: [String] = []
        public var medical: [String] = []
        public init() {}
    }

    public static func departureBlockersByReader(_ f: ReturnFacts, on day: PartialDate) -> Blockers {
        var b = Blockers()
        if f.decision == nil || f.decision?.outcome == .excluded {
            b.general.append("there is no eligibility decision that allows the return")
        }
        if !f.travelDocumentExpiries.contains(where: { !($0 < day) }) {
            b.general.append("there is no travel document valid on \(day.isoText)")
        }
        if let c = f.child { b.general += c.blockers }
        if let v = f.trafficking { b.trafficking = v.blockers }
        if let m = f.medical { b.medical = m.blockers(departing: day) }
        return b
    }

    /// Checks a move between stages against the order of the workflow and its guards.
    /// `day` is the day the move takes effect (the departure date for `departed`).
    public static func check(
        from: ReturnStage, to: ReturnStage, facts f: ReturnFacts, on day: PartialDate, reason: String
    ) throws {
        guard from.next.contains(to) else {
            let allowed = from.next.map(\.rawValue).joined(separator: ", ")
            throw DomainError(
                .conflict,
                "A return case at stage \(from.rawValue) cannot move to \(to.rawValue)"
                    + (allowed.isEmpty ? "; the case is finished." : "; it can move to: \(allowed)."))
        }
        if [.withdrawn, .noShow, .closed].contains(to) && reason.trimmingWhitespace.isEmpty {
            var e = ValidationErrors(); e.add("reason", "say why (it goes on the timeline)"); throw e
        }
        var blockers: [String] = []
        switch to {
        case .counselling:
            if f.sessionOutcomes.isEmpty { blockers.append("no counselling session is recorded") }
        case .decided:
            if f.sessionOutcomes.last != .decided {
                blockers.append("the latest counselling session does not record a decision to return")
            }
        case .eligibility:
            if f.decision == nil { blockers.append("eligibility has not been decided") }
        case .preparing:
            if f.decision?.outcome == .excluded {
                blockers.append("the eligibility decision excludes the migrant from the programme")
            }
        case .departed:
            blockers = departureBlockers(f, on: day)
            if let first = f.firstSessionOn, day < first {
                blockers.append(
                    "the departure day \(day.isoText) is before the first counselling session (\(first.isoText))")
            }
        case .reintegration:
            if f.decision?.outcome != .reintegration {
                blockers.append("the eligibility decision does not include reintegration support")
            }
            if f.grantCount == 0 { blockers.append("no reintegration grant is recorded") }
        default: break
        }
        if !blockers.isEmpty {
            throw DomainError(.conflict, "Cannot move to \(to.rawValue): " + blockers.joined(separator: "; ") + ".")
        }
    }
}

/// Written into text as the stored word (`preparing_departure`), never the Swift name of the case.
extension ReturnStage: CustomStringConvertible { public var description: String { rawValue } }
