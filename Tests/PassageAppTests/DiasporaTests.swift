import Fluent
import Foundation
import PassageDomain
import Testing
import VaporTesting

@testable import PassageApp

@Suite(.serialized) struct DiasporaTests {
    typealias Assignment = DiasporaAPIController.AssignmentDTO

    static let expert = DiasporaExpertForm(
        person: PersonForm(
            familyName: "Warsame", givenNames: "Hodan", sex: "F", dateOfBirth: "1979-03-12", nationality: "SO",
            languages: ["so"]),
        profession: "Public health physician", skills: "epidemiology", languages: "so, en", countries: "SO",
        email: "hodan@example.org")

    @Test(arguments: TestDatabase.available)
    func an_expert_is_placed_completes_and_is_evaluated(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            // Bad input names each field; nothing is written.
            var bad = Self.expert
            bad.languages = "somali"
            bad.countries = ""
            bad.email = "hodan at example"
            bad.person?.dateOfBirth = "1979-02-30"
            let persons = try await h.count(Person.self)
            let refused = try await h.send(.POST, "/api/v1/diaspora/experts", as: .manager, json: bad)
            #expect(refused.status == .unprocessableEntity)
            for field in ["languages", "countries", "email", "person.dateOfBirth"] {
                #expect(refused.body.string.contains("\"\(field)\""), "\(field)")
            }
            let (personsAfter, experts) = (try await h.count(Person.self), try await h.count(DPExpert.self))
            #expect(personsAfter == persons && experts == 0)
            let made = try await h.send(.POST, "/api/v1/diaspora/experts", as: .manager, json: Self.expert)
            #expect(made.status == .created, "\(made.body.string)")
            let x = try made.content.decode(DiasporaAPIController.ExpertDTO.self)
            #expect(x.languages == ["so", "en"] && x.countries == ["SO"])
            let twice = try await h.send(
                .POST, "/api/v1/diaspora/experts", as: .manager,
                json: DiasporaExpertForm(
                    personID: x.personID.uuidString, profession: "Doctor", skills: "x", languages: "so",
                    countries: "SO"))
            #expect(twice.status == .unprocessableEntity && twice.body.string.contains("an expert already"))

            let host = try await h.send(
                .POST, "/api/v1/diaspora/institutions", as: .manager,
                json: ["name": "Banadir Regional Hospital", "country": "SO", "city": "Mogadishu", "sector": "health"])
            #expect(host.status == .created)
            let hostID = try host.content.decode(DiasporaAPIController.InstitutionDTO.self).id
            let again = try await h.send(
                .POST, "/api/v1/diaspora/institutions", as: .manager,
                json: ["name": "Banadir Regional Hospital", "country": "SO", "sector": "hospital"])
            #expect(again.status == .unprocessableEntity && again.body.string.contains("registered already"))
            #expect(again.body.string.contains("\"sector\""))

            let start = Clock.today(plus: -20)
            var plan = [
                "expertID": x.id.uuidString, "institutionID": hostID.uuidString, "mode": "physical",
                "startsOn": start.isoText, "endsOn": Clock.day(start, plus: 27).isoText, "tasks": "Coaching",
            ]
            var backwards = plan
            backwards["endsOn"] = Clock.day(start, plus: -1).isoText
            let reversed = try await h.send(.POST, "/api/v1/diaspora/assignments", as: .manager, json: backwards)
            #expect(reversed.status == .unprocessableEntity && reversed.body.string.contains("\"endsOn\""))
            let created = try await h.send(.POST, "/api/v1/diaspora/assignments", as: .manager, json: plan)
            #expect(created.status == .created, "\(created.body.string)")
            let a = try created.content.decode(Assignment.self)
            #expect(a.status == .planned && a.caseReference.hasPrefix("D-"))
            // One physical assignment at a time; an online one alongside is fine.
            plan["startsOn"] = Clock.day(start, plus: 10).isoText
            plan["endsOn"] = Clock.day(start, plus: 40).isoText
            let clash = try await h.send(.POST, "/api/v1/diaspora/assignments", as: .manager, json: plan)
            #expect(clash.status == .conflict && clash.body.string.contains("one physical assignment at a time"))
            plan["mode"] = "online"
            #expect(
                try await h.send(.POST, "/api/v1/diaspora/assignments", as: .manager, json: plan).status == .created)

            let path = "/api/v1/diaspora/assignments/\(a.id.uuidString)"
            let early = try await h.send(.POST, path + "/evaluation", as: .manager, json: ["score": "5"])
            #expect(early.status == .conflict)
            let skip = try await h.send(.POST, path + "/status", as: .manager, json: ["status": "completed"])
            #expect(skip.status == .conflict && skip.body.string.contains("under_way"))
            for s in ["under_way", "completed"] {
                #expect(try await h.send(.POST, path + "/status", as: .manager, json: ["status": s]).status == .ok)
            }
            let outOfScale = try await h.send(.POST, path + "/evaluation", as: .manager, json: ["score": "9"])
            #expect(outOfScale.status == .unprocessableEntity && outOfScale.body.string.contains("\"score\""))
            let evaluated = try await h.send(
                .POST, path + "/evaluation", as: .manager, json: ["score": "4", "evaluation": "Very useful."])
            #expect(try evaluated.content.decode(Assignment.self).score == 4)
            #expect(try await Case.find(a.caseID, on: h.app.db)?.status == .closed)

            let totals = try await h.send(.GET, "/api/v1/diaspora/summary", as: .manager)
                .content.decode(DiasporaAPIController.Totals.self)
            #expect(totals.assignments == 2 && totals.physical == 1 && totals.online == 1)
            #expect(totals.experts == 1 && totals.institutions == 1 && totals.averageScore == 4)
            let report = try await PeriodReport.compute(
                ReportPeriod(from: Clock.today(plus: -30), to: Clock.today()), hub: "AMS", on: h.app.db)
            func value(_ f: ReportFigure) -> Double { report.rows.first { $0.key == f.rawValue }?.value ?? -1 }
            #expect(value(.diasporaAssignments) == 2 && value(.diasporaExperts) == 1 && value(.diasporaHosts) == 1)

            // Only managers read the programme; every read is a reading of the expert's record.
            for role in [Role.counsellor, .visaClerk, .partner, .administrator] {
                let res = try await h.send(.GET, path, as: role)
                #expect(res.status == .forbidden && !res.body.string.contains("Warsame"), "\(role)")
            }
            let views = try await AuditEntry.query(on: h.app.db).filter(\.$action == "view")
                .filter(\.$personID == x.personID.uuidString).count()
            #expect(views >= 4)
        }
    }

    @Test func a_manager_walks_the_pages() async throws {
        try await withHarness(.sqlite) { h in
            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            #expect(try await manager.get(DiasporaPaths.overview).status == .ok)
            let bad = try await manager.post(
                DiasporaPaths.overview + "/experts",
                form: [
                    "pFamilyName": "Tesfaye", "pGivenNames": "Dawit", "pSex": "M", "pDateOfBirth": "1975-13-01",
                    "pNationality": "ET", "profession": "", "skills": "water", "languages": "am", "countries": "ET",
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("f-expert-pDateOfBirth-error"))
            #expect(bad.body.string.contains("f-expert-profession-error"))
            let ok = try await manager.post(
                DiasporaPaths.overview + "/experts",
                form: [
                    "pFamilyName": "Tesfaye", "pGivenNames": "Dawit", "pSex": "M", "pDateOfBirth": "1975-08-01",
                    "pNationality": "ET", "profession": "Civil engineer", "skills": "water", "languages": "am",
                    "countries": "ET",
                ])
            #expect(ok.status == .seeOther)
            #expect(
                try await manager.post(
                    DiasporaPaths.overview + "/institutions",
                    form: ["name": "Ministry of Water and Energy", "country": "ET", "sector": "water_and_sanitation"]
                ).status == .seeOther)
            let x = try #require(try await DPExpert.query(on: h.app.db).first())
            let i = try #require(try await DPInstitution.query(on: h.app.db).first())
            let missing = try await manager.post(
                DiasporaPaths.overview + "/assignments",
                form: ["expertID": x.id!.uuidString, "institutionID": i.id!.uuidString, "mode": "online"])
            #expect(
                missing.status == .unprocessableEntity && missing.body.string.contains("f-assignment-startsOn-error"))
            let planned = try await manager.post(
                DiasporaPaths.overview + "/assignments",
                form: [
                    "expertID": x.id!.uuidString, "institutionID": i.id!.uuidString, "mode": "online",
                    "startsOn": Clock.today().isoText, "endsOn": Clock.today(plus: 30).isoText,
                    "tasks": "Review the tender documents",
                ])
            #expect(planned.status == .seeOther)
            let a = try #require(try await DPAssignment.query(on: h.app.db).first())
            let page = try await manager.get(DiasporaPaths.assignment(a.id!))
            #expect(page.body.string.contains("Ministry of Water and Energy"))
            #expect(
                try await manager.post(DiasporaPaths.assignment(a.id!) + "/status", form: ["status": "cancelled"])
                    .status == .seeOther)
            let final = try await manager.post(
                DiasporaPaths.assignment(a.id!) + "/status", form: ["status": "under_way"])
            #expect(final.status == .conflict && final.body.string.contains("final"))
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            #expect(try await counsellor.get(DiasporaPaths.overview).status == .forbidden)
        }
    }
}
