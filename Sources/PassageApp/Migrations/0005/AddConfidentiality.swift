import Foundation
import Fluent
import SQLKit
import PassageDomain

/// Each line of a case's timeline says who may read it, and each audit entry carries the keyed MAC of its link
/// in the chain. Lines written before are given the audience their kind has now; the lines that repeated why a
/// flown booking could not move a case to departed lose the reasons, which the return file shows to each reader
/// as far as they may read them.
struct AddConfidentiality: AsyncMigration {
    var name: String { "0005_AddConfidentiality" }

    func prepare(on db: any Database) async throws {
        let events = db.schema("case_events")
        events.schema.createFields.append(
            .definition(
                name: .key("audience"), dataType: .string,
                constraints: [.required, .sql(.default("case"))]))
        try await events.update()
        let audit = db.schema("audit_entries")
        audit.schema.createFields.append(.definition(name: .key("mac"), dataType: .string, constraints: []))
        try await audit.update()
        try await backfill(on: db)
    }

    /// By columns, not the model: later migrations add columns the model already names.
    func backfill(on db: any Database) async throws {
        let sql = db.sql
        try await sql.update("case_events").set("audience", to: TimelineAudience.programme.rawValue)
            .where("kind", .notIn, Array(TimelineAudience.caseKinds)).run()
        for (suffix, audience) in [
            (VulnerabilityKind.medical.rawValue, TimelineAudience.medical), ("a restricted record", .restricted),
        ] {
            try await sql.update("case_events").set("audience", to: audience.rawValue)
                .where("kind", .equal, "vulnerability").where("text", .like, "%" + suffix).run()
        }
        let refused = ", but the case stays in preparing departure: "
        let rows = try await sql.select().column("id").column("text").from("case_events")
            .where("kind", .equal, "stage").where("text", .like, "%" + refused + "%").all()
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let text = try row.decode(column: "text", as: String.self)
            guard let flown = text.range(of: refused), text.hasPrefix("Flown on ") else { continue }
            // The line as it was written then, without the reasons.
            let flight = String(text[text.index(text.startIndex, offsetBy: 9)..<flown.lowerBound])
            try await sql.update("case_events")
                .set("text", to: "Flown on \(flight)" + refused + "what stands in the way is listed in the return file")
                .where("id", .equal, id).run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("audit_entries").deleteField("mac").update()
        try await db.schema("case_events").deleteField("audience").update()
    }
}
