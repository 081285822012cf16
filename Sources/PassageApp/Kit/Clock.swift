import Foundation
import PassageDomain

/// The clock of Passage: every "now" and "today" comes from here, not from `Date()` where it is needed, so that
/// what the application takes for the time is decided in one place.
enum Clock {
    /// This moment.
    static func now() -> Date { Date() }

    /// Today's date in UTC, the office's calendar day for records.
    static func today() -> PartialDate {
        let (year, month, day) = todayParts()
        return PartialDate(year: year, month: month, day: day)!
    }

    static func todayParts() -> (year: Int, month: Int, day: Int) {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now())
        return (c.year!, c.month!, c.day!)
    }

}
