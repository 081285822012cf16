import Foundation

/// The office's own clock face: the calendar day and local time its staff live by.
///
/// A session recorded at 00:30 in The Hague happened on that day there, whatever the hour in UTC.
/// The zone is `PASSAGE_TIME_ZONE` (an IANA name), Europe/Amsterdam unless set.
public enum OfficeCalendar {
    public static let defaultZone = "Europe/Amsterdam"

    public static let timeZone: TimeZone =
        zone(named: ProcessInfo.processInfo.environment["PASSAGE_TIME_ZONE"])
        ?? TimeZone(identifier: defaultZone)!

    /// The zone for a configured name; nil for a name that is not one.
    public static func zone(named name: String?) -> TimeZone? {
        guard let name, !name.isEmpty else { return TimeZone(identifier: defaultZone) }
        return TimeZone(identifier: name)
    }

    public static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }()

    /// The office's calendar day of an instant.
    public static func day(_ date: Date) -> PartialDate {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return PartialDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
