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

    func backfill(on db: any Database) async throws {
        try await CaseEvent.query(on: db).filter(\.$kind !~ Array(TimelineAudience.caseKinds))
            .set(\.$audience, to: .programme).update()
        for e in try await CaseEvent.query(on: db).filter(\.$kind == "vulnerability").all() {
            if e.text.hasSuffix(VulnerabilityKind.medical.rawValue) {
                e.audience = .medical
            } else if e.text.hasSuffix("a restricted record") {
                e.audience = .restricted
            }
            try await e.save(on: db)
        }
        let refused = ", but the case stays in preparing departure: "
        for e in try await CaseEvent.query(on: db).filter(\.$kind == "stage").filter(\.$text ~~ refused).all() {
            guard let flown = e.text.range(of: refused), e.text.hasPrefix("Flown on ") else { continue }
            // The line as it was written then, without the reasons.
            let flight = String(e.text[e.text.index(e.text.startIndex, offsetBy: 9)..<flown.lowerBound])
            e.text = "Flown on \(flight)" + refused + "what stands in the way is listed in the return file"
            try await e.save(on: db)
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("audit_entries").deleteField("mac").update()
        try await db.schema("case_events").deleteField("audience").update()
    }
}
