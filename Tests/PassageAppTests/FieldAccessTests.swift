import Fluent
import Foundation
import PassageDomain
import Testing
import VaporTesting

@testable import PassageApp

/// The one mechanism of field-level restriction: the office's matrix of who reads each category decides every
/// page, API answer, export, audit view and timeline line, and changing it changes them all.
@Suite struct FieldAccessTests {
    static let guardian = "ZQX-GUARDIAN-HOST"

    /// A matrix unlike the starting one: managers no longer read medical details or counselling notes, the airport
    /// team and medical officers no longer read a child's safeguards, administrators read medical details.
    static let changed: [DataCategory: Set<Role>] = [
        .ordinary: Role.caseworkers, .medical: [.medicalOfficer, .administrator], .trafficking: [.manager],
        .childProtection: [.counsellor, .manager], .genetic: [.familyReunificationOfficer, .manager],
        .notes: [.counsellor],
    ]

    static func form(_ readers: [DataCategory: Set<Role>]) -> [String: String] {
        var f: [String: String] = [:]
        for (c, roles) in readers { for r in roles { f["c.\(c.rawValue).\(r.rawValue)"] = "true" } }
        return f
    }

    /// Which planted strings a role reads under a matrix (the harness's counsellor owns the case, so reads its
    /// trafficking record whatever the matrix says).
    static func readable(by role: Role, _ m: [DataCategory: Set<Role>]) -> Set<String> {
        var s: Set<String> = []
        if m[.trafficking]!.contains(role) || role == .counsellor { s.insert(Planted.trafficking) }
        if m[.notes]!.contains(role) { s.insert(Planted.note) }
        if m[.medical]!.contains(role) { s.insert(Planted.medicalDay) }
        if m[.childProtection]!.contains(role) { s.insert(guardian) }
        return s
    }

    static func plantChild(_ h: Harness, _ p: Planted) async throws {
        let res = try await ReturnAPITests.call(
            h, .PUT, "/api/v1/return/cases/\(p.caseID)/vulnerabilities/unaccompanied_child",
            ["guardianHostConfirmed": "true", "guardianHostName": guardian])
        #expect(res.status == .ok, "\(res.body.string)")
    }

    @Test(arguments: TestDatabase.available)
    func every_answer_follows_the_offices_matrix_and_a_change_to_it(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await Planted.make(h)
            try await Self.plantChild(h, p)
            let file = "/api/v1/return/cases/\(p.caseID)"
            let timeline = "/api/v1/cases/\(p.caseID)"
            // The starting matrix: the airport team reads a child's safeguards and the timeline says there are some.
            #expect(try await h.send(.GET, file, as: .movementsOfficer).body.string.contains(Self.guardian))
            #expect(try await h.send(.GET, timeline, as: .movementsOfficer).body.string.contains("unaccompanied_child"))
            #expect(try await h.send(.GET, file, as: .manager).body.string.contains(Planted.medicalDay))

            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let page = try await admin.get("/protection/access")
            #expect(page.status == .ok && page.body.string.contains("vulnerability.medical"))
            #expect(page.body.string.contains("counselling_session.notes"))
            let saved = try await admin.post("/protection/access", form: Self.form(Self.changed))
            #expect(saved.status == .seeOther, "\(saved.body.string)")
            #expect(try await FieldAccess.matrix(h.app, on: h.app.db).readers == Self.changed)
            let audit = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "category_readers").all()
            #expect(Set(audit.map(\.entityID)) == ["medical", "child_protection", "notes"])

            // Every GET route as every role: each planted string only where the new matrix lets its reader read it.
            let (checked, leaks) = try await p.sweep(
                h, [Planted.trafficking, Planted.note, Planted.medicalDay, Self.guardian],
                readable: { Self.readable(by: $0, Self.changed) })
            #expect(checked > 500)
            #expect(leaks.isEmpty, "\(leaks)")
            // What the change took away is gone from the file, the case list export and the timeline …
            let manager = try await h.send(.GET, file, as: .manager).body.string
            #expect(!manager.contains(Planted.medicalDay) && !manager.contains(Planted.note))
            #expect(manager.contains(Self.guardian) && manager.contains(Planted.trafficking))
            let export = try await h.send(.GET, "/api/v1/cases/export?format=csv", as: .manager).body.string
            #expect(!export.contains("medical_needs") && export.contains("victim_of_trafficking"))
            let movements = try await h.send(.GET, timeline, as: .movementsOfficer).body.string
            #expect(!movements.contains("unaccompanied_child"))
            #expect(try await h.send(.GET, timeline, as: .counsellor).body.string.contains("unaccompanied_child"))
            // … and the medical officer still reads what is theirs. The administrator's audit view now shows the
            // fingerprint the trail keeps of a medical record (never the record itself), and still not the notes'.
            #expect(try await h.send(.GET, file, as: .medicalOfficer).body.string.contains(Planted.medicalDay))
            var html = ""
            for n in 1...6 {
                html += try await admin.get("/admin/audit?person=\(p.setup.person.reference)&page=\(n)").body.string
            }
            #expect(html.contains(AuditLog.sealedMark) && html.contains("changed (restricted)"))
            for marker in [Planted.medicalDay, Planted.trafficking, Planted.note, Self.guardian] {
                #expect(!html.contains(marker), "\(marker)")
            }
            // The medical worklist is no longer the manager's.
            #expect(try await h.send(.GET, "/api/v1/return/medical-worklist", as: .manager).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_change_that_would_lock_a_category_away_is_refused_and_changes_nothing(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            var none = Self.form(CategoryMatrix.standard.readers)
            for key in none.keys where key.hasPrefix("c.trafficking.") { none[key] = nil }
            var partner = Self.form(CategoryMatrix.standard.readers)
            partner["c.medical.partner"] = "true"
            var unknown = Self.form(CategoryMatrix.standard.readers)
            unknown["c.magic.manager"] = "true"
            for (form, said) in [
                (none, "f-access-c.trafficking-error"), (partner, "f-access-c.medical-error"),
                (unknown, "is not a category and a role"),
            ] {
                let res = try await admin.post("/protection/access", form: form)
                #expect(res.status == .unprocessableEntity, "\(said)")
                #expect(res.body.string.contains(said), "\(said)")
            }
            #expect(try await FieldAccess.matrix(h.app, on: h.app.db) == .standard)
            #expect(try await h.count(CategoryReaders.self) == DataCategory.allCases.count)
            #expect(try await AuditEntry.query(on: h.app.db).filter(\.$entity == "category_readers").count() == 0)
            // Managers read the matrix and do not change it; caseworkers do neither.
            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            #expect(try await manager.get("/protection/access").status == .ok)
            #expect(
                try await manager.post("/protection/access", form: Self.form(Self.changed)).status == .forbidden)
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            #expect(try await counsellor.get("/protection/access").status == .forbidden)
            let api = try await h.send(.GET, "/api/v1/protection/access", as: .manager)
            let answer = try decode(AccessPages.Answer.self, api)
            let genetic = try #require(answer.categories.first { $0.category == "genetic" })
            #expect(genetic.roles == ["family_reunification_officer", "manager"])
            #expect(genetic.fields.contains("dna_sample.outcome"))
            #expect(try await h.send(.GET, "/api/v1/protection/access", as: .counsellor).status == .forbidden)
        }
    }
}
