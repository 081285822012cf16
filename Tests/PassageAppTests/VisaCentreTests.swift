import Fluent
import Foundation
import PassageDomain
import Testing
import VaporTesting

@testable import PassageApp

@Suite(.serialized) struct VisaCentreTests {
    typealias DTO = VisaCentreAPIController.ApplicationDTO

    /// A Dutch passport valid for years, its zone with the right check digits.
    static func zone(
        surname: String = "JANSEN", given: String = "SANNE", number: String = "NX4K21L09",
        born: String = "980314", expires: String? = nil
    ) -> String {
        let year = (Clock.today().year + 5) % 100
        return MRZ.compose(
            issuingState: "NLD", surname: surname, givenNames: given, number: number, nationality: "NLD",
            birthDate: born, sex: "F", expiryDate: expires ?? String(format: "%02d0615", year))
    }

    static func intake(_ mrz: String, type: String = "d2_student", appointment: UUID? = nil) -> VisaIntakeForm {
        VisaIntakeForm(
            visaType: type, mrz: mrz, nationality: "NL", phone: "+31 6 1234 5678", paymentMethod: "card",
            appointmentID: appointment?.uuidString)
    }

    /// The next day the centre opens, at least `after` days from today.
    static func openDay(after: Int = 1) -> PartialDate {
        var d = Clock.today(plus: after)
        while VisaCentreRecords.hours.schedule.closedReason(on: d) != nil { d = Clock.day(d, plus: 1) }
        return d
    }

    static func messages(_ res: TestingHTTPResponse) -> String { res.body.string }

    @Test func the_status_page_speaks_three_languages_with_the_same_words() {
        let keys = Set(Catalogue.visaStatus["en"]!.keys)
        for lang in ["nl", "ko"] { #expect(Set(Catalogue.visaStatus[lang]!.keys) == keys, "\(lang)") }
        for s in VisaApplicationStatus.allCases {
            #expect(keys.contains("vs.status.\(s.rawValue)") && keys.contains("vs.next.\(s.rawValue)"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func an_application_goes_from_appointment_to_passport_returned(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let day = Self.openDay()
            // Appointments: a slot the centre does not have, a counter it does not have, a closed day.
            var saturday = Clock.today(plus: 1)
            while CentreSchedule.weekday(of: saturday) != 6 { saturday = Clock.day(saturday, plus: 1) }
            let bad = try await h.send(
                .POST, "/api/v1/visa/appointments", as: .visaClerk,
                json: ["day": day.isoText, "time": "09:10", "counter": "9", "name": "", "visaType": "tourist"])
            #expect(bad.status == .unprocessableEntity)
            for field in ["time", "counter", "name", "visaType"] { #expect(bad.body.string.contains("\"\(field)\"")) }
            let closed = try await h.send(
                .POST, "/api/v1/visa/appointments", as: .visaClerk,
                json: [
                    "day": saturday.isoText, "time": "09:20", "counter": "1", "name": "Sanne Jansen",
                    "visaType": "d2_student",
                ])
            #expect(closed.status == .unprocessableEntity && closed.body.string.contains("Saturday"))
            let slot = [
                "day": day.isoText, "time": "09:20", "counter": "2", "name": "Sanne Jansen",
                "contact": "+31 6 1234 5678", "visaType": "d2_student",
            ]
            let booked = try await h.send(.POST, "/api/v1/visa/appointments", as: .visaClerk, json: slot)
            #expect(booked.status == .created, "\(booked.body.string)")
            let appointment = try booked.content.decode(VisaCentreAPIController.AppointmentDTO.self)
            let taken = try await h.send(.POST, "/api/v1/visa/appointments", as: .visaClerk, json: slot)
            #expect(taken.status == .conflict && taken.body.string.contains("is taken"))
            #expect(try await h.count(KVAppointment.self) == 1)

            // Intake: a zone with a wrong check digit is refused naming the part that fails; nothing is written.
            var wrong = Array(Self.zone())
            let birthDigit = 45 + 19
            wrong[birthDigit] = wrong[birthDigit] == "1" ? "2" : "1"
            let (persons, cases) = (try await h.count(Person.self), try await h.count(Case.self))
            let refused = try await h.send(
                .POST, "/api/v1/visa/applications", as: .visaClerk, json: Self.intake(String(wrong)))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("the check digit of the date of birth"))
            let expiring = try await h.send(
                .POST, "/api/v1/visa/applications", as: .visaClerk,
                json: Self.intake(
                    Self.zone(
                        expires: Clock.today(plus: 30).isoText.replacingOccurrences(of: "-", with: "")
                            .dropFirst(2).description)))
            #expect(expiring.status == .unprocessableEntity && expiring.body.string.contains("six months"))
            let (personsAfter, casesAfter) = (try await h.count(Person.self), try await h.count(Case.self))
            #expect(personsAfter == persons && casesAfter == cases)
            #expect(try await h.count(KVApplication.self) == 0)

            // The applicant is registered from the zone; the case, checklist, fee and receipt follow.
            let made = try await h.send(
                .POST, "/api/v1/visa/applications", as: .visaClerk,
                json: Self.intake(Self.zone(), appointment: appointment.id))
            #expect(made.status == .created, "\(made.body.string)")
            let a = try made.content.decode(DTO.self)
            #expect(a.number.hasPrefix("KV-\(Clock.today().year)-") && a.receiptNumber.hasPrefix("KR-"))
            #expect(a.name == "Jansen, Sanne" && a.status == .received && a.feeCents == 6_000)
            #expect(a.documents.map(\.kind) == KoreanVisaType.student.checklist.map(\.kind))
            #expect(try await KVAppointment.find(appointment.id, on: h.app.db)?.status == .attended)
            let person = try #require(try await Person.find(a.personID, on: h.app.db))
            #expect(person.dateOfBirth?.isoText == "1998-03-14")
            // The same passport cannot be taken in twice while its application is under way.
            let twice = try await h.send(
                .POST, "/api/v1/visa/applications", as: .visaClerk, json: Self.intake(Self.zone()))
            #expect(twice.status == .unprocessableEntity && twice.body.string.contains(a.number))

            // Forwarding before verification is refused, naming the application.
            let early = try await h.send(
                .POST, "/api/v1/visa/batches", as: .visaClerk, json: ["applicationIDs": a.id.uuidString])
            #expect(early.status == .unprocessableEntity && early.body.string.contains("\(a.number) is received"))
            #expect(try await h.count(KVBatch.self) == 0)

            let path = "/api/v1/visa/applications/\(a.id.uuidString)"
            let noReason = try await h.send(
                .POST, path + "/verification", as: .visaClerk, json: ["doc_diploma": "refused"])
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("reason_diploma"))
            let refusal = try await h.send(
                .POST, path + "/verification", as: .visaClerk,
                json: ["doc_passport": "seen", "doc_diploma": "refused", "reason_diploma": "Not legalised."])
            #expect(try refusal.content.decode(DTO.self).status == .incomplete)
            var all: [String: String] = [:]
            for item in KoreanVisaType.student.checklist { all["doc_\(item.kind.rawValue)"] = "original" }
            let verified = try await h.send(.POST, path + "/verification", as: .visaClerk, json: all)
            #expect(try verified.content.decode(DTO.self).status == .verified)

            // The return before the decision, and the decision before the batch, are refused.
            let soon = try await h.send(
                .POST, path + "/return", as: .visaClerk,
                json: [
                    "how": "courier",
                    "courierReference": "3SNL1",
                ])
            #expect(soon.status == .conflict)
            let batch = try await h.send(
                .POST, "/api/v1/visa/batches", as: .visaClerk, json: ["applicationIDs": a.id.uuidString])
            #expect(batch.status == .created, "\(batch.body.string)")
            #expect(try batch.content.decode(VisaCentreAPIController.BatchDTO.self).applications == [a.number])
            let settled = try await h.send(.POST, path + "/verification", as: .visaClerk, json: all)
            #expect(settled.status == .conflict)
            let future = try await h.send(
                .POST, path + "/decision", as: .visaClerk,
                json: ["decision": "issued", "decidedOn": Clock.today(plus: 3).isoText])
            #expect(future.status == .unprocessableEntity)
            let decided = try await h.send(
                .POST, path + "/decision", as: .visaClerk,
                json: ["decision": "issued", "decidedOn": Clock.today().isoText])
            #expect(try decided.content.decode(DTO.self).status == .decided)
            let unsigned = try await h.send(
                .POST, path + "/return", as: .visaClerk, json: ["how": "collected", "collectedBy": "Sanne Jansen"])
            #expect(unsigned.status == .unprocessableEntity && unsigned.body.string.contains("signed"))
            let back = try await h.send(
                .POST, path + "/return", as: .visaClerk,
                json: ["how": "collected", "collectedBy": "Sanne Jansen", "signed": "true"])
            #expect(try back.content.decode(DTO.self).status == .returned)
            let again = try await h.send(
                .POST, path + "/return", as: .visaClerk, json: ["how": "courier", "courierReference": "3SNL1"])
            #expect(again.status == .conflict && again.body.string.contains("returned already"))

            // Every read of the application is a reading of the applicant's record.
            let views = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "kv_application")
                .filter(\.$action == "view").filter(\.$personID == a.personID.uuidString).count()
            #expect(views >= 5)

            // The period report counts the application by type, the passport returned and the days it took.
            let report = try await PeriodReport.compute(
                ReportPeriod(from: Clock.today(plus: -30), to: Clock.today()), hub: "AMS", on: h.app.db)
            func value(_ f: ReportFigure) -> Double { report.rows.first { $0.key == f.rawValue }?.value ?? -1 }
            #expect(value(.visaApplications) == 1 && value(.visaPassportsReturned) == 1)
            #expect(value(.visaProcessingDays) == 0)
            let byType = report.rows.first { $0.key == ReportFigure.visaApplications.rawValue }?.breakdown ?? []
            #expect(byType.map(\.label) == ["D-2 student"])
        }
    }

    /// Only the visa centre's clerks and managers read applications, in the API and the pages.
    @Test func other_roles_find_no_application() async throws {
        try await withHarness(.sqlite) { h in
            let made = try await h.send(
                .POST, "/api/v1/visa/applications", as: .visaClerk, json: Self.intake(Self.zone()))
            let a = try made.content.decode(DTO.self)
            for role in [Role.counsellor, .medicalOfficer, .movementsOfficer, .resettlementOfficer, .partner] {
                let res = try await h.send(.GET, "/api/v1/visa/applications/\(a.id.uuidString)", as: role)
                #expect(res.status == .forbidden, "\(role)")
                #expect(!res.body.string.contains("Jansen"))
            }
            #expect(try await h.send(.GET, "/api/v1/visa/applications/\(a.id.uuidString)", as: .manager).status == .ok)
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            for page in [
                VisaPaths.overview, VisaPaths.application(a.id), VisaPaths.receipt(a.id), VisaPaths.appointments,
            ] {
                let res = try await counsellor.get(page)
                #expect(res.status == .forbidden && !res.body.string.contains("Jansen"), "\(page)")
            }
        }
    }

    /// The clerk's pages: intake with its messages beside the fields, the checks, the batch and its manifest.
    @Test func a_clerk_walks_the_pages() async throws {
        try await withHarness(.sqlite) { h in
            let clerk = BrowserSession(app: h.app)
            try await clerk.login("visa.clerk")
            #expect(try await clerk.get(VisaPaths.newApplication).status == .ok)
            let bad = try await clerk.post(
                VisaPaths.newApplication,
                form: [
                    "visaType": "d2_student", "mrz": "P<NLDJANSEN", "nationality": "Holland", "paymentMethod": "card",
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("id=\"f-intake-mrz-error\""))
            let unknown = try await clerk.post(
                VisaPaths.newApplication,
                form: [
                    "visaType": "d2_student", "mrz": Self.zone(), "personReference": "P-999999",
                    "paymentMethod": "card",
                ])
            #expect(
                unknown.status == .unprocessableEntity && unknown.body.string.contains("f-intake-personReference-error")
            )
            #expect(try await h.count(KVApplication.self) == 0)
            let made = try await clerk.post(
                VisaPaths.newApplication,
                form: [
                    "visaType": "c3_short_term_visit", "mrz": Self.zone(), "nationality": "NL", "paymentMethod": "cash",
                ])
            #expect(made.status == .seeOther)
            let a = try #require(try await KVApplication.query(on: h.app.db).first())
            let page = try await clerk.get(VisaPaths.application(a.id!))
            #expect(page.status == .ok && page.body.string.contains(a.number))
            let receipt = try await clerk.get(VisaPaths.receipt(a.id!))
            #expect(receipt.body.string.contains(a.receiptNumber) && receipt.body.string.contains("65.00"))
            var checks: [String: String] = [:]
            for item in KoreanVisaType.shortTermVisit.checklist where item.required {
                checks["doc_\(item.kind.rawValue)"] = "seen"
            }
            let refused = try await clerk.post(
                VisaPaths.application(a.id!) + "/verification", form: ["doc_photo": "refused"])
            #expect(
                refused.status == .unprocessableEntity && refused.body.string.contains("f-verify-reason_photo-error"))
            #expect(
                try await clerk.post(VisaPaths.application(a.id!) + "/verification", form: checks).status == .seeOther)
            #expect(try await KVApplication.find(a.id, on: h.app.db)?.status == .verified)
            let forwarded = try await clerk.post(
                VisaPaths.overview + "/batches", form: ["a_\(a.id!.uuidString)": "true", "note": "By courier"])
            #expect(forwarded.status == .seeOther)
            let batch = try #require(try await KVBatch.query(on: h.app.db).first())
            let manifest = try await clerk.get(VisaPaths.batch(batch.id!))
            #expect(manifest.body.string.contains(a.number) && manifest.body.string.contains(a.passportNumber))
            let empty = try await clerk.post(VisaPaths.overview + "/batches", form: ["note": ""])
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("at least one verified"))
            // The day's counters, and a walk-in given a counter (or told none is free).
            #expect(try await clerk.get(VisaPaths.appointments).status == .ok)
            let day = Self.openDay()
            let booked = try await clerk.post(
                VisaPaths.appointments,
                form: [
                    "day": day.isoText, "time": "10:00", "counter": "1", "name": "Ruben Kok", "visaType": "d2_student",
                ])
            #expect(booked.status == .seeOther)
            let listed = try await clerk.get(VisaPaths.day(day))
            #expect(listed.body.string.contains("Ruben Kok"))
        }
    }

    /// The public page shows the status only, answers a wrong date of birth as an unknown number, limits lookups
    /// per number and per address, and logs every one.
    @Test func the_status_page_reveals_nothing_but_the_status() async throws {
        try await withHarness(.sqlite) { h in
            let made = try await h.send(
                .POST, "/api/v1/visa/applications", as: .visaClerk, json: Self.intake(Self.zone()))
            let a = try made.content.decode(DTO.self)
            let visitor = BrowserSession(app: h.app)
            let form = try await visitor.get(VisaPaths.status + "?lang=ko")
            #expect(form.status == .ok && form.body.string.contains("lang=\"ko\"") && form.body.string.contains("생년월일"))
            let found = try await visitor.post(
                VisaPaths.status, form: ["number": a.number.lowercased(), "dateOfBirth": "1998-03-14", "lang": "en"])
            #expect(found.status == .ok && found.body.string.contains("Received"))
            for secret in ["Jansen", "Sanne", a.passportNumber, a.personReference, a.caseReference, "1998-03-14"] {
                #expect(!found.body.string.contains(secret), "\(secret)")
            }
            let wrongBirth = try await visitor.post(
                VisaPaths.status, form: ["number": a.number, "dateOfBirth": "1998-03-15", "lang": "en"])
            let unknown = try await visitor.post(
                VisaPaths.status, form: ["number": "KV-2020-99999", "dateOfBirth": "1998-03-14", "lang": "en"])
            #expect(wrongBirth.status == .notFound && unknown.status == .notFound)
            func answer(_ r: TestingHTTPResponse) -> String {
                let s = r.body.string
                guard let at = s.range(of: "id=\"answer\">") else { return "" }
                return String(s[at.upperBound...].prefix(120))
            }
            #expect(answer(wrongBirth) == answer(unknown) && !answer(unknown).isEmpty)
            // Three more for the same number reach its limit of five: the right date of birth is then refused too.
            for _ in 0..<3 {
                _ = try await visitor.post(VisaPaths.status, form: ["number": a.number, "dateOfBirth": "2000-01-01"])
            }
            let limited = try await visitor.post(
                VisaPaths.status, form: ["number": a.number, "dateOfBirth": "1998-03-14", "lang": "nl"])
            #expect(limited.status == .tooManyRequests && limited.headers.first(name: .retryAfter) == "900")
            #expect(!limited.body.string.contains("Ontvangen"))
            // From one address, ten lookups answered of any numbers (the refused one does not count); then no more.
            for i in 0..<4 {
                _ = try await visitor.post(
                    VisaPaths.status, form: ["number": "KV-2026-9000\(i)", "dateOfBirth": "2000-01-01"])
            }
            let byAddress = try await visitor.post(
                VisaPaths.status, form: ["number": "KV-2026-00042", "dateOfBirth": "2000-01-01"])
            #expect(byAddress.status == .tooManyRequests)
            let log = try await KVStatusLookup.query(on: h.app.db).all()
            #expect(log.count == 12)
            #expect(
                log.filter { $0.outcome == "found" }.count == 1 && log.filter { $0.outcome == "limited" }.count == 2)
            // The form without its token is refused; the application is unchanged.
            let forged = try await BrowserSession(app: h.app).post(
                VisaPaths.status, form: ["number": a.number, "dateOfBirth": "1998-03-14"], includeCSRF: false)
            #expect(forged.status == .forbidden)
        }
    }
}
