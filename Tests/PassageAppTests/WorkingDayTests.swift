import Fluent
import PassageDomain
import Testing
import VaporTesting

@testable import PassageApp

/// What staff tripped over on their first day: figures that disagree, countries that are refused, dates that are
/// lost.
@Suite struct WorkingDayTests {
    /// A figure of the period report for a calendar year, as a manager reads it.
    static func figure(_ h: Harness, _ key: ReportFigure, _ year: Int) async throws -> Double {
        let r = try decode(
            PeriodReport.self,
            try await h.send(.GET, "/api/v1/reports/period?from=\(year)-01-01&to=\(year)-12-31", as: .manager))
        return r.rows.first { $0.key == key.rawValue }?.value ?? -1
    }

    /// Kosovo is a country of the office's work: XK, as the EU and IOM code it, is a nationality, a country of
    /// return and an embassy's country; XX (unknown) is not a country anyone returns to.
    @Test(arguments: TestDatabase.available)
    func kosovo_is_accepted_wherever_a_country_is(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            var kosovar = PersonAPITests.mohammed
            kosovar.person.nationality = "xk"
            kosovar.person.languages = ["sq"]
            let embassy = try await h.send(
                .POST, "/api/v1/partners", as: .administrator,
                json: RegistryRecords.PartnerForm(name: "Embassy of Kosovo", kind: "embassy", country: "XK"))
            #expect(embassy.status == .created, "\(embassy.body.string)")
            let s = try await ReturnAPITests.setUp(h, kosovar)
            #expect(s.person.nationality == "XK" && s.person.nationalityName == "Kosovo")
            let file = try await ReturnAPITests.open(h, s, destination: "XK")
            #expect(file.intake.destinationCountry == "XK")

            let unknown = try await h.send(
                .POST, "/api/v1/return/cases", as: .counsellor,
                json: [
                    "personID": s.person.id.uuidString, "referralSource": "reception_agency",
                    "destinationCountry": "XX",
                ])
            #expect(unknown.status == .unprocessableEntity)
            #expect(
                try decode(ErrorBody.self, unknown).fields?.first?.message
                    == "must be the country the person goes to, not XX (unknown)")
        }
    }

    /// A grant counts in the period of the day it was granted, not of the day it was typed in.
    @Test(arguments: TestDatabase.available)
    func a_grant_counts_on_the_day_it_was_granted(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.prepared(h, s)
            let base = "/api/v1/return/cases/\(c.case.id)"
            let today = ReturnRecords.today()
            let lastYear = today.year - 1
            // Decided and granted last year, typed in today.
            #expect(
                try await ReturnAPITests.post(h, base + "/eligibility", ["decidedFor": "\(lastYear)-03-01"]).status
                    == .created)
            let future = try await ReturnAPITests.post(
                h, base + "/grants", ["type": "economic", "amount": "900", "grantedOn": "\(today.year + 1)-01-01"])
            #expect(future.status == .unprocessableEntity)
            #expect(try decode(ErrorBody.self, future).fields?.first?.field == "grantedOn")
            let early = try await ReturnAPITests.post(
                h, base + "/grants", ["type": "economic", "amount": "900", "grantedOn": "\(lastYear)-02-01"])
            #expect(
                try decode(ErrorBody.self, early).fields?.first?.message
                    == "must not be before the eligibility decision")
            #expect(
                try await ReturnAPITests.post(
                    h, base + "/grants", ["type": "economic", "amount": "900", "grantedOn": "\(lastYear)-04-15"]
                ).status == .created)
            let file = try decode(ReturnFile.self, try await h.send(.GET, base, as: .counsellor))
            #expect(file.grants.first?.grantedOn == "\(lastYear)-04-15")

            func grants(_ year: Int) async throws -> Double { try await Self.figure(h, .grants, year) }
            #expect(try await grants(lastYear) == 1)
            #expect(try await grants(today.year) == 0)

            // Without a day, a grant is granted today; the page offers today.
            #expect(
                try await ReturnAPITests.post(h, base + "/grants", ["type": "medical", "amount": "100"]).status
                    == .created)
            #expect(try await grants(today.year) == 1)
            let page = BrowserSession(app: h.app)
            try await page.login("counsellor")
            let html = try await page.get("/return/cases/\(c.case.id)").body.string
            #expect(html.contains("name=\"grantedOn\"") && html.contains("value=\"\(today.isoText)\""))
            #expect(html.contains("granted on \(lastYear)-04-15"))

            // The audit trail shows the amounts in euros and its times in the office's time zone.
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let trail = try await admin.get("/admin/audit?person=\(s.person.reference)").body.string
            #expect(trail.contains("<strong>amount</strong>: ∅ → €900.00"))
            #expect(!trail.contains("→ 90000<"))
            let last = try #require(
                try await AuditEntry.query(on: h.app.db).filter(\.$entity == "grant").sort(\.$id, .descending).first())
            #expect(trail.contains(AuditRedaction.when(last.at)) && AuditRedaction.when(last.at).count == 16)
            #expect(!trail.contains(last.at))
        }
    }

    /// No SMS is ever sent about a flight in the past: a booking recorded after it flew queues none and says so,
    /// and a message still waiting when its flight leaves is skipped, not sent late.
    @Test(arguments: TestDatabase.available)
    func no_sms_is_sent_about_a_flight_that_has_left(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await MovementsTests.setUp(h)
            // Recorded the day after: ticketed, then flown.
            let past = decode2(
                try await MovementsTests.book(
                    h, s.caseID,
                    MovementsTests.tunis(
                        s, days: -1,
                        status: "ticketed", reference: "PAST01")))
            #expect(try await MovementsTests.move(h, past, "flown").status == .ok)
            let sms = try await OutboxMessage.query(on: h.app.db).filter(\.$kind == .sms).all()
            #expect(sms.isEmpty, "\(sms.map(\.label))")
            let file = try decode(
                BookingFile.self, try await h.send(.GET, "/api/v1/bookings/\(past.id)", as: .movementsOfficer))
            #expect(file.history.contains { $0.note == "no ticketed SMS: the flight left before it was recorded" })

            // Ticketed ahead of the flight: the message waits with the departure as its limit.
            let next = decode2(
                try await MovementsTests.book(
                    h, s.caseID,
                    MovementsTests.tunis(
                        s, days: 3,
                        status: "ticketed", reference: "NEXT01")))
            let waiting = try #require(
                try await OutboxMessage.query(on: h.app.db).filter(\.$bookingID == next.id).filter(\.$kind == .sms)
                    .first())
            #expect(waiting.status == .pending && waiting.expiresAt != nil)
            // The gateway was down until after the flight left.
            waiting.expiresAt = Clock.now().addingTimeInterval(-60)
            try await waiting.update(on: h.app.db)
            try await OutboxWorker(app: h.app).runOnce()
            let after = try #require(try await OutboxMessage.find(waiting.id, on: h.app.db))
            #expect(after.status == .skipped && after.attempts == 0)
            #expect(after.lastError == "not sent: the moment it was about had passed")
        }
    }

    /// A departure recorded by hand, with how the person left, counts in the report as a flown one does.
    @Test(arguments: TestDatabase.available)
    func a_departure_without_a_flown_booking_counts_like_a_flown_one(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.prepared(h, s)
            let base = "/api/v1/return/cases/\(c.case.id)"
            #expect(
                try await ReturnAPITests.post(
                    h, base + "/travel-documents",
                    ["embassyID": s.embassy.uuidString, "kind": "emergency_travel_document"]
                ).status == .created)
            let file = try decode(ReturnFile.self, try await h.send(.GET, base, as: .counsellor))
            #expect(
                try await ReturnAPITests.call(
                    h, .PATCH, base + "/travel-documents/\(file.travelDocuments[0].id)",
                    ["status": "issued", "number": "ETD 9", "expiresOn": "2099-01-01"]
                ).status == .ok)
            let year = ReturnRecords.today().year
            func departed() async throws -> Double { try await Self.figure(h, .departed, year) }
            #expect(try await departed() == 0)
            #expect(
                try await ReturnAPITests.move(h, c, "departed", reason: "Travelled on a ticket the family bought")
                    .status
                    == .ok)
            #expect(try await departed() == 1)
            let w = try #require(try await DepartureWithoutFlight.query(on: h.app.db).first())
            #expect(w.how == "Travelled on a ticket the family bought" && w.caseID == c.case.id)

            // The cases behind the figure, with their stage and the day they left, and as a file (audited).
            let period = "from=\(year)-01-01&to=\(year)-12-31"
            let drill = try decode(
                ReportDrillDown.Result.self,
                try await h.send(.GET, "/api/v1/reports/period/departed?\(period)", as: .manager))
            #expect(drill.items.map(\.reference) == [c.case.reference])
            #expect(drill.items.first?.stage == "departed" && drill.items.first?.departedOn == w.day)
            let csv = try await h.send(.GET, "/api/v1/reports/period/departed?\(period)&format=csv", as: .manager)
            #expect(csv.status == .ok && csv.headers.contentType?.subType == "csv")
            #expect(csv.body.string.contains("reference,person,programme,status,stage,opened,departed"))
            #expect(csv.body.string.contains("\(c.case.reference),"))
            let xlsx = try await h.send(.GET, "/api/v1/reports/period/departed?\(period)&format=xlsx", as: .manager)
            #expect(xlsx.status == .ok && xlsx.body.readableBytes > 1000)
            #expect(
                try await h.send(.GET, "/api/v1/reports/period/departed?\(period)&format=pdf", as: .manager).status
                    == .unprocessableEntity)
            #expect(try await AuditEntry.query(on: h.app.db).filter(\.$entity == "period_drilldown").count() == 2)
            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            let page = try await manager.get("/reports/period/departed?\(period)").body.string
            #expect(page.contains("<th>Departed on</th>") && page.contains("format=csv"))
            #expect(page.contains("<td>Departed</td>"))
            let download = try await manager.get("/reports/period/departed?\(period)&format=csv")
            #expect(download.headers.contentType?.subType == "csv")
        }
    }

    /// What cannot have happened is refused, and what happened out of order is left for a manager: a departure by
    /// hand before the first counselling session, a travel document issued after the person left.
    @Test(arguments: TestDatabase.available)
    func dates_that_cannot_be_true_are_refused(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.open(h, s)
            let base = "/api/v1/return/cases/\(c.case.id)"
            func day(_ offset: Int) -> String { String(MovementsTests.local(offset, "00:00").prefix(10)) }
            #expect(
                try await ReturnAPITests.post(
                    h, base + "/sessions",
                    [
                        "heldOn": day(-10), "locationID": s.centre.uuidString, "language": "ar",
                        "durationMinutes": "60", "outcome": "decided_to_return",
                    ]
                ).status == .created)
            for stage in ["counselling", "decided_to_return"] {
                #expect(try await ReturnAPITests.move(h, c, stage).status == .ok)
            }
            #expect(
                try await ReturnAPITests.post(h, base + "/eligibility", ["decidedFor": day(-10)]).status == .created)
            for stage in ["eligibility_decided", "preparing_departure"] {
                #expect(try await ReturnAPITests.move(h, c, stage).status == .ok)
            }
            func document(_ kind: String) async throws -> UUID {
                let res = try await ReturnAPITests.post(
                    h, base + "/travel-documents",
                    ["embassyID": s.embassy.uuidString, "kind": kind, "requestedOn": day(-10)])
                #expect(res.status == .created, "\(res.body.string)")
                return try decode(ReturnFile.self, res).travelDocuments.first { $0.kind == kind }!.id
            }
            let first = try await document("emergency_travel_document")
            #expect(
                try await ReturnAPITests.call(
                    h, .PATCH, base + "/travel-documents/\(first)",
                    ["status": "issued", "number": "ETD 9", "expiresOn": "2099-01-01", "issuedOn": day(-8)]
                ).status == .ok)

            // Before the first counselling session no one left on the programme.
            let early = try await ReturnAPITests.post(
                h, base + "/transitions", ["to": "departed", "on": day(-20), "reason": "Own ticket"])
            #expect(early.status == .conflict)
            #expect(try decode(ErrorBody.self, early).error.contains("before the first counselling session"))
            #expect(
                try await ReturnAPITests.post(
                    h, base + "/transitions", ["to": "departed", "on": day(-5), "reason": "Own ticket"]
                ).status == .ok)

            // A document issued after the person left cannot be the one they travelled on.
            let second = try await document("passport")
            let late = try await ReturnAPITests.call(
                h, .PATCH, base + "/travel-documents/\(second)",
                ["status": "issued", "number": "P 1", "expiresOn": "2099-01-01", "issuedOn": day(0)])
            #expect(late.status == .unprocessableEntity)
            #expect(try decode(ErrorBody.self, late).fields?.first?.message == "must not be after the departure")
            #expect(
                try decode(ReturnFile.self, try await h.send(.GET, base, as: .counsellor)).travelDocuments
                    .first { $0.id == second }?.status == "requested")
        }
    }

    /// A flight that left before the first counselling session still departs the case; the manager sees why.
    @Test(arguments: TestDatabase.available)
    func a_flight_before_the_first_session_is_an_exception_to_review(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.prepared(h, s)
            try await FlightDepartureTests.flyYesterday(h, c, s)
            let file = try decode(
                ReturnFile.self, try await h.send(.GET, "/api/v1/return/cases/\(c.case.id)", as: .manager))
            #expect(file.stage == "departed")
            #expect(file.exceptions.first?.summary.contains("before the first counselling session") == true)
        }
    }

    /// The administrator is told what an action did, and finds the partner notifications in the menu.
    @Test(arguments: TestDatabase.available)
    func the_administrator_is_told_what_happened(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let home = try await admin.get("/admin/users").body.string
            #expect(home.contains("<a href=\"/admin/webhooks\">Partner notifications</a>"))
            let created = try await admin.post(
                "/admin/users/new",
                form: [
                    "username": "hiwet", "displayName": "Hiwet T.", "password": "a long enough pw",
                    "roles[]": "counsellor", "locale": "en",
                ])
            let location = try #require(created.headers.first(name: .location))
            #expect(location.hasSuffix("?done=created"))
            #expect(try await admin.get(location).body.string.contains("The account is created."))
            let uid = String(location.dropFirst("/admin/users/".count).prefix(36))
            let issued = try await admin.post("/admin/users/\(uid)/tokens", form: ["name": "Import"])
            #expect(issued.status == .ok || issued.status == .created)
            let token = try #require(try await ApiToken.query(on: h.app.db).filter(\.$name == "Import").first())
            let revoked = try await admin.post("/admin/users/\(uid)/tokens/\(token.id!)/revoke", form: [:])
            let back = try #require(revoked.headers.first(name: .location))
            #expect(try await admin.get(back).body.string.contains("The token is revoked"))
            // Only the known words are shown.
            let odd = try await admin.get("/admin/users/\(uid)?done=%3Cscript%3E").body.string
            #expect(!odd.contains("role=\"status\"") && !odd.contains("<script>"))

            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            #expect(!(try await manager.get("/cases/mine").body.string.contains("/admin/webhooks")))
        }
    }

    /// A refused save lands on its section with the fields named as the form names them; a save says so there.
    @Test(arguments: TestDatabase.available)
    func a_section_answers_where_it_was_sent_from(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.open(h, s)
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            let url = "/return/cases/\(c.case.id)"
            let file = try await b.get(url).body.string
            #expect(file.contains("action=\"\(url)/sessions#s-sessions\""))
            #expect(file.contains("<div class=\"section-form\" id=\"s-sessions\">"))
            // Each form's fields have their own ids: the summary's links go to the field of that form.
            #expect(file.contains("id=\"f-sessions-notes\"") && file.contains("id=\"f-intake-referralSource\""))
            #expect(!file.contains("id=\"f-notes\""))

            let bad = try await b.post(
                url + "/sessions", form: ["heldOn": "2999-01-01", "durationMinutes": "many", "notes": "Kept"])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(html.contains("<a href=\"#f-sessions-heldOn\" class=\"to-field\">Date</a>"), "\(html)")
            #expect(html.contains("<a href=\"#f-sessions-locationID\" class=\"to-field\">Location</a>"))
            #expect(!html.contains(">locationID<") && !html.contains(">durationMinutes<"))
            #expect(html.contains("aria-describedby=\"f-sessions-heldOn-error\"") && html.contains(">Kept</textarea>"))
            #expect(html.contains("<script src=\"/static/passage.js\" defer></script>"))

            let good = try await b.post(
                url + "/sessions",
                form: [
                    "heldOn": ReturnAPITests.today(), "locationID": s.centre.uuidString, "language": "ar",
                    "durationMinutes": "45", "outcome": "informed", "notes": "",
                ])
            let location = try #require(good.headers.first(name: .location))
            #expect(location == url + "?saved=sessions#saved")
            let saved = try await b.get(location).body.string
            #expect(saved.contains("id=\"sessions\">Counselling sessions</h2><p class=\"notice saved\" id=\"saved\""))
            // An unknown section name is not echoed.
            #expect(!(try await b.get(url + "?saved=%3Cb%3E").body.string.contains("id=\"saved\"")))

            // In Dutch the summary names the fields in Dutch.
            _ = try await b.post("/language", form: ["lang": "nl", "back": url])
            let nl = try await b.post(url + "/sessions", form: ["heldOn": "", "notes": ""]).body.string
            #expect(nl.contains("<a href=\"#f-sessions-heldOn\" class=\"to-field\">Datum</a>"))
            #expect(nl.contains("<a href=\"#f-sessions-locationID\" class=\"to-field\">Locatie</a>"))
        }
    }

    @Test func field_names_without_a_label_read_as_words() {
        #expect(Layout.humanized("referralSource") == "referral source")
        #expect(Layout.humanized("embassyID") == "embassy")
        #expect(Layout.humanized("document.type") == "document type")
    }

    /// The timeline speaks the reader's language and names people; the API keeps the written English.
    @Test(arguments: TestDatabase.available)
    func the_timeline_is_said_in_the_readers_language(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.open(h, s)
            let base = "/api/v1/return/cases/\(c.case.id)"
            let session = try await ReturnAPITests.post(
                h, base + "/sessions",
                [
                    "heldOn": ReturnAPITests.today(), "locationID": s.centre.uuidString, "language": "Russian",
                    "durationMinutes": "30", "outcome": "informed", "notes": "",
                ])
            #expect(session.status == .created, "a language may be written by its name")
            #expect(try await ReturnAPITests.post(h, base + "/transitions", ["to": "counselling"]).status == .ok)
            let api = try decode(ReturnFile.self, try await h.send(.GET, base, as: .counsellor))
            #expect(api.timeline.contains { $0.text == "Stage intake → counselling" && $0.actor == "counsellor" })

            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            let en = try await b.get("/return/cases/\(c.case.id)").body.string
            #expect(en.contains("Stage Intake → Counselling"))
            #expect(en.contains("<strong>Test counsellor</strong>") && !en.contains("<strong>counsellor</strong>"))
            #expect(en.contains("(30 min, Russian): Informed"))
            _ = try await b.post("/language", form: ["lang": "nl", "back": "/"])
            let nl = try await b.get("/return/cases/\(c.case.id)").body.string
            #expect(nl.contains("Fase Intake → Gesprekken"), "\(nl)")
            #expect(nl.contains("(30 min, Russisch): Geïnformeerd"))
            #expect(nl.contains("Syrië"))
        }
    }

    /// Lists page, say their total and sort by their main columns; the return worklist is not one endless page.
    @Test(arguments: TestDatabase.available)
    func lists_page_and_sort(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            for _ in 0..<53 { _ = try await ReturnAPITests.open(h, s) }
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            let first = try await b.get("/cases/mine").body.string
            #expect(first.contains("53 cases") && first.contains("Page 1 of 2"))
            #expect(first.components(separatedBy: "<tr><td><a href=\"/cases/").count - 1 == 50)
            #expect(first.contains("href=\"/cases/mine?sort=opened&amp;dir=desc&amp;page=2\" rel=\"next\""))
            let second = try await b.get("/cases/mine?sort=opened&dir=desc&page=2").body.string
            #expect(second.components(separatedBy: "<tr><td><a href=\"/cases/").count - 1 == 3)
            #expect(second.contains("Page 2 of 2") && second.contains("rel=\"prev\""))

            // Sorted by reference, both ways: the first row of one is the last of the other.
            let refs = { (html: String) in
                html.matches(of: #/<tr><td><a href="/cases/[^"]+">([^<]+)</a>/#).map { String($0.output.1) }
            }
            let up = refs(try await b.get("/cases/mine?sort=reference&dir=asc").body.string)
            let down = refs(try await b.get("/cases/mine?sort=reference&dir=desc").body.string)
            #expect(up.count == 50 && up == up.sorted() && down == down.sorted(by: >) && up.first != down.first)
            #expect(try await b.get("/cases/mine?sort=password").status == .unprocessableEntity)
            #expect(try await b.get("/cases/mine?dir=sideways").status == .unprocessableEntity)
            #expect(try await b.get("/cases?page=99999999999999999999").status == .unprocessableEntity)

            let worklist = try await b.get("/return?owner=me").body.string
            #expect(
                worklist.contains("53 cases") && worklist.contains("Page 1 of 2") && worklist.contains("Intake: 53"))
            #expect(worklist.components(separatedBy: "<tr><td><a href=\"/return/cases/").count - 1 == 50)
            let byPerson = try await b.get("/return?owner=me&sort=person&dir=asc&page=2").body.string
            #expect(byPerson.components(separatedBy: "<tr><td><a href=\"/return/cases/").count - 1 == 3)
            #expect(byPerson.contains("aria-sort=\"ascending\""))
        }
    }
    /// The medical officers have a worklist of what the medical records ask; the movements team a queue of cases
    /// ready to book, with what each journey needs and none of the medical or restricted detail behind it; the
    /// booking form starts from those needs.
    @Test(arguments: TestDatabase.available)
    func work_queues_for_the_medical_and_movements_teams(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.prepared(h, s)
            let base = "/api/v1/return/cases/\(c.case.id)"
            let soon = Clock.today(plus: 5).isoText
            try await ProtectionFixtures.consent(h, s.person.id, .medicalData)
            #expect(
                try await ReturnAPITests.call(
                    h, .PUT, base + "/vulnerabilities/medical", as: .medicalOfficer,
                    [
                        "category": "diabetes", "fitToFly": "fit", "fitToFlyOn": ReturnAPITests.today(),
                        "fitToFlyValidUntil": soon, "escort": "medical",
                    ]
                ).status == .ok)
            #expect(
                try await ReturnAPITests.call(h, .PUT, base + "/vulnerabilities/unaccompanied_child", [:]).status
                    == .ok)
            #expect(
                try await ReturnAPITests.call(
                    h, .PUT, base + "/vulnerabilities/trafficking",
                    ["referralSource": "Police unit Zwolle", "exploitation": "labour"]
                ).status == .ok)

            // The medical worklist: every task the record asks for, by task, paged; for medical staff only.
            let list = try decode(
                ReturnQueues.MedicalAnswer.self,
                try await h.send(.GET, "/api/v1/return/medical-worklist", as: .medicalOfficer))
            #expect(list.total == 1 && list.items.first?.reference == c.case.reference)
            #expect(list.items.first?.tasks == [.fitToFly, .escort, .treatment, .translation])
            #expect(list.items.first?.fitToFlyValidUntil?.isoText == soon)
            #expect(list.byTask["treatment"] == 1)
            let byTask = try decode(
                ReturnQueues.MedicalAnswer.self,
                try await h.send(.GET, "/api/v1/return/medical-worklist?task=treatment&sort=person", as: .manager))
            #expect(byTask.total == 1)
            let bad = try await h.send(.GET, "/api/v1/return/medical-worklist?task=dragons", as: .medicalOfficer)
            let badField = try decode(ErrorBody.self, bad).fields?.first?.field
            #expect(bad.status == .unprocessableEntity && badField == "task")
            #expect(
                try await h.send(.GET, "/api/v1/return/medical-worklist?page=0", as: .medicalOfficer).status
                    == .unprocessableEntity)
            let far = try decode(
                ReturnQueues.MedicalAnswer.self,
                try await h.send(.GET, "/api/v1/return/medical-worklist?page=1000000", as: .medicalOfficer))
            #expect(far.items.isEmpty && far.total == 1)
            for role in [Role.counsellor, .movementsOfficer] {
                #expect(try await h.send(.GET, "/api/v1/return/medical-worklist", as: role).status == .forbidden)
            }
            let read = try await AuditEntry.query(on: h.app.db).filter(\.$note == "medical worklist (api)")
                .filter(\.$personID == s.person.id.uuidString).count()
            #expect(read == 2)
            let medical = BrowserSession(app: h.app)
            try await medical.login("medical.officer")
            let page = try await medical.get("/return/medical?task=escort").body.string
            #expect(page.contains(c.case.reference) && page.contains("Escort to arrange"))
            #expect(page.contains("href=\"/return/medical\"") && page.contains("1 case"))
            #expect(try await medical.get("/return/medical?sort=password").status == .unprocessableEntity)

            // The movements queue: the case and what its journey needs, nothing of why.
            let ready = try await h.send(.GET, "/api/v1/movements/ready", as: .movementsOfficer)
            let queue = try decode(BookingQueue.Answer.self, ready)
            #expect(queue.total == 1 && queue.items.first?.caseID == c.case.id)
            let needs = try #require(queue.items.first?.needs)
            #expect(needs.escort == .medical && needs.assistance == [.unaccompaniedChild, .medical])
            #expect(needs.fitToFlyRequired && needs.fitToFly == .fit && needs.fitToFlyValidUntil?.isoText == soon)
            for secret in ["diabetes", "trafficking", "Zwolle", "restricted"] {
                #expect(!ready.body.string.contains(secret), "the queue says \(secret)")
            }
            #expect(try await h.send(.GET, "/api/v1/movements/ready", as: .counsellor).status == .forbidden)
            #expect(
                try await h.send(.GET, "/api/v1/movements/ready?sort=fare", as: .movementsOfficer).status
                    == .unprocessableEntity)

            let movements = BrowserSession(app: h.app)
            try await movements.login("movements.officer")
            let queuePage = try await movements.get("/movements/ready").body.string
            #expect(queuePage.contains(c.case.reference) && queuePage.contains("Medical escort"))
            let form = try await movements.get("/cases/\(c.case.id)/bookings/new").body.string
            #expect(form.contains("What this journey needs") && form.contains("Fit to fly until"))
            let pid = s.person.id.uuidString
            #expect(form.contains("name=\"assist_\(pid)_unaccompanied_child\" value=\"true\" checked"))
            #expect(form.contains("name=\"assist_\(pid)_medical\" value=\"true\" checked"))
            #expect(!form.contains("name=\"assist_\(pid)_wheelchair\" value=\"true\" checked"))
            #expect(form.contains("value=\"medical\" selected"))
            for secret in ["diabetes", "Diabetes", "trafficking", "Zwolle"] { #expect(!form.contains(secret)) }

            // Booked: the case leaves the queue.
            let body = MovementsAPIController.BookingBody(
                reference: nil, status: "requested",
                passengers: [.init(personID: pid, assistance: ["unaccompanied_child", "medical"])],
                legs: [
                    MovementsTests.leg(
                        "TK", "1952", "AMS", "IST", MovementsTests.local(3, "11:00"),
                        MovementsTests.local(3, "15:30"))
                ],
                fare: "310.00", baggageKg: 20, escort: "medical", escortStaff: "Dr. Visser", escortReturnLegs: nil,
                note: nil)
            let booked = try await MovementsTests.book(h, c.case.id, body)
            #expect(booked.status == .created, "\(booked.body.string)")
            let after = try decode(
                BookingQueue.Answer.self, try await h.send(.GET, "/api/v1/movements/ready", as: .movementsOfficer))
            #expect(after.total == 0 && after.items.isEmpty)
            // On paper the hub's manifest is a line per passenger, with the escort beside them.
            let manifest = try await movements.get("/movements/manifest?date=\(MovementsTests.local(3, "").prefix(10))")
            let sheet = manifest.body.string
            #expect(sheet.contains("<table class=\"manifest-print\">"))
            #expect(sheet.components(separatedBy: "<td class=\"tick\">").count - 1 == 1)
            #expect(sheet.contains("Medical escort: Dr. Visser"))
        }
    }

    /// Typing less: a new return case starts from the person's record, and a family member is found by name (any
    /// spelling), chosen from a list when the name fits several, and a mistake comes back to the form, not to a
    /// dead end.
    @Test(arguments: TestDatabase.available)
    func forms_start_from_what_is_known_and_find_people_by_name(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let amina = try await TypingLessTests.registerSister(h)
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")

            let form = try await b.get("/return/new?personID=\(s.person.id)").body.string
            #expect(form.contains("<option value=\"ar\" selected>"))
            #expect(form.contains("<option value=\"SY\" selected>"))
            #expect(form.contains("name=\"interpreterNeeded\" id=\"f-open-interpreterNeeded\" value=\"true\" checked"))
            #expect(form.contains("Filled in from the person"))

            let page = CorePaths.person(s.person.id)
            // A name that finds no one: the form again, open, with what was typed and why.
            let none = try await b.post(
                page + "/household", form: ["relationship": "sibling", "relatedPersonID": "Zzyzx"])
            #expect(none.status == .unprocessableEntity)
            #expect(none.body.string.contains("<details id=\"household-add\" open>"))
            #expect(none.body.string.contains("no one of that name or reference was found"))
            #expect(none.body.string.contains("value=\"Zzyzx\""))
            // A name spelt another way: the persons it may mean, to choose from.
            let found = try await b.post(
                page + "/household", form: ["relationship": "sibling", "relatedPersonID": "Amina Al Hassan"])
            #expect(found.status == .unprocessableEntity)
            #expect(found.body.string.contains("name=\"candidateID\" value=\"\(amina.id.uuidString)\""))
            #expect(!found.body.string.contains("name=\"candidateID\" value=\"\(s.person.id.uuidString)\""))
            let chosen = try await b.post(
                page + "/household",
                form: [
                    "relationship": "sibling", "relatedPersonID": "Amina Al Hassan", "candidateID": amina.id.uuidString,
                ])
            #expect(chosen.status == .seeOther)
            #expect(try await h.count(HouseholdLink.self) == 1)
            // Twice: said on the page, nothing more written.
            let twice = try await b.post(
                page + "/household", form: ["relationship": "sibling", "relatedPersonID": amina.reference])
            #expect(twice.status == .conflict && twice.body.string.contains("already linked"))
            #expect(try await h.count(HouseholdLink.self) == 1)
        }
    }

}

@Suite struct PageKitTests {
    @Test func every_table_scrolls_in_its_own_box() {
        let body =
            "<p>a</p><table><tr><td>1</td></tr></table><div class=\"scroll\"><table></table></div><table></table>"
        let box = "<div class=\"scroll\" tabindex=\"0\">"
        #expect(
            Layout.scrollingTables(body)
                == "<p>a</p>\(box)<table><tr><td>1</td></tr></table></div>\(box)<table></table></div>"
                + "\(box)<table></table></div>")
        #expect(Layout.scrollingTables("<p>none</p>") == "<p>none</p>")
    }

    @Test func a_departure_line_reads_with_its_day_in_each_language() {
        let strings = Catalogue.strings(Modules.registered)
        let line = Phrase(
            "tl.stage.departed", .word("stage.preparing_departure"), .word("stage.departed"), .text("2026-11-30"),
            .text(": flown on TK 1952"))
        #expect(
            line.render(Translator(locale: "en", strings: strings))
                == "Stage Preparing departure → Departed on 2026-11-30: flown on TK 1952")
        #expect(line.render(Translator(locale: "nl", strings: strings))?.hasPrefix("Fase ") == true)
        #expect(line.render(Translator(locale: "nl", strings: strings))?.contains(" op 2026-11-30: flown") == true)
        #expect(Phrase("no.such.key").render(Translator(locale: "en", strings: strings)) == nil)
    }
}
