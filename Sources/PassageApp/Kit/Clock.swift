import Foundation
import NIOConcurrencyHelpers
import PassageDomain

/// The clock of Passage: every "now" and "today" comes from here, not from `Date()` where it is needed, so that a
/// test or a replay can set the time the whole application reads.
enum Clock {
    private static let shift = NIOLockedValueBox<TimeInterval>(0)

    /// This moment.
    static func now() -> Date { Date(timeIntervalSinceNow: shift.withLockedValue { $0 }) }

    /// Today's date in UTC, the office's calendar day for records.
    static func today() -> PartialDate {
        PartialDate(year: todayParts().year, month: todayParts().month, day: todayParts().day)!
    }

    static func todayParts() -> (year: Int, month: Int, day: Int) {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now())
        return (c.year!, c.month!, c.day!)
    }

    /// Moves the clock by `seconds` for everything that reads it (tests of what happens later).
    static func advance(by seconds: TimeInterval) { shift.withLockedValue { $0 += seconds } }
}
