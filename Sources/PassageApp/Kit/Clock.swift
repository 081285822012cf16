import Foundation
import PassageDomain

/// The clock of Passage: every "now" and "today" comes from here, not from `Date()` where it is needed, so that
/// what the application takes for the time is decided in one place.
enum Clock {
    /// This moment.
    static func now() -> Date { Date() }

    /// Today in the office's time zone, the calendar day for records.
    static func today() -> PartialDate {
        let (year, month, day) = todayParts()
        return PartialDate(year: year, month: month, day: day)!
    }

    static func todayParts() -> (year: Int, month: Int, day: Int) {
        let d = OfficeCalendar.day(now())
        return (d.year, d.month!, d.day!)
    }

    /// The office's day `days` after today (before it, when negative).
    static func today(plus days: Int) -> PartialDate {
        OfficeCalendar.day(now().addingTimeInterval(Double(days) * 86_400))
    }

    /// The calendar day `days` after `day` (before it, when negative).
    static func day(_ day: PartialDate, plus days: Int) -> PartialDate {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        let date = c.date(from: DateComponents(year: day.year, month: day.month ?? 1, day: day.day ?? 1))!
        let p = c.dateComponents([.year, .month, .day], from: c.date(byAdding: .day, value: days, to: date)!)
        return PartialDate(year: p.year!, month: p.month!, day: p.day!)!
    }

}
