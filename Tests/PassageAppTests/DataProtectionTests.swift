import Fluent
import Foundation
import PassageDomain
import Testing
import VaporTesting

@testable import PassageApp

/// What processing rests on, for tests whose subject is something else: a consent of the person, an agreement with
/// a partner.
enum ProtectionFixtures {
    static func consent(_ h: Harness, _ person: UUID, _ purpose: ProcessingPurpose) async throws {
        let res = try await h.send(
            .POST, "/api/v1/persons/\(person)/consents", as: .counsellor,
            json: ["purpose": purpose.rawValue, "givenOn": Clock.today(plus: -1).isoText, "scope": "Signed form"])
        #expect(res.status == .created, "\(res.body.string)")
    }

    static func agreement(
        _ h: Harness, partner: UUID, purposes: String = "partner_sharing", categories: String = "ordinary"
    ) async throws {
        _ = try await SharingAgreements.record(
            [
                "partnerID": partner.uuidString, "purposes": purposes, "categories": categories,
                "startsOn": Clock.today(plus: -30).isoText, "documentReference": "DSA-TEST",
            ], actor: .system, on: h.app)
    }
}

@Suite struct DataProtectionTests {
    typealias R = ReturnAPITests

    @Test(arguments: TestDatabase.available)
    func a_step_is_refused_without_its_basis_allowed_with_it_and_stopped_by_a_withdrawal(_ db: TestDatabase)
        async throws
    {
        try await withHarness(db) { h in
            let s = try await R.setUp(h)
            let c = try await R.prepared(h, s)
            let base = "/api/v1/return/cases/\(c.case.id)"
            let consents = "/api/v1/persons/\(s.person.id)/consents"
            // Without consent: refused, saying what is missing.
            let refused = try await h.send(.GET, base + "/eu-export", as: .counsellor)
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("consent to sharing with the EU reintegration programme is not"))
            // Bad input: each answered with the field and why, nothing written.
            let bad: [([String: String], String)] = [
                (["purpose": "marketing", "givenOn": R.today(), "scope": "x"], "purpose"),
                (
                    ["purpose": "eu_reintegration_export", "givenOn": Clock.today(plus: 3).isoText, "scope": "x"],
                    "givenOn"
                ),
                (["purpose": "eu_reintegration_export", "givenOn": "2026-02-30", "scope": "x"], "givenOn"),
                (["purpose": "eu_reintegration_export", "givenOn": R.today()], "scope"),
                (
                    [
                        "purpose": "eu_reintegration_export", "givenOn": R.today(), "scope": "x",
                        "expiresOn": Clock.today(plus: -5).isoText,
                    ], "expiresOn"
                ),
            ]
            for (body, field) in bad {
                let res = try await h.send(.POST, consents, as: .counsellor, json: body)
                #expect(res.status == .unprocessableEntity, "\(body)")
                #expect(try decode(ErrorBody.self, res).fields?.contains { $0.field == field } == true, "\(body)")
            }
            #expect(try await h.count(ConsentRecord.self) == 0)
            #expect(
                try await h.send(.POST, consents, as: .partner, json: ["purpose": "sms"]).status == .forbidden)
            // With consent: allowed, and the transfer is logged with its basis.
            let given = try await h.send(
                .POST, consents, as: .counsellor,
                json: ["purpose": "eu_reintegration_export", "givenOn": R.today(), "scope": "Form EU-1, signed"])
            #expect(given.status == .created)
            let consent = try decode(ConsentPages.View.self, given)
            #expect(consent.status == "live" && consent.recordedBy == "counsellor")
            #expect(try await h.send(.GET, base + "/eu-export", as: .counsellor).status == .ok)
            let transfer = try #require(try await TransferRecord.query(on: h.app.db).first())
            #expect(transfer.channel == "eu_export" && transfer.personID == s.person.id)
            #expect(transfer.basis == "consent given on \(R.today())")
            // The case's page shows the consent the person's record holds.
            let file = try decode(ReturnFile.self, try await h.send(.GET, base, as: .counsellor))
            #expect(file.euConsentOn == R.today())
            // Withdrawn: the export stops, saying since when; a second withdrawal is refused.
            let withdraw = "\(consents)/\(consent.id)/withdraw"
            let w = try await h.send(.POST, withdraw, as: .counsellor, json: ["note": "Said so at the centre"])
            #expect(w.status == .ok)
            #expect(try decode(ConsentPages.View.self, w).status == "withdrawn")
            let stopped = try await h.send(.GET, base + "/eu-export", as: .counsellor)
            #expect(stopped.status == .conflict)
            #expect(stopped.body.string.contains("withdrew their consent to sharing with the EU"))
            #expect(
                try await h.send(.POST, withdraw, as: .counsellor, json: [:] as [String: String]).status == .conflict)
            #expect(try await TransferRecord.query(on: h.app.db).count() == 1)
            // Every change is in the audit trail; the list is a read of the person's record.
            let audited = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "consent").all()
            #expect(audited.map(\.action).sorted() == ["create", "update"])
            let list = try await h.send(.GET, consents, as: .medicalOfficer)
            #expect(try decode([ConsentPages.View].self, list).map(\.status) == ["withdrawn"])
            #expect(
                try await AuditEntry.query(on: h.app.db).filter(\.$entity == "consent").filter(\.$action == "view")
                    .count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func medical_and_dna_processing_follow_the_register(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await R.setUp(h)
            let c = try await R.open(h, s)
            let path = "/api/v1/return/cases/\(c.case.id)/vulnerabilities/medical"
            let medical = ["category": "diabetes", "chronic": "true", "details": "Insulin twice a day"]
            let refused = try await R.call(h, .PUT, path, as: .medicalOfficer, medical)
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("consent to the processing of medical data is not recorded"))
            #expect(try await VulnerabilityRecord.query(on: h.app.db).count() == 0)
            // An administrator names another basis in the register: the same step is allowed.
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let form = [
                "basis": "vital_interests", "categories": "medical", "description": "Health on the journey",
                "recipients": "Medical officers", "retention": "5 years", "safeguards": "Medical officers only",
            ]
            var wrong = form
            wrong["basis"] = "because"
            wrong["categories"] = "medical,dna"
            let badSave = try await admin.post("/protection/register/medical_data", form: wrong)
            #expect(badSave.status == .unprocessableEntity)
            #expect(badSave.body.string.contains("f-p-medical_data-basis-error"))
            #expect(badSave.body.string.contains("dna is not a category"))
            #expect(try await admin.post("/protection/register/medical_data", form: form).status == .seeOther)
            #expect(try await R.call(h, .PUT, path, as: .medicalOfficer, medical).status == .ok)
            let record = try await admin.get("/protection")
            #expect(record.body.string.contains("Health on the journey") && record.body.string.contains("Vital"))
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            #expect(
                try await counsellor.post("/protection/register/medical_data", form: form).status == .forbidden)
            #expect(try await counsellor.get("/protection").status == .forbidden)
            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            #expect(try await manager.get("/protection").status == .ok)
            #expect(
                try await manager.post("/protection/register/medical_data", form: form).status == .forbidden)
            #expect(
                try await AuditEntry.query(on: h.app.db).filter(\.$entity == "processing_purpose").count() == 1)
            // DNA verification keeps consent as its basis: its refusal names it.
            #expect(
                try await ProcessingBasis.refusal(.dnaVerification, person: s.person.id, on: h.app.db)?
                    .contains("consent to DNA verification is not recorded") == true)
            try await ProtectionFixtures.consent(h, s.person.id, .dnaVerification)
            #expect(try await ProcessingBasis.refusal(.dnaVerification, person: s.person.id, on: h.app.db) == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_notification_waits_for_a_sharing_agreement_and_goes_once_one_is_recorded(_ db: TestDatabase)
        async throws
    {
        let receiver = try await WebhookReceiver.start()
        defer { Task { await receiver.stop() } }
        try await withHarness(db) { h in
            let p = try await DeliveryTests.partnered(h, "Agency North", url: receiver.url("north"), agreed: false)
            try await DeliveryTests.departed(h, p.setup, reference: "NORTH1")
            let worker = OutboxWorker(app: h.app)
            try await worker.runOnce()
            #expect(receiver.received.isEmpty)
            let held = try #require(try await OutboxMessage.query(on: h.app.db).filter(\.$kind == .webhook).first())
            #expect(held.status == .held)
            #expect(held.lastError?.contains("no live sharing agreement with Agency North") == true)
            // The administrator sees what waits, and records the agreement on the page.
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let page = try await admin.get("/protection/agreements")
            #expect(page.body.string.contains("Waiting for an agreement (1)"))
            let bad = try await admin.post(
                "/protection/agreements",
                form: [
                    "partnerID": p.setup.agency.uuidString, "purposes": "partner_sharing,gossip",
                    "categories": "ordinary", "startsOn": "2026-13-01", "documentReference": "",
                ])
            #expect(bad.status == .unprocessableEntity)
            for field in ["purposes", "startsOn", "documentReference"] {
                #expect(bad.body.string.contains("f-agreement-\(field)-error"), "\(field)")
            }
            #expect(try await h.count(SharingAgreement.self) == 0)
            let recorded = try await admin.post(
                "/protection/agreements",
                form: [
                    "partnerID": p.setup.agency.uuidString, "purposes": "partner_sharing", "categories": "ordinary",
                    "startsOn": Clock.today(plus: -1).isoText, "documentReference": "DSA-2026-004",
                ])
            #expect(recorded.status == .seeOther)
            #expect(try await OutboxMessage.find(held.id, on: h.app.db)?.status == .pending)
            try await worker.runOnce()
            #expect(receiver.received.count == 1)
            let log = try await TransferRecord.query(on: h.app.db).filter(\.$channel == "webhook").all()
            #expect(log.count == 1 && log[0].recipient == "Agency North" && log[0].basis.contains("DSA-2026-004"))
            let transfers = try await admin.get("/protection/transfers")
            #expect(transfers.body.string.contains("DSA-2026-004"))
            // Other roles find none of it.
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            for path in ["/protection/agreements", "/protection/transfers"] {
                #expect(try await counsellor.get(path).status == .forbidden)
            }
            #expect(
                try await counsellor.post(
                    "/protection/agreements", form: ["partnerID": p.setup.agency.uuidString]
                ).status == .forbidden)
            for page in ["99999999999", "-1", "x"] {
                #expect(try await admin.get("/protection/transfers?page=\(page)").status == .unprocessableEntity)
            }
            #expect(try await admin.get("/protection/transfers?page=1000000").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_withdrawn_consent_cancels_the_texts_that_rest_on_it(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            try await h.app.db.query(ProcessingEntry.self).filter(\.$purpose == "sms").set(\.$basis, to: "consent")
                .update()
            let s = try await MovementsTests.setUp(h)
            // Texts rest on consent now: without it, a reminder is not sent, with the reason.
            let draft = Outbox.Draft(
                kind: .sms, eventKey: "test:1", personID: s.person.id, destination: "+31612345678", body: "Hello",
                label: "reminder")
            let first = try #require(try await Outbox.enqueue(draft, on: h.app.db))
            _ = try await OutboxWorker(app: h.app, channels: []).claim()
            let cancelled = try #require(try await OutboxMessage.find(first.id, on: h.app.db))
            #expect(cancelled.status == .cancelled)
            #expect(cancelled.lastError?.contains("consent to text messages is not recorded") == true)
            // Given, then withdrawn: a waiting text is cancelled at once.
            try await ProtectionFixtures.consent(h, s.person.id, .sms)
            var next = draft
            next.id = UUID(); next.eventKey = "test:2"; next.dueAt = Clock.now().addingTimeInterval(3600)
            let waiting = try #require(try await Outbox.enqueue(next, on: h.app.db))
            let c = try #require(try await ConsentRecord.query(on: h.app.db).first())
            let res = try await h.send(
                .POST, "/api/v1/persons/\(s.person.id)/consents/\(c.id!)/withdraw", as: .counsellor,
                json: ["withdrawnOn": R.today()])
            #expect(res.status == .ok)
            let after = try #require(try await OutboxMessage.find(waiting.id, on: h.app.db))
            #expect(after.status == .cancelled && after.lastError?.contains("withdrew") == true)
        }
    }
}

@Suite struct SubjectAccessTests {
    @Test(arguments: TestDatabase.available)
    func an_export_holds_every_module_record_of_the_person_and_nothing_of_anyone_else(_ db: TestDatabase)
        async throws
    {
        try await withHarness(db) { h in
            let s = try await MovementsTests.setUp(h)
            let other = try await MovementsTests.person(h, "Haddad", phone: "+31611112222")
            let link = try await h.send(
                .POST, "/api/v1/persons/\(s.person.id)/household", as: .counsellor,
                json: ["relatedPersonID": other.id.uuidString, "relationship": "spouse"])
            #expect(link.status == .created, "\(link.body.string)")
            let theirs = try await h.send(
                .POST, "/api/v1/return/cases", as: .counsellor,
                json: [
                    "personID": other.id.uuidString, "ownerID": h.users[.counsellor]!.uuidString,
                    "referralSource": "self", "preferredLanguage": "ar", "destinationCountry": "TN",
                ])
            #expect(theirs.status == .created, "\(theirs.body.string)")
            let booked = try await MovementsTests.book(h, s.caseID, MovementsTests.tunis(s, days: 9))
            #expect(booked.status == .created, "\(booked.body.string)")
            try await ProtectionFixtures.consent(h, s.person.id, .sms)
            // Logged at the desk: bad input first.
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            let path = "/persons/\(s.person.id.uuidString)/requests"
            let bad = try await counsellor.post(path, form: ["kind": "delete", "receivedOn": "2026-02-30"])
            #expect(bad.status == .unprocessableEntity)
            for field in ["kind", "receivedOn", "channel"] {
                #expect(bad.body.string.contains("f-request-\(field)-error"), "\(field)")
            }
            let noDetails = try await counsellor.post(
                path, form: ["kind": "rectification", "receivedOn": Clock.today().isoText, "channel": "desk"])
            #expect(noDetails.body.string.contains("f-request-details-error"))
            #expect(try await h.count(SubjectRequest.self) == 0)
            let logged = try await counsellor.post(
                path, form: ["kind": "access", "receivedOn": "2026-01-31", "channel": "At the desk"])
            #expect(logged.status == .seeOther)
            let request = try #require(try await SubjectRequest.query(on: h.app.db).first())
            #expect(request.dueOn == "2026-02-28", "a month later, the last day of a shorter month")
            // Only managers answer it.
            let base = "/protection/requests/\(request.id!.uuidString)"
            let password = ["password": "a long passphrase", "confirmation": "a long passphrase"]
            #expect(try await counsellor.post(base + "/export", form: password).status == .forbidden)
            #expect(try await counsellor.get("/protection/requests").status == .forbidden)
            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            let list = try await manager.get("/protection/requests")
            #expect(list.body.string.contains("overdue") == (Clock.today().isoText > "2026-02-28"))
            // It leaves only in an archive protected by a password: a short one, or one mistyped, is refused.
            let short = try await manager.post(base + "/export", form: ["password": "short", "confirmation": "short"])
            #expect(short.status == .unprocessableEntity && short.body.string.contains("f-export-password-error"))
            #expect(!short.body.string.contains("value=\"short\""), "a password is never sent back")
            let mistyped = try await manager.post(
                base + "/export", form: ["password": "a long passphrase", "confirmation": "a long passphrass"])
            #expect(mistyped.body.string.contains("f-export-confirmation-error"))
            let res = try await manager.post(base + "/export", form: password)
            #expect(res.status == .ok, "\(res.body.string)")
            #expect(res.headers.first(name: .contentDisposition)?.contains("subject-access-") == true)
            let zip = Array(res.body.readableBytesView)
            #expect(throws: ProtectedZip.Refused.self) { try ProtectedZip.open(zip, password: "a wrong passphrase") }
            let files = try ProtectedZip.open(zip, password: "a long passphrase")
            #expect(files.count == 1 && files[0].name.hasSuffix(".json"))
            #expect(!String(decoding: zip, as: UTF8.self).contains(s.person.familyName), "the archive is encrypted")
            let export = try JSONDecoder().decode(SubjectAccess.Export.self, from: Data(files[0].data))
            let tables = Set(export.sections.filter { !$0.rows.isEmpty }.map(\.table))
            for table in [
                "persons", "cases", "return_cases", "case_events", "bookings", "booking_passengers", "legs",
                "household_links", "consents", "subject_requests",
            ] {
                #expect(tables.contains(table), "\(table) in \(tables.sorted())")
            }
            let text = String(decoding: files[0].data, as: UTF8.self)
            #expect(text.contains(s.person.reference) && text.contains("Ben Salah"))
            #expect(!text.contains(other.id.uuidString) && !text.contains(other.reference))
            #expect(!text.contains("Haddad") && !text.contains("+31611112222"))
            #expect(text.contains(SubjectAccess.withheld))
            #expect(!export.accesses.isEmpty)
            // The other person's export holds the link, with this person withheld, and none of this one's case.
            let mine = try await SubjectAccess.export(other.id, on: h.app.db)
            let json = String(decoding: try JSONEncoder().encode(mine), as: UTF8.self)
            #expect(!json.contains(s.person.id.uuidString) && !json.contains(s.caseReference))
            #expect(json.contains("household_links"))
            let printed = try await manager.get(base + "/print")
            #expect(printed.status == .ok && printed.body.string.contains("Ben Salah"))
            #expect(
                try await AuditEntry.query(on: h.app.db).filter(\.$entity == "subject_access")
                    .filter(\.$action == "export").count() == 2)
            // Closed with its outcome, once.
            let refused = try await manager.post(base + "/close", form: ["status": "lost", "outcome": ""])
            #expect(refused.status == .unprocessableEntity)
            #expect(
                try await manager.post(base + "/close", form: ["status": "completed", "outcome": "Handed over"])
                    .status == .seeOther)
            #expect(
                try await manager.post(base + "/close", form: ["status": "completed", "outcome": "Again"]).status
                    == .conflict)
        }
    }
}

@Suite struct RetentionTests {
    @Test(arguments: TestDatabase.available)
    func the_retention_job_anonymises_what_is_due_and_keeps_the_years_figures(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            try await ImportTests.setUp(h)
            _ = try await ImportTests.run(h, ImportTests.year)
            // The two who left: their cases closed in 2025.
            for (family, given) in [("Haddad", "Ali"), ("Beridze", "Giorgi")] {
                let p = try #require(
                    try await Person.query(on: h.app.db).filter(\.$familyName == family)
                        .filter(\.$givenNames == given).first())
                try await Case.query(on: h.app.db).filter(\.$person.$id == p.id!).set(\.$status, to: .closed)
                    .set(\.$closedOn, to: "2025-07-01").update()
            }
            let figures = try await PassageServices.periodFigures(from: "2025-01-01", to: "2025-12-31", on: h.app)
            let later = PartialDate(year: 2031, month: 3, day: 1)!
            // Not due today; due in 2031 (five years on), except whom a hold keeps.
            #expect(try await Retention.due(on: h.app.db).persons == 0)
            #expect(try await Retention.due(on: h.app.db, today: later).persons == 2)
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let beridze = try #require(try await Person.query(on: h.app.db).filter(\.$familyName == "Beridze").first())
            let badHold = try await admin.post("/protection/retention/holds", form: ["person": "P-999999"])
            #expect(badHold.status == .unprocessableEntity)
            #expect(
                badHold.body.string.contains("f-hold-person-error")
                    && badHold.body.string.contains("f-hold-reason-error"))
            #expect(
                try await admin.post(
                    "/protection/retention/holds", form: ["person": beridze.reference, "reason": "Court case 2031/17"]
                ).status == .seeOther)
            let due = try await Retention.due(on: h.app.db, today: later)
            #expect(due.persons == 1 && due.sample.map(\.closedOn) == ["2025-07-01"])
            let actor = Actor(id: h.users[.administrator]!.uuidString, name: "administrator")
            #expect(try await Retention.run(actor: actor, on: h.app, today: later) == 1)
            #expect(try await Retention.run(actor: actor, on: h.app, today: later) == 0, "once only")
            // Names, the day and month of birth, contacts, documents, links and notes are gone.
            let ali = try #require(try await Person.query(on: h.app.db).filter(\.$familyName == "Anonymised").first())
            #expect(ali.givenNames == "" && ali.phone == nil && ali.dobYear == 1988 && ali.dobMonth == nil)
            #expect(try await IdentityDocument.query(on: h.app.db).filter(\.$person.$id == ali.id!).count() == 0)
            #expect(try await HouseholdLink.query(on: h.app.db).count() == 0)
            let notes = try await CounsellingSession.query(on: h.app.db).all().map(\.notes)
            #expect(!notes.contains("First talk"))
            let found = try await PersonSearch.counted(
                .init(name: "Ali Haddad", document: "", limit: 10, offset: 0), on: h.app.db, index: h.app.nameIndex)
            #expect(!found.hits.map(\.id).contains(ali.id!))
            // The others stay as they were; the year's figures are the same.
            #expect(try await Person.query(on: h.app.db).filter(\.$familyName == "Beridze").count() == 1)
            #expect(try await Person.query(on: h.app.db).filter(\.$familyName == "Haddad").count() == 1)
            let after = try await PassageServices.periodFigures(from: "2025-01-01", to: "2025-12-31", on: h.app)
            #expect(after.count == figures.count)
            for (key, value) in figures { #expect(after[key]?.value == value.value, "\(key)") }
            #expect(try await AuditEntry.query(on: h.app.db).filter(\.$note ~~ "retention schedule").count() == 1)
            #expect(try await AuditLog.verify(on: h.app.db).firstBroken == nil)
            // The page: a counsellor finds no way in; the schedule refuses a silly period.
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            #expect(try await counsellor.get("/protection/retention").status == .forbidden)
            #expect(try await counsellor.post("/protection/retention/run", form: [:]).status == .forbidden)
            for years in ["0", "-3", "x", "99999999999999999999"] {
                let res = try await admin.post("/protection/retention/schedule", form: ["years": years])
                #expect(res.status == .unprocessableEntity, "\(years)")
            }
            let page = try await admin.get("/protection/retention")
            #expect(page.status == .ok && page.body.string.contains("Court case 2031/17"))
        }
    }
}

@Suite struct BreakGlassTests {
    @Test(arguments: TestDatabase.available)
    func a_record_opened_in_an_emergency_is_read_for_an_hour_logged_and_reviewed(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.open(h, s)
            let base = "/api/v1/return/cases/\(c.case.id)"
            try await ProtectionFixtures.consent(h, s.person.id, .medicalData)
            let saved = try await ReturnAPITests.call(
                h, .PUT, base + "/vulnerabilities/medical", as: .medicalOfficer,
                ["category": "diabetes", "chronic": "true", "escort": "medical"])
            #expect(saved.status == .ok, "\(saved.body.string)")
            func medical(_ role: Role) async throws -> MedicalRecord? {
                try decode(ReturnFile.self, try await h.send(.GET, base, as: role)).vulnerabilities
                    .first { $0.kind == "medical" }?.medical
            }
            #expect(try await medical(.counsellor) == nil)
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            let path = "/return/cases/\(c.case.id.uuidString)/emergency-access"
            let file = try await counsellor.get("/return/cases/\(c.case.id.uuidString)")
            #expect(file.body.string.contains("Open in an emergency"))
            let short = try await counsellor.post(path, form: ["category": "medical", "reason": "needed"])
            #expect(short.status == .unprocessableEntity && short.body.string.contains("f-emergency-reason-error"))
            let wrong = try await counsellor.post(
                path, form: ["category": "genetic", "reason": "Collapsed at the gate, the doctor asks"])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("f-emergency-category-error"))
            #expect(try await h.count(EmergencyAccess.self) == 0)
            let opened = try await counsellor.post(
                path, form: ["category": "medical", "reason": "Collapsed at the gate, the doctor asks"])
            #expect(opened.status == .seeOther)
            #expect(try await medical(.counsellor)?.category == .diabetes)
            #expect(try await medical(.movementsOfficer) == nil, "only whoever opened it")
            let entry = try #require(
                try await AuditEntry.query(on: h.app.db).filter(\.$entity == "emergency_access").first())
            #expect(entry.note.contains("Collapsed at the gate") && entry.personID == s.person.id.uuidString)
            // A medical officer may read it already: no emergency needed.
            let doctor = BrowserSession(app: h.app)
            try await doctor.login("medical.officer")
            #expect(
                try await doctor.post(path, form: ["category": "medical", "reason": "Just to look at it again"])
                    .status == .conflict)
            // After the hour it is closed again.
            let access = try #require(try await EmergencyAccess.query(on: h.app.db).first())
            access.expiresAt = Clock.now().addingTimeInterval(-1)
            try await access.update(on: h.app.db)
            #expect(try await medical(.counsellor) == nil)
            // The managers are told and review it; whoever opened it does not review it.
            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            #expect(try await manager.get("/cases/mine").body.string.contains("1 emergency access"))
            let list = try await manager.get("/protection/emergency")
            #expect(list.body.string.contains("Collapsed at the gate"))
            let review = "/protection/emergency/\(access.id!.uuidString)/review"
            #expect(try await counsellor.post(review, form: ["note": "Fine"]).status == .forbidden)
            #expect(try await manager.post(review, form: ["note": ""]).status == .unprocessableEntity)
            #expect(try await manager.post(review, form: ["note": "Justified: ambulance called"]).status == .seeOther)
            #expect(try await manager.post(review, form: ["note": "Again"]).status == .conflict)
            #expect(!(try await manager.get("/cases/mine").body.string.contains("emergency access")))
            #expect(try await BrowserSession(app: h.app).get("/protection/emergency").status != .ok)
        }
    }
}
