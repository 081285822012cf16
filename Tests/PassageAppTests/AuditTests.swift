import Testing
import VaporTesting
import Fluent
import SQLKit
import PassageDomain
@testable import PassageApp

@Suite struct AuditTrailTests {
    @Test(arguments: TestDatabase.available)
    func the_chain_verifies_and_names_the_first_altered_entry(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            for _ in 0..<3 {
                _ = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: PersonAPITests.mohammed)
            }
            let intact = try await AuditLog.verify(on: h.app.db)
            #expect(intact.firstBroken == nil)
            let total = try await h.count(AuditEntry.self)
            #expect(intact.checked == total)

            // The database itself refuses to change an entry.
            let sql = h.app.db as! any SQLDatabase
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE audit_entries SET note = 'x' WHERE sequence = 3").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("DELETE FROM audit_entries WHERE sequence = 3").run()
            }

            // Someone with the database owner's rights removes the guard and rewrites history.
            if db == .postgres {
                try await sql.raw("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only").run()
            } else {
                try await sql.raw("DROP TRIGGER audit_entries_no_update").run()
            }
            let target = Int64(total - 2)
            try await sql.raw("UPDATE audit_entries SET changes = '[]' WHERE sequence = \(bind: target)").run()
            let broken = try await AuditLog.verify(on: h.app.db)
            #expect(broken.firstBroken == target)
            #expect(broken.checked == Int(target) - 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func administrators_see_the_trail_by_person(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try decode(
                PersonSummary.self,
                try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: PersonAPITests.yonas))
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let page = try await admin.get("/admin/audit?person=\(p.reference)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("identity_document"))
            #expect(page.body.string.contains("Tekle"))
            #expect(page.body.string.contains(">\(p.reference)</a>"), "entries name the person by reference")
            let bad = try await admin.get("/admin/audit?from=yesterday")
            #expect(bad.status == .unprocessableEntity)
        }
    }
}
