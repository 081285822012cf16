import Foundation

/// When a centre abroad receives families: its time zone, the days and hours it opens, its holidays, how long a
/// slot is and how many families each slot takes for each service. Times are the centre's own clock.
public struct CentreSchedule: Sendable, Equatable {
    /// An IANA zone name ("Africa/Addis_Ababa").
    public var timeZone: String
    /// ISO weekdays the centre opens on: 1 is Monday, 7 is Sunday.
    public var openDays: Set<Int>
    /// Opening and closing, in minutes after midnight.
    public var opens: Int
    public var closes: Int
    public var slotMinutes: Int
    public var dnaCapacity: Int
    public var interviewCapacity: Int
    /// Days the centre is closed (`2026-12-25`).
    public var holidays: Set<String>

    public init(
        timeZone: String, openDays: Set<Int>, opens: Int, closes: Int, slotMinutes: Int, dnaCapacity: Int,
        interviewCapacity: Int, holidays: Set<String> = []
    ) {
        self.timeZone = timeZone; self.openDays = openDays; self.opens = opens; self.closes = closes
        self.slotMinutes = slotMinutes; self.dnaCapacity = dnaCapacity; self.interviewCapacity = interviewCapacity
        self.holidays = holidays
    }

    public func capacity(_ service: AppointmentService) -> Int {
        service == .dnaSampling ? dnaCapacity : interviewCapacity
    }

    /// The ISO weekday (1 Monday … 7 Sunday) of a day.
    public static func weekday(of day: PartialDate) -> Int {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        let date = c.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
        let w = c.component(.weekday, from: date)  // 1 Sunday … 7 Saturday
        return w == 1 ? 7 : w - 1
    }

    /// Whether the centre opens on a day, and if not, why.
    public func closedReason(on day: PartialDate) -> String? {
        if holidays.contains(day.isoText) { return "the centre is closed on \(day.isoText) (a holiday)" }
        let w = Self.weekday(of: day)
        if !openDays.contains(w) {
            return "the centre does not open on \(Self.weekdayNames[w - 1])s"
        }
        return nil
    }

    /// The start of every slot of a day, in minutes after midnight; none on a day the centre is closed.
    public func slots(on day: PartialDate) -> [Int] {
        guard closedReason(on: day) == nil, slotMinutes > 0 else { return [] }
        return Array(stride(from: opens, through: closes - slotMinutes, by: slotMinutes))
    }

    /// Checks that an appointment may start at `minute` on `day`; the reason, as a field error, when not.
    public func check(day: PartialDate, minute: Int, field: String = "startsAt", into errors: inout ValidationErrors) {
        if let why = closedReason(on: day) {
            errors.add(field, why)
            return
        }
        if minute < opens || minute + slotMinutes > closes {
            errors.add(
                field,
                "is outside opening hours (\(Self.clock(opens))–\(Self.clock(closes)), the last slot at "
                    + "\(Self.clock(closes - slotMinutes)))")
            return
        }
        if (minute - opens) % slotMinutes != 0 {
            errors.add(
                field,
                "must be the start of a slot: every \(slotMinutes) minutes from \(Self.clock(opens))")
        }
    }

    /// The instant a local day and minute mean at the centre.
    public func instant(day: PartialDate, minute: Int) -> Date { Self.instant(day: day, minute: minute, in: timeZone) }

    /// The instant a local day and minute mean in a zone (an IANA name; UTC for one that is not).
    public static func instant(day: PartialDate, minute: Int, in zone: String) -> Date {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        return c.date(
            from: DateComponents(
                year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60))!
    }

    /// The same instant on another clock: `2026-12-07 10:30` in `zone`.
    public static func local(_ date: Date, in zone: String) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        let p = c.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", p.year!, p.month!, p.day!, p.hour!, p.minute!)
    }

    public static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// `09:30` for 570.
    public static func clock(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }

    /// Reads `09:30` into 570; nil for anything else.
    public static func minute(_ raw: String) -> Int? {
        let parts = raw.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        return h * 60 + m
    }

    /// Reads a centre's schedule from a form: `timeZone`, `openDays` (comma-separated ISO weekdays, 1 Monday),
    /// `opens`, `closes`, `slotMinutes`, `dnaCapacity`, `interviewCapacity`, `holidays` (comma-separated days).
    public static func read(_ f: FormFields) throws -> CentreSchedule {
        var e = ValidationErrors()
        let zone = (f["timeZone"] ?? "").trimmingWhitespace
        if zone.isEmpty {
            e.add("timeZone", "is required: the centre's IANA time zone, like Africa/Addis_Ababa")
        } else if TimeZone(identifier: zone) == nil || !zone.contains("/") && zone != "UTC" {
            e.add("timeZone", "is not a time zone; give an IANA name like Africa/Addis_Ababa")
        }
        var days = Set<Int>()
        for part in (f["openDays"] ?? "").split(separator: ",") {
            if let d = Int(part.trimmingCharacters(in: .whitespaces)), (1...7).contains(d) {
                days.insert(d)
            } else {
                e.add("openDays", "must be weekdays as numbers, 1 (Monday) to 7 (Sunday), separated by commas")
                break
            }
        }
        if days.isEmpty && e.message(for: "openDays") == nil { e.add("openDays", "name at least one day") }
        let opens = minute(f["opens"] ?? "")
        let closes = minute(f["closes"] ?? "")
        if opens == nil { e.add("opens", "must be a time like 08:30") }
        if closes == nil { e.add("closes", "must be a time like 16:00") }
        let slot = Int((f["slotMinutes"] ?? "").trimmingWhitespace)
        if slot == nil || !(5...240).contains(slot!) { e.add("slotMinutes", "must be a number of minutes, 5 to 240") }
        if let o = opens, let c = closes, let s = slot, (5...240).contains(s), c - o < s {
            e.add("closes", "must leave room for at least one slot of \(s) minutes after opening")
        }
        func count(_ key: String) -> Int {
            let n = Int((f[key] ?? "").trimmingWhitespace)
            if n == nil || !(0...200).contains(n!) {
                e.add(key, "must be how many families one slot takes, 0 to 200")
                return 0
            }
            return n!
        }
        let dna = count("dnaCapacity")
        let interviews = count("interviewCapacity")
        var holidays = Set<String>()
        for part in (f["holidays"] ?? "").split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == " " }) {
            let text = String(part).trimmingWhitespace
            guard !text.isEmpty else { continue }
            if let d = PartialDate(parsing: text), d.day != nil, !d.estimated {
                holidays.insert(d.isoText)
            } else {
                e.add("holidays", "\(String(text.prefix(20))) is not a date like 2026-12-25")
                break
            }
        }
        if holidays.count > 400 { e.add("holidays", "at most 400 days") }
        try e.throwIfAny()
        return CentreSchedule(
            timeZone: zone, openDays: days, opens: opens!, closes: closes!, slotMinutes: slot!, dnaCapacity: dna,
            interviewCapacity: interviews, holidays: holidays)
    }
}
