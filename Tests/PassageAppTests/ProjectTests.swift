import Fluent
import Foundation
import PassageDomain
import Testing
import VaporTesting

@testable import PassageApp

@Suite(.serialized) struct ProjectTests {
    @Test(arguments: TestDatabase.available)
    func a_project_counts_its_events_and_measures_its_indicators(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let year = Clock.today().year
            let bad = try await h.send(
                .POST, "/api/v1/projects", as: .manager,
                json: [
                    "code": "NL 10/P", "name": "", "donor": "MinJenV", "startsOn": "\(year)-06-01",
                    "endsOn": "\(year)-01-31",
                ])
            #expect(bad.status == .unprocessableEntity)
            for field in ["code", "name", "endsOn"] { #expect(bad.body.string.contains("\"\(field)\""), "\(field)") }
            #expect(try await h.count(PJProject.self) == 0)
            let made = try await h.send(
                .POST, "/api/v1/projects", as: .manager,
                json: [
                    "code": "nl10p0456", "name": "Information on return in six cities", "donor": "MinJenV",
                    "startsOn": "\(year)-01-01", "endsOn": "\(year)-12-31",
                ])
            #expect(made.status == .created, "\(made.body.string)")
            let p = try made.content.decode(ProjectFile.self)
            #expect(p.code == "NL10P0456")
            let twice = try await h.send(
                .POST, "/api/v1/projects", as: .manager,
                json: [
                    "code": "NL10P0456", "name": "x", "donor": "y", "startsOn": "\(year)-01-01",
                    "endsOn": "\(year)-12-31",
                ])
            #expect(twice.status == .unprocessableEntity && twice.body.string.contains("another project"))
            let path = "/api/v1/projects/\(p.id.uuidString)"

            // Budget: an amount that is not one is refused; a line saved again takes the new figures.
            let wrong = try await h.send(
                .POST, path + "/budget-lines", as: .manager, json: ["line": "Staff", "budget": "lots"])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("\"budget\""))
            _ = try await h.send(
                .POST, path + "/budget-lines", as: .manager, json: ["line": "Staff", "budget": "1000"])
            let budget = try await h.send(
                .POST, path + "/budget-lines", as: .manager,
                json: ["line": "Staff", "budget": "48000.00", "spent": "1250.50"])
            let b = try budget.content.decode(ProjectFile.self)
            #expect(b.budget.count == 1 && b.budgetCents == 4_800_000 && b.spentCents == 125_050)

            // Events: outside the project's period, or a count that is not one, are refused.
            let outside = try await h.send(
                .POST, path + "/events", as: .manager,
                json: ["kind": "outreach_day", "title": "Day", "day": "\(year + 1)-02-01", "place": "Utrecht"])
            #expect(outside.status == .unprocessableEntity && outside.body.string.contains("outside the project"))
            let negative = try await h.send(
                .POST, path + "/events", as: .manager,
                json: [
                    "kind": "outreach_day", "title": "Day", "day": "\(year)-02-01", "place": "Utrecht",
                    "count_migrants": "-4", "count_students": "99999999999999999999",
                ])
            #expect(negative.status == .unprocessableEntity)
            #expect(negative.body.string.contains("count_migrants") && negative.body.string.contains("count_students"))
            #expect(try await h.count(PJEvent.self) == 0)
            for (city, migrants, others) in [("Utrecht", 49, 12), ("Rotterdam", 71, 18)] {
                let ok = try await h.send(
                    .POST, path + "/events", as: .manager,
                    json: [
                        "kind": "outreach_day", "title": "Information day", "day": "\(year)-02-12", "place": city,
                        "count_migrants": "\(migrants)", "count_community_members": "\(others)",
                    ])
                #expect(ok.status == .created, "\(ok.body.string)")
            }
            // Indicators: a period outside the project refused; a target per quarter; an actual against it.
            let ind = try await h.send(
                .POST, path + "/indicators", as: .manager, json: ["name": "People reached", "unit": "people"])
            let iid = try ind.content.decode(ProjectFile.self).indicators[0].id.uuidString
            let late = try await h.send(
                .POST, path + "/indicator-values", as: .manager,
                json: ["indicatorID": iid, "period": "\(year + 1)-Q1", "target": "100"])
            #expect(late.status == .unprocessableEntity && late.body.string.contains("outside the project"))
            let nonsense = try await h.send(
                .POST, path + "/indicator-values", as: .manager,
                json: ["indicatorID": iid, "period": "\(year)-Q5", "target": "100"])
            #expect(nonsense.status == .unprocessableEntity && nonsense.body.string.contains("quarter"))
            let recorded = try await h.send(
                .POST, path + "/indicator-values", as: .manager,
                json: ["indicatorID": iid, "period": "\(year)-q1", "target": "100", "actual": "150"])
            let file = try recorded.content.decode(ProjectFile.self)
            #expect(file.participants == 150 && file.participantsByGroup["migrants"] == 120)
            #expect(file.indicators[0].values.map(\.achieved) == [150])

            // The donor's copy: CSV with the budget, the events and the indicators; XLSX as a workbook.
            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            let csv = try await manager.get(ProjectPaths.project(p.id) + "/export?format=csv")
            #expect(csv.headers.contentType?.subType == "csv")
            for text in [
                "NL10P0456", "Staff", "48000.00", "Rotterdam", "People reached",
                "2026-Q1".replacingOccurrences(
                    of: "2026", with: String(year)),
            ] {
                #expect(csv.body.string.contains(text), "\(text)")
            }
            let xlsx = try await manager.get(ProjectPaths.project(p.id) + "/export?format=xlsx")
            #expect(
                xlsx.status == .ok && xlsx.body.readableBytes > 500 && xlsx.body.getString(at: 0, length: 2) == "PK")
            let page = try await manager.get(ProjectPaths.project(p.id))
            #expect(page.body.string.contains("150 %") && page.body.string.contains("Rotterdam"))

            // The period report counts the events by kind and the participants by group.
            let report = try await PeriodReport.compute(
                ReportPeriod(
                    from: PartialDate(year: year, month: 1, day: 1)!, to: PartialDate(year: year, month: 12, day: 31)!),
                hub: "AMS", on: h.app.db)
            func value(_ f: ReportFigure) -> Double { report.rows.first { $0.key == f.rawValue }?.value ?? -1 }
            #expect(value(.projectEvents) == 2 && value(.projectParticipants) == 150)

            // Staff read projects; only managers keep them; partners find none.
            #expect(try await h.send(.GET, path, as: .counsellor).status == .ok)
            #expect(
                try await h.send(.POST, path + "/indicators", as: .counsellor, json: ["name": "x", "unit": "y"])
                    .status == .forbidden)
            let partner = try await h.send(.GET, path, as: .partner)
            #expect(partner.status == .forbidden && !partner.body.string.contains("NL10P0456"))
        }
    }

    @Test func a_manager_keeps_a_project_from_its_page() async throws {
        try await withHarness(.sqlite) { h in
            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            let bad = try await manager.post(ProjectPaths.overview, form: ["code": "", "name": "x"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("f-project-code-error"))
            let year = Clock.today().year
            let made = try await manager.post(
                ProjectPaths.overview,
                form: [
                    "code": "AMIF-1", "name": "Skills", "donor": "EU", "startsOn": "\(year)-01-01",
                    "endsOn": "\(year)-12-31",
                ])
            #expect(made.status == .seeOther)
            let p = try #require(try await PJProject.query(on: h.app.db).first())
            let event = try await manager.post(
                ProjectPaths.project(p.id!) + "/events",
                form: ["kind": "training", "title": "", "day": "\(year)-03-01", "place": "The Hague"])
            #expect(event.status == .unprocessableEntity && event.body.string.contains("f-event-title-error"))
            #expect(try await manager.get(ProjectPaths.project(p.id!)).status == .ok)
        }
    }
}

@Suite struct ProjectRulesTests {
    @Test func periods_are_years_quarters_or_months() {
        #expect(ProjectRules.span("2026")!.1.isoText == "2026-12-31")
        #expect(
            ProjectRules.span("2026-Q2")!.0.isoText == "2026-04-01"
                && ProjectRules.span("2026-Q2")!.1.isoText == "2026-06-30")
        #expect(ProjectRules.span("2028-02")!.1.isoText == "2028-02-29")
        for bad in ["2026-Q0", "2026-13", "26", "2026-Q12", "abc", "2026-02-01"] {
            #expect(ProjectRules.span(bad) == nil, "\(bad)")
        }
        #expect(
            ProjectRules.achieved(target: 110, actual: 91) == 83 && ProjectRules.achieved(target: 0, actual: 5) == nil)
    }
}
