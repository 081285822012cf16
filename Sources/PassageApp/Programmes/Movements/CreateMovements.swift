import Fluent
import SQLKit
import PassageDomain

/// Movements and communications: airports, bookings with their legs, passengers and history, airport handling,
/// SMS templates and opt-outs, the outbox and its attempts, partner webhook subscriptions, carbon credits.
struct CreateMovements: AsyncMigration {
    var name: String { "0003_CreateMovements" }

    func prepare(on db: any Database) async throws {
        try await db.schema("airports")
            .field("iata", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("city", .string, .required)
            .field("country", .string, .required)
            .field("latitude", .double, .required)
            .field("longitude", .double, .required)
            .field("time_zone", .string, .required)
            .create()
        try await db.schema("bookings")
            .id()
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("reference", .string, .required)
            .field("status", .string, .required)
            .field("fare_cents", .int)
            .field("baggage_kg", .int, .required)
            .field("escort", .string, .required)
            .field("escort_staff", .string, .required)
            .field("note", .string, .required)
            .field("rebooked_from_id", .uuid, .references("bookings", "id", onDelete: .setNull))
            .field("departs_at", .datetime, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.schema("booking_passengers")
            .id()
            .field("booking_id", .uuid, .required, .references("bookings", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("persons", "id", onDelete: .restrict))
            .field("assistance", .string, .required)
            .unique(on: "booking_id", "person_id")
            .create()
        try await db.schema("legs")
            .id()
            .field("booking_id", .uuid, .required, .references("bookings", "id", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("escort_only", .bool, .required)
            .field("carrier", .string, .required)
            .field("flight_number", .string, .required)
            .field("from_code", .string, .required, .references("airports", "iata", onDelete: .restrict))
            .field("to_code", .string, .required, .references("airports", "iata", onDelete: .restrict))
            .field("departs_local", .string, .required)
            .field("arrives_local", .string, .required)
            .field("departs_at", .datetime, .required)
            .field("arrives_at", .datetime, .required)
            .field("distance_km", .double, .required)
            .field("co2_grams_rf", .int)
            .field("co2_grams", .int)
            .field("factor_year", .int)
            .create()
        try await db.schema("booking_events")
            .id()
            .field("booking_id", .uuid, .required, .references("bookings", "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("actor_name", .string, .required)
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("note", .string, .required)
            .create()
        try await db.schema("movement_handling")
            .id()
            .field("booking_id", .uuid, .required, .references("bookings", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("persons", "id", onDelete: .restrict))
            .field("type", .string, .required)
            .field("checked_in", .bool, .required)
            .field("exit_formalities", .bool, .required)
            .field("handover_to", .string)
            .field("handover_name", .string, .required)
            .field("transit_assistance", .string, .required)
            .field("note", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "booking_id", "person_id", "type")
            .create()
        try await db.schema("sms_templates")
            .id()
            .field("event", .string, .required)
            .field("language", .string, .required)
            .field("text", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "event", "language")
            .create()
        try await db.schema("sms_opt_outs")
            .id()
            .field("person_id", .uuid, .required, .references("persons", "id", onDelete: .cascade))
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "person_id")
            .create()
        try await db.schema("webhook_subscriptions")
            .id()
            .field("partner_id", .uuid, .required, .references("partners", "id", onDelete: .cascade))
            .field("event_type", .string, .required)
            .field("url", .string, .required)
            .field("secret", .string, .required)
            .field("active", .bool, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("outbox_messages")
            .id()
            .field("kind", .string, .required)
            .field("event_key", .string, .required)
            .field("case_id", .uuid, .references("cases", "id", onDelete: .cascade))
            .field("person_id", .uuid, .references("persons", "id", onDelete: .cascade))
            .field("booking_id", .uuid, .references("bookings", "id", onDelete: .cascade))
            .field("subscription_id", .uuid, .references("webhook_subscriptions", "id", onDelete: .setNull))
            .field("destination", .string, .required)
            .field("body", .string, .required)
            .field("label", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("due_at", .datetime, .required)
            .field("first_due_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("last_error", .string)
            .field("sent_at", .datetime)
            .field("report", .string)
            .field("report_at", .datetime)
            .field("dlr_token", .string)
            .field("created_at", .datetime)
            .unique(on: "event_key")
            .create()
        try await db.schema("outbox_attempts")
            .id()
            .field("message_id", .uuid, .required, .references("outbox_messages", "id", onDelete: .cascade))
            .field("attempt", .int, .required)
            .field("at", .datetime, .required)
            .field("ok", .bool, .required)
            .field("code", .int)
            .field("detail", .string, .required)
            .field("duration_ms", .int, .required)
            .create()
        try await db.schema("carbon_credits")
            .id()
            .field("purchased_on", .string, .required)
            .field("kilograms", .int, .required)
            .field("vendor", .string, .required)
            .field("certificate", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        for statement in [
            "CREATE INDEX bookings_case ON bookings (case_id)",
            "CREATE INDEX bookings_departs ON bookings (departs_at)",
            "CREATE INDEX booking_passengers_person ON booking_passengers (person_id)",
            "CREATE INDEX legs_booking ON legs (booking_id)",
            "CREATE INDEX legs_from_day ON legs (from_code, departs_local)",
            "CREATE INDEX legs_to_day ON legs (to_code, arrives_local)",
            "CREATE INDEX booking_events_booking ON booking_events (booking_id)",
            "CREATE INDEX outbox_due ON outbox_messages (status, due_at)",
            "CREATE INDEX outbox_case ON outbox_messages (case_id)",
            "CREATE INDEX outbox_attempts_message ON outbox_attempts (message_id)",
        ] {
            try await db.sql.raw(SQLQueryString(statement)).run()
        }
        try await ReferenceData.loadAirports(on: db)
        for (event, texts) in SMSTemplates.defaults {
            for (language, text) in texts {
                let t = SMSTemplateRecord()
                t.event = event.rawValue; t.language = language; t.text = text; t.updatedBy = "Passage"
                try await t.create(on: db)
            }
        }
    }

    func revert(on db: any Database) async throws {
        for table in [
            "carbon_credits", "outbox_attempts", "outbox_messages", "webhook_subscriptions", "sms_opt_outs",
            "sms_templates",
            "movement_handling", "booking_events", "legs", "booking_passengers", "bookings", "airports",
        ] {
            try await db.schema(table).delete()
        }
    }
}
