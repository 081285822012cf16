import Foundation

/// The kinds of event a project holds.
public enum ProjectEventKind: String, CaseIterable, Codable, Sendable {
    case conference, training, campaign, meeting
    case outreachDay = "outreach_day"
    case studyVisit = "study_visit"
}

/// The groups a project's events count their participants in.
public enum ParticipantGroup: String, CaseIterable, Codable, Sendable {
    case migrants
    case communityMembers = "community_members"
    case professionals
    case officials
    case students
    case other
}

/// The rules of projects: their codes, periods and the periods their indicators are measured in.
public enum ProjectRules {
    /// A project's code as the donor knows it: letters, digits and hyphens, 2 to 30 (`NL10P0123`).
    public static func code(_ raw: String?, into e: inout ValidationErrors) -> String {
        let t = (raw ?? "").trimmingWhitespace.uppercased()
        if t.isEmpty {
            e.add("code", "is required (the donor's reference, like NL10P0123)")
        } else if t.count < 2 || t.count > 30
            || !t.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        {
            e.add("code", "must be 2 to 30 letters, digits or hyphens, like NL10P0123")
        }
        return t
    }

    /// An indicator's period: a year (`2026`), a quarter (`2026-Q2`) or a month (`2026-05`), within the project.
    public static func period(
        _ raw: String?, within project: (PartialDate, PartialDate), into e: inout ValidationErrors
    ) -> String? {
        let t = (raw ?? "").trimmingWhitespace.uppercased()
        guard let (first, last) = span(t) else {
            e.add("period", "must be a year (2026), a quarter (2026-Q2) or a month (2026-05)")
            return nil
        }
        if last < project.0 || project.1 < first {
            e.add("period", "lies outside the project (\(project.0.isoText) to \(project.1.isoText))")
            return nil
        }
        return t
    }

    /// The first and last day of a period written as `period` reads it.
    public static func span(_ t: String) -> (PartialDate, PartialDate)? {
        let parts = t.split(separator: "-").map(String.init)
        guard let y = Int(parts.first ?? ""), (1990...2100).contains(y), parts[0].count == 4 else { return nil }
        func last(_ m: Int) -> PartialDate {
            PartialDate(year: y, month: m, day: PartialDate.daysIn(month: m, year: y))!
        }
        switch parts.count {
        case 1: return (PartialDate(year: y, month: 1, day: 1)!, last(12))
        case 2 where parts[1].hasPrefix("Q"):
            guard let q = Int(parts[1].dropFirst()), (1...4).contains(q), parts[1].count == 2 else { return nil }
            return (PartialDate(year: y, month: 3 * q - 2, day: 1)!, last(3 * q))
        case 2:
            guard parts[1].count == 2, let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            return (PartialDate(year: y, month: m, day: 1)!, last(m))
        default: return nil
        }
    }

    /// How far an actual went towards its target, in whole percent; nil without a target or an actual.
    public static func achieved(target: Int, actual: Int?) -> Int? {
        guard let actual, target > 0 else { return nil }
        return Int((Double(actual) / Double(target) * 100).rounded())
    }

    /// A count of people or things: a whole number from 0 to 10 million.
    public static func count(_ raw: String?, field: String, required: Bool, into e: inout ValidationErrors) -> Int? {
        let t = (raw ?? "").trimmingWhitespace
        if t.isEmpty {
            if required { e.add(field, "is required (a whole number)") }
            return nil
        }
        guard let n = Int(t), n >= 0, n <= 10_000_000 else {
            e.add(field, "must be a whole number from 0 to 10,000,000")
            return nil
        }
        return n
    }
}
