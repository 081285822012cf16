import Fluent

/// Family reunification's videoconference interviews, visa assistance at a consulate and the Mileage Fund.
struct AddInterviewsVisasMileage: AsyncMigration {
    var name: String { "0017_AddInterviewsVisasMileage" }

    func prepare(on db: any Database) async throws {
        try await db.schema("fr_interviews")
            .id()
            .field("appointment_id", .uuid, .required, .references("fr_appointments", "id", onDelete: .cascade))
            .field("caseworker", .string, .required)
            .field("language", .string, .required)
            .field("interpreter", .string, .required)
            .field("room", .string, .required)
            .field("outcome", .string)
            .field("note", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "appointment_id")
            .create()
        try await db.schema("fr_visa_assistance")
            .id()
            .field("day", .string, .required)
            .field("place", .string, .required)
            .field("family", .string, .required)
            .field("person_id", .uuid, .references("persons", "id", onDelete: .setNull))
            .field("persons", .int, .required)
            .field("nationality", .string, .required)
            .field("services", .string, .required)
            .field("problems", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("fr_mileage_entries")
            .id()
            .field("kind", .string, .required)
            .field("day", .string, .required)
            .field("amount_cents", .int64, .required)
            .field("donor", .string, .required)
            .field("person_id", .uuid, .references("persons", "id", onDelete: .restrict))
            .field("referral_id", .uuid, .references("fr_referrals", "id", onDelete: .restrict))
            .field("eligibility", .string)
            .field("reason", .string, .required)
            .field("booking_id", .uuid, .references("bookings", "id", onDelete: .setNull))
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on db: any Database) async throws {
        for t in ["fr_mileage_entries", "fr_visa_assistance", "fr_interviews"] { try await db.schema(t).delete() }
    }
}
