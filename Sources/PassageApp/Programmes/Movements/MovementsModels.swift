import Vapor
import Fluent
import PassageDomain

/// An airport of the committed airport table, loaded into the database.
final class AirportRecord: Model, @unchecked Sendable {
    static let schema = "airports"
    @ID(custom: "iata", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String
    @Field(key: "city") var city: String
    @Field(key: "country") var country: String
    @Field(key: "latitude") var latitude: Double
    @Field(key: "longitude") var longitude: Double
    @Field(key: "time_zone") var timeZone: String
    init() {}
}

/// Seats for persons of a case on an itinerary. A re-booking cancels this one and opens a new one pointing back.
final class Booking: Model, @unchecked Sendable {
    static let schema = "bookings"
    @ID(key: .id) var id: UUID?
    @Parent(key: "case_id") var caseRecord: Case
    @Field(key: "reference") var reference: String
    @Field(key: "status") var status: BookingStatus
    @OptionalField(key: "fare_cents") var fareCents: Int?
    @Field(key: "baggage_kg") var baggageKg: Int
    @Field(key: "escort") var escort: EscortKind
    @Field(key: "escort_staff") var escortStaff: String
    @Field(key: "note") var note: String
    @OptionalField(key: "rebooked_from_id") var rebookedFromID: UUID?
    /// The local day the first flight leaves (`2025-12-31`).
    @OptionalField(key: "first_day") var firstDay: String?
    /// The booking's CO2e in grams, with and without the uplift, fixed when it is flown.
    @OptionalField(key: "co2_total_rf") var co2TotalRF: Int?
    @OptionalField(key: "co2_total") var co2Total: Int?
    /// The first departure of the passengers' itinerary; for sorting, reminders and the dashboard.
    @Field(key: "departs_at") var departsAt: Date
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Children(for: \.$booking) var legs: [Leg]
    @Children(for: \.$booking) var passengers: [BookingPassenger]
    init() {}

    var bookingStatus: BookingStatus { status }

    var auditSnapshot: [String: String] {
        var s = [
            "reference": reference, "status": status.rawValue, "baggageKg": String(baggageKg),
            "escort": escort.rawValue,
            "escortStaff": escortStaff, "note": note,
        ]
        s["fare"] = fareCents.map { Money.format($0) }
        s["rebookedFrom"] = rebookedFromID?.uuidString
        return s
    }
}

final class BookingPassenger: Model, @unchecked Sendable {
    static let schema = "booking_passengers"
    @ID(key: .id) var id: UUID?
    @Parent(key: "booking_id") var booking: Booking
    @Parent(key: "person_id") var person: Person
    @Field(key: "assistance") var assistanceText: String
    init() {}
    var assistance: [AssistanceKind] {
        assistanceText.split(separator: ",").compactMap { AssistanceKind(rawValue: String($0)) }
    }
}

/// One flight of a booking; `escortOnly` marks the escort's own flight home.
final class Leg: Model, @unchecked Sendable {
    static let schema = "legs"
    @ID(key: .id) var id: UUID?
    @Parent(key: "booking_id") var booking: Booking
    @Field(key: "seq") var seq: Int
    @Field(key: "escort_only") var escortOnly: Bool
    @Field(key: "carrier") var carrier: String
    @Field(key: "flight_number") var flightNumber: String
    @Field(key: "from_code") var fromCode: String
    @Field(key: "to_code") var toCode: String
    @Field(key: "departs_local") var departsLocal: String
    @Field(key: "arrives_local") var arrivesLocal: String
    @Field(key: "departs_at") var departsAt: Date
    @Field(key: "arrives_at") var arrivesAt: Date
    @Field(key: "distance_km") var distanceKm: Double
    /// Per-passenger CO2e once flown, in grams, with and without the radiative-forcing uplift.
    @OptionalField(key: "co2_grams_rf") var co2GramsRF: Int?
    @OptionalField(key: "co2_grams") var co2Grams: Int?
    @OptionalField(key: "factor_year") var factorYear: Int?
    /// For the hub's figures: how many passengers fly it, the airport the previous passenger flight reached and the one
    /// the next leaves from (none for the first and last), and whether the booking was cancelled.
    @OptionalField(key: "passengers") var passengers: Int?
    @OptionalField(key: "prev_to") var prevTo: String?
    @OptionalField(key: "next_from") var nextFrom: String?
    @Field(key: "cancelled") var cancelled: Bool
    init() {}

    var flight: String { carrier + flightNumber }
    var manifestLeg: ManifestLeg {
        ManifestLeg(flight: flight, from: fromCode, to: toCode, departsLocal: departsLocal, arrivesLocal: arrivesLocal)
    }
    var summary: String {
        """
        \(flight) \(fromCode) \(departsLocal.replacingOccurrences(of: "T", with: " ")) → \(toCode) \
        \(arrivesLocal.replacingOccurrences(of: "T", with: " "))
        """
    }
}

/// A booking's status history.
final class BookingEvent: Model, @unchecked Sendable {
    static let schema = "booking_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "booking_id") var booking: Booking
    @Field(key: "at") var at: Date
    @Field(key: "actor_name") var actorName: String
    @OptionalField(key: "from_status") var fromStatus: String?
    @Field(key: "to_status") var toStatus: String
    @Field(key: "note") var note: String
    init() {}
}

/// What the airport team recorded for one passenger's departure, transit or arrival at the hub.
final class MovementHandling: Model, @unchecked Sendable {
    static let schema = "movement_handling"
    @ID(key: .id) var id: UUID?
    @Parent(key: "booking_id") var booking: Booking
    @Parent(key: "person_id") var person: Person
    @Field(key: "type") var type: MovementType
    @Field(key: "checked_in") var checkedIn: Bool
    @Field(key: "exit_formalities") var exitFormalities: Bool
    @OptionalField(key: "handover_to") var handoverTo: HandoverKind?
    @Field(key: "handover_name") var handoverName: String
    @Field(key: "transit_assistance") var transitAssistance: String
    @Field(key: "note") var note: String
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var auditSnapshot: [String: String] {
        var s = [
            "type": type.rawValue, "checkedIn": String(checkedIn), "exitFormalities": String(exitFormalities),
            "handoverName": handoverName,
            "transitAssistance": transitAssistance, "note": note,
        ]
        s["handoverTo"] = handoverTo?.rawValue
        return s
    }
}

final class SMSTemplateRecord: Model, @unchecked Sendable {
    static let schema = "sms_templates"
    @ID(key: .id) var id: UUID?
    @Field(key: "event") var event: String
    @Field(key: "language") var language: String
    @Field(key: "text") var text: String
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

/// A person who asked not to receive SMS.
final class SMSOptOut: Model, @unchecked Sendable {
    static let schema = "sms_opt_outs"
    @ID(key: .id) var id: UUID?
    @Parent(key: "person_id") var person: Person
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// Outbound work (SMS and partner notifications), written in the transaction of the change that caused it.
/// `eventKey` is unique: an event is queued once, whatever happens after.
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "outbox_messages"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: Kind
    @Field(key: "event_key") var eventKey: String
    @OptionalField(key: "case_id") var caseID: UUID?
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "booking_id") var bookingID: UUID?
    @OptionalField(key: "subscription_id") var subscriptionID: UUID?
    @Field(key: "destination") var destination: String
    @Field(key: "body") var body: String
    @Field(key: "label") var label: String
    @Field(key: "status") var status: Status
    @Field(key: "attempts") var attempts: Int
    @Field(key: "due_at") var dueAt: Date
    @Field(key: "first_due_at") var firstDueAt: Date
    @OptionalField(key: "claimed_until") var claimedUntil: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "sent_at") var sentAt: Date?
    @OptionalField(key: "report") var report: String?
    @OptionalField(key: "report_at") var reportAt: Date?
    /// Proves a delivery report from Kannel is about this message.
    @OptionalField(key: "dlr_token") var dlrToken: String?
    /// The moment after which it is not sent (marked skipped): a message about a flight that has left.
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}

    enum Kind: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
        case sms, webhook
        var description: String { rawValue }
    }
    enum Status: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
        case pending, sending, sent, delivered, failed, cancelled, skipped, held
        var description: String { rawValue }
    }
}

/// Each try of an outbox message, for the delivery log.
final class OutboxAttempt: Model, @unchecked Sendable {
    static let schema = "outbox_attempts"
    @ID(key: .id) var id: UUID?
    @Field(key: "message_id") var messageID: UUID
    @Field(key: "attempt") var attempt: Int
    @Field(key: "at") var at: Date
    @Field(key: "ok") var ok: Bool
    @OptionalField(key: "code") var code: Int?
    @Field(key: "detail") var detail: String
    @Field(key: "duration_ms") var durationMs: Int
    init() {}
}

/// A partner organisation's wish to receive an event type at an address, signed with its own secret.
final class WebhookSubscription: Model, @unchecked Sendable {
    static let schema = "webhook_subscriptions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "partner_id") var partner: Partner
    @Field(key: "event_type") var eventType: String
    @Field(key: "url") var url: String
    @Field(key: "secret") var secret: String
    @Field(key: "active") var active: Bool
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

final class CarbonCredit: Model, @unchecked Sendable {
    static let schema = "carbon_credits"
    @ID(key: .id) var id: UUID?
    @Field(key: "purchased_on") var purchasedOn: String
    @Field(key: "kilograms") var kilograms: Int
    @Field(key: "vendor") var vendor: String
    @Field(key: "certificate") var certificate: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

/// One passenger of a flown booking: the fact the period report, the monthly statistics and the charts count,
/// written when the booking is flown with what the records said then.
final class Departure: Model, @unchecked Sendable {
    static let schema = "departures"
    @ID(key: .id) var id: UUID?
    @Parent(key: "booking_id") var booking: Booking
    @Field(key: "person_id") var personID: UUID
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "programme") var programme: String
    /// The local day the first flight left.
    @Field(key: "day") var day: String
    @Field(key: "escorted") var escorted: Bool
    @OptionalField(key: "destination_country") var destinationCountry: String?
    @Field(key: "nationality") var nationality: String
    /// Whether the case has a reintegration grant: set when the booking is flown and when a grant is recorded later.
    @Field(key: "granted") var granted: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}
