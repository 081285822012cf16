import Fluent
import Foundation
import PassageDomain
import SQLKit
import Testing
import VaporTesting

@testable import PassageApp

@Suite(.serialized) struct ResettlementTests {
    typealias File = ResettlementFile

    static func member(_ given: String, _ sex: String, _ born: String, _ rel: String)
        -> ResettlementReferralForm.MemberForm
    {
        .init(
            person: PersonForm(
                familyName: "Darwish", givenNames: given, sex: sex, dateOfBirth: born, nationality: "SY",
                languages: ["ar"]), relationship: rel)
    }

    static func referral(number: String = "LEB-26C00302", principalID: UUID? = nil) -> ResettlementReferralForm {
        ResettlementReferralForm(
            unhcrCaseNumber: number, countryOfAsylum: "LB", category: "children_and_adolescents_at_risk",
            priority: "normal", municipality: "Arnhem", note: "",
            principalID: principalID?.uuidString,
            principal: principalID == nil
                ? PersonForm(
                    familyName: "Darwish", givenNames: "Nour", sex: "F", dateOfBirth: "1987-03-09", nationality: "SY",
                    languages: ["ar"]) : nil,
            members: principalID == nil
                ? [member("Sami", "M", "2011-01-17", "child"), member("Jana", "F", "2020-09-05", "child")] : [])
    }

    /// UNHCR with its own account and token.
    static func unhcr(_ h: Harness) async throws -> String {
        let p = try await RegistryRecords.save(
            partner: Partner(name: "UNHCR", kind: .unhcr, country: "CH"), replacing: nil, actor: .system, on: h.app)
        let user = try await UserRecords.create(
            .init(
                username: "unhcr.liaison", displayName: "UNHCR liaison", password: testPassword, roles: [.partner],
                partnerID: p.id, locale: "en", active: true), actor: .system, on: h.app)
        return try await UserRecords.issueToken(for: user.id!, name: "referrals", actor: .system, on: h.app)
    }

    static func send(
        _ h: Harness, _ method: HTTPMethod, _ path: String, token: String, json: (any Encodable & Sendable)? = nil
    ) async throws -> TestingHTTPResponse {
        try await h.app.testing().sendRequest(
            method, path,
            beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                if let json { try req.content.encode(AnyEncodable(json), as: .json) }
            })
    }

    /// A movement from Beirut through Istanbul, `days` from today (in the past when negative).
    static func legs(days: Int) -> [String: String] {
        let day = Clock.today(plus: days).isoText
        return [
            "leg1_carrier": "TK", "leg1_flight": "827", "leg1_from": "BEY", "leg1_to": "IST",
            "leg1_departs": "\(day)T06:00", "leg1_arrives": "\(day)T08:00", "leg2_carrier": "TK",
            "leg2_flight": "1951", "leg2_from": "IST", "leg2_to": "AMS", "leg2_departs": "\(day)T10:00",
            "leg2_arrives": "\(day)T13:00", "transitAssistance": "IST",
        ]
    }

    @Test(arguments: TestDatabase.available)
    func a_household_goes_from_referral_through_its_guards_to_arrival(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let token = try await Self.unhcr(h)
            // Bad input is refused with the field, and nothing is written.
            let persons = try await h.count(Person.self)
            var bad = Self.referral(number: "LEB12")
            bad.countryOfAsylum = "Lebanon"
            bad.category = "poverty"
            bad.members = [Self.member("Sami", "M", "2011-02-30", "cousin")]
            bad.principalDocuments = [IdentityDocumentForm(type: "ration_card", number: "RC-1", issuingCountry: "SY")]
            let refused = try await Self.send(h, .POST, "/api/v1/resettlement/referrals", token: token, json: bad)
            #expect(refused.status == .unprocessableEntity)
            for field in [
                "unhcrCaseNumber", "countryOfAsylum", "category", "members.1.relationship",
                "members.1.person.dateOfBirth", "principal.documents.1.type",
            ] {
                #expect(refused.body.string.contains("\"\(field)\""), "\(field): \(refused.body.string)")
            }
            let (referrals, after) = (try await h.count(RSReferral.self), try await h.count(Person.self))
            #expect(referrals == 0 && after == persons)
            // Another partner (the reception agency) may not refer.
            let agency = try await h.send(.POST, "/api/v1/resettlement/referrals", as: .partner, json: Self.referral())
            #expect(agency.status == .forbidden)
            var good = Self.referral()
            good.principalDocuments = [
                IdentityDocumentForm(
                    type: "passport", number: "N0123456", issuingCountry: "SY", expiresOn: "2030-01-01")
            ]
            let created = try await Self.send(h, .POST, "/api/v1/resettlement/referrals", token: token, json: good)
            #expect(created.status == .created, "\(created.body.string)")
            let file = try decode(File.self, created)
            #expect(file.stage == .referred && file.members.count == 3 && file.healthChecks == nil)
            let passport = try await IdentityDocument.query(on: h.app.db).filter(\.$number == "N0123456").first()
            #expect(passport?.$person.id == file.members.first { $0.relationship == "principal" }?.person.personID)
            let again = try await Self.send(
                h, .POST, "/api/v1/resettlement/referrals", token: token, json: Self.referral())
            #expect(again.status == .unprocessableEntity && again.body.string.contains("referred already"))
            let base = "/api/v1/resettlement/referrals/\(file.id)"
            let ids = file.members.map(\.person.personID)
            for pid in ids { try await ProtectionFixtures.consent(h, pid, .medicalData) }

            // A movement ten days ahead: the household may not be added before each condition is met.
            let planned = try await h.send(
                .POST, "/api/v1/resettlement/movements", as: .movementsOfficer, json: Self.legs(days: 10))
            #expect(planned.status == .created, "\(planned.body.string)")
            let movement = try decode(ResettlementAPIController.MovementDTO.self, planned)
            #expect(movement.transitAssistance == ["IST"] && movement.fromCountry == "LB")
            let add = "/api/v1/resettlement/movements/\(movement.id)/households"
            func tryAdd(_ expect: String) async throws {
                let res = try await h.send(
                    .POST, add, as: .movementsOfficer, json: ["referralID": file.id.uuidString])
                #expect(res.status == .conflict && res.body.string.contains(expect), "\(expect): \(res.body.string)")
            }
            try await tryAdd("has not been accepted")
            let decided = try await h.send(
                .POST, base + "/decision", as: .resettlementOfficer,
                json: ["outcome": "accepted", "decidedOn": Clock.today(plus: -3).isoText])
            #expect(decided.status == .ok)
            #expect(try decode(File.self, decided).stage == .accepted)
            try await tryAdd("orientation has not been attended by Nour Darwish, Sami Darwish")
            // Orientation: members of accepted households only; the four-year-old is not expected.
            let session = try await h.send(
                .POST, "/api/v1/resettlement/orientation-sessions", as: .resettlementOfficer,
                json: [
                    "country": "LB", "place": "Beirut", "startsOn": Clock.today(plus: -2).isoText,
                    "endsOn": Clock.today(plus: -1).isoText, "language": "ar", "facilitator": "Rami Khoury",
                ])
            #expect(session.status == .created)
            let sid = try decode(ResettlementAPIController.SessionDTO.self, session).id
            let stranger = try await MovementsTests.person(h, "Stranger", phone: nil)
            let wrong = try await h.send(
                .POST, "/api/v1/resettlement/orientation-sessions/\(sid)/attendance", as: .resettlementOfficer,
                json: ["personIDs": stranger.id.uuidString])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("accepted household"))
            let adults = file.members.filter { $0.person.name != "Darwish, Jana" }.map(\.person.personID.uuidString)
            let attended = try await h.send(
                .POST, "/api/v1/resettlement/orientation-sessions/\(sid)/attendance", as: .resettlementOfficer,
                json: ["personIDs": adults.joined(separator: ",")])
            #expect(attended.status == .ok && attended.body.string.contains("\"added\":2"))
            try await tryAdd("Nour Darwish has no visa or laissez-passer")
            for (i, pid) in ids.enumerated() {
                let doc = try await h.send(
                    .POST, base + "/documents", as: .resettlementOfficer,
                    json: [
                        "personID": pid.uuidString, "kind": "visa", "number": "NLV00\(i)",
                        "issuedOn": Clock.today(plus: -1).isoText, "validUntil": Clock.today(plus: 90).isoText,
                    ])
                #expect(doc.status == .created, "\(doc.body.string)")
            }
            try await tryAdd("Jana Darwish has no fit-to-travel check")
            // Health: medical officers only; a check that lapses before the day is named.
            let check: [String: String] = [
                "personID": ids[0].uuidString, "kind": "pre_departure", "examinedOn": Clock.today(plus: -1).isoText,
                "fitness": "fit_with_escort", "escort": "medical", "assistance": "wheelchair,oxygen",
                "validUntil": Clock.today(plus: 5).isoText, "medicalDetails": "COPD; oxygen 2 l/min.",
            ]
            #expect(
                try await h.send(.POST, base + "/health-checks", as: .resettlementOfficer, json: check).status
                    == .forbidden)
            for (i, pid) in ids.enumerated() {
                var c = check
                c["personID"] = pid.uuidString
                if i > 0 { c["fitness"] = "fit"; c["escort"] = "none"; c["assistance"] = ""; c["medicalDetails"] = "" }
                let res = try await h.send(.POST, base + "/health-checks", as: .medicalOfficer, json: c)
                #expect(res.status == .created, "\(res.body.string)")
            }
            try await tryAdd("Nour Darwish's fit-to-travel check is valid only until")
            var renewed = check
            renewed["validUntil"] = Clock.today(plus: 30).isoText
            renewed["fitness"] = "unfit"
            #expect(
                try await h.send(.POST, base + "/health-checks", as: .medicalOfficer, json: renewed).status == .created)
            try await tryAdd("Nour Darwish was found unfit to travel")
            renewed["fitness"] = "fit_with_escort"
            #expect(
                try await h.send(.POST, base + "/health-checks", as: .medicalOfficer, json: renewed).status == .created)
            for pid in ids.dropFirst() {
                var c = renewed
                c["personID"] = pid.uuidString; c["fitness"] = "fit"; c["escort"] = "none"; c["assistance"] = ""
                #expect(
                    try await h.send(.POST, base + "/health-checks", as: .medicalOfficer, json: c).status == .created)
            }
            // The movements module refuses the case a booking of its own until then, and now needs the escort named.
            let noEscort = try await h.send(
                .POST, add, as: .movementsOfficer, json: ["referralID": file.id.uuidString])
            #expect(noEscort.status == .unprocessableEntity && noEscort.body.string.contains("escortStaff"))
            let added = try await h.send(
                .POST, add, as: .movementsOfficer,
                json: ["referralID": file.id.uuidString, "escortStaff": "Nurse M. de Wit"])
            #expect(added.status == .created, "\(added.body.string)")
            let withHousehold = try decode(ResettlementAPIController.MovementDTO.self, added)
            let household = try #require(withHousehold.households.first)
            #expect(household.medicalEscort && household.travellers.count == 3 && withHousehold.persons == 3)
            let nour = try #require(household.travellers.first { $0.name == "Darwish, Nour" })
            #expect(nour.assistance == [.wheelchair, .oxygen, .meetAndAssist] && nour.escort == .medical)
            #expect(!added.body.string.contains("COPD"))
            let twice = try await h.send(
                .POST, add, as: .movementsOfficer,
                json: ["referralID": file.id.uuidString, "escortStaff": "Nurse M. de Wit"])
            #expect(twice.status == .conflict && twice.body.string.contains("on movement RSM-"))
            // A person of it in a second household cannot be on the same movement.
            let second = try await h.send(
                .POST, "/api/v1/resettlement/referrals", as: .resettlementOfficer,
                json: Self.referral(number: "LEB-26C00999", principalID: ids[1]))
            #expect(second.status == .created, "\(second.body.string)")
            let overlap = try await h.send(
                .POST, add, as: .movementsOfficer, json: ["unhcrCaseNumber": "LEB-26C00999"])
            #expect(
                overlap.status == .conflict && overlap.body.string.contains("in another household of this movement"))
            #expect(try await RSMovementHousehold.query(on: h.app.db).count() == 1)
            let stage = try decode(File.self, try await h.send(.GET, base, as: .resettlementOfficer)).stage
            #expect(stage == .booked)
            // Cancelling the booking takes the household off the movement; it can be booked on it again.
            let cancel = try await h.send(
                .POST, "/api/v1/bookings/\(household.bookingID)/transitions", as: .movementsOfficer,
                json: ["to": "cancelled"])
            #expect(cancel.status == .ok, "\(cancel.body.string)")
            #expect(cancel.body.string.contains("household LEB-26C00302 is off it"))
            let off = try decode(File.self, try await h.send(.GET, base, as: .resettlementOfficer))
            #expect(off.stage == .ready && off.movement?.bookingStatus == .cancelled)
            let back = try await h.send(
                .POST, add, as: .movementsOfficer,
                json: ["referralID": file.id.uuidString, "escortStaff": "Nurse M. de Wit"])
            #expect(back.status == .created, "\(back.body.string)")
            #expect(try await RSMovementHousehold.query(on: h.app.db).count() == 1)
            // Arrival before departure is refused; so is one before the booking is flown.
            let early = try await h.send(
                .POST, "/api/v1/resettlement/movements/\(movement.id)/arrival", as: .movementsOfficer,
                json: ["arrivedAt": Clock.today(plus: 10).isoText + "T15:00"])
            #expect(early.status == .conflict && early.body.string.contains("has not departed"))
            let past = try await h.send(
                .POST, "/api/v1/resettlement/movements", as: .movementsOfficer, json: Self.legs(days: -3))
            #expect(past.status == .unprocessableEntity && past.body.string.contains("leg1_departs"))
        }
    }

    /// A movement that left three days ago (written as history), its booking flown, its arrival, the reception
    /// agency's notification and the period report.
    @Test(arguments: TestDatabase.available)
    func an_arrival_is_handed_over_and_counted(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let officer = Identity(
                user: try await User.find(h.users[.resettlementOfficer]!, on: h.app.db)!, viaToken: false)
            let doctor = Identity(user: try await User.find(h.users[.medicalOfficer]!, on: h.app.db)!, viaToken: false)
            let agency = try await Partner.query(on: h.app.db).filter(\.$kind == .receptionAgency).first()!
            _ = try await MessagingRecords.subscribe(
                [
                    "partnerID": agency.id!.uuidString, "eventType": "arrival.completed",
                    "url": "https://coa.example.org/arrivals",
                ], actor: officer.actor, on: h.app)
            try await ProtectionFixtures.agreement(h, partner: agency.id!)
            let r = try await ResettlementRecords.createReferral(Self.referral(), by: officer, on: h.app)
            _ = try await ResettlementRecords.recordDecision(
                r.id!, ["outcome": "accepted", "decidedOn": Clock.today(plus: -40).isoText], by: officer, on: h.app)
            let s = try await ResettlementRecords.createSession(
                [
                    "country": "LB", "place": "Beirut", "startsOn": Clock.today(plus: -20).isoText,
                    "endsOn": Clock.today(plus: -19).isoText, "language": "ar", "facilitator": "R. Khoury",
                ], by: officer, on: h.app)
            let members = try await RSMember.query(on: h.app.db).filter(\.$referral.$id == r.id!).all()
            for m in members { try await ProtectionFixtures.consent(h, m.$person.id, .medicalData) }
            _ = try await ResettlementRecords.recordAttendance(
                s.id!, ["personIDs": members.map { $0.$person.id.uuidString }.joined(separator: ",")], by: officer,
                on: h.app)
            for (i, m) in members.enumerated() {
                _ = try await ResettlementRecords.recordDocument(
                    r.id!,
                    [
                        "personID": m.$person.id.uuidString, "kind": "visa", "number": "V\(i)",
                        "issuedOn": Clock.today(plus: -10).isoText, "validUntil": Clock.today(plus: 60).isoText,
                    ], by: officer, on: h.app)
                _ = try await ResettlementRecords.recordHealthCheck(
                    r.id!,
                    [
                        "personID": m.$person.id.uuidString, "kind": "pre_embarkation",
                        "examinedOn": Clock.today(plus: -5).isoText, "fitness": "fit",
                        "validUntil": Clock.today(plus: 5).isoText,
                    ], by: doctor, on: h.app)
            }
            let m = try await ResettlementRecords.createMovement(
                Self.legs(days: -3), by: officer, history: true, on: h.app)
            let hh = try await ResettlementRecords.addHousehold(
                m.id!, ["referralID": r.id!.uuidString, "status": "ticketed", "reference": "ABC123"], by: officer,
                on: h.app)
            let path = "/api/v1/resettlement/movements/\(m.id!)/arrival"
            let flown = try await h.send(
                .POST, "/api/v1/bookings/\(hh.$booking.id)/transitions", as: .movementsOfficer, json: ["to": "flown"])
            #expect(flown.status == .ok, "\(flown.body.string)")
            #expect(try await RSMovement.find(m.id!, on: h.app.db)!.status == .departed)
            let day = Clock.today(plus: -3).isoText
            for (value, expect) in [
                ("\(day)T05:00", "before the movement left"), ("yesterday", "local time at AMS"),
                (Clock.today(plus: 2).isoText + "T10:00", "in the future"),
            ] {
                let res = try await h.send(.POST, path, as: .movementsOfficer, json: ["arrivedAt": value])
                #expect(res.status == .unprocessableEntity && res.body.string.contains(expect), "\(res.body.string)")
            }
            #expect(try await OutboxMessage.query(on: h.app.db).filter(\.$label ~~ "arrival.completed").count() == 0)
            let arrived = try await h.send(.POST, path, as: .movementsOfficer, json: ["arrivedAt": "\(day)T13:20"])
            #expect(arrived.status == .ok, "\(arrived.body.string)")
            #expect(try await RSReferral.find(r.id!, on: h.app.db)!.stage == .arrived)
            let note = try #require(
                try await OutboxMessage.query(on: h.app.db).filter(\.$label ~~ "arrival.completed").first())
            #expect(note.body.contains("\"municipality\":\"Arnhem\"") && note.body.contains("LEB-26C00302"))
            let again = try await h.send(.POST, path, as: .movementsOfficer, json: ["arrivedAt": "\(day)T13:20"])
            #expect(again.status == .conflict)
            // The period report counts the arrivals by the country of departure, the mission-free household and the
            // orientation.
            let report = try await PeriodReport.compute(
                ReportPeriod(from: Clock.today(plus: -30), to: Clock.today()), hub: "AMS", on: h.app.db)
            func value(_ f: ReportFigure) -> Double { report.rows.first { $0.key == f.rawValue }?.value ?? -1 }
            #expect(value(.resettled) == 3 && value(.resettledHouseholds) == 1 && value(.medicalEscorts) == 0)
            #expect(value(.orientationSessions) == 1 && value(.orientationParticipants) == 3)
            let byCountry = report.rows.first { $0.key == ReportFigure.resettled.rawValue }?.breakdown ?? []
            #expect(byCountry.map(\.label) == ["Lebanon"] && byCountry.map(\.value) == [3])
            #expect(value(.departed) == 0)
        }
    }

    /// Medical details are for medical officers: the others read the finding and what the journey needs; a role
    /// outside the programme finds nothing; UNHCR reads its own referral without health or documents.
    @Test func medical_details_reach_medical_officers_only() async throws {
        try await withHarness(.sqlite) { h in
            let token = try await Self.unhcr(h)
            let file = try decode(
                File.self,
                try await Self.send(h, .POST, "/api/v1/resettlement/referrals", token: token, json: Self.referral()))
            let pid = file.members[0].person.personID
            try await ProtectionFixtures.consent(h, pid, .medicalData)
            let res = try await h.send(
                .POST, "/api/v1/resettlement/referrals/\(file.id)/health-checks", as: .medicalOfficer,
                json: [
                    "personID": pid.uuidString, "kind": "migration_health_assessment",
                    "examinedOn": Clock.today().isoText, "fitness": "fit_with_escort", "escort": "medical",
                    "validUntil": Clock.today(plus: 60).isoText, "medicalDetails": "Tuberculosis under treatment",
                ])
            #expect(res.status == .created && res.body.string.contains("Tuberculosis"))
            let path = "/api/v1/resettlement/referrals/\(file.id)"
            for role in [Role.resettlementOfficer, .movementsOfficer, .manager] {
                let r = try await h.send(.GET, path, as: role)
                #expect(r.status == .ok && !r.body.string.contains("Tuberculosis"), "\(role)")
                #expect(r.body.string.contains("fit_with_escort"), "\(role)")
            }
            for role in [Role.counsellor, .visaClerk, .familyReunificationOfficer, .administrator] {
                #expect(try await h.send(.GET, path, as: role).status == .forbidden, "\(role)")
            }
            #expect(try await h.send(.GET, path, as: .partner).status == .notFound)
            let own = try await Self.send(h, .GET, path, token: token)
            #expect(own.status == .ok && !own.body.string.contains("healthChecks"))
            let mine = try await Self.send(h, .GET, "/api/v1/resettlement/referrals", token: token)
            #expect(mine.body.string.contains("\"total\":1"))
            #expect(
                try await h.send(.GET, "/api/v1/resettlement/referrals", as: .partner).body.string
                    .contains("\"total\":0"))
            // The pages show the same.
            let officer = BrowserSession(app: h.app)
            try await officer.login("resettlement.officer")
            let page = try await officer.get(ResettlementPaths.referral(file.id))
            #expect(page.status == .ok && !page.body.string.contains("Tuberculosis"))
            let doctor = BrowserSession(app: h.app)
            try await doctor.login("medical.officer")
            #expect(try await doctor.get(ResettlementPaths.referral(file.id)).body.string.contains("Tuberculosis"))
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            #expect(try await counsellor.get(ResettlementPaths.referral(file.id)).status == .forbidden)
            #expect(try await counsellor.get(ResettlementPaths.overview).status == .forbidden)
            // The audit says details were written, never what they are; every reading is recorded.
            let entries = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "rs_health_check").all()
            #expect(entries.count == 1 && !entries.contains { $0.changesJSON.contains("Tuberculosis") })
            let reads = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "rs_referral")
                .filter(\.$action == "view").count()
            #expect(reads >= 6)
            // Numbers from a request at their extremes.
            let last = try await h.send(.GET, "/api/v1/resettlement/referrals?page=1000000", as: .manager)
            #expect(last.status == .ok && last.body.string.contains("\"items\":[]"))
            #expect(try await h.send(.GET, "/api/v1/resettlement/referrals?page=0", as: .manager).status.code >= 400)
            #expect(
                try await h.send(.GET, "/api/v1/resettlement/referrals?stage=lost", as: .manager).status
                    == .unprocessableEntity)
        }
    }

    @Test func the_pages_refer_a_household_and_plan_its_journey() async throws {
        try await withHarness(.sqlite) { h in
            let officer = BrowserSession(app: h.app)
            try await officer.login("resettlement.officer")
            #expect(try await officer.get(ResettlementPaths.newReferral).status == .ok)
            let bad = try await officer.post(
                ResettlementPaths.newReferral,
                form: [
                    "unhcrCaseNumber": "LEB-26C00500", "countryOfAsylum": "LB", "category": "medical_needs",
                    "pFamilyName": "Khalil", "pSex": "M", "pDateOfBirth": "1992-08-18", "pNationality": "SY",
                    "m2Relationship": "spouse", "m2FamilyName": "Khalil", "m2GivenNames": "Dima", "m2Sex": "F",
                    "m2DateOfBirth": "1994-13-02", "m2Nationality": "SY",
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("id=\"f-referral-pGivenNames-error\""))
            #expect(bad.body.string.contains("id=\"f-referral-m2DateOfBirth-error\""))
            #expect(try await h.count(RSReferral.self) == 0)
            let made = try await officer.post(
                ResettlementPaths.newReferral,
                form: [
                    "unhcrCaseNumber": "LEB-26C00500", "countryOfAsylum": "LB", "category": "medical_needs",
                    "pFamilyName": "Khalil", "pGivenNames": "Bassel", "pSex": "M", "pDateOfBirth": "1992-08-18",
                    "pNationality": "SY", "m2Relationship": "spouse", "m2FamilyName": "Khalil", "m2GivenNames": "Dima",
                    "m2Sex": "F", "m2DateOfBirth": "1994-12-02", "m2Nationality": "SY", "municipality": "Leiden",
                ])
            #expect(made.status == .seeOther, "\(made.body.string)")
            let r = try #require(try await RSReferral.query(on: h.app.db).first())
            let page = try await officer.get(ResettlementPaths.referral(r.id!))
            #expect(page.status == .ok && page.body.string.contains("Khalil, Dima"))
            #expect(page.body.string.contains("has not been accepted by the IND"))
            let decided = try await officer.post(
                ResettlementPaths.referral(r.id!) + "/decision",
                form: ["outcome": "accepted", "decidedOn": Clock.today().isoText])
            #expect(decided.status == .seeOther)
            let mission = try await officer.post(
                "/resettlement/missions",
                form: ["country": "KE", "startsOn": "2026-05-21", "endsOn": "2026-01-01", "team": "IND"])
            #expect(
                mission.status == .unprocessableEntity
                    && mission.body.string.contains("<details class=\"card fold\" open>"))
            let session = try await officer.post(
                "/resettlement/orientation",
                form: [
                    "country": "LB", "place": "Beirut", "startsOn": Clock.today(plus: -1).isoText,
                    "endsOn": Clock.today().isoText, "language": "ar", "facilitator": "R. Khoury",
                ])
            #expect(session.status == .seeOther)
            let sid = try #require(try await RSOrientationSession.query(on: h.app.db).first()).id!
            let list = try await officer.get(ResettlementPaths.session(sid))
            #expect(list.body.string.contains("Khalil, Bassel"))
            let members = try await RSMember.query(on: h.app.db).all()
            let ticked = Dictionary(uniqueKeysWithValues: members.map { ("p_\($0.$person.id.uuidString)", "true") })
            #expect(
                try await officer.post(ResettlementPaths.session(sid) + "/attendance", form: ticked).status == .seeOther
            )
            #expect(try await RSReferral.find(r.id!, on: h.app.db)!.stage == .oriented)
            let overview = try await officer.get(ResettlementPaths.overview + "?stage=oriented")
            #expect(overview.status == .ok && overview.body.string.contains("LEB-26C00500"))
            // The movements team plans a movement from the page; a flight in the past is refused beside the form.
            let movements = BrowserSession(app: h.app)
            try await movements.login("movements.officer")
            var f = Self.legs(days: -1)
            let past = try await movements.post("/resettlement/movements", form: f)
            #expect(past.status == .unprocessableEntity && past.body.string.contains("f-movement-leg1_departs-error"))
            f = Self.legs(days: 12)
            let planned = try await movements.post("/resettlement/movements", form: f)
            #expect(planned.status == .seeOther)
            let m = try #require(try await RSMovement.query(on: h.app.db).first())
            let mp = try await movements.get(ResettlementPaths.movement(m.id!))
            #expect(mp.status == .ok && mp.body.string.contains("TK827") && mp.body.string.contains("No household"))
        }
    }
}
