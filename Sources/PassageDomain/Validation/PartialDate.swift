import Foundation
/// A calendar date that may be known only to the year or the month, and may be an estimate.
/// Dates of birth of migrants are often like this: "1994", "1994-03", or "about 1990".
public struct PartialDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int?
    public let day: Int?
    public let estimated: Bool

    public init?(year: Int, month: Int? = nil, day: Int? = nil, estimated: Bool = false) {
        guard (1850...9999).contains(year) else { return nil }
        if let month { guard (1...12).contains(month) else { return nil } }
        if let day {
            guard let month, (1...PartialDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        }
        self.year = year
        self.month = month
        self.day = day
        self.estimated = estimated
    }

    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `DD-MM-YYYY` (also with `/` or `.`),
    /// with a leading `~` for an estimate.
    public init?(parsing raw: String) {
        var text = raw.trimmingWhitespace
        var estimated = false
        if text.hasPrefix("~") { estimated = true; text = String(text.dropFirst()).trimmingWhitespace }
        let parts = text.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }
        ).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            return nil
        }
        let numbers = parts.compactMap { Int($0) }
        switch parts.count {
        case 1 where parts[0].count == 4:
            self.init(year: numbers[0], estimated: estimated)
        case 2 where parts[0].count == 4 && parts[1].count <= 2:
            self.init(year: numbers[0], month: numbers[1], estimated: estimated)
        case 3 where parts[0].count == 4 && parts[1].count <= 2 && parts[2].count <= 2:
            self.init(year: numbers[0], month: numbers[1], day: numbers[2], estimated: estimated)
        case 3 where parts[2].count == 4 && parts[0].count <= 2 && parts[1].count <= 2:
            self.init(year: numbers[2], month: numbers[1], day: numbers[0], estimated: estimated)
        default:
            return nil
        }
    }

    /// ISO form of the known part: `1994`, `1994-03`, `1994-03-07`; a `~` in front of an estimate.
    public var description: String { (estimated ? "~" : "") + isoText }

    public var isoText: String {
        var s = zeroPadded(year, 4)
        if let month { s += "-" + zeroPadded(month, 2) }
        if let day { s += "-" + zeroPadded(day, 2) }
        return s
    }

    /// The earliest full date this partial date may stand for, as (year, month, day).
    public var earliest: (Int, Int, Int) { (year, month ?? 1, day ?? 1) }

    /// True when even the earliest day it may stand for lies after `today`.
    public func isAfter(_ today: (year: Int, month: Int, day: Int)) -> Bool {
        let e = earliest
        return (e.0, e.1, e.2) > (today.year, today.month, today.day)
    }

    /// Whether a stored date of birth is compatible with what someone searched for:
    /// every part known on both sides must agree.
    public func matches(_ query: PartialDate) -> Bool {
        guard year == query.year else { return false }
        if let m = month, let qm = query.month, m != qm { return false }
        if let d = day, let qd = query.day, d != qd { return false }
        return true
    }

    public static func < (a: PartialDate, b: PartialDate) -> Bool {
        let x = a.earliest
        let y = b.earliest
        return (x.0, x.1, x.2) < (y.0, y.1, y.2)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

func zeroPadded(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

extension PartialDate: Codable {
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let d = PartialDate(parsing: raw) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(raw)' is not a date"))
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension PartialDate {
    /// Calendar days from one full date to another (negative when `b` is earlier).
    public static func days(from a: PartialDate, to b: PartialDate) -> Int {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        func date(_ d: PartialDate) -> Date {
            c.date(from: DateComponents(year: d.year, month: d.month ?? 1, day: d.day ?? 1))!
        }
        return c.dateComponents([.day], from: date(a), to: date(b)).day ?? 0
    }
}
