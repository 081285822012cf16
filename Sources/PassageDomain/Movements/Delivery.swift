import Foundation

/// When an outbound message (SMS or partner notification) is tried again after a failure:
/// 30 s, 1 min, 2 min, 4 min … doubling up to every 2 hours, and given up 24 hours after it was first due.
public enum RetrySchedule {
    public static let first: TimeInterval = 30
    public static let longest: TimeInterval = 2 * 3600
    public static let window: TimeInterval = 24 * 3600

    /// The delay after the given number of failed attempts (1 = the first failure).
    public static func delay(afterAttempts n: Int, first: TimeInterval = first) -> TimeInterval {
        min(longest, first * pow(2, Double(max(0, n - 1))))
    }

    /// The next attempt, or nil when the 24 hours are over and the message is given up.
    public static func next(afterAttempts n: Int, firstDue: Date, now: Date, first: TimeInterval = first) -> Date? {
        let at = now.addingTimeInterval(delay(afterAttempts: n, first: first))
        return at.timeIntervalSince(firstDue) > window ? nil : at
    }
}

/// The event a partner receives when a departure is confirmed (the booking flown).
public struct DepartureCompleted: Codable, Sendable, Equatable {
    public struct Location: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public init(id: String, name: String) { self.id = id; self.name = name }
    }
    public var caseReference: String
    public var personReference: String
    public var location: Location
    /// The local day of departure from the first airport, `2026-12-01`.
    public var date: String
    /// `KL1234 AMS→IST`, each flight of the itinerary.
    public var flight: String
    public init(caseReference: String, personReference: String, location: Location, date: String, flight: String) {
        self.caseReference = caseReference; self.personReference = personReference; self.location = location;
        self.date = date; self.flight = flight
    }
}

public enum WebhookEventType: String, CaseIterable, Codable, Sendable {
    case departureCompleted = "departure.completed"
    /// A laboratory's DNA result, for the immigration service that referred the family.
    case dnaResult = "dna.result"
    /// A resettled household arrived at the hub and was handed over, for the reception agency.
    case arrivalCompleted = "arrival.completed"
}

/// Partner webhook addresses: HTTPS, or HTTP on loopback for tests and local receivers.
public enum WebhookURL {
    public static func check(_ raw: String, field: String = "url") throws -> String {
        let t = raw.trimmingCharacters(in: .whitespaces)
        var e = ValidationErrors()
        if let u = URL(string: t), let scheme = u.scheme?.lowercased(), let host = u.host, !host.isEmpty {
            let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1"
            if scheme != "https" && !(scheme == "http" && loopback) {
                e.add(field, "must be an https:// address (http:// only on this machine)")
            }
        } else {
            e.add(field, t.isEmpty ? "is required (the partner's https:// address)" : "is not a web address")
        }
        if t.count > 500 { e.add(field, "must be at most 500 characters") }
        try e.throwIfAny()
        return t
    }
}
