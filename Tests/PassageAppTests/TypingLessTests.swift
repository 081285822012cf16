import Fluent
import PassageDomain
import Testing
import VaporTesting

@testable import PassageApp

/// What staff type is not lost and not typed twice: a form sent after the session ended is kept for its owner, and
/// an embassy missing from the registry is proposed by the counsellor who needs it.
@Suite struct TypingLessTests {
    /// Ends every browser session, as eight hours without signing in again would.
    static func endSessions(_ h: Harness) async throws {
        for record in try await SessionRecord.query(on: h.app.db).all() where record.data["uid"] != nil {
            record.data["since"] = "0"
            try await record.save(on: h.app.db)
        }
    }

    /// Amina Al-Hassan, Mohammed's sister, registered through the API (Latin script only).
    static func registerSister(_ h: Harness) async throws -> PersonSummary {
        var sister = PersonAPITests.mohammed
        sister.person.givenNames = "Amina"; sister.person.sex = "F"; sister.person.familyNameOriginal = nil
        sister.person.givenNamesOriginal = nil
        return try decode(
            PersonSummary.self, try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: sister))
    }

    /// The hidden fields of a page's form, in order.
    static func hiddenFields(_ html: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in html.components(separatedBy: "<input type=\"hidden\" name=\"").dropFirst() {
            guard let nameEnd = line.range(of: "\" value=\"") else { continue }
            let name = String(line[..<nameEnd.lowerBound])
            let rest = line[nameEnd.upperBound...]
            guard let valueEnd = rest.firstIndex(of: "\"") else { continue }
            fields[name] = String(rest[..<valueEnd])
        }
        return fields
    }

    @Test(arguments: TestDatabase.available)
    func a_form_sent_after_the_session_ended_is_kept_for_the_person_who_typed_it(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let amina = try await TypingLessTests.registerSister(h)
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            let page = CorePaths.person(s.person.id)
            try await b.get(page)
            let typed = [
                "relationship": "sibling", "relatedPersonID": "Amina Al Hassan", "candidateID": amina.id.uuidString,
            ]

            // The session ends while the form is open; sending it keeps it and asks to sign in again.
            try await Self.endSessions(h)
            let late = try await b.post(page + "/household", form: typed)
            #expect(late.status == .seeOther)
            let location = try #require(late.headers.first(name: .location))
            #expect(location.hasPrefix("/login?next=%2Fforms%2Fheld%2F"))
            #expect(try await h.count(HouseholdLink.self) == 0)
            #expect(try await h.count(HeldForm.self) == 1)
            let held = try #require(try await HeldForm.query(on: h.app.db).first())
            let heldPath = "/forms/held/\(held.id!.uuidString)"
            #expect(held.path == page + "/household" && !held.fields.contains(b.csrf))

            // A form with a token that is not the ended session's is refused, not kept.
            let forged = BrowserSession(app: h.app)
            forged.cookie = b.cookie
            forged.csrf = "psg_not-the-token"
            #expect(try await forged.post(page + "/household", form: typed).status == .forbidden)
            #expect(try await h.count(HeldForm.self) == 1)

            // Someone else who signs in finds nothing there, and the kept form stays for its owner.
            let other = BrowserSession(app: h.app)
            try await other.login("medical.officer")
            #expect(try await other.get(heldPath).status == .notFound)
            #expect(try await h.count(HeldForm.self) == 1)

            // The owner signs in again: told why, then offered the form as typed, once.
            let signIn = try await b.get(location)
            #expect(signIn.body.string.contains("what you typed was kept"))
            let back = try await b.post(
                "/login", form: ["username": "counsellor", "password": testPassword, "next": heldPath])
            #expect(back.headers.first(name: .location) == heldPath)
            let offer = try await b.get(heldPath)
            #expect(offer.status == .ok)
            #expect(offer.body.string.contains("Save what you typed"))
            #expect(offer.body.string.contains("action=\"\(page)/household\""))
            #expect(offer.body.string.contains("value=\"Amina Al Hassan\""))
            let afterAction = try #require(
                offer.body.string.components(separatedBy: "action=\"\(page)/household\"").last)
            var fields = Self.hiddenFields(try #require(afterAction.components(separatedBy: "</form>").first))
            fields["_csrf"] = nil
            #expect(fields == typed)
            #expect(try await b.get(heldPath).status == .notFound)
            #expect(try await h.count(HeldForm.self) == 0)
            let saved = try await b.post(page + "/household", form: fields)
            #expect(saved.status == .seeOther)
            #expect(try await h.count(HouseholdLink.self) == 1)
            let audit = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "held_form").all()
            #expect(audit.count == 2)

            // A day later a kept form is gone.
            try await Self.endSessions(h)
            _ = try await b.post(page + "/household", form: typed)
            #expect(try await h.count(HeldForm.self) == 1)
            #expect(try await HeldForms.purge(on: h.app, now: Date().addingTimeInterval(2 * 86_400)) == 1)
            #expect(try await h.count(HeldForm.self) == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_counsellor_proposes_a_missing_embassy_and_an_administrator_confirms_it(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let file = try await ReturnAPITests.open(h, s, destination: "UA")
            let casePage = ReturnPaths.file(file.case.id)
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            let before = try await b.get(casePage).body.string
            let link = "/registry/embassies/propose?back=" + urlQuery("\(casePage)?saved=td-proposed#saved")
            #expect(before.contains(link.replacingOccurrences(of: "&", with: "&amp;")) || before.contains(link))

            let form = try await b.get(link)
            #expect(form.status == .ok && form.body.string.contains("Propose an embassy"))
            // Nothing typed: the form again, saying what is missing, nothing written.
            let partners = try await h.count(Partner.self)
            let empty = try await b.post("/registry/embassies/propose", form: ["back": casePage])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("f-name-error") || empty.body.string.contains("Name"))
            #expect(empty.body.string.contains("an embassy needs the country it represents"))
            #expect(try await h.count(Partner.self) == partners)
            let badMail = try await b.post(
                "/registry/embassies/propose",
                form: ["name": "Embassy of Ukraine", "country": "UA", "contactEmail": "not an address"])
            #expect(badMail.status == .unprocessableEntity && badMail.body.string.contains("value=\"not an address\""))

            let proposed = try await b.post(
                "/registry/embassies/propose",
                form: ["name": "Embassy of Ukraine", "country": "UA", "back": "\(casePage)?saved=td-proposed#saved"])
            #expect(proposed.status == .seeOther)
            #expect(proposed.headers.first(name: .location) == "\(casePage)?saved=td-proposed#saved")
            let ukraine = try #require(
                try await Partner.query(on: h.app.db).filter(\.$name == "Embassy of Ukraine").first())
            #expect(ukraine.kind == .embassy && ukraine.country == "UA" && ukraine.proposedBy == "counsellor")
            // Usable at once, and said to be a proposal.
            let after = try await b.get("\(casePage)?saved=td-proposed").body.string
            #expect(after.contains("The embassy is proposed and can be chosen now"))
            #expect(after.contains("Embassy of Ukraine (UA) — proposed"))
            // Twice: refused by name.
            let twice = try await b.post(
                "/registry/embassies/propose", form: ["name": "Embassy of Ukraine", "country": "UA"])
            #expect(twice.status == .unprocessableEntity && twice.body.string.contains("already has this name"))
            // A way back elsewhere is not followed.
            let away = try await b.post(
                "/registry/embassies/propose",
                form: ["name": "Embassy of Moldova", "country": "MD", "back": "//evil.example/"])
            #expect(away.headers.first(name: .location) == "/admin/registry?saved=registry-partners")

            // The API: a caseworker proposes, a partner account may not, bad input names its field.
            let api = try await h.send(
                .POST, "/api/v1/partners/proposals", as: .counsellor,
                json: ["name": "Embassy of Georgia", "country": "GE"])
            #expect(api.status == .created)
            #expect(try decode(RegistryAPIController.PartnerDTO.self, api).proposedBy == "counsellor")
            let noCountry = try await h.send(
                .POST, "/api/v1/partners/proposals", as: .counsellor, json: ["name": "Embassy of Armenia"])
            #expect(noCountry.status == .unprocessableEntity)
            #expect(try decode(ErrorBody.self, noCountry).fields?.first?.field == "country")
            let partner = try await h.send(
                .POST, "/api/v1/partners/proposals", as: .partner, json: ["name": "X", "country": "GE"])
            #expect(partner.status == .forbidden)

            // The administrator sees the proposals and confirms one; a counsellor may not.
            #expect(try await b.post("/admin/registry/partners/\(ukraine.id!)/confirm", form: [:]).status == .forbidden)
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let registry = try await admin.get("/admin/registry").body.string
            #expect(registry.contains("Proposed by staff, to confirm (3)"))
            #expect(registry.contains("proposed by counsellor"))
            let confirmed = try await admin.post("/admin/registry/partners/\(ukraine.id!)/confirm", form: [:])
            #expect(confirmed.headers.first(name: .location) == "/admin/registry?saved=registry-partners")
            #expect(try await Partner.find(ukraine.id, on: h.app.db)?.proposedBy == nil)
            #expect(try await admin.get("/admin/registry").body.string.contains("Proposed by staff, to confirm (2)"))
            // Saving a corrected entry confirms it too.
            let georgia = try #require(
                try await Partner.query(on: h.app.db).filter(\.$name == "Embassy of Georgia").first())
            _ = try await admin.post(
                "/admin/registry/partners/\(georgia.id!)",
                form: ["name": "Embassy of Georgia", "kind": "embassy", "country": "GE", "contactEmail": ""])
            #expect(try await Partner.find(georgia.id, on: h.app.db)?.proposedBy == nil)
            let audit = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "partner")
                .filter(\.$entityID == ukraine.id!.uuidString).all()
            #expect(audit.map(\.action).sorted() == ["create", "update"])
        }
    }
}
