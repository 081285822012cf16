import Testing
import VaporTesting
import Fluent
import PassageDomain
@testable import PassageApp

/// Bookings, the hub manifest, SMS through Kannel, partner webhooks, the outbox and CO2, on every database.
@Suite struct MovementsTests {
    struct Setup {
        let person: PersonSummary
        let centre: UUID
        let agency: UUID
        let caseID: UUID
        let caseReference: String
    }

    /// A local day `days` from today, with a time: `2026-12-04T10:15`.
    static func local(_ days: Int, _ time: String) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        let d = cal.date(byAdding: .day, value: days, to: Date())!
        let c = cal.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02dT", c.year!, c.month!, c.day!) + time
    }

    static func person(
        _ h: Harness, _ family: String, phone: String?, languages: [String] = ["ar"], location: UUID? = nil
    ) async throws -> PersonSummary {
        let body = PersonAPIController.CreateBody(
            person: PersonForm(
                familyName: family, givenNames: "Amina", sex: "F", dateOfBirth: "1990-04-02",
                nationality: "TN", languages: languages, phone: phone, locationID: location?.uuidString), documents: nil
        )
        return try await registerDistinct(h, body)
    }

    /// A person staying in a reception centre run by an agency, with a return case.
    static func setUp(_ h: Harness, phone: String? = "+31612345678", agencyName: String = "Reception Agency North")
        async throws -> Setup
    {
        let agency = try decode(
            RegistryAPIController.PartnerDTO.self,
            try await h.send(
                .POST, "/api/v1/partners", as: .administrator,
                json: RegistryRecords.PartnerForm(name: agencyName, kind: "reception_agency", country: "NL")))
        let centre = try decode(
            RegistryAPIController.LocationDTO.self,
            try await h.send(
                .POST, "/api/v1/locations", as: .administrator,
                json: RegistryRecords.LocationForm(
                    name: "Centre of \(agencyName)", kind: "reception_centre", city: "Ter Apel", country: "NL",
                    partnerID: agency.id.uuidString)))
        let p = try await person(h, "Ben Salah", phone: phone, location: centre.id)
        let res = try await h.send(
            .POST, "/api/v1/return/cases", as: .counsellor,
            json: [
                "personID": p.id.uuidString, "ownerID": h.users[.counsellor]!.uuidString,
                "referralSource": "reception_agency",
                "stayLocationID": centre.id.uuidString, "preferredLanguage": "ar", "destinationCountry": "TN",
                "destinationPlace": "Tunis",
            ])
        #expect(res.status == .created, "\(res.body.string)")
        let file = try decode(ReturnFile.self, res)
        return Setup(
            person: p, centre: centre.id, agency: agency.id, caseID: file.case.id, caseReference: file.case.reference)
    }

    static func leg(
        _ carrier: String, _ flight: String, _ from: String, _ to: String, _ departs: String, _ arrives: String
    ) -> MovementsAPIController.LegBody {
        .init(carrier: carrier, flight: flight, from: from, to: to, departs: departs, arrives: arrives)
    }

    static func book(
        _ h: Harness, _ caseID: UUID, _ body: MovementsAPIController.BookingBody, as role: Role = .movementsOfficer
    ) async throws -> TestingHTTPResponse {
        try await h.send(.POST, "/api/v1/cases/\(caseID)/bookings", as: role, json: body)
    }

    static func move(_ h: Harness, _ b: BookingFile, _ to: String, reference: String = "", note: String = "")
        async throws -> TestingHTTPResponse
    {
        try await h.send(
            .POST, "/api/v1/bookings/\(b.id)/transitions", as: .movementsOfficer,
            json: ["to": to, "reference": reference, "note": note])
    }

    /// A direct flight to Tunis for the case's person, `days` from today.
    static func tunis(_ s: Setup, days: Int, status: String = "requested", reference: String? = nil)
        -> MovementsAPIController.BookingBody
    {
        .init(
            reference: reference, status: status,
            passengers: [.init(personID: s.person.id.uuidString, assistance: ["meet_and_assist"])],
            legs: [leg("TU", "791", "AMS", "TUN", local(days, "10:15"), local(days, "12:45"))], fare: "245.00",
            baggageKg: 30,
            escort: nil, escortStaff: nil, escortReturnLegs: nil, note: nil)
    }

    @Test(arguments: TestDatabase.available)
    func a_booking_keeps_local_times_and_its_history_through_a_rebooking(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            let res = try await Self.book(h, s.caseID, Self.tunis(s, days: 10))
            #expect(res.status == .created, "\(res.body.string)")
            let b = try decode(BookingFile.self, res)
            #expect(b.status == "requested")
            #expect(b.legs.count == 1)
            // Each time is read in its own airport's zone.
            let leg = b.legs[0]
            #expect(LocalTime.format(leg.departsAt, timeZone: "Europe/Amsterdam") == Self.local(10, "10:15"))
            #expect(LocalTime.format(leg.arrivesAt, timeZone: "Africa/Tunis") == Self.local(10, "12:45"))
            #expect(abs(leg.distanceKm - 1771) < 5, "AMS–TUN is about 1,771 km, got \(leg.distanceKm)")
            #expect(b.passengers.map(\.assistance) == [["meet_and_assist"]])
            // Ticketing needs the airline's reference, then sends the flight details and queues the reminder, in
            // Arabic.
            #expect(try await Self.move(h, b, "ticketed").status == .unprocessableEntity)
            let ticketed = try decode(BookingFile.self, try await Self.move(h, b, "ticketed", reference: "tu7x9q"))
            #expect(ticketed.reference == "TU7X9Q")
            let sms = ticketed.messages.filter { $0.kind == "sms" }
            #expect(
                sms.map(\.label).sorted() == [
                    "SMS reminder (ar) to Amina Ben Salah", "SMS ticketed (ar) to Amina Ben Salah",
                ])
            #expect(
                sms.allSatisfy {
                    $0.destination == "+31612345678" && $0.body.contains("TU791") && $0.body.contains("رحلتك")
                })
            let reminder = try #require(sms.first { $0.label.contains("reminder") })
            #expect(abs(reminder.dueAt.timeIntervalSince(leg.departsAt) + 24 * 3600) < 1)
            // The same event never queues a second message.
            let booking = try await BookingRecords.loadBooking(b.id, on: h.app.db)
            let c = try await BookingRecords.loadCase(s.caseID, on: h.app.db)
            try await BookingRecords.queueSMS(booking, event: .ticketed, case: c, on: h.app.db)
            #expect(try await OutboxMessage.query(on: h.app.db).filter(\.$bookingID == b.id).count() == 2)
            // Re-booking: the old booking is cancelled with its reminder, the new one points back and says what
            // changed.
            var later = Self.tunis(s, days: 12, status: "ticketed", reference: "TU8K2L")
            later.legs = [Self.leg("KL", "1565", "AMS", "TUN", Self.local(12, "09:05"), Self.local(12, "11:40"))]
            let rebooked = try await h.send(
                .POST, "/api/v1/bookings/\(b.id)/rebook", as: .movementsOfficer, json: later)
            #expect(rebooked.status == .created, "\(rebooked.body.string)")
            let nb = try decode(BookingFile.self, rebooked)
            #expect(nb.rebookedFrom == b.id)
            #expect(
                nb.messages.map(\.label).sorted() == [
                    "SMS rebooked (ar) to Amina Ben Salah", "SMS reminder (ar) to Amina Ben Salah",
                ])
            let old = try decode(BookingFile.self, try await h.send(.GET, "/api/v1/bookings/\(b.id)", as: .counsellor))
            #expect(old.status == "cancelled")
            #expect(old.rebookedAs == nb.id)
            #expect(old.history.map(\.to) == ["requested", "ticketed", "cancelled"])
            #expect(old.messages.first { $0.label.contains("reminder") }?.status == "cancelled")
            // A cancelled booking is final; cancelling the new ticket tells the migrant.
            #expect(try await Self.move(h, old, "ticketed", reference: "X1").status == .conflict)
            let cancelled = try decode(
                BookingFile.self, try await Self.move(h, nb, "cancelled", note: "migrant withdrew"))
            #expect(
                cancelled.messages.contains {
                    $0.label == "SMS cancelled (ar) to Amina Ben Salah" && $0.status == "pending"
                })
            #expect(cancelled.messages.first { $0.label.contains("reminder") }?.status == "cancelled")
            // A flight that has not left cannot be flown.
            let soon = decode2(
                try await Self.book(h, s.caseID, Self.tunis(s, days: 3, status: "ticketed", reference: "AB12CD")))
            #expect(try await Self.move(h, soon, "flown").status == .conflict)
            // Every change is on the case's timeline and in the audit trail.
            #expect(try await AuditEntry.query(on: h.app.db).filter(\.$entity == "booking").count() >= 6)
            #expect(
                try await CaseEvent.query(on: h.app.db).filter(\.$caseRecord.$id == s.caseID).filter(
                    \.$kind == "booking"
                ).count() >= 5)
        }
    }

    @Test(arguments: TestDatabase.available)
    func bad_input_is_refused_with_the_field_and_nothing_is_written(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h)
            let stranger = try await Self.person(h, "Stranger", phone: nil)
            func refused(_ body: MovementsAPIController.BookingBody, _ field: String, _ text: String) async throws {
                let res = try await Self.book(h, s.caseID, body)
                #expect(res.status == .unprocessableEntity, "\(res.body.string)")
                let e = try decode(ErrorBody.self, res)
                #expect(
                    e.fields?.contains { $0.field == field && $0.message.contains(text) } == true,
                    "\(field): \(res.body.string)")
            }
            var b = Self.tunis(s, days: 5)
            b.legs = [Self.leg("TU", "791", "AMS", "XQZ", Self.local(5, "10:15"), Self.local(5, "12:45"))]
            try await refused(b, "leg1_to", "not a known IATA airport code")
            b.legs = [Self.leg("TU", "791", "AMS", "TUN", Self.local(5, "10:15"), Self.local(5, "09:45"))]
            try await refused(b, "leg1_arrives", "must be after the departure")
            b.legs = [Self.leg("TU", "791", "AMS", "TUN", "2027-03-28T02:30", "2027-03-28T05:30")]
            try await refused(b, "leg1_departs", "that exists in Europe/Amsterdam")
            b = Self.tunis(s, days: 5)
            b.passengers = [.init(personID: stranger.id.uuidString, assistance: nil)]
            try await refused(b, "passengers", "is not a person of this case")
            b = Self.tunis(s, days: 5)
            b.passengers = [.init(personID: s.person.id.uuidString, assistance: ["piggyback"])]
            try await refused(b, "assist_" + s.person.id.uuidString, "'piggyback' is not one of")
            b = Self.tunis(s, days: 5)
            b.escort = "medical"
            try await refused(b, "escortStaff", "name the escorting staff")
            b = Self.tunis(s, days: 5)
            b.legs = [
                Self.leg("TU", "791", "AMS", "IST", Self.local(5, "10:15"), Self.local(5, "14:45")),
                Self.leg("TK", "661", "FCO", "TUN", Self.local(5, "16:00"), Self.local(5, "17:30")),
            ]
            try await refused(b, "leg2_from", "must be IST")
            #expect(try await h.count(Booking.self) == 0)
            #expect(try await h.count(Leg.self) == 0)
            // Templates: a missing placeholder, an unknown one, a language without templates.
            let t1 = try await h.send(
                .PUT, "/api/v1/sms-templates/ticketed/en", as: .administrator,
                json: ["text": "Your flight {flight} leaves {from}."])
            #expect(t1.status == .unprocessableEntity)
            #expect(t1.body.string.contains("{date}") && t1.body.string.contains("{time}"))
            let t2 = try await h.send(
                .PUT, "/api/v1/sms-templates/cancelled/en", as: .administrator,
                json: ["text": "Flight {flight} on {date} {gate} cancelled."])
            #expect(t2.status == .unprocessableEntity && t2.body.string.contains("{gate}"))
            #expect(
                try await h.send(
                    .PUT, "/api/v1/sms-templates/cancelled/xx", as: .administrator, json: ["text": "{flight} {date}"]
                ).status == .notFound)
            #expect(
                try await SMSTemplateRecord.query(on: h.app.db).filter(\.$event == "ticketed").filter(
                    \.$language == "en"
                ).first()?.text == SMSTemplates.defaults[.ticketed]!["en"])
            let ok = try await h.send(
                .PUT, "/api/v1/sms-templates/cancelled/en", as: .administrator,
                json: ["text": "Flight {flight} of {date} is cancelled. Call us."])
            #expect(ok.status == .noContent)
            // Manifest and counts: a bad airport or date.
            #expect(
                try await h.send(.GET, "/api/v1/movements/manifest?airport=ZZZ", as: .movementsOfficer).status
                    == .unprocessableEntity)
            #expect(
                try await h.send(.GET, "/api/v1/movements/manifest?date=2026-02-30", as: .movementsOfficer).status
                    == .unprocessableEntity)
            #expect(
                try await h.send(.GET, "/api/v1/movements/counts?month=2026-13", as: .movementsOfficer).status
                    == .unprocessableEntity)
            // Credits and subscriptions.
            let credit = try await h.send(
                .POST, "/api/v1/movements/carbon-credits", as: .manager,
                json: ["purchasedOn": "2099-01-01", "tonnes": "-3", "vendor": "", "certificate": "C-1"])
            #expect(credit.status == .unprocessableEntity)
            let fields = Set(try decode(ErrorBody.self, credit).fields?.map(\.field) ?? [])
            #expect(fields == ["purchasedOn", "tonnes", "vendor"])
            let sub = try await h.send(
                .POST, "/api/v1/webhooks/subscriptions", as: .administrator,
                json: ["partnerID": s.agency.uuidString, "url": "http://partner.example/hook"])
            #expect(sub.status == .unprocessableEntity && sub.body.string.contains("https:"))
            #expect(try await h.count(WebhookSubscription.self) == 0)
            #expect(try await h.count(CarbonCredit.self) == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_hub_manifest_shows_departures_transits_and_arrivals_in_local_time(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h, phone: nil)
            let day = Self.local(6, "").prefix(10)
            // Departure from AMS via IST to Kabul; a transit LHR→AMS→TUN; an arrival TUN→AMS (a family reunification).
            var dep = Self.tunis(s, days: 6)
            dep.legs = [
                Self.leg("TK", "1952", "AMS", "IST", Self.local(6, "11:50"), Self.local(6, "16:20")),
                Self.leg("TK", "706", "IST", "KBL", Self.local(6, "19:40"), Self.local(7, "02:55")),
            ]
            dep.escort = "medical"; dep.escortStaff = "Dr. Jansen"
            dep.escortReturnLegs = [Self.leg("TK", "707", "KBL", "IST", Self.local(7, "05:00"), Self.local(7, "08:30"))]
            #expect(try await Self.book(h, s.caseID, dep).status == .created)
            var transit = Self.tunis(s, days: 6)
            transit.legs = [
                Self.leg("KL", "1008", "LHR", "AMS", Self.local(6, "06:40"), Self.local(6, "09:00")),
                Self.leg("TU", "791", "AMS", "TUN", Self.local(6, "10:15"), Self.local(6, "12:45")),
            ]
            let t = decode2(try await Self.book(h, s.caseID, transit))
            var arrival = Self.tunis(s, days: 6)
            arrival.legs = [Self.leg("TU", "790", "TUN", "AMS", Self.local(6, "13:30"), Self.local(6, "16:05"))]
            let a = decode2(try await Self.book(h, s.caseID, arrival))
            let m = try decode(
                ManifestDay.self,
                try await h.send(.GET, "/api/v1/movements/manifest?date=\(day)", as: .movementsOfficer))
            #expect(m.airport == "AMS")
            #expect(m.entries.map(\.type) == ["transit", "departure", "arrival"])
            #expect(m.entries.map(\.time) == ["09:00", "11:50", "16:05"])
            #expect(m.entries[1].escort == "medical" && m.entries[1].escortStaff == "Dr. Jansen")
            #expect(m.entries[0].assistance == ["meet_and_assist"])
            #expect(m.counts == ["departure": 1, "transit": 1, "arrival": 1])
            // Handling: a handover only on arrival, transit help only in transit.
            let path = "/api/v1/bookings/\(a.id)/handling/\(s.person.id)"
            let wrong = try await h.send(
                .PUT, path + "/arrival", as: .movementsOfficer, json: ["handoverTo": "family_member"])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("handoverName"))
            #expect(
                try await h.send(.PUT, path + "/departure", as: .movementsOfficer, json: ["checkedIn": "true"]).status
                    == .conflict)
            let done = try await h.send(
                .PUT, path + "/arrival", as: .movementsOfficer,
                json: ["handoverTo": "family_member", "handoverName": "Karim Ben Salah (brother)"])
            #expect(done.status == .ok, "\(done.body.string)")
            #expect(
                try await h.send(
                    .PUT, "/api/v1/bookings/\(t.id)/handling/\(s.person.id)/transit", as: .movementsOfficer,
                    json: ["transitAssistance": "meals,hotel", "checkedIn": "true"]
                ).status == .ok)
            let again = try decode(
                ManifestDay.self,
                try await h.send(.GET, "/api/v1/movements/manifest?airport=ams&date=\(day)", as: .movementsOfficer))
            #expect(again.entries[2].handling?.handoverName == "Karim Ben Salah (brother)")
            #expect(again.entries[0].handling?.transitAssistance == ["meals", "hotel"])
            // Counts per day and month; a cancelled booking drops out.
            #expect(try await Self.move(h, a, "cancelled").status == .ok)
            let counts = try decode(
                MovementCounts.self,
                try await h.send(.GET, "/api/v1/movements/counts?month=\(day.prefix(7))", as: .manager))
            #expect(counts.totals == ["departure": 1, "transit": 1, "arrival": 0])
            // The counsellor may not see the airport's manifest.
            #expect(try await h.send(.GET, "/api/v1/movements/manifest", as: .counsellor).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func flown_legs_carry_their_co2_and_credits_balance_against_it(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await Self.setUp(h, phone: nil)
            var past = Self.tunis(s, days: -2, status: "ticketed", reference: "PAST01")
            past.escort = "operational"; past.escortStaff = "J. de Vries"
            past.escortReturnLegs = [
                Self.leg("TU", "790", "TUN", "AMS", Self.local(-2, "13:30"), Self.local(-2, "16:05"))
            ]
            let b = decode2(try await Self.book(h, s.caseID, past))
            let flown = try decode(BookingFile.self, try await Self.move(h, b, "flown"))
            let km = flown.legs[0].distanceKm
            let factor = try #require(ReferenceData.emissionFactors.factor(year: Int(Self.local(-2, "").prefix(4))!))
            #expect(factor.withRF == 0.10916 && factor.withoutRF == 0.06449)
            #expect(flown.legs[0].co2KgWithRF == (km * 0.10916 * 1000).rounded() / 1000)
            // Two travellers out (passenger and escort), the escort alone back.
            let expected =
                ((km * 0.10916 * 1000).rounded() * 2 + (flown.legs[1].distanceKm * 0.10916 * 1000).rounded()) / 1000
            #expect(abs((flown.co2KgWithRF ?? 0) - expected) < 0.002)
            #expect(
                try await h.send(
                    .POST, "/api/v1/movements/carbon-credits", as: .manager,
                    json: [
                        "purchasedOn": ReturnRecords.today().isoText, "tonnes": "1.5", "vendor": "Gold Standard",
                        "certificate": "GS-2025-0042",
                    ]
                ).status == .created)
            let account = try decode(
                CarbonAccount.self, try await h.send(.GET, "/api/v1/movements/emissions", as: .manager))
            #expect(
                account.rows.count == 1 && account.rows[0].programme == Programme.voluntaryReturn.rawValue
                    && account.rows[0].bookings == 1)
            #expect(abs(account.emittedTonnesWithRF - expected / 1000) < 0.00001)
            #expect(abs(account.balanceTonnes - (1.5 - expected / 1000)) < 0.00001)
            #expect(account.method.contains("2025"))
            #expect(try await AuditEntry.query(on: h.app.db).filter(\.$entity == "carbon_credit").count() == 1)
        }
    }
}

/// A booking from an answer that must have been 201.
func decode2(_ res: TestingHTTPResponse) -> BookingFile {
    #expect(res.status == .created, "\(res.body.string)")
    return (try? decode(BookingFile.self, res))!
}

/// A flown booking moves a return case that was preparing its departure, when the guards allow it.
@Suite struct FlightDepartureTests {
    static func flyYesterday(_ h: Harness, _ c: ReturnFile, _ s: ReturnAPITests.Setup) async throws {
        let body = MovementsAPIController.BookingBody(
            reference: "HOME01", status: "ticketed",
            passengers: [.init(personID: s.person.id.uuidString, assistance: nil)],
            legs: [
                MovementsTests.leg(
                    "TK", "1952", "AMS", "IST", MovementsTests.local(-1, "11:50"), MovementsTests.local(-1, "16:20"))
            ],
            fare: nil, baggageKg: nil, escort: nil, escortStaff: nil, escortReturnLegs: nil, note: nil)
        let b = decode2(try await MovementsTests.book(h, c.case.id, body))
        #expect(try await MovementsTests.move(h, b, "flown").status == .ok)
    }

    @Test(arguments: TestDatabase.available)
    func a_flown_booking_marks_the_return_case_departed_on_the_day_of_the_flight(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            // Yonas holds a passport of Eritrea, his country of return: nothing stands in the way.
            let s = try await ReturnAPITests.setUp(h, PersonAPITests.yonas)
            let c = try await ReturnAPITests.open(h, s, destination: "ER")
            let base = "/api/v1/return/cases/\(c.case.id)"
            #expect(
                try await ReturnAPITests.post(
                    h, base + "/sessions",
                    [
                        "heldOn": ReturnAPITests.today(), "locationID": s.centre.uuidString, "language": "ti",
                        "durationMinutes": "45", "outcome": "decided_to_return", "notes": "",
                    ]
                ).status == .created)
            for stage in ["counselling", "decided_to_return"] {
                #expect(try await ReturnAPITests.move(h, c, stage).status == .ok)
            }
            #expect(try await ReturnAPITests.post(h, base + "/eligibility", [:]).status == .created)
            for stage in ["eligibility_decided", "preparing_departure"] {
                #expect(try await ReturnAPITests.move(h, c, stage).status == .ok)
            }
            try await Self.flyYesterday(h, c, s)
            let after = try decode(ReturnFile.self, try await h.send(.GET, base, as: .counsellor))
            #expect(after.stage == "departed")
            #expect(after.departedOn == String(MovementsTests.local(-1, "").prefix(10)))
            #expect(
                after.timeline.contains {
                    $0.text.contains("Stage preparing_departure → departed") && $0.text.contains("flown on TK1952")
                })
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_flown_booking_departs_the_case_and_leaves_unmet_checks_to_a_manager(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            // Mohammed has no travel document for Syria yet, and flew anyway.
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.prepared(h, s)
            try await Self.flyYesterday(h, c, s)
            let path = "/api/v1/return/cases/\(c.case.id)"
            let after = try decode(ReturnFile.self, try await h.send(.GET, path, as: .counsellor))
            #expect(after.stage == "departed")
            #expect(
                after.timeline.contains {
                    $0.text.contains("Flown on TK1952: departed with checks not met, for a manager to review")
                        && $0.text.contains("travel document")
                })
            let open = try #require(after.exceptions.first)
            #expect(after.exceptions.count == 1 && open.reviewedAt == nil && open.kind == "departure_checks")
            // The booking says so at once.
            let bookings = try decode(
                [BookingFile].self, try await h.send(.GET, "/api/v1/cases/\(c.case.id)/bookings", as: .movementsOfficer)
            )
            #expect(bookings.first?.history.contains { $0.note.contains("departed with checks not met") } == true)
            // The stage and the figures agree.
            let year = ReturnRecords.today().year
            let report = try decode(
                PeriodReport.self,
                try await h.send(.GET, "/api/v1/reports/period?from=\(year - 1)-01-01&to=\(year)-12-31", as: .manager))
            #expect(report.rows.first { $0.key == "departed" }?.value == 1)

            // Managers find it in their list and on the file; a counsellor sees that it waits.
            let listed = try decode(
                [ReturnRecords.ExceptionRow].self, try await h.send(.GET, "/api/v1/return/exceptions", as: .manager))
            #expect(listed.map(\.caseID) == [c.case.id])
            #expect(try await h.send(.GET, "/api/v1/return/exceptions", as: .counsellor).status == .forbidden)
            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            #expect(try await manager.get("/return/exceptions").body.string.contains(c.case.reference))
            let filePage = try await manager.get("/return/cases/\(c.case.id)").body.string
            #expect(
                filePage.contains("id=\"exceptions\"")
                    && filePage.contains("action=\"/return/cases/\(c.case.id)/exceptions/\(open.id)/review#"))
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            let theirs = try await counsellor.get("/return/cases/\(c.case.id)").body.string
            #expect(theirs.contains("A manager reviews this departure.") && !theirs.contains("/review\""))

            // A manager reviews it, once, with a note; a counsellor may not.
            let review = "\(path)/exceptions/\(open.id)/review"
            #expect(try await h.send(.POST, review, as: .counsellor, json: ["note": "x"]).status == .forbidden)
            let unsaid = try await h.send(.POST, review, as: .manager, json: ["note": " "])
            #expect(unsaid.status == .unprocessableEntity)
            #expect(try decode(ErrorBody.self, unsaid).fields?.first?.field == "note")
            let done = try await h.send(
                .POST, review, as: .manager, json: ["note": "Laissez-passer issued at the airport; nothing to do"])
            #expect(done.status == .ok)
            let reviewed = try decode(ReturnFile.self, done).exceptions.first
            #expect(reviewed?.reviewedBy != nil && reviewed?.reviewNote?.hasPrefix("Laissez") == true)
            #expect(
                try await h.send(.POST, review, as: .manager, json: ["note": "again"]).status == .conflict)
            #expect(
                try decode(
                    [ReturnRecords.ExceptionRow].self,
                    try await h.send(.GET, "/api/v1/return/exceptions", as: .manager)
                ).isEmpty)
            #expect(
                try decode(
                    [ReturnRecords.ExceptionRow].self,
                    try await h.send(.GET, "/api/v1/return/exceptions?state=all", as: .manager)
                ).first?.reviewNote?.hasPrefix("Laissez") == true)
            let other = "\(path)/exceptions/\(UUID())/review"
            #expect(try await h.send(.POST, other, as: .manager, json: ["note": "x"]).status == .notFound)
        }
    }
}

/// The movements pages answer each form in place: field messages, what was typed, and the record when it worked.
@Suite struct MovementsPageTests {
    @Test(arguments: TestDatabase.available)
    func booking_and_manifest_forms_keep_what_was_typed_and_say_what_to_fix(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await MovementsTests.setUp(h)
            let b = BrowserSession(app: h.app)
            try await b.login("movements.officer")
            let form = try await b.get("/cases/\(s.caseID)/bookings/new")
            #expect(form.status == .ok && form.body.string.contains("Ben Salah, Amina"))
            let pid = s.person.id.uuidString
            var fields = [
                "passenger_\(pid)": "true", "assist_\(pid)_wheelchair": "true", "leg1_carrier": "TU",
                "leg1_flight": "791",
                "leg1_from": "AMS", "leg1_to": "XQZ", "leg1_departs": MovementsTests.local(9, "10:15"),
                "leg1_arrives": MovementsTests.local(9, "12:45"),
                "status": "requested", "baggageKg": "20",
            ]
            let bad = try await b.post("/cases/\(s.caseID)/bookings/new", form: fields)
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.body.string.contains("Flight 1: To")
                    && bad.body.string.contains("&#39;XQZ&#39; is not a known IATA airport code"))
            #expect(
                bad.body.string.contains("value=\"XQZ\"")
                    && bad.body.string.contains("name=\"assist_\(pid)_wheelchair\" value=\"true\" checked"))
            fields["leg1_to"] = "TUN"
            let ok = try await b.post("/cases/\(s.caseID)/bookings/new", form: fields)
            #expect(ok.status == .seeOther)
            let booking = try #require(try await Booking.query(on: h.app.db).first())
            #expect(try await BookingPassenger.query(on: h.app.db).first()?.assistanceText == "wheelchair")
            let page = try await b.get("/bookings/\(booking.id!)")
            #expect(page.status == .ok && page.body.string.contains("TU791") && page.body.string.contains("Wheelchair"))
            // A status that cannot follow, and ticketing without the airline's reference.
            let noRef = try await b.post("/bookings/\(booking.id!)/move", form: ["to": "ticketed"])
            #expect(noRef.status == .unprocessableEntity && noRef.body.string.contains("needs the airline"))
            let early = try await b.post("/bookings/\(booking.id!)/move", form: ["to": "flown"])
            #expect(early.status == .conflict)
            // Cancelling asks once more, in its own form.
            #expect(page.body.string.contains("Yes, cancel the booking"))
            #expect(
                try await b.post("/bookings/\(booking.id!)/move", form: ["to": "cancelled", "note": "plans changed"])
                    .status == .seeOther)
            #expect(try await Booking.find(booking.id, on: h.app.db)?.status.rawValue == "cancelled")
            // Templates: a missing placeholder is named, and what was typed stays.
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let tpl = try await admin.post(
                "/movements/sms-templates/ticketed/nl", form: ["text": "Vlucht {flight} vertrekt om {time}"])
            #expect(
                tpl.status == .unprocessableEntity && tpl.body.string.contains("{from}, {date}")
                    && tpl.body.string.contains("Vlucht {flight} vertrekt om {time}"))
            // The webhook secret is shown once, on the page that created it.
            let sub = try await admin.post(
                "/admin/webhooks",
                form: [
                    "partnerID": s.agency.uuidString, "eventType": "departure.completed",
                    "url": "https://agency.example/hook",
                ])
            #expect(sub.status == .created && sub.body.string.contains("whsec_"))
            #expect(!(try await admin.get("/admin/webhooks")).body.string.contains("whsec_"))
            // Carbon credits refuse a negative amount with the field named.
            let mgr = BrowserSession(app: h.app)
            try await mgr.login("manager")
            let credit = try await mgr.post(
                "/movements/carbon",
                form: ["purchasedOn": ReturnRecords.today().isoText, "tonnes": "-2", "vendor": "V", "certificate": "C"])
            #expect(
                credit.status == .unprocessableEntity && credit.body.string.contains("id=\"f-credit-tonnes-error\""))
        }
    }
}
