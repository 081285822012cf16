import Foundation

/// Where a booking stands. Flown, no-show and cancelled are final; a re-booking cancels the old booking
/// and opens a new one that points back to it, so the history stays.
public enum BookingStatus: String, CaseIterable, Codable, Sendable {
    case requested, held, ticketed, cancelled, flown
    case noShow = "no_show"

    public var next: Set<BookingStatus> {
        switch self {
        case .requested: [.held, .ticketed, .cancelled]
        case .held: [.ticketed, .cancelled, .requested]
        case .ticketed: [.flown, .noShow, .cancelled]
        case .cancelled, .flown, .noShow: []
        }
    }
    public var isFinal: Bool { next.isEmpty }
    /// Bookings that still hold seats and may be re-booked.
    public var isLive: Bool { self == .requested || self == .held || self == .ticketed }

    public func check(to target: BookingStatus) throws {
        guard next.contains(target) else {
            throw DomainError(
                .conflict,
                "A booking that is \(rawValue) cannot become \(target.rawValue)"
                    + (next.isEmpty
                        ? " (it is final)."
                        : "; it can become " + next.map(\.rawValue).sorted().joined(separator: ", ") + "."))
        }
    }
}

public enum EscortKind: String, CaseIterable, Codable, Sendable {
    case none, operational, medical
}

/// Help a passenger needs at the airport.
public enum AssistanceKind: String, CaseIterable, Codable, Sendable {
    case wheelchair
    case unaccompaniedChild = "unaccompanied_child"
    case medical
    case meetAndAssist = "meet_and_assist"
    case oxygen
    case stretcher
}

public enum CabinClass: String, CaseIterable, Codable, Sendable {
    case economy
}

/// One flight of an itinerary, with its times in each airport's own time zone and as instants.
public struct LegInput: Sendable, Equatable {
    public var carrier: String
    public var flightNumber: String
    public var from: Airport
    public var to: Airport
    /// `2026-12-01T14:35` in the departure airport's time zone.
    public var departsLocal: String
    public var arrivesLocal: String
    public var departsAt: Date
    public var arrivesAt: Date
    public var flight: String { carrier + flightNumber }
    public var distanceKm: Double { GreatCircle.distanceKm(from, to) }
}

public struct BookingInput: Sendable {
    public var reference: String
    public var passengerIDs: [String]
    /// Per passenger, the help they need.
    public var assistance: [String: [AssistanceKind]]
    public var legs: [LegInput]
    public var fareCents: Int?
    public var baggageKg: Int
    public var escort: EscortKind
    public var escortStaff: String
    /// The escort's own flight home, after handing over.
    public var escortReturnLegs: [LegInput]
    public var note: String
}

/// Local wall-clock times in an airport's time zone.
public enum LocalTime {
    public static func parse(_ raw: String, timeZone: String) -> Date? {
        let text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "T")
        let parts = text.split(separator: "T")
        guard parts.count == 2, let tz = TimeZone(identifier: timeZone) else { return nil }
        let d = parts[0].split(separator: "-").compactMap { Int($0) }
        let t = parts[1].split(separator: ":").compactMap { Int($0) }
        guard d.count == 3, (2...3).contains(t.count), parts[0].count == 10, (1...12).contains(d[1]),
            (1...31).contains(d[2]),
            (0...23).contains(t[0]), (0...59).contains(t[1])
        else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        let comps = DateComponents(year: d[0], month: d[1], day: d[2], hour: t[0], minute: t[1])
        guard let date = cal.date(from: comps) else { return nil }
        // A time that does not exist (clocks moved forward) or a day past the month's end comes back different.
        let back = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard back.year == d[0], back.month == d[1], back.day == d[2], back.hour == t[0], back.minute == t[1] else {
            return nil
        }
        return date
    }

    /// `2026-12-01T14:35` for an instant in a time zone.
    public static func format(_ date: Date, timeZone: String) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// The calendar day (`2026-12-01`) of an instant in a time zone.
    public static func day(_ date: Date, timeZone: String) -> String {
        String(format(date, timeZone: timeZone).prefix(10))
    }
}

/// The form fields of a booking: `reference`, `passengers` (ids, comma-separated), `assist_<personID>`
/// (kinds, comma-separated), legs as `leg1_carrier`, `leg1_flight`, `leg1_from`, `leg1_to`, `leg1_departs`,
/// `leg1_arrives` up to `leg6_...`, `fare`, `baggageKg`, `escort`, `escortStaff`, and the escort's flight home
/// as `escortleg1_...`.
public enum BookingValidation {
    public static let maxLegs = 6

    public static func legs(
        _ f: [String: String], prefix: String, airports: AirportTable, into e: inout ValidationErrors
    ) -> [LegInput] {
        var out: [LegInput] = []
        for i in 1...maxLegs {
            let p = "\(prefix)\(i)_"
            let keys = ["carrier", "flight", "from", "to", "departs", "arrives"]
            let values = keys.map { (f[p + $0] ?? "").trimmingCharacters(in: .whitespaces) }
            if values.allSatisfy(\.isEmpty) { continue }
            var ok = true
            let carrier = values[0].uppercased()
            if carrier.count < 2 || carrier.count > 3
                || !carrier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            {
                e.add(p + "carrier", "must be the airline's 2-letter code, like KL"); ok = false
            }
            let number = values[1].uppercased()
            if number.isEmpty || number.count > 5 || !number.first!.isNumber
                || !number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            {
                e.add(p + "flight", "must be a flight number like 1234"); ok = false
            }
            let from = airports[values[2]]
            let to = airports[values[3]]
            if from == nil {
                e.add(
                    p + "from",
                    values[2].isEmpty
                        ? "is required (an IATA airport code like AMS)"
                        : "'\(values[2])' is not a known IATA airport code");
                ok = false
            }
            if to == nil {
                e.add(
                    p + "to",
                    values[3].isEmpty
                        ? "is required (an IATA airport code like AMS)"
                        : "'\(values[3])' is not a known IATA airport code");
                ok = false
            }
            if let a = from, let b = to, a.iata == b.iata {
                e.add(p + "to", "must differ from the departure airport"); ok = false
            }
            var dep: Date?
            var arr: Date?
            if let a = from {
                dep = LocalTime.parse(values[4], timeZone: a.timeZone)
                if dep == nil {
                    e.add(
                        p + "departs",
                        "must be a local date and time at \(a.iata), like 2026-12-01T14:35 (that exists in \(a.timeZone))"
                    ); ok = false
                }
            }
            if let b = to {
                arr = LocalTime.parse(values[5], timeZone: b.timeZone)
                if arr == nil {
                    e.add(
                        p + "arrives",
                        "must be a local date and time at \(b.iata), like 2026-12-01T18:10 (that exists in \(b.timeZone))"
                    ); ok = false
                }
            }
            if let d = dep, let a = arr, a <= d {
                e.add(
                    p + "arrives",
                    "must be after the departure (\(values[4]) at \(from!.iata) is \(LocalTime.format(d, timeZone: to!.timeZone)) at \(to!.iata))"
                ); ok = false
            }
            if let d = dep, let a = arr, a.timeIntervalSince(d) > 24 * 3600 {
                e.add(p + "arrives", "is more than 24 hours after the departure; check the dates"); ok = false
            }
            guard ok, let a = from, let b = to, let d = dep, let r = arr else { continue }
            if let prev = out.last {
                if prev.to.iata != a.iata {
                    e.add(p + "from", "must be \(prev.to.iata), where the previous flight lands"); continue
                }
                if d <= prev.arrivesAt {
                    e.add(p + "departs", "must be after the previous flight lands at \(prev.to.iata)"); continue
                }
            }
            out.append(
                LegInput(
                    carrier: carrier, flightNumber: number, from: a, to: b,
                    departsLocal: LocalTime.format(d, timeZone: a.timeZone),
                    arrivesLocal: LocalTime.format(r, timeZone: b.timeZone),
                    departsAt: d, arrivesAt: r))
        }
        return out
    }

    /// Checks a booking against the airport table and the persons of its case.
    public static func booking(_ f: [String: String], airports: AirportTable, casePersons: Set<String>) throws
        -> BookingInput
    {
        var e = ValidationErrors()
        let reference = (f["reference"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        if !reference.isEmpty
            && (reference.count > 12 || !reference.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }))
        {
            e.add("reference", "must be the airline's booking reference, letters and digits (at most 12)")
        }
        let passengers = (f["passengers"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map {
            String($0).uppercased()
        }
        if passengers.isEmpty { e.add("passengers", "choose at least one person of the case") }
        for p in passengers where !casePersons.contains(p) {
            e.add("passengers", "'\(p)' is not a person of this case (the case's person or their household)")
        }
        if Set(passengers).count != passengers.count { e.add("passengers", "names a person twice") }
        var assistance: [String: [AssistanceKind]] = [:]
        for p in passengers {
            let raw = (f["assist_" + p] ?? f["assist_" + p.lowercased()] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            var kinds: [AssistanceKind] = []
            for r in raw {
                guard let k = AssistanceKind(rawValue: r) else {
                    e.add(
                        "assist_" + p,
                        "'\(r)' is not one of " + AssistanceKind.allCases.map(\.rawValue).joined(separator: ", "));
                    continue
                }
                if !kinds.contains(k) { kinds.append(k) }
            }
            assistance[p] = kinds
        }
        let legs = self.legs(f, prefix: "leg", airports: airports, into: &e)
        if legs.isEmpty && e.items.allSatisfy({ !$0.field.hasPrefix("leg") }) {
            e.add("leg1_carrier", "a booking needs at least one flight")
        }
        var fare: Int?
        if let raw = f["fare"], !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            fare = Money.read(raw, field: "fare", into: &e)
        }
        var baggage = 0
        if let raw = f["baggageKg"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let v = Int(raw), (0...200).contains(v) {
                baggage = v
            } else {
                e.add("baggageKg", "must be a whole number of kilograms from 0 to 200")
            }
        }
        var escort = EscortKind.none
        if let raw = f["escort"], !raw.isEmpty {
            if let k = EscortKind(rawValue: raw) {
                escort = k
            } else {
                e.add("escort", "must be one of " + EscortKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        let staff = (f["escortStaff"] ?? "").trimmingCharacters(in: .whitespaces)
        let escortLegs = self.legs(f, prefix: "escortleg", airports: airports, into: &e)
        if escort != .none && staff.isEmpty { e.add("escortStaff", "name the escorting staff") }
        if escort == .none && (!staff.isEmpty || !escortLegs.isEmpty) {
            e.add("escort", "choose operational or medical when an escort travels")
        }
        if escort != .none, let last = legs.last, let first = escortLegs.first, first.departsAt <= last.arrivesAt {
            e.add("escortleg1_departs", "must be after the passengers land at \(last.to.iata)")
        }
        if staff.count > 200 { e.add("escortStaff", "must be at most 200 characters") }
        let note = (f["note"] ?? "").trimmingCharacters(in: .whitespaces)
        if note.count > 2000 { e.add("note", "must be at most 2000 characters") }
        try e.throwIfAny()
        return BookingInput(
            reference: reference, passengerIDs: passengers, assistance: assistance, legs: legs, fareCents: fare,
            baggageKg: baggage, escort: escort, escortStaff: staff, escortReturnLegs: escortLegs, note: note)
    }
}

/// Written into text as the stored word (`no_show`), never the Swift name of the case.
extension BookingStatus: CustomStringConvertible { public var description: String { rawValue } }
