import Foundation
import Fluent
import SQLKit
import PassageDomain

/// What the reports need to count a large caseload quickly: the day a travel document was issued; the departures
/// (one row per passenger of a flown booking); beside each counselling session its person; on each booking its first
/// local day and CO2e total; on each flight what the hub's figures ask (passengers, the neighbouring flights' airports,
/// cancelled); on each grant what was paid; and indexes that hold every column a figure reads.
struct AddReporting: AsyncMigration {
    var name: String { "0004_AddReporting" }

    static let indexes = [
        "CREATE INDEX departures_day ON departures (programme, day, person_id, case_id, escorted, destination_country, nationality, granted)",
        "CREATE INDEX departures_case ON departures (case_id)",
        "CREATE INDEX counselling_sessions_day_person ON counselling_sessions (held_on, person_id, case_id)",
        "CREATE INDEX bookings_flown_day ON bookings (status, first_day, co2_total_rf, co2_total)",
        "CREATE INDEX legs_hub_out ON legs (from_code, departs_local, escort_only, cancelled, prev_to, passengers)",
        "CREATE INDEX legs_hub_in ON legs (to_code, arrives_local, escort_only, cancelled, next_from, passengers)",
        "CREATE INDEX grants_created_type ON grants (created_at, type)",
        "CREATE INDEX grants_outstanding ON grants (created_at) WHERE amount > paid",
        "CREATE INDEX travel_document_requests_issued ON travel_document_requests (issued_on, status, embassy_id)",
        "CREATE INDEX travel_document_requests_open ON travel_document_requests (status, embassy_id, requested_on)",
        "CREATE INDEX carbon_credits_purchased ON carbon_credits (purchased_on)",
        "CREATE INDEX cases_status_programme ON cases (status, programme)",
        "CREATE INDEX cases_status_owner ON cases (status, owner_id)",
        "CREATE INDEX cases_status_office ON cases (status, office_location_id)",
        "CREATE INDEX vulnerabilities_kind ON vulnerabilities (kind, case_id)",
    ]

    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds columns one at a time.
        let columns: [(String, String, DatabaseSchema.DataType, [DatabaseSchema.FieldConstraint])] = [
            ("travel_document_requests", "issued_on", .string, []),
            ("counselling_sessions", "person_id", .uuid, [.references("persons", "id", onDelete: .restrict)]),
            ("bookings", "first_day", .string, []), ("bookings", "co2_total_rf", .int, []),
            ("bookings", "co2_total", .int, []),
            ("legs", "passengers", .int, []), ("legs", "prev_to", .string, []), ("legs", "next_from", .string, []),
            ("legs", "cancelled", .bool, [.required, .sql(.default(false))]),
            ("grants", "paid", .int, [.required, .sql(.default(0))]),
        ]
        for (table, column, type, constraints) in columns {
            let schema = db.schema(table)
            schema.schema.createFields.append(
                .definition(name: .key(.string(column)), dataType: type, constraints: constraints))
            try await schema.update()
        }
        try await db.schema("departures")
            .id()
            .field("booking_id", .uuid, .required, .references("bookings", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references("persons", "id", onDelete: .restrict))
            .field("case_id", .uuid, .required, .references("cases", "id", onDelete: .cascade))
            .field("programme", .string, .required)
            .field("day", .string, .required)
            .field("escorted", .bool, .required)
            .field("destination_country", .string)
            .field("nationality", .string, .required)
            .field("granted", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "booking_id", "person_id")
            .create()
        try await backfill(on: db)
        for statement in Self.indexes { try await db.sql.raw(SQLQueryString(statement)).run() }
    }

    /// The records made before this migration, brought up to it the way the write paths now do.
    func backfill(on db: any Database) async throws {
        // Documents issued before the day was kept: the day the request last changed.
        for r in try await TravelDocumentRequest.query(on: db).filter(\.$status == TravelDocumentStatus.issued)
            .all()
        {
            r.issuedOn = ReportPeriod.day(r.updatedAt ?? r.createdAt ?? Clock.now()).isoText
            try await r.save(on: db)
        }
        for s in try await CounsellingSession.query(on: db).with(\.$caseRecord).all() {
            s.personID = s.caseRecord.$person.id
            try await s.save(on: db)
        }
        for g in try await GrantRecord.query(on: db).with(\.$payments).all() {
            g.paid = g.payments.reduce(0) { $0 + $1.amount }
            try await g.save(on: db)
        }
        for b in try await Booking.query(on: db).with(\.$legs).with(\.$passengers).with(\.$caseRecord).all() {
            let legs = b.passengerLegs
            b.firstDay = legs.first.map { String($0.departsLocal.prefix(10)) }
            if b.bookingStatus == .flown { b.fixCO2Total() }
            try await b.save(on: db)
            Leg.linkItinerary(legs, passengers: b.passengers.count)
            for leg in b.legs {
                leg.cancelled = b.bookingStatus == .cancelled
                try await leg.save(on: db)
            }
            if b.bookingStatus == .flown { try await BookingRecords.recordDepartures(b, case: b.caseRecord, on: db) }
        }
    }

    func revert(on db: any Database) async throws {
        for statement in Self.indexes {
            let name = statement.split(separator: " ")[2]
            try await db.sql.raw(SQLQueryString("DROP INDEX " + name)).run()
        }
        try await db.schema("departures").delete()
        for (table, column) in [
            ("grants", "paid"), ("legs", "passengers"), ("legs", "prev_to"), ("legs", "next_from"),
            ("legs", "cancelled"),
            ("bookings", "first_day"), ("bookings", "co2_total_rf"), ("bookings", "co2_total"),
            ("counselling_sessions", "person_id"), ("travel_document_requests", "issued_on"),
        ] {
            try await db.schema(table).deleteField(.string(column)).update()
        }
    }
}
