import Testing
import VaporTesting
import Fluent
import PassageDomain
@testable import PassageApp

@Suite struct PageTests {
    @Test(arguments: TestDatabase.available)
    func register_a_person_in_the_browser_with_field_messages_first(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            try await b.get("/persons/new")
            let bad = try await b.post(
                "/persons/new",
                form: [
                    "familyName": "Haile", "givenNames": "", "nationality": "ER",
                    "dateOfBirth": "31-02-1990", "phone": "12345",
                ])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(html.contains("id=\"f-givenNames-error\""))
            #expect(html.contains("id=\"f-dateOfBirth-error\""))
            #expect(html.contains("id=\"f-phone-error\""))
            #expect(html.contains("value=\"Haile\""), "what was typed stays in the form")
            #expect(try await h.count(Person.self) == 0)
            let ok = try await b.post(
                "/persons/new",
                form: [
                    "familyName": "Haile", "givenNames": "Semhar", "givenNamesOriginal": "ሰምሃር",
                    "nationality": "ER", "dateOfBirth": "1990", "languages": "ti, en", "sex": "F",
                    "document[type]": "passport", "document[number]": "P 998877", "document[issuingCountry]": "ER",
                ])
            #expect(ok.status == .seeOther)
            let location = try #require(ok.headers.first(name: .location))
            let page = try await b.get(location)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("ሰምሃር"))
            #expect(page.body.string.contains("P998877"))
            #expect(page.body.string.contains("The person was registered."))
            let search = try await b.get("/persons?name=semhaar")
            #expect(search.body.string.contains("Haile, Semhar"))
            #expect(try await b.get("/persons?dob=1990-99").status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.available)
    func dutch_is_one_click_away(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            #expect(try await b.get("/persons").body.string.contains("Persons"))
            try await b.post("/language", form: ["lang": "nl", "back": "/persons"])
            let nl = try await b.get("/persons")
            #expect(nl.body.string.contains("Personen"))
            #expect(nl.body.string.contains("lang=\"nl\""))
            #expect(try await b.post("/language", form: ["lang": "fr"]).status == .unprocessableEntity)
            try await b.get("/persons/new")
            let refused = try await b.post(
                "/persons/new",
                form: ["familyName": "", "givenNames": "Yonas", "nationality": "ER", "dateOfBirth": "2999"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("is verplicht"))
            #expect(refused.body.string.contains("mag niet in de toekomst liggen"))
            #expect(refused.body.string.contains("Achternaam (Latijns schrift)"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func case_pages_open_filter_and_close_a_case(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try decode(
                PersonSummary.self,
                try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: PersonAPITests.yonas))
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            let form = try await b.get("/cases/new?personID=\(p.id.uuidString)")
            #expect(form.body.string.contains("Tekle, Yonas"))
            let bad = try await b.post(
                "/cases/new", form: ["personID": p.id.uuidString, "programme": "holiday", "openedOn": "2999-01-01"])
            #expect(bad.status == .unprocessableEntity)
            let ok = try await b.post(
                "/cases/new",
                form: ["personID": p.id.uuidString, "programme": "return", "ownerID": h.users[.counsellor]!.uuidString])
            #expect(ok.status == .seeOther)
            let casePath = try #require(ok.headers.first(name: .location))
            #expect(try await b.get("/cases/mine").body.string.contains("R-"))
            #expect(try await b.get("/cases?programme=return").body.string.contains("1 cases"))
            #expect(try await b.get("/cases?programme=resettlement").body.string.contains("No cases."))
            let noReason = try await b.post(
                casePath, form: ["status": "closed", "ownerID": h.users[.counsellor]!.uuidString, "reason": ""])
            #expect(noReason.status == .unprocessableEntity)
            #expect(
                try await b.post(
                    casePath,
                    form: ["status": "closed", "ownerID": h.users[.counsellor]!.uuidString, "reason": "Withdrew"]
                ).status == .seeOther)
            let page = try await b.get(casePath)
            #expect(page.body.string.contains("Withdrew"))
            #expect(try await b.get("/cases/mine").body.string.contains("No cases."))
        }
    }
}

@Suite struct RegistryPageTests {
    @Test(arguments: TestDatabase.available)
    func administrators_add_and_edit_locations_and_partners(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let b = BrowserSession(app: h.app)
            try await b.login("administrator")
            try await b.get("/admin/registry")
            let bad = try await b.post(
                "/admin/registry/partners",
                form: ["name": "Embassy of Nowhere", "kind": "embassy", "contactEmail": "not-mail"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("an embassy needs the country it represents"))
            #expect(
                try await b.post(
                    "/admin/registry/partners",
                    form: ["name": "Embassy of Eritrea", "kind": "embassy", "country": "ER"]
                ).status == .seeOther)
            let partner = try #require(
                try await Partner.query(on: h.app.db).filter(\.$name == "Embassy of Eritrea").first())
            try await b.get("/admin/registry/partners/\(partner.id!.uuidString)")
            let renamed = try await b.post(
                "/admin/registry/partners/\(partner.id!.uuidString)",
                form: [
                    "name": "Embassy of the State of Eritrea", "kind": "embassy", "country": "ER",
                    "contactEmail": "consular@example.org",
                ])
            #expect(renamed.status == .seeOther)
            #expect(try await Partner.find(partner.id, on: h.app.db)?.contactEmail == "consular@example.org")
            #expect(
                try await b.post(
                    "/admin/registry/locations",
                    form: [
                        "name": "AZC Budel", "kind": "reception_centre", "city": "Budel",
                        "country": "NL", "partnerID": partner.id!.uuidString,
                    ]
                ).status == .seeOther)
            let dup = try await b.post(
                "/admin/registry/locations",
                form: ["name": "AZC Budel", "kind": "reception_centre", "city": "Budel", "country": "NL"])
            #expect(dup.status == .unprocessableEntity)
            let edits = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "partner").filter(
                \.$action == "update"
            ).all()
            #expect(edits.count == 1)
            #expect(edits.first?.changesJSON.contains("consular@example.org") == true)
            // Staff read the registry but cannot change it.
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            #expect(try await counsellor.get("/admin/registry").status == .ok)
            #expect(
                try await counsellor.post(
                    "/admin/registry/locations", form: ["name": "X", "kind": "city", "city": "X", "country": "NL"]
                ).status == .forbidden)
        }
    }
}
