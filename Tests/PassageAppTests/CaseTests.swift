import Testing
import VaporTesting
import Fluent
import PassageDomain
@testable import PassageApp

struct CaseDetailBody: Decodable {
    let `case`: CaseSummary
    let timeline: [Event]
    struct Event: Decodable { let kind: String; let text: String; let actor: String }
}
struct CaseListingBody: Decodable { let items: [CaseSummary]; let total: Int }

@Suite struct CaseTests {
    func person(_ h: Harness) async throws -> PersonSummary {
        let res = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: PersonAPITests.yonas)
        return try decode(PersonSummary.self, res)
    }

    @Test(arguments: TestDatabase.available)
    func opens_a_case_with_a_reference_and_a_timeline(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await person(h)
            let res = try await h.send(
                .POST, "/api/v1/cases", as: .counsellor,
                json: CaseForm(
                    programme: "return", personID: p.id.uuidString, ownerID: h.users[.counsellor]!.uuidString,
                    openedOn: "2026-01-15", summary: "Wants to return to Asmara"))
            #expect(res.status == .created, "\(res.body.string)")
            let c = try decode(CaseDetailBody.self, res)
            #expect(c.case.reference == "R-2026-000001")
            #expect(c.case.status == "open")
            #expect(c.timeline.map(\.kind) == ["opened"])
            let second = try decode(
                CaseDetailBody.self,
                try await h.send(
                    .POST, "/api/v1/cases", as: .counsellor,
                    json: CaseForm(programme: "return", personID: p.id.uuidString, openedOn: "2026-02-01")))
            #expect(second.case.reference == "R-2026-000002")
            let audit = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "case").count()
            #expect(audit == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func lists_cases_by_programme_status_owner_and_page(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await person(h)
            for (i, programme) in ["return", "return", "resettlement", "visa_application", "return"].enumerated() {
                let owner = i % 2 == 0 ? h.users[.counsellor]! : h.users[.manager]!
                _ = try await h.send(
                    .POST, "/api/v1/cases", as: .counsellor,
                    json: CaseForm(programme: programme, personID: p.id.uuidString, ownerID: owner.uuidString))
            }
            let returns = try decode(
                CaseListingBody.self, try await h.send(.GET, "/api/v1/cases?programme=return", as: .manager))
            #expect(returns.total == 3)
            let mine = try decode(
                CaseListingBody.self,
                try await h.send(.GET, "/api/v1/cases?owner=\(h.users[.counsellor]!.uuidString)", as: .manager))
            #expect(mine.total == 3)
            let page2 = try decode(
                CaseListingBody.self, try await h.send(.GET, "/api/v1/cases?pageSize=2&page=3", as: .manager))
            #expect(page2.total == 5)
            #expect(page2.items.count == 1)
            #expect(
                try await h.send(.GET, "/api/v1/cases?programme=holiday", as: .manager).status == .unprocessableEntity)
            #expect(try await h.send(.GET, "/api/v1/cases?owner=bob", as: .manager).status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.available)
    func status_changes_follow_the_rules_and_land_on_the_timeline(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await person(h)
            let c = try decode(
                CaseDetailBody.self,
                try await h.send(
                    .POST, "/api/v1/cases", as: .counsellor,
                    json: CaseForm(programme: "return", personID: p.id.uuidString)))
            let path = "/api/v1/cases/\(c.case.id.uuidString)"
            let noReason = try await h.send(
                .PATCH, path, as: .counsellor, json: CaseAPIController.ChangeBody(status: "closed"))
            #expect(noReason.status == .unprocessableEntity)
            let closed = try await h.send(
                .PATCH, path, as: .counsellor,
                json: CaseAPIController.ChangeBody(status: "closed", reason: "Decided to stay"))
            #expect(closed.status == .ok)
            let body = try decode(CaseDetailBody.self, closed)
            #expect(body.case.status == "closed")
            #expect(body.case.closedOn != nil)
            #expect(body.timeline.last?.text.contains("Decided to stay") == true)
            #expect(body.timeline.last?.actor == "counsellor")
            let impossible = try await h.send(
                .PATCH, path, as: .counsellor, json: CaseAPIController.ChangeBody(status: "on_hold", reason: "x"))
            #expect(impossible.status == .conflict)
            let unknown = try await h.send(
                .PATCH, path, as: .counsellor, json: CaseAPIController.ChangeBody(status: "flying"))
            #expect(unknown.status == .unprocessableEntity)
            let badOwner = try await h.send(
                .PATCH, path, as: .counsellor,
                json: CaseAPIController.ChangeBody(ownerID: h.users[.partner]!.uuidString))
            #expect(badOwner.status == .unprocessableEntity)
            let still = try decode(CaseDetailBody.self, try await h.send(.GET, path, as: .counsellor))
            #expect(still.case.status == "closed")
            #expect(still.timeline.count == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_case_for_an_unknown_person_is_refused(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let res = try await h.send(
                .POST, "/api/v1/cases", as: .counsellor,
                json: CaseForm(programme: "return", personID: UUID().uuidString))
            #expect(res.status == .unprocessableEntity)
            #expect(try decode(ErrorBody.self, res).fields?.first?.field == "personID")
            #expect(try await h.count(Case.self) == 0)
        }
    }
}
