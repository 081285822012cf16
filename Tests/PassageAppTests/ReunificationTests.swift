import Fluent
import Foundation
import PassageDomain
import SQLKit
import Testing
import VaporTesting

@testable import PassageApp

@Suite(.serialized) struct ReunificationTests {
    struct Setup {
        var centre: ReunificationAPIController.CentreDTO
        var indToken: String
        var sponsor: UUID
        var day: String
    }

    /// The next weekday at least two days ahead, as a day in Addis Ababa.
    static func nextWeekday() -> String {
        var day = Clock.today(plus: 2)
        while CentreSchedule.weekday(of: day) > 5 { day = PartialDate(parsing: ReunificationPaths.shift(day, by: 1))! }
        return day.isoText
    }

    /// An office abroad with a schedule, the immigration service with its own account, and a sponsor.
    static func setUp(_ h: Harness) async throws -> Setup {
        let app = h.app
        let office = try await RegistryRecords.save(
            location: Location(name: "Office Addis Ababa", kind: .officeAbroad, city: "Addis Ababa", country: "ET"),
            replacing: nil, actor: .system, on: app)
        let res = try await h.send(
            .PUT, "/api/v1/reunification/centres/\(office.id!.uuidString)", as: .familyReunificationOfficer,
            json: [
                "timeZone": "Africa/Addis_Ababa", "openDays": "1,2,3,4,5", "opens": "08:30", "closes": "16:00",
                "slotMinutes": "30", "dnaCapacity": "1", "interviewCapacity": "1", "holidays": "2027-01-07",
            ])
        #expect(res.status == .ok, "\(res.body.string)")
        let centre = try decode(ReunificationAPIController.CentreDTO.self, res)
        let ind = try await RegistryRecords.save(
            partner: Partner(name: "Immigration Service", kind: .immigrationService, country: "NL"), replacing: nil,
            actor: .system, on: app)
        let user = try await UserRecords.create(
            .init(
                username: "ind.caseworker", displayName: "IND caseworker", password: testPassword, roles: [.partner],
                partnerID: ind.id, locale: "en", active: true), actor: .system, on: app)
        let token = try await UserRecords.issueToken(for: user.id!, name: "referrals", actor: .system, on: app)
        let sponsor = try await MovementsTests.person(h, "Haile", phone: nil)
        return Setup(centre: centre, indToken: token, sponsor: sponsor.id, day: nextWeekday())
    }

    static func referralBody(_ s: Setup, file: String = "IND-2026-0001") -> [String: AnyEncodable] {
        let child = PersonForm(
            familyName: "Haile", givenNames: "Selam", sex: "F", dateOfBirth: "2014-05-01", nationality: "ET",
            languages: ["ti"], phone: "+251911234567")
        let wife = PersonForm(
            familyName: "Tesfaye", givenNames: "Mulu", sex: "F", dateOfBirth: "1988-02-11", nationality: "ET",
            languages: ["am"], phone: "+251911765432")
        return [
            "indFileNumber": AnyEncodable(file), "deadline": AnyEncodable(Clock.today(plus: 60).isoText),
            "centreID": AnyEncodable(s.centre.id.uuidString), "sponsorID": AnyEncodable(s.sponsor.uuidString),
            "members": AnyEncodable([
                ReferralForm.MemberForm(person: child, relationship: "child", verification: "dna"),
                ReferralForm.MemberForm(person: wife, relationship: "spouse", verification: "both"),
            ]),
        ]
    }

    /// Records a collection from a family member (or at an appointment) with an identity check and a seal.
    static func collect(
        _ h: Harness, _ file: ReferralFile, member: UUID? = nil, appointment: UUID? = nil, seal: String
    ) async throws -> TestingHTTPResponse {
        var body = [
            "documentSeen": "passport EP1234567", "photoTaken": "true", "witness": "Dawit Bekele", "sealNumber": seal,
        ]
        body["memberID"] = member?.uuidString
        body["appointmentID"] = appointment?.uuidString
        // The sample rests on the person's consent to DNA verification.
        var memberID = member
        if let a = appointment { memberID = try await FRAppointment.find(a, on: h.app.db)?.$member.id }
        if let mid = memberID, let m = try await FRMember.find(mid, on: h.app.db),
            try await ProcessingBasis.refusal(.dnaVerification, person: m.$person.id, on: h.app.db) != nil
        {
            try await ProtectionFixtures.consent(h, m.$person.id, .dnaVerification)
        }
        return try await h.send(
            .POST, "/api/v1/reunification/referrals/\(file.id)/samples", as: .familyReunificationOfficer, json: body)
    }

    func sendAs(_ h: Harness, token: String, _ method: HTTPMethod, _ path: String, json: [String: AnyEncodable]?)
        async throws -> TestingHTTPResponse
    {
        try await h.app.testing().sendRequest(
            method, path,
            beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                if let json { try req.content.encode(json, as: .json) }
            })
    }

    @Test(arguments: TestDatabase.available)
    func aReferralGoesFromTheIndToAnAppointmentASampleTwoHandOversAndAResult(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            // The IND refers a family through its own account; it subscribed to results.
            let sub = WebhookSubscription()
            sub.$partner.id = try await Partner.query(on: h.app.db).filter(\.$kind == .immigrationService).first()!.id!
            sub.eventType = "dna.result"; sub.url = "http://127.0.0.1:9/results"; sub.secret = "s"; sub.active = true
            sub.createdBy = "admin"
            try await sub.create(on: h.app.db)
            let created = try await sendAs(
                h, token: s.indToken, .POST, "/api/v1/reunification/referrals", json: Self.referralBody(s))
            #expect(created.status == .created, "\(created.body.string)")
            let file = try decode(ReferralFile.self, created)
            #expect(file.members.count == 2 && file.referredBy == "Immigration Service")
            let child = file.members.first { $0.relationship == .child }!
            let wife = file.members.first { $0.relationship == .spouse }!

            // One DNA place per slot: the second family member is refused, or waits.
            let slot: [String: String] = ["service": "dna_sampling", "day": s.day, "time": "09:00"]
            let booked = try await h.send(
                .POST, "/api/v1/reunification/referrals/\(file.id)/appointments", as: .familyReunificationOfficer,
                json: slot.merging(["memberID": child.id.uuidString]) { $1 })
            #expect(booked.status == .created, "\(booked.body.string)")
            let first = try decode(ReferralFile.Appointment.self, booked)
            #expect(first.centreTime.hasSuffix("09:00 (Africa/Addis_Ababa)"))
            #expect(first.netherlandsTime.contains("07:00") || first.netherlandsTime.contains("08:00"))
            let full = try await h.send(
                .POST, "/api/v1/reunification/referrals/\(file.id)/appointments", as: .familyReunificationOfficer,
                json: slot.merging(["memberID": wife.id.uuidString]) { $1 })
            #expect(full.status == .conflict && full.body.string.contains("is full"))
            let waiting = try decode(
                ReferralFile.Appointment.self,
                try await h.send(
                    .POST, "/api/v1/reunification/referrals/\(file.id)/appointments",
                    as: .familyReunificationOfficer,
                    json: slot.merging(["memberID": wife.id.uuidString, "waitingList": "true"]) { $1 }))
            #expect(waiting.status == .waiting)
            // The SMS tells the child's phone the place and time in Tigrinya, and never what it is for.
            let sms = try await OutboxMessage.query(on: h.app.db).filter(\.$kind == .sms).all()
            #expect(sms.count == 1 && sms[0].body.contains("ቆጸራኹም") && !sms[0].body.contains("DNA"))
            // The invitation.
            let ics = try await h.send(
                .GET, "/api/v1/reunification/appointments/\(first.id)/calendar.ics", as: .familyReunificationOfficer)
            #expect(ics.status == .ok && ics.body.string.contains("BEGIN:VEVENT\r\n"))

            // Cancelling the child's place gives it to the wife, who was waiting.
            let cancelled = try await h.send(
                .POST, "/api/v1/reunification/appointments/\(first.id)/transitions", as: .familyReunificationOfficer,
                json: ["to": "cancelled"])
            #expect(cancelled.status == .ok)
            let now = try await FRAppointment.find(waiting.id, on: h.app.db)!
            #expect(now.status == .booked && now.minute == 540)
            // Rebook the child at 09:30, then collect from the child at that appointment.
            let again = try decode(
                ReferralFile.Appointment.self,
                try await h.send(
                    .POST, "/api/v1/reunification/referrals/\(file.id)/appointments",
                    as: .familyReunificationOfficer,
                    json: ["service": "dna_sampling", "day": s.day, "time": "09:30", "memberID": child.id.uuidString]))
            let collected = try await Self.collect(h, file, appointment: again.id, seal: "SL-004417")
            #expect(collected.status == .created, "\(collected.body.string)")
            let sample = try decode(ReferralFile.Sample.self, collected)
            #expect(sample.identifier.hasPrefix("DNA-") && sample.holderKind == .collector)

            // Hand-overs: from someone who does not hold it, refused; collector → courier → laboratory.
            let path = "/api/v1/reunification/samples/\(sample.id)"
            let stranger = try await h.send(
                .POST, path + "/handovers", as: .familyReunificationOfficer,
                json: [
                    "from": "Someone", "to": "courier", "receiver": "Yonas", "sealNumber": "SL-004417",
                    "sealIntact": "true",
                ])
            #expect(stranger.status == .conflict && stranger.body.string.contains("does not hold"))
            let notYet = try await h.send(
                .POST, path + "/result", as: .familyReunificationOfficer,
                json: ["outcome": "match", "reportReference": "LAB-1"])
            #expect(notYet.status == .conflict)
            for (from, to) in [("Test family_reunification_officer", "courier"), ("Yonas", "laboratory")] {
                let r = try await h.send(
                    .POST, path + "/handovers", as: .familyReunificationOfficer,
                    json: [
                        "from": from, "to": to, "receiver": to == "courier" ? "Yonas" : "Lab Addis",
                        "sealNumber": "SL 004417", "sealIntact": "true",
                    ])
                #expect(r.status == .created, "\(r.body.string)")
            }
            let result = try decode(
                ReferralFile.Sample.self,
                try await h.send(
                    .POST, path + "/result", as: .familyReunificationOfficer,
                    json: ["outcome": "match", "reportReference": "LAB-2026-881"]))
            #expect(
                result.status == .resulted
                    && result.custody.map(\.kind) == [
                        "collected", "handover", "handover", "result",
                    ])
            // A result is genetic data: neither its outcome nor the report's reference is stored in clear.
            let stored = try await h.app.db.sql.select().column("outcome").column("report_reference")
                .from("fr_samples").where("id", .equal, SQLBind(sample.id)).first()!
            for (column, plain) in [("outcome", "match"), ("report_reference", "LAB-2026-881")] {
                let value = try stored.decode(column: column, as: String.self)
                #expect(value.hasPrefix("pe1:") && FieldCipher.keyring.open(value) == plain, "\(column): \(value)")
            }
            let hook = try await OutboxMessage.query(on: h.app.db).filter(\.$kind == .webhook).all()
            #expect(
                hook.count == 1 && hook[0].body.contains("\"outcome\":\"match\"")
                    && hook[0].body.contains("IND-2026-0001"))

            // The IND reads its own referral and the result; it cannot write.
            let ownRead = try await sendAs(h, token: s.indToken, .GET, path, json: nil)
            #expect(ownRead.status == .ok && ownRead.body.string.contains("LAB-2026-881"))
            let write = try await sendAs(
                h, token: s.indToken, .POST, path + "/result", json: ["outcome": AnyEncodable("match")])
            #expect(write.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBrokenChainCompromisesTheSampleAndItsResultIsRefused(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            let file = try decode(
                ReferralFile.self,
                try await h.send(
                    .POST, "/api/v1/reunification/referrals", as: .familyReunificationOfficer,
                    json: Self.referralBody(s)))
            #expect(file.referredBy == "Test family_reunification_officer")
            let child = file.members.first { $0.relationship == .child }!
            let collected = try await Self.collect(h, file, member: child.id, seal: "SL-1")
            let sample = try decode(ReferralFile.Sample.self, collected)
            let path = "/api/v1/reunification/samples/\(sample.id)"
            let hand: [String: String] = [
                "from": "Test family_reunification_officer", "to": "courier", "receiver": "Yonas",
                "sealNumber": "SL-2", "sealIntact": "true",
            ]
            // Another seal number: refused as a probable typing error, with nothing written…
            let mismatch = try await h.send(.POST, path + "/handovers", as: .familyReunificationOfficer, json: hand)
            #expect(mismatch.status == .unprocessableEntity && mismatch.body.string.contains("sealNumber"))
            #expect(try await FRCustodyEvent.query(on: h.app.db).count() == 1)
            // …and, confirmed, the sample is compromised.
            let confirmed = try decode(
                ReferralFile.Sample.self,
                try await h.send(
                    .POST, path + "/handovers", as: .familyReunificationOfficer,
                    json: hand.merging(["confirmMismatch": "true"]) { $1 }))
            #expect(confirmed.status == .compromised && confirmed.compromisedReason?.contains("SL-2") == true)
            let refused = try await h.send(
                .POST, path + "/result", as: .familyReunificationOfficer,
                json: ["outcome": "match", "reportReference": "LAB-9"])
            #expect(refused.status == .conflict && refused.body.string.contains("compromised"))
            // A new collection is now allowed for the same family member.
            let again = try await Self.collect(h, file, member: child.id, seal: "SL-3")
            #expect(again.status == .created)
            // The chain of custody cannot be changed or removed, whoever writes to the database.
            let sql = h.app.db as! any SQLDatabase
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE fr_custody_events SET note = 'edited'").run()
            }
            await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM fr_custody_events").run() }
        }
    }

    @Test(arguments: TestDatabase.available)
    func badInputIsRefusedWithTheFieldAndNothingWritten(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            var body = Self.referralBody(s)
            body["deadline"] = AnyEncodable("2026-02-30")
            body["members"] = AnyEncodable([ReferralForm.MemberForm(personID: "nope", relationship: "cousin")])
            let bad = try await h.send(
                .POST, "/api/v1/reunification/referrals", as: .familyReunificationOfficer, json: body)
            #expect(bad.status == .unprocessableEntity)
            let fields = Set(try decode(ErrorBody.self, bad).fields!.map(\.field))
            #expect(fields.isSuperset(of: ["deadline", "members.1.personID", "members.1.relationship"]))
            let referrals = try await h.count(FRReferral.self)
            let cases = try await h.count(Case.self)
            #expect(referrals == 0 && cases == 0)
            // The reception agency's account is not the immigration service.
            let agency = try await h.send(
                .POST, "/api/v1/reunification/referrals", as: .partner, json: Self.referralBody(s))
            #expect(agency.status == .forbidden)
            let file = try decode(
                ReferralFile.self,
                try await h.send(
                    .POST, "/api/v1/reunification/referrals", as: .manager, json: Self.referralBody(s)))
            let dup = try await h.send(
                .POST, "/api/v1/reunification/referrals", as: .manager, json: Self.referralBody(s))
            #expect(dup.status == .unprocessableEntity && dup.body.string.contains("referred already"))
            let child = file.members.first { $0.relationship == .child }!
            let book = "/api/v1/reunification/referrals/\(file.id)/appointments"
            for (time, reason) in [("16:00", "outside opening hours"), ("09:10", "start of a slot"), ("9h", "09:30")] {
                let r = try await h.send(
                    .POST, book, as: .manager,
                    json: ["memberID": child.id.uuidString, "service": "dna_sampling", "day": s.day, "time": time])
                #expect(r.status == .unprocessableEntity && r.body.string.contains(reason), "\(time)")
            }
            let holiday = try await h.send(
                .POST, book, as: .manager,
                json: [
                    "memberID": child.id.uuidString, "service": "dna_sampling", "day": "2027-01-07", "time": "09:00",
                ])
            #expect(holiday.status == .unprocessableEntity)
            let interview = try await h.send(
                .POST, book, as: .manager,
                json: ["memberID": child.id.uuidString, "service": "interview", "day": s.day, "time": "09:00"])
            #expect(interview.status == .unprocessableEntity && interview.body.string.contains("no interview"))
            let schedule = try await h.send(
                .PUT, "/api/v1/reunification/centres/\(s.centre.locationID)", as: .administrator,
                json: [
                    "timeZone": "Nowhere", "openDays": "9", "opens": "25:00", "closes": "08:00",
                    "slotMinutes": "100000", "dnaCapacity": "-5", "interviewCapacity": "1",
                ])
            #expect(schedule.status == .unprocessableEntity)
            #expect(try await h.count(FRAppointment.self) == 0)
            let page = try await h.send(.GET, "/api/v1/reunification/referrals?page=99999999999", as: .manager)
            #expect(page.status == .unprocessableEntity || page.status == .badRequest)
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyTheProgrammeAndTheReferringServiceReadAFamilysRecords(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            let file = try decode(
                ReferralFile.self,
                try await sendAs(
                    h, token: s.indToken, .POST, "/api/v1/reunification/referrals", json: Self.referralBody(s)))
            let mine = try await h.send(
                .POST, "/api/v1/reunification/referrals", as: .manager,
                json: Self.referralBody(s, file: "IND-2026-0002"))
            let other = try decode(ReferralFile.self, mine)
            for role in [Role.counsellor, .medicalOfficer, .movementsOfficer, .visaClerk, .administrator] {
                let r = try await h.send(.GET, "/api/v1/reunification/referrals/\(file.id)", as: role)
                #expect(r.status == .forbidden, "\(role)")
            }
            // The IND reads its own referral, and finds the office's own as if it did not exist.
            #expect(
                try await sendAs(h, token: s.indToken, .GET, "/api/v1/reunification/referrals/\(file.id)", json: nil)
                    .status == .ok)
            #expect(
                try await sendAs(h, token: s.indToken, .GET, "/api/v1/reunification/referrals/\(other.id)", json: nil)
                    .status == .notFound)
            let list = try await sendAs(h, token: s.indToken, .GET, "/api/v1/reunification/referrals", json: nil)
            #expect(list.body.string.contains("IND-2026-0001") && !list.body.string.contains("IND-2026-0002"))
            // The case's timeline: a counsellor reads the case, not the programme's lines about the family.
            let tl = try await h.send(.GET, "/api/v1/cases/\(file.caseID)", as: .counsellor)
            #expect(tl.status == .ok && !tl.body.string.contains("Referral from the IND"))
            let officer = try await h.send(.GET, "/api/v1/cases/\(file.caseID)", as: .familyReunificationOfficer)
            #expect(officer.body.string.contains("Referral from the IND"))
            // Every reading is in the audit trail.
            let views = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "fr_referral")
                .filter(\.$action == "view").count()
            #expect(views >= 3)
        }
    }

    @Test func thePagesWalkAReferralToASampleLabel() async throws {
        try await withHarness(.sqlite) { h in
            let s = try await Self.setUp(h)
            let file = try decode(
                ReferralFile.self,
                try await h.send(
                    .POST, "/api/v1/reunification/referrals", as: .familyReunificationOfficer,
                    json: Self.referralBody(s)))
            let browser = BrowserSession(app: h.app)
            try await browser.login("family.reunification.officer")
            let overview = try await browser.get("/reunification")
            #expect(overview.status == .ok && overview.body.string.contains("IND-2026-0001"))
            let page = try await browser.get(ReunificationPaths.referral(file.id))
            #expect(page.status == .ok && page.body.string.contains("Selam"))
            let child = file.members.first { $0.relationship == .child }!
            let refused = try await browser.post(
                ReunificationPaths.referral(file.id) + "/appointments",
                form: ["memberID": child.id.uuidString, "service": "dna_sampling", "day": s.day, "time": "07:00"])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("outside opening hours"))
            let booked = try await browser.post(
                ReunificationPaths.referral(file.id) + "/appointments",
                form: ["memberID": child.id.uuidString, "service": "dna_sampling", "day": s.day, "time": "09:00"])
            #expect(booked.status == .seeOther)
            let sheet = try await browser.get(ReunificationPaths.centre(s.centre.id) + "?day=\(s.day)")
            #expect(sheet.status == .ok && sheet.body.string.contains("Haile, Selam"))
            let first = try await FRAppointment.query(on: h.app.db).first()!
            // Rescheduling from the page: to a holiday is refused in the row's own form; to 10:00 it moves.
            let move = "/reunification/appointments/\(first.id!.uuidString)/move"
            let holiday = try await browser.post(
                move, form: ["to": "rescheduled", "day": "2027-01-07", "time": "10:00"])
            #expect(holiday.status == .unprocessableEntity && holiday.body.string.contains("holiday"))
            #expect(holiday.body.string.contains("<details open><summary>Reschedule"))
            let moved = try await browser.post(move, form: ["to": "rescheduled", "day": s.day, "time": "10:00"])
            #expect(moved.status == .seeOther)
            let appt = try await FRAppointment.query(on: h.app.db).filter(\.$status == .booked).first()!
            #expect(appt.minute == 600 && appt.id != first.id)
            try await ProtectionFixtures.consent(h, child.person.personID, .dnaVerification)
            let collected = try await browser.post(
                ReunificationPaths.referral(file.id) + "/samples",
                form: [
                    "appointmentID": appt.id!.uuidString, "documentSeen": "passport", "photoTaken": "true",
                    "witness": "W", "sealNumber": "SL-9",
                ])
            #expect(collected.status == .seeOther)
            let sample = try await FRSample.query(on: h.app.db).first()!
            let label = try await browser.get(ReunificationPaths.sample(sample.id!) + "/label")
            #expect(
                label.status == .ok && label.body.string.contains("<svg")
                    && label.body.string.contains(sample.identifier))
            let form = try await browser.get(ReunificationPaths.sample(sample.id!) + "/custody-form")
            #expect(form.status == .ok && form.body.string.contains("SL-9"))
            let scan = try await browser.get("/reunification/samples?identifier=\(sample.identifier.lowercased())")
            #expect(scan.status == .seeOther)
            let newForm = try await browser.post("/reunification/referrals/new", form: ["indFileNumber": "X"])
            #expect(newForm.status == .unprocessableEntity && newForm.body.string.contains("sponsor"))
            // A counsellor finds none of it.
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            #expect(try await counsellor.get(ReunificationPaths.sample(sample.id!)).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func interviewsVisaAssistanceAndTheMileageFundKeepTheirRules(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            let file = try decode(
                ReferralFile.self,
                try await h.send(
                    .POST, "/api/v1/reunification/referrals", as: .familyReunificationOfficer,
                    json: Self.referralBody(s)))
            let wife = file.members.first { $0.relationship == .spouse }!
            // The referral joined the family to the sponsor's household: travel books them as one.
            let links = try await HouseholdLink.query(on: h.app.db).filter(\.$person.$id == s.sponsor).count()
            #expect(links == 2)
            let appt = try decode(
                ReferralFile.Appointment.self,
                try await h.send(
                    .POST, "/api/v1/reunification/referrals/\(file.id)/appointments", as: .familyReunificationOfficer,
                    json: ["memberID": wife.id.uuidString, "service": "interview", "day": s.day, "time": "10:00"]))
            let path = "/api/v1/reunification/appointments/\(appt.id)/interview"
            let early = try await h.send(
                .POST, path + "/outcome", as: .familyReunificationOfficer, json: ["outcome": "held"])
            #expect(early.status == .conflict && early.body.string.contains("Arrange"))
            let badLanguage = try await h.send(
                .PUT, path, as: .familyReunificationOfficer,
                json: ["caseworker": "J. de Boer", "language": "klingon", "room": "VC-2"])
            #expect(badLanguage.status == .unprocessableEntity && badLanguage.body.string.contains("language"))
            let arranged = try await h.send(
                .PUT, path, as: .familyReunificationOfficer,
                json: ["caseworker": "J. de Boer", "language": "am", "interpreter": "Hanna G.", "room": "VC-2"])
            #expect(arranged.status == .ok, "\(arranged.body.string)")
            // Not begun: held is refused; rescheduled moves it with its arrangements.
            let held = try await h.send(
                .POST, path + "/outcome", as: .familyReunificationOfficer, json: ["outcome": "held"])
            #expect(held.status == .conflict)
            let moved = try await h.send(
                .POST, path + "/outcome", as: .familyReunificationOfficer,
                json: ["outcome": "rescheduled", "day": s.day, "time": "11:00"])
            #expect(moved.status == .ok, "\(moved.body.string)")
            let after = try decode(
                ReferralFile.self,
                try await h.send(.GET, "/api/v1/reunification/referrals/\(file.id)", as: .manager))
            let fresh = after.appointments.first { $0.status == .booked && $0.service == .interview }
            #expect(fresh?.time == "11:00" && fresh?.interview?.room == "VC-2")

            // Visa assistance at the consulate.
            let visa = try await h.send(
                .POST, "/api/v1/reunification/visa-assistance", as: .familyReunificationOfficer,
                json: [
                    "day": Clock.today().isoText, "place": "Consulate General, Istanbul", "family": "Al-Hamwi",
                    "persons": "5", "nationality": "SY", "services": "form_filling,photo_check",
                    "problems": "photo background not white",
                ])
            #expect(visa.status == .created, "\(visa.body.string)")
            let badVisa = try await h.send(
                .POST, "/api/v1/reunification/visa-assistance", as: .familyReunificationOfficer,
                json: [
                    "day": "2999-01-01", "place": "", "family": "X", "persons": "0", "nationality": "XX",
                    "services": "bribery",
                ])
            #expect(badVisa.status == .unprocessableEntity)
            let badFields = Set(try decode(ErrorBody.self, badVisa).fields!.map(\.field))
            #expect(badFields == ["day", "place", "persons", "nationality", "services"])
            let list = try decode(
                ReunificationAPIController.VisaAssistancePage.self,
                try await h.send(.GET, "/api/v1/reunification/visa-assistance", as: .manager))
            #expect(list.families == 1 && list.persons == 5)

            // The Mileage Fund: a ticket beyond the balance is refused, nothing written.
            let fund = "/api/v1/reunification/mileage-fund"
            let ticket: [String: String] = [
                "kind": "ticket", "day": Clock.today().isoText, "amount": "450.00",
                "personID": file.members[0].person.personID.uuidString, "referralID": file.id.uuidString,
                "eligibility": "unaccompanied_minor", "reason": "a child travelling alone; the family cannot pay",
            ]
            let broke = try await h.send(.POST, fund, as: .familyReunificationOfficer, json: ticket)
            #expect(broke.status == .conflict && broke.body.string.contains("below zero"))
            #expect(try await h.count(FRMileageEntry.self) == 0)
            let gift = try await h.send(
                .POST, fund, as: .manager,
                json: ["kind": "donation", "day": Clock.today().isoText, "amount": "500", "donor": "Airline miles"])
            #expect(gift.status == .created)
            #expect(try await h.send(.POST, fund, as: .familyReunificationOfficer, json: ticket).status == .created)
            let second = try await h.send(.POST, fund, as: .familyReunificationOfficer, json: ticket)
            #expect(second.status == .conflict)
            let account = try decode(
                ReunificationAPIController.MileageFundDTO.self, try await h.send(.GET, fund, as: .manager))
            #expect(account.balance.contains("50") && account.travellers == 1 && account.entries.count == 2)
            let stranger = try await h.send(
                .POST, fund, as: .familyReunificationOfficer,
                json: ticket.merging(["personID": s.sponsor.uuidString, "amount": "1"]) { $1 })
            #expect(stranger.status == .unprocessableEntity && stranger.body.string.contains("personID"))
            for role in [Role.counsellor, .partner, .visaClerk] {
                #expect(try await h.send(.GET, fund, as: role).status == .forbidden)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func theFiguresCountSamplesInterviewsVisaHelpAndTheFundsTravellers(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            let file = try decode(
                ReferralFile.self,
                try await h.send(
                    .POST, "/api/v1/reunification/referrals", as: .familyReunificationOfficer,
                    json: Self.referralBody(s)))
            for m in file.members {
                let r = try await Self.collect(h, file, member: m.id, seal: "SL-\(m.person.reference)")
                #expect(r.status == .created)
            }
            // An interview held this morning (written as the centre would have it: its day has begun).
            let wife = file.members.first { $0.relationship == .spouse }!
            let a = FRAppointment()
            a.$referral.id = file.id; a.$member.id = wife.id; a.$centre.id = s.centre.id; a.service = .interview
            a.day = Clock.today().isoText; a.minute = 0; a.startsAt = Clock.now().addingTimeInterval(-60)
            a.status = .booked; a.note = ""; a.createdBy = "test"
            try await a.create(on: h.app.db)
            let iv = "/api/v1/reunification/appointments/\(a.id!)/interview"
            _ = try await h.send(
                .PUT, iv, as: .familyReunificationOfficer,
                json: ["caseworker": "J. de Boer", "language": "am", "room": "VC-1"])
            let held = try await h.send(
                .POST, iv + "/outcome", as: .familyReunificationOfficer, json: ["outcome": "held"])
            #expect(held.status == .ok, "\(held.body.string)")
            _ = try await h.send(
                .POST, "/api/v1/reunification/visa-assistance", as: .familyReunificationOfficer,
                json: [
                    "day": Clock.today().isoText, "place": "Istanbul", "family": "A", "persons": "4",
                    "nationality": "SY", "services": "form_filling",
                ])
            _ = try await h.send(
                .POST, "/api/v1/reunification/mileage-fund", as: .manager,
                json: ["kind": "donation", "day": Clock.today().isoText, "amount": "1000", "donor": "D"])
            _ = try await h.send(
                .POST, "/api/v1/reunification/mileage-fund", as: .familyReunificationOfficer,
                json: [
                    "kind": "ticket", "day": Clock.today().isoText, "amount": "300",
                    "personID": file.members[0].person.personID.uuidString, "referralID": file.id.uuidString,
                    "eligibility": "unaccompanied_minor", "reason": "child alone",
                ])
            let day = Clock.today().isoText
            let report = try decode(
                PeriodReport.self,
                try await h.send(.GET, "/api/v1/reports/period?from=\(day)&to=\(day)", as: .manager))
            func value(_ f: ReportFigure) -> Double? { report.rows.first { $0.key == f.rawValue }?.value }
            #expect(value(.dnaSamples) == 2 && value(.interviewsHeld) == 1)
            #expect(value(.visaFamilies) == 1 && value(.visaPersons) == 4 && value(.mileageTravellers) == 1)
            let byNationality = report.rows.first { $0.key == ReportFigure.dnaSamples.rawValue }!.breakdown
            #expect(byNationality.map(\.label) == ["Ethiopia"] && byNationality[0].value == 2)
            // The drill-down lists the referral's case for a manager.
            let drill = try await h.send(
                .GET, "/api/v1/reports/period/dna_samples_collected?from=\(day)&to=\(day)", as: .manager)
            #expect(drill.status == .ok && drill.body.string.contains(file.caseReference))
            // The dashboard's block.
            let browser = BrowserSession(app: h.app)
            try await browser.login("manager")
            let dash = try await browser.get("/dashboard")
            #expect(dash.status == .ok && dash.body.string.contains("Office Addis Ababa"))
            let reportPage = try await browser.get("/reports/period?from=\(day)&to=\(day)")
            #expect(reportPage.body.string.contains("c-dna-locations"))
        }
    }
}
