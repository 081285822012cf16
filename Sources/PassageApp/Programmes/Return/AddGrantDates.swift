import Fluent
import Foundation
import PassageDomain
import SQLKit

/// Grants get the day they were granted; a grant recorded before counts on the day it was recorded.
struct AddGrantDates: AsyncMigration {
    var name: String { "0006_AddGrantDates" }

    func prepare(on db: any Database) async throws {
        try await db.schema("grants").field("granted_on", .string).update()
        // By columns, not the model: later migrations add columns the model already names.
        let sql = db.sql
        for row in try await sql.select().column("id").column("created_at").from("grants").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            let created = try row.decode(column: "created_at", as: Date?.self) ?? Clock.now()
            try await sql.update("grants").set("granted_on", to: ReportPeriod.day(created).isoText)
                .where("id", .equal, id).run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("grants").deleteField("granted_on").update()
    }
}
