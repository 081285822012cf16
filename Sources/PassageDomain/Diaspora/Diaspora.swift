import Foundation

/// Where a diaspora expert works on an assignment.
public enum AssignmentMode: String, CaseIterable, Codable, Sendable {
    /// In the country, at the host institution.
    case physical
    case online
}

/// Where an assignment stands. Completed and cancelled are final.
public enum AssignmentStatus: String, CaseIterable, Codable, Sendable {
    case planned
    case underWay = "under_way"
    case completed, cancelled

    public var next: Set<AssignmentStatus> {
        switch self {
        case .planned: [.underWay, .cancelled]
        case .underWay: [.completed, .cancelled]
        case .completed, .cancelled: []
        }
    }

    public func check(to target: AssignmentStatus) throws {
        guard next.contains(target) else {
            throw DomainError(
                .conflict,
                "An assignment that is \(rawValue.replacingOccurrences(of: "_", with: " ")) cannot become "
                    + "\(target.rawValue.replacingOccurrences(of: "_", with: " "))"
                    + (next.isEmpty
                        ? " (it is final)."
                        : ": it can become "
                            + next.map(\.rawValue).sorted()
                            .joined(separator: " or ") + "."))
        }
    }
}

/// The sector a host institution works in.
public enum HostSector: String, CaseIterable, Codable, Sendable {
    case health, education, agriculture, finance, justice, ict
    case publicAdministration = "public_administration"
    case water = "water_and_sanitation"
    case other
}

/// The rules of assignments.
public enum DiasporaRules {
    /// An assignment lasts at most a year.
    public static let longestDays = 366

    /// Reads an assignment's first and last day: both required, the last not before the first, at most a year.
    public static func period(_ rawFrom: String?, _ rawTo: String?, into e: inout ValidationErrors)
        -> (PartialDate, PartialDate)?
    {
        let from = Input.day(rawFrom, field: "startsOn", required: true, into: &e)
        let to = Input.day(rawTo, field: "endsOn", required: true, into: &e)
        guard let from, let to else { return nil }
        if to < from {
            e.add("endsOn", "must not be before the first day (\(from.isoText))")
            return nil
        }
        if PartialDate.days(from: from, to: to) > longestDays { e.add("endsOn", "an assignment lasts at most a year") }
        return (from, to)
    }

    /// Whether two periods share a day.
    public static func overlap(_ a: (PartialDate, PartialDate), _ b: (PartialDate, PartialDate)) -> Bool {
        a.0 <= b.1 && b.0 <= a.1
    }

    /// The host's evaluation: a score from 1 (poor) to 5 (excellent).
    public static func score(_ raw: String?, into e: inout ValidationErrors) -> Int? {
        let t = (raw ?? "").trimmingWhitespace
        guard let n = Int(t), (1...5).contains(n) else {
            e.add("score", "must be a whole number from 1 (poor) to 5 (excellent)")
            return nil
        }
        return n
    }
}
