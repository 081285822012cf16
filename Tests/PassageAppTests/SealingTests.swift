import Fluent
import Foundation
import PassageDomain
import SQLKit
import Testing
import VaporTesting

@testable import PassageApp

/// The restricted categories sealed at rest under the data key, the audit trail keeping fingerprints of them, and a
/// key rotation that leaves every record readable.
@Suite struct SealingTests {
    /// Every stored value of every sealed column, raw.
    static func stored(_ h: Harness) async throws -> [String] {
        var out: [String] = []
        for col in SealedColumn.all {
            for row in try await h.app.db.sql.select().column(SQLIdentifier(col.column), as: "v").from(col.table)
                .all()
            {
                if let value = try row.decode(column: "v", as: String?.self) { out.append(value) }
            }
        }
        return out
    }

    @Test(arguments: TestDatabase.available)
    func restricted_fields_are_sealed_at_rest_and_read_plain_by_those_who_may(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await Planted.make(h)
            let raw = try await Self.stored(h)
            #expect(raw.filter { !$0.isEmpty }.count >= 3)
            // (Another test may be rotating the process's key meanwhile: any key this process holds opens them.)
            for value in raw where !value.isEmpty {
                #expect(value.hasPrefix("pe1:") && FieldCipher.keyring.open(value) != nil, "\(value.prefix(40))")
            }
            let joined = raw.joined()
            for marker in [Planted.trafficking, Planted.note, Planted.medicalDay] {
                #expect(!joined.contains(marker), "\(marker) is in the database in clear")
            }
            // Nor does the audit trail hold them: it keeps fingerprints.
            let trail = try await AuditEntry.query(on: h.app.db).all().map { $0.changesJSON + $0.note }.joined()
            for marker in [Planted.trafficking, Planted.note, Planted.medicalDay] {
                #expect(!trail.contains(marker), "\(marker) is in the audit trail")
            }
            #expect(trail.contains(AuditLog.sealedMark))
            #expect(try await AuditLog.verify(on: h.app.db).firstBroken == nil)
            // The pages and the API read them plain for those who may.
            let owner = try await h.send(.GET, "/return/cases/\(p.caseID)", as: .counsellor).body.string
            #expect(owner.contains(Planted.trafficking) && owner.contains(Planted.note))
            let doctor = try await h.send(.GET, "/api/v1/return/cases/\(p.caseID)", as: .medicalOfficer)
            #expect(doctor.body.string.contains(Planted.medicalDay))
            // The person's own export gives them as text.
            let export = try await SubjectAccess.export(p.personID, on: h.app.db)
            let text = String(decoding: try JSONEncoder().encode(export), as: UTF8.self)
            #expect(text.contains(Planted.note) && !text.contains("pe1:"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_key_rotation_leaves_every_record_readable(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await Planted.make(h)
            // A value written before sealing began, in clear.
            try await h.app.db.sql.update("counselling_sessions").set("notes", to: SQLBind("ZQX-WRITTEN-BEFORE"))
                .where("case_id", .equal, SQLBind(p.caseID)).run()
            let old = AppConfig.processDataKey
            let new = Array("a-new-data-key-of-at-least-thirty-two-characters".utf8)
            FieldCipher.use(current: new, previous: [old])
            defer { FieldCipher.use(current: old, previous: [new]) }
            let ring = FieldCipher.Keyring(current: new, previous: [old])
            let dry = try await KeyRotation.run(ring, apply: false, on: h.app.db)
            let due = dry.values.reduce(0) { $0 + $1.resealed }
            #expect(due >= 3 && dry.values.reduce(0) { $0 + $1.plain } == 1)
            #expect(try await Self.stored(h).contains("ZQX-WRITTEN-BEFORE"), "a dry run changes nothing")
            let done = try await KeyRotation.run(ring, apply: true, on: h.app.db)
            #expect(done.values.reduce(0) { $0 + $1.resealed } == due)
            #expect(done.values.reduce(0) { $0 + $1.unreadable } == 0)
            // Everything opens with the new key alone: the old one may go.
            let alone = FieldCipher.Keyring(current: new)
            let values = try await Self.stored(h).filter { !$0.isEmpty }
            #expect(values.allSatisfy(alone.isCurrent))
            let opened = values.compactMap(alone.open).joined()
            #expect(opened.contains("ZQX-WRITTEN-BEFORE") && opened.contains(Planted.trafficking))
            #expect(opened.contains(Planted.medicalDay))
            // The records read as before, through the pages and the API.
            let owner = try await h.send(.GET, "/return/cases/\(p.caseID)", as: .counsellor).body.string
            #expect(owner.contains(Planted.trafficking) && owner.contains("ZQX-WRITTEN-BEFORE"))
            let doctor = try await h.send(.GET, "/api/v1/return/cases/\(p.caseID)", as: .medicalOfficer)
            #expect(doctor.body.string.contains(Planted.medicalDay))
            // Run again: nothing left to do.
            #expect(try await KeyRotation.run(ring, apply: true, on: h.app.db).values.allSatisfy { $0.resealed == 0 })
            // A server without the key opens nothing and changes nothing; it says how many it cannot open.
            let stranger = FieldCipher.Keyring(current: Array("some-other-key-of-at-least-thirty-two-chars".utf8))
            let blind = try await KeyRotation.run(stranger, apply: true, on: h.app.db)
            #expect(blind.values.reduce(0) { $0 + $1.unreadable } == values.count)
            #expect(try await Self.stored(h).filter { !$0.isEmpty } == values)
            #expect(stranger.open(values[0]) == nil)
            #expect(try await AuditLog.verify(on: h.app.db).firstBroken == nil)
        }
    }

    @Test func a_data_key_from_the_environment_is_long_enough() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        #expect(throws: AppConfig.Invalid.self) {
            try AppConfig.dataKeys(["PASSAGE_DATA_KEY": "short"], dataDir: dir, development: false)
        }
        #expect(throws: AppConfig.Invalid.self) {
            try AppConfig.dataKeys([:], dataDir: dir, development: false)
        }
        let long = String(repeating: "k", count: 40)
        #expect(throws: AppConfig.Invalid.self) {
            try AppConfig.dataKeys(
                ["PASSAGE_DATA_KEY": long, "PASSAGE_DATA_KEY_PREVIOUS": "tiny"], dataDir: dir, development: false)
        }
        let keys = try AppConfig.dataKeys(
            ["PASSAGE_DATA_KEY": long, "PASSAGE_DATA_KEY_PREVIOUS": String(repeating: "p", count: 32)],
            dataDir: dir, development: false)
        #expect(keys.current == Array(long.utf8) && keys.previous.count == 1)
        // In local development, a key kept beside the database, the same on the next start.
        let made = try AppConfig.dataKeys([:], dataDir: dir, development: true)
        #expect(try AppConfig.dataKeys([:], dataDir: dir, development: true).current == made.current)
        // A sealed value names its key by a digest, never the key itself.
        let sealed = FieldCipher.Keyring(current: Array(long.utf8)).seal("secret")
        #expect(!sealed.contains(long) && !sealed.contains("secret"))
    }
}
