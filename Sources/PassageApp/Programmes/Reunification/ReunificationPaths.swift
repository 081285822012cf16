import Foundation
import PassageDomain

/// The addresses of the family reunification pages.
enum ReunificationPaths {
    static let overview = "/reunification"
    static func referral(_ id: UUID) -> String { "/reunification/referrals/\(id.uuidString)" }
    static func sample(_ id: UUID) -> String { "/reunification/samples/\(id.uuidString)" }
    static func centre(_ id: UUID) -> String { "/reunification/centres/\(id.uuidString)" }

    /// The calendar day `days` after `day`.
    static func shift(_ day: PartialDate, by days: Int) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        let d = c.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
        let p = c.dateComponents([.year, .month, .day], from: d.addingTimeInterval(Double(days) * 86_400))
        return String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!)
    }
}
