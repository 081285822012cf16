import Foundation
import Fluent
import SQLKit
import PassageDomain

/// What the reports need: the day a travel document was issued, and indexes for the period figures.
struct AddReporting: AsyncMigration {
    var name: String { "0004_AddReporting" }

    static let indexes = [
        // The first flight of a booking, by its local day: departures, monthly statistics, charts.
        "CREATE INDEX legs_first_departure ON legs (departs_local) WHERE seq = 1",
        "CREATE INDEX grants_created ON grants (created_at)",
        "CREATE INDEX travel_document_requests_issued ON travel_document_requests (issued_on)",
        "CREATE INDEX carbon_credits_purchased ON carbon_credits (purchased_on)",
        "CREATE INDEX cases_status_programme ON cases (status, programme)",
        "CREATE INDEX grant_payments_grant ON grant_payments (grant_id, amount)",
    ]

    func prepare(on db: any Database) async throws {
        try await db.schema("travel_document_requests").field("issued_on", .string).update()
        for statement in Self.indexes { try await db.sql.raw(SQLQueryString(statement)).run() }
        // Documents issued before the day was kept: the day the request last changed.
        for r in try await TravelDocumentRequest.query(on: db).filter(\.$status == TravelDocumentStatus.issued.rawValue).all() {
            r.issuedOn = ReportPeriod.day(r.updatedAt ?? r.createdAt ?? Date()).isoText
            try await r.save(on: db)
        }
    }

    func revert(on db: any Database) async throws {
        for statement in Self.indexes {
            let name = statement.split(separator: " ")[2]
            try await db.sql.raw(SQLQueryString("DROP INDEX " + name)).run()
        }
        try await db.schema("travel_document_requests").deleteField("issued_on").update()
    }
}
