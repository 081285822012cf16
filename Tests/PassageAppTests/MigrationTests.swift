import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import PassageApp

@Suite struct MigrationTests {
    /// Every migration reverts cleanly and applies again.
    @Test(arguments: TestDatabase.available)
    func migrations_revert_and_apply_again(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            _ = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: PersonAPITests.yonas)
            try await h.app.autoRevert()
            let sql = h.app.db as! any SQLDatabase
            await #expect(throws: (any Error).self) { try await sql.raw("SELECT COUNT(*) FROM persons").run() }
            try await h.app.autoMigrate()
            #expect(try await Person.query(on: h.app.db).count() == 0)
            #expect(try await AuditLog.verify(on: h.app.db).firstBroken == nil)
        }
    }
}
