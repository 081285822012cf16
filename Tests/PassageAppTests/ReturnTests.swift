import Testing
import VaporTesting
import Fluent
import PassageDomain
@testable import PassageApp

/// The return case through the API, on every database.
@Suite struct ReturnAPITests {
    struct Setup { let person: PersonSummary; let centre: UUID; let embassy: UUID; let ngo: UUID }

    static func setUp(_ h: Harness, _ body: PersonAPIController.CreateBody = PersonAPITests.mohammed) async throws
        -> Setup
    {
        let p = try decode(PersonSummary.self, try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: body))
        let centre = try decode(
            RegistryAPIController.LocationDTO.self,
            try await h.send(
                .POST, "/api/v1/locations", as: .administrator,
                json: RegistryRecords.LocationForm(
                    name: "AZC Ter Apel", kind: "reception_centre", city: "Ter Apel", country: "NL")))
        let embassy = try decode(
            RegistryAPIController.PartnerDTO.self,
            try await h.send(
                .POST, "/api/v1/partners", as: .administrator,
                json: RegistryRecords.PartnerForm(name: "Embassy of Syria", kind: "embassy", country: "SY")))
        let ngo = try decode(
            RegistryAPIController.PartnerDTO.self,
            try await h.send(
                .POST, "/api/v1/partners", as: .administrator,
                json: RegistryRecords.PartnerForm(name: "Solidarity NGO", kind: "ngo", country: "NL")))
        return Setup(person: p, centre: centre.id, embassy: embassy.id, ngo: ngo.id)
    }

    static func open(_ h: Harness, _ s: Setup, destination: String = "SY") async throws -> ReturnFile {
        let res = try await h.send(
            .POST, "/api/v1/return/cases", as: .counsellor,
            json: [
                "personID": s.person.id.uuidString, "ownerID": h.users[.counsellor]!.uuidString,
                "referralSource": "reception_agency",
                "stayLocationID": s.centre.uuidString, "preferredLanguage": "ar", "interpreterNeeded": "true",
                "destinationCountry": destination,
                "destinationPlace": "Aleppo",
            ])
        #expect(res.status == .created, "\(res.body.string)")
        return try decode(ReturnFile.self, res)
    }

    static func post(_ h: Harness, _ path: String, as role: Role = .counsellor, _ body: [String: String]) async throws
        -> TestingHTTPResponse
    {
        try await h.send(.POST, path, as: role, json: body)
    }
    static func call(
        _ h: Harness, _ method: HTTPMethod, _ path: String, as role: Role = .counsellor, _ body: [String: String]
    ) async throws -> TestingHTTPResponse {
        try await h.send(method, path, as: role, json: body)
    }

    static func move(_ h: Harness, _ c: ReturnFile, _ to: String, as role: Role = .counsellor, reason: String = "")
        async throws -> TestingHTTPResponse
    {
        try await post(h, "/api/v1/return/cases/\(c.case.id)/transitions", as: role, ["to": to, "reason": reason])
    }

    static func today() -> String { ReturnRecords.today().isoText }

    /// Carries a case from intake to preparing departure.
    static func prepared(_ h: Harness, _ s: Setup) async throws -> ReturnFile {
        let c = try await open(h, s)
        let base = "/api/v1/return/cases/\(c.case.id)"
        #expect(
            try await post(
                h, base + "/sessions",
                [
                    "heldOn": today(), "locationID": s.centre.uuidString, "language": "ar",
                    "durationMinutes": "60", "outcome": "decided_to_return", "notes": "Wants to go home to his mother",
                ]
            ).status == .created)
        for stage in ["counselling", "decided_to_return"] { #expect(try await move(h, c, stage).status == .ok) }
        #expect(try await post(h, base + "/eligibility", [:]).status == .created)
        for stage in ["eligibility_decided", "preparing_departure"] {
            #expect(try await move(h, c, stage).status == .ok)
        }
        return c
    }

    @Test(arguments: TestDatabase.available)
    func a_case_goes_from_intake_to_departure_only_through_its_guards(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            let c = try await Self.open(h, s)
            #expect(c.stage == "intake")
            #expect(c.case.reference.hasPrefix("R-"))
            let base = "/api/v1/return/cases/\(c.case.id)"
            // No session yet: counselling is refused with the reason, and nothing moves.
            let early = try await Self.move(h, c, "counselling")
            #expect(early.status == .conflict)
            #expect(try decode(ErrorBody.self, early).error.contains("no counselling session"))
            #expect(try await Self.move(h, c, "departed").status == .conflict)
            #expect(try await Self.move(h, c, "flying").status == .unprocessableEntity)
            // The general status of a return case follows its stage.
            #expect(
                try await h.send(
                    .PATCH, "/api/v1/cases/\(c.case.id)", as: .counsellor, json: ["status": "closed", "reason": "x"]
                ).status == .conflict)
            #expect(
                try await h.send(
                    .PATCH, "/api/v1/cases/\(c.case.id)", as: .counsellor,
                    json: ["summary": "Wants to go before winter"]
                ).status == .ok)
            _ = try await Self.prepared(h, s)

            let p = try await Self.prepared(h, s)
            let pbase = "/api/v1/return/cases/\(p.case.id)"
            var file = try decode(ReturnFile.self, try await h.send(.GET, pbase, as: .counsellor))
            #expect(file.stage == "preparing_departure")
            #expect(file.decision?.ruleSetVersion == 1)
            #expect(file.decision?.outcome == "reintegration")
            #expect(file.departureBlockers == ["there is no travel document valid on \(Self.today())"])
            // Plan, grant and payments.
            #expect(
                try await Self.call(
                    h, .PUT, pbase + "/plan",
                    ["purpose": "business", "description": "A small grocery", "budget": "Shelves; 400\nStock; 1100"]
                ).status == .ok)
            let over = try await Self.post(h, pbase + "/grants", ["type": "economic", "amount": "5000"])
            #expect(over.status == .unprocessableEntity)
            #expect(
                try decode(ErrorBody.self, over).fields?.first?.message
                    == "is over the cap for economic grants (€1,800.00)")
            #expect(
                try await Self.post(
                    h, pbase + "/grants",
                    ["type": "economic", "amount": "1500", "cash": "500", "funderID": s.ngo.uuidString]
                ).status == .created)
            file = try decode(ReturnFile.self, try await h.send(.GET, pbase, as: .counsellor))
            let grant = try #require(file.grants.first)
            #expect(grant.inKind == 100_000 && grant.funder == "Solidarity NGO")
            let payments = pbase + "/grants/\(grant.id)/payments"
            #expect(
                try await Self.post(
                    h, payments, as: .movementsOfficer, ["kind": "cash", "amount": "500", "paidOn": Self.today()]
                ).status == .created)
            let overpaid = try await Self.post(h, payments, ["kind": "cash", "amount": "0.01", "paidOn": Self.today()])
            #expect(overpaid.status == .conflict)
            #expect(try await h.count(GrantPayment.self) == 1)

            // Departure is refused for the missing travel document, and allowed once it is issued.
            let refused = try await Self.move(h, p, "departed")
            #expect(refused.status == .conflict)
            #expect(try decode(ErrorBody.self, refused).error.contains("no travel document valid"))
            #expect(
                try await Self.post(
                    h, pbase + "/travel-documents",
                    ["embassyID": s.embassy.uuidString, "kind": "emergency_travel_document"]
                ).status == .created)
            file = try decode(ReturnFile.self, try await h.send(.GET, pbase, as: .counsellor))
            let request = try #require(file.travelDocuments.first)
            let open = try decode(
                [ReturnAPIController.OpenRequest].self,
                try await h.send(.GET, "/api/v1/return/travel-documents", as: .manager))
            #expect(open.map(\.embassy) == ["Embassy of Syria"] && open.first?.ageDays == 0)
            let badDates = try await Self.call(
                h, .PATCH, pbase + "/travel-documents/\(request.id)",
                ["status": "issued", "number": "ETD 55", "expiresOn": "2001-01-01"])
            #expect(badDates.status == .unprocessableEntity)
            #expect(
                try await Self.call(
                    h, .PATCH, pbase + "/travel-documents/\(request.id)",
                    ["status": "issued", "number": "ETD 55", "expiresOn": "2099-01-01"]
                ).status == .ok)
            // By hand, without a flown booking, the departure says how the person left.
            let unsaid = try await Self.move(h, p, "departed", as: .movementsOfficer)
            #expect(unsaid.status == .unprocessableEntity)
            #expect(try decode(ErrorBody.self, unsaid).fields?.first?.field == "reason")
            #expect(
                try await Self.move(
                    h, p, "departed", as: .movementsOfficer, reason: "Travelled on a ticket the family bought"
                ).status == .ok)
            file = try decode(ReturnFile.self, try await h.send(.GET, pbase, as: .counsellor))
            #expect(file.stage == "departed" && file.departedOn == Self.today() && file.case.status == "open")
            #expect(
                file.timeline.contains {
                    $0.text.contains("preparing_departure → departed") && $0.actor == "movements.officer"
                })
            // After return: in-kind payment with proof, reintegration, monitoring, closing.
            #expect(
                try await Self.post(
                    h, payments,
                    [
                        "kind": "in_kind", "amount": "1000", "paidOn": Self.today(), "proofReference": "INV-7",
                        "reportedBy": "Office Damascus",
                    ]
                ).status == .created)
            #expect(try await Self.move(h, p, "reintegration").status == .ok)
            #expect(
                try await Self.post(
                    h, pbase + "/monitoring",
                    [
                        "visitedOn": Self.today(), "visitor": "Office Damascus", "findings": "Shop open",
                        "progress": "on_track", "receivingOffice": "Office Damascus",
                    ]
                ).status == .created)
            #expect(try await Self.move(h, p, "monitoring").status == .ok)
            #expect(try await Self.move(h, p, "closed").status == .unprocessableEntity)
            #expect(try await Self.move(h, p, "closed", reason: "Reintegration completed").status == .ok)
            file = try decode(ReturnFile.self, try await h.send(.GET, pbase, as: .counsellor))
            #expect(
                file.case.status == "closed" && file.receivingOffice == "Office Damascus" && file.nextStages.isEmpty)
            #expect(try await AuditEntry.query(on: h.app.db).filter(\.$entity == "return_case").count() >= 9)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_passport_of_the_country_of_return_is_a_valid_travel_document(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h, PersonAPITests.yonas)
            let c = try await Self.open(h, s, destination: "ER")
            let file = try decode(
                ReturnFile.self, try await h.send(.GET, "/api/v1/return/cases/\(c.case.id)", as: .counsellor))
            #expect(!file.departureBlockers.contains { $0.contains("travel document") })
        }
    }

    @Test(arguments: TestDatabase.available)
    func confidential_parts_are_seen_only_by_those_allowed(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            let c = try await Self.prepared(h, s)
            let base = "/api/v1/return/cases/\(c.case.id)"
            #expect(
                try await Self.call(
                    h, .PUT, base + "/vulnerabilities/medical", ["category": "diabetes", "chronic": "true"]
                ).status == .forbidden)
            try await ProtectionFixtures.consent(h, s.person.id, .medicalData)
            #expect(
                try await Self.call(
                    h, .PUT, base + "/vulnerabilities/medical", as: .medicalOfficer,
                    [
                        "category": "diabetes", "chronic": "true", "fitToFly": "fit",
                        "fitToFlyOn": Self.today(), "fitToFlyValidUntil": "2099-01-01",
                    ]
                ).status == .ok)
            #expect(
                try await Self.call(
                    h, .PUT, base + "/vulnerabilities/trafficking",
                    ["referralSource": "Police", "exploitation": "labour"]
                ).status == .ok)
            #expect(try await Self.call(h, .PUT, base + "/vulnerabilities/dragons", [:]).status == .notFound)
            let asCounsellor = try decode(ReturnFile.self, try await h.send(.GET, base, as: .counsellor))
            #expect(asCounsellor.sessions.first?.notes == "Wants to go home to his mother")
            #expect(asCounsellor.vulnerabilities.first { $0.kind == "medical" }?.medical == nil)
            #expect(
                asCounsellor.vulnerabilities.first { $0.kind == "trafficking" }?.trafficking?.exploitation == .labour)
            #expect(asCounsellor.departureBlockers.contains("the safe return plan is not written"))
            let asMovements = try decode(ReturnFile.self, try await h.send(.GET, base, as: .movementsOfficer))
            #expect(asMovements.sessions.first?.notes == nil)
            // Others learn only that a restricted record exists: not its kind, not its details, not its reasons.
            #expect(!asMovements.vulnerabilities.contains { $0.kind == "trafficking" })
            #expect(asMovements.vulnerabilities.first { $0.kind == "restricted" }?.trafficking == nil)
            #expect(asMovements.departureBlockers.contains("a restricted record is incomplete (ask the case owner)"))
            #expect(!asMovements.timeline.contains { $0.text.contains("trafficking") })
            let refused = try await Self.move(h, c, "departed", as: .movementsOfficer)
            #expect(refused.status == .conflict)
            #expect(
                !refused.body.string.contains("return plan")
                    && refused.body.string.contains("a restricted record is incomplete"))
            let asMedical = try decode(ReturnFile.self, try await h.send(.GET, base, as: .medicalOfficer))
            #expect(asMedical.vulnerabilities.first { $0.kind == "medical" }?.medical?.category == .diabetes)
            // The owner grants the movements officer access by name.
            #expect(
                try await Self.call(
                    h, .PUT, base + "/vulnerabilities/trafficking",
                    [
                        "referralSource": "Police", "exploitation": "labour",
                        "grantedUserIDs": h.users[.movementsOfficer]!.uuidString,
                    ]
                ).status == .ok)
            let granted = try decode(ReturnFile.self, try await h.send(.GET, base, as: .movementsOfficer))
            #expect(granted.vulnerabilities.first { $0.kind == "trafficking" }?.visible == true)
            // A record made by mistake is removed by those who may change it; the audit trail keeps it.
            #expect(try await h.send(.DELETE, base + "/vulnerabilities/medical", as: .counsellor).status == .forbidden)
            #expect(try await h.send(.DELETE, base + "/vulnerabilities/medical", as: .medicalOfficer).status == .ok)
            #expect(
                try await h.send(.DELETE, base + "/vulnerabilities/medical", as: .medicalOfficer).status == .notFound)
            #expect(
                try await AuditEntry.query(on: h.app.db).filter(\.$entity == "vulnerability.medical").filter(
                    \.$action == "delete"
                ).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_eu_export_needs_consent_and_is_audited(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            let c = try await Self.prepared(h, s)
            let base = "/api/v1/return/cases/\(c.case.id)"
            #expect(try await h.send(.GET, base + "/eu-export", as: .counsellor).status == .conflict)
            #expect(try await Self.call(h, .PUT, base + "/consent", ["consent": "true"]).status == .unprocessableEntity)
            #expect(
                try await Self.call(h, .PUT, base + "/consent", ["consent": "true", "consentOn": Self.today()]).status
                    == .ok)
            #expect(
                try await Self.call(
                    h, .PUT, base + "/vulnerabilities/trafficking",
                    ["referralSource": "Police", "exploitation": "sexual", "returnPlan": "Shelter"]
                ).status == .ok)
            let res = try await h.send(.GET, base + "/eu-export", as: .counsellor)
            #expect(res.status == .ok)
            let export = try decode(ReturnRecords.EUExport.self, res)
            #expect(export.identity.familyName == "Al-Hassan")
            #expect(export.vulnerabilityCategories == ["trafficking"])
            #expect(!res.body.string.contains("sexual") && !res.body.string.contains("Shelter"))
            #expect(try await AuditEntry.query(on: h.app.db).filter(\.$action == "export").count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_new_rule_version_flags_open_cases_but_keeps_their_decision(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            let c = try await Self.prepared(h, s)
            let rules = try decode(
                [ReturnAPIController.RuleSetDTO].self, try await h.send(.GET, "/api/v1/return/rules", as: .counsellor))
            #expect(rules.map(\.version) == [1])
            let text = EligibilityRuleSet.initial.text + "\nSY; 2020-01-01; ; travel_only; ; Travel assistance only"
            let caps = ["economic": "1800", "medical": "2500"]
            #expect(
                try await h.send(
                    .POST, "/api/v1/return/rules", as: .counsellor,
                    json: ReturnAPIController.RulesBody(rules: text, caps: caps, note: "SY")
                ).status == .forbidden)
            let bad = try await h.send(
                .POST, "/api/v1/return/rules", as: .administrator,
                json: ReturnAPIController.RulesBody(rules: "QQ; ; ; excluded", caps: caps, note: "x"))
            #expect(bad.status == .unprocessableEntity)
            #expect(
                try decode(ErrorBody.self, bad).fields?.first?.message.contains(
                    "'QQ' is not an ISO 3166-1 country code") == true)
            #expect(
                try await h.send(
                    .POST, "/api/v1/return/rules", as: .administrator,
                    json: ReturnAPIController.RulesBody(rules: text, caps: caps, note: "Syria to travel only")
                ).status == .created)
            let flagged = try decode(
                [ReturnAPIController.Flagged].self, try await h.send(.GET, "/api/v1/return/rules/flagged", as: .manager)
            )
            #expect(flagged.map(\.caseID) == [c.case.id])
            let file = try decode(
                ReturnFile.self, try await h.send(.GET, "/api/v1/return/cases/\(c.case.id)", as: .counsellor))
            #expect(file.decision?.ruleSetVersion == 1 && file.decision?.outcome == "reintegration")
            #expect(file.decision?.wouldNowBe?.contains("travel assistance only") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func bad_input_is_refused_and_nothing_changes(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            let bad = try await h.send(
                .POST, "/api/v1/return/cases", as: .counsellor,
                json: ["personID": s.person.id.uuidString, "referralSource": "pigeon", "destinationCountry": "QQ"])
            #expect(bad.status == .unprocessableEntity)
            #expect(
                Set(try decode(ErrorBody.self, bad).fields?.map(\.field) ?? []) == [
                    "referralSource", "destinationCountry",
                ])
            #expect(try await h.count(Case.self) == 0)
            #expect(try await h.count(ReturnCase.self) == 0)
            #expect(
                try await h.send(.POST, "/api/v1/return/cases", as: .counsellor, rawBody: "{nope").status == .badRequest
            )
            let c = try await Self.open(h, s)
            let base = "/api/v1/return/cases/\(c.case.id)"
            let session = try await Self.post(
                h, base + "/sessions",
                [
                    "heldOn": "2999-01-01", "locationID": UUID().uuidString, "language": "xx", "durationMinutes": "2",
                    "outcome": "maybe",
                ])
            #expect(session.status == .unprocessableEntity)
            #expect(
                Set(try decode(ErrorBody.self, session).fields?.map(\.field) ?? []) == [
                    "heldOn", "language", "durationMinutes", "outcome",
                ])
            #expect(
                try await Self.post(h, base + "/grants", ["type": "economic", "amount": "100"]).status
                    == .unprocessableEntity)
            #expect(
                try await Self.post(
                    h, base + "/monitoring",
                    ["visitedOn": Self.today(), "visitor": "x", "findings": "y", "progress": "on_track"]
                ).status == .conflict)
            #expect(try await h.send(.GET, "/api/v1/return/cases/\(UUID())", as: .counsellor).status == .notFound)
            #expect(
                try await h.send(.GET, "/api/v1/return/workload?from=2026-02-01&to=2026-01-01", as: .manager).status
                    == .unprocessableEntity)
            #expect(try await h.count(CounsellingSession.self) == 0)
            #expect(try await h.count(GrantRecord.self) == 0)
            #expect(
                try await Self.post(
                    h, "/api/v1/return/outreach",
                    [
                        "kind": "information_session", "heldOn": Self.today(), "audience": "Residents",
                        "attendees": "25", "topic": "Return options",
                    ]
                ).status == .created)
            #expect(
                try await Self.post(
                    h, "/api/v1/return/outreach", ["kind": "network_meeting", "heldOn": Self.today(), "topic": "x"]
                ).status == .unprocessableEntity)
        }
    }
}

/// The return file in the browser: each section's form keeps what was typed and says what to fix.
@Suite struct ReturnPageTests {
    @Test(arguments: TestDatabase.available)
    func the_case_file_answers_each_form_in_its_own_section(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            let form = try await b.get("/return/new?personID=\(s.person.id.uuidString)")
            #expect(form.status == .ok && form.body.string.contains("Al-Hassan, Mohammed"))
            let bad = try await b.post(
                "/return/new", form: ["personID": s.person.id.uuidString, "destinationPlace": "Homs"])
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.body.string.contains("id=\"f-open-referralSource-error\"")
                    && bad.body.string.contains("value=\"Homs\""))
            #expect(try await h.count(Case.self) == 0)
            let ok = try await b.post(
                "/return/new",
                form: [
                    "personID": s.person.id.uuidString, "referralSource": "self", "destinationCountry": "SY",
                    "stayLocationID": s.centre.uuidString,
                ])
            #expect(ok.status == .seeOther)
            let url = try #require(ok.headers.first(name: .location))
            let page = try await b.get(url)
            #expect(page.status == .ok && page.body.string.contains("no counselling session") == false)
            #expect(page.body.string.contains("there is no travel document valid"))
            // A refused session keeps its text; a refused move says why, with 409.
            let session = try await b.post(
                url + "/sessions",
                form: [
                    "heldOn": "2999-01-01", "locationID": s.centre.uuidString, "language": "ar",
                    "durationMinutes": "60", "outcome": "informed", "notes": "Talked about Homs",
                ])
            #expect(session.status == .unprocessableEntity)
            #expect(
                session.body.string.contains("id=\"f-sessions-heldOn-error\"")
                    && session.body.string.contains("Talked about Homs")
            )
            let move = try await b.post(url + "/move", form: ["to": "counselling"])
            #expect(move.status == .conflict)
            #expect(move.body.string.contains("Cannot move to counselling: no counselling session is recorded."))
            // The budget of a plan is rows of an item and an amount; a row that is not right comes back beside it.
            let rows = try await b.get(url).body.string
            #expect(rows.contains("name=\"budgetItem_5\"") && !rows.contains("name=\"budgetItem_6\""))
            let wrong = try await b.post(
                url + "/plan",
                form: [
                    "purpose": "business", "description": "Bakery", "budgetItem_1": "Oven", "budgetAmount_1": "7OO",
                    "budgetAmount_2": "100",
                ])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("id=\"f-plan-budgetAmount_1-error\""))
            #expect(wrong.body.string.contains("Budget line 2: Item</a>: say what the amount is for"))
            #expect(wrong.body.string.contains("value=\"7OO\""))
            let plan = try await b.post(
                url + "/plan",
                form: [
                    "purpose": "business", "description": "Bakery", "budgetItem_1": "Oven", "budgetAmount_1": "700",
                    "budgetItem_2": "Flour", "budgetAmount_2": "100,50",
                ])
            #expect(plan.status == .seeOther)
            let saved = try await b.get(url).body.string
            #expect(saved.contains("Flour: €100.50") && saved.contains("value=\"Flour\""))
            // The text form of the API and of older forms, lines ending in CR LF, still reads.
            #expect(
                try await b.post(
                    url + "/plan",
                    form: ["purpose": "business", "description": "Bakery", "budget": "Oven; 700\r\nFlour; 100"]
                ).status == .seeOther)
            #expect(try await b.get(url).body.string.contains("Flour: €100.00"))
            // Consent on the page, then the export link works from the browser session.
            #expect(
                try await b.get("/api/v1/return/cases/" + url.split(separator: "/").last! + "/eu-export").status
                    == .conflict)
            #expect(
                try await b.post(url + "/consent", form: ["consent": "true", "consentOn": ReturnAPITests.today()])
                    .status == .seeOther)
            let export = try await b.get("/api/v1/return/cases/" + url.split(separator: "/").last! + "/eu-export")
            #expect(export.status == .ok && export.body.string.contains("Al-Hassan"))
            // Viewing the file is audited.
            #expect(
                try await AuditEntry.query(on: h.app.db).filter(\.$action == "view").filter(\.$entity == "return_case")
                    .count() == 4)
            // Pages across cases.
            for path in [
                "/return", "/return?owner=all&stage=intake", "/return/travel-documents", "/return/rules",
                "/return/outreach", "/return/workload",
            ] {
                #expect(try await b.get(path).status == .ok, "\(path)")
            }
            #expect(try await b.get("/return?stage=flying").status == .unprocessableEntity)
            #expect(try await b.get("/return/workload?from=2026-05-01&to=2026-01-01").status == .unprocessableEntity)
            let outreach = try await b.post(
                "/return/outreach",
                form: [
                    "kind": "information_session", "heldOn": ReturnAPITests.today(), "topic": "Return",
                    "attendees": "many",
                ])
            #expect(
                outreach.status == .unprocessableEntity
                    && outreach.body.string.contains("id=\"f-outreach-attendees-error\""))
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_request_letter_lists_what_the_embassy_is_asked_for(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.prepared(h, s)
            #expect(
                try await ReturnAPITests.post(
                    h, "/api/v1/return/cases/\(c.case.id)/travel-documents", ["embassyID": s.embassy.uuidString]
                ).status == .created)
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            // Without a sharing agreement with the embassy the letter waits: refused with why, shown to an
            // administrator; asking again keeps one waiting row.
            let path = "/return/travel-documents/letter/\(s.embassy.uuidString)"
            for _ in 0..<2 {
                let held = try await b.get(path)
                #expect(held.status == .conflict && held.body.string.contains("No live sharing agreement with Embassy"))
                #expect(held.body.string.contains("waits for a sharing agreement"))
                #expect(!held.body.string.contains("Al-Hassan"))
            }
            #expect(try await TransferRecord.query(on: h.app.db).filter(\.$channel == "embassy_letter").count() == 0)
            let waiting = try await HeldTransfer.query(on: h.app.db).all()
            #expect(waiting.count == 1 && waiting[0].what == "travel document requests for 1 person")
            let admin = try await h.send(.GET, "/protection/agreements", as: .administrator).body.string
            #expect(admin.contains("Waiting for an agreement (1)") && admin.contains("asked for by"))
            // Recording the agreement lets it go.
            try await ProtectionFixtures.agreement(h, partner: s.embassy)
            #expect(try await HeldTransfer.find(waiting[0].id, on: h.app.db)?.releasedAt != nil)
            let letter = try await b.get(path)
            #expect(letter.status == .ok)
            #expect(
                letter.body.string.contains("Embassy of Syria")
                    && letter.body.string.contains("Al-Hassan, Mohammed / الحسن"))
            // The letter is a transfer to the embassy, logged with its agreement.
            let transfer = try #require(
                try await TransferRecord.query(on: h.app.db).filter(\.$channel == "embassy_letter").first())
            #expect(transfer.recipient == "Embassy of Syria" && transfer.personID == s.person.id)
            #expect(transfer.basis == "agreement DSA-TEST" && transfer.what.contains(c.case.reference))
            #expect(transfer.agreementID != nil)
            let after = try await h.send(.GET, "/protection/agreements", as: .administrator).body.string
            #expect(after.contains("Waiting for an agreement (0)"))
            #expect(try await b.get("/return/travel-documents/letter/\(s.ngo.uuidString)").status == .notFound)
            #expect(try await b.get("/return/travel-documents").body.string.contains(c.case.reference))
        }
    }
}
