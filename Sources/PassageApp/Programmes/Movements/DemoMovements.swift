import Vapor
import Fluent
import PassageDomain

/// Flights for the demo: flown bookings of departed return cases (with their CO2), tickets for cases about
/// to leave (persons with a phone, who get its SMS), a day at the hub with a departure, a transit and an arrival, and a
/// carbon-credit purchase.
enum DemoMovements {
    /// The airport a return to the country usually lands at, and whether it goes through Istanbul.
    static let gateways: [String: (String, Bool)] = [
        "SY": ("DAM", true), "IQ": ("BGW", true), "AF": ("KBL", true), "IR": ("IKA", true), "ER": ("ASM", true),
        "SO": ("MGQ", true),
        "TR": ("IST", false), "MA": ("RAK", false), "DZ": ("ALG", false), "TN": ("TUN", false), "EG": ("CAI", false),
        "GE": ("TBS", false),
        "AM": ("EVN", false), "NG": ("LOS", false), "MN": ("UBN", true), "LB": ("BEY", false),
        "BY": ("VNO", false), "AL": ("TIA", false), "CN": ("PEK", false), "ET": ("ADD", false), "SD": ("CAI", true),
        "PK": ("ISB", true),
    ]

    static func local(_ day: String, _ minutes: Int) -> String {
        String(format: "%@T%02d:%02d", day, (minutes / 60) % 24, minutes % 60)
    }

    /// The legs of a trip home from Amsterdam, with flight times from the distance.
    static func legs(to country: String, day: String) -> FormFields? {
        guard let (gateway, viaIstanbul) = gateways[country], let ams = ReferenceData.airports["AMS"],
            let end = ReferenceData.airports[gateway],
            let ist = ReferenceData.airports["IST"]
        else { return nil }
        var f: FormFields = [:]
        let stops = [ams] + (viaIstanbul && gateway != "IST" ? [ist] : []) + [end]
        var depart = LocalTime.parse(local(day, 10 * 60 + 15), timeZone: ams.timeZone)!
        for i in 0..<(stops.count - 1) {
            let a = stops[i]
            let b = stops[i + 1]
            let minutes = Int(GreatCircle.distanceKm(a, b) / 780 * 60) + 35
            let arrive = depart.addingTimeInterval(Double(minutes) * 60)
            let p = "leg\(i + 1)_"
            f[p + "carrier"] = i == 0 && !viaIstanbul ? "KL" : "TK"
            f[p + "flight"] = String(
                100 + (a.iata + b.iata).unicodeScalars.reduce(0) { $0 * 31 + Int($1.value) } % 1800)
            f[p + "from"] = a.iata; f[p + "to"] = b.iata
            f[p + "departs"] = LocalTime.format(depart, timeZone: a.timeZone);
            f[p + "arrives"] = LocalTime.format(arrive, timeZone: b.timeZone)
            depart = arrive.addingTimeInterval(2 * 3600 + 25 * 60)
        }
        return f
    }

    static func day(_ offset: Int) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = OfficeCalendar.timeZone
        let c = cal.dateComponents(
            [.year, .month, .day], from: cal.date(byAdding: .day, value: offset, to: Clock.now())!)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func seed(_ app: Application) async throws {
        let actor = Actor(id: "system", name: "demo")
        // The reception agency's subscription to departures, paused: the demo calls no one outside.
        if let agency = try await Partner.query(on: app.db).filter(\.$kind == .receptionAgency).sort(\.$name).first() {
            let (s, _) = try await MessagingRecords.subscribe(
                [
                    "partnerID": agency.id!.uuidString, "eventType": WebhookEventType.departureCompleted.rawValue,
                    "url": "https://partner.example.org/passage/departures",
                ], actor: actor, on: app)
            try await MessagingRecords.setActive(s.id!, active: false, actor: actor, on: app)
        }
        var rng = SeededRandom(seed: 77)
        var travellers: [Traveller] = []
        for module in app.modules { travellers += try await module.travellers(on: app.db) }
        var flown = 0
        var upcoming = 0
        for r in travellers.sorted(by: { $0.caseReference < $1.caseReference }) {
            let pid = r.personID
            let destination = r.travel.destinationCountry ?? ""
            let reference = "D" + String(Int.random(in: 10_000...99_999, using: &rng))
            if let departed = r.departedOn, flown < 40, var f = legs(to: destination, day: departed) {
                f["passengers"] = pid.uuidString; f["status"] = "ticketed"; f["reference"] = reference
                f["fare"] = String(Int.random(in: 180...720, using: &rng)); f["baggageKg"] = "30"
                guard let b = try? await BookingRecords.create(caseID: r.caseID, f, actor: actor, on: app) else {
                    continue
                }
                _ = try? await BookingRecords.move(b.id!, to: "flown", note: "", reference: nil, actor: actor, on: app)
                flown += 1
            } else if r.preparing, upcoming < 12, r.personHasPhone,
                var f = legs(to: destination, day: day(upcoming < 3 ? 0 : upcoming))
            {
                f["passengers"] = pid.uuidString; f["status"] = upcoming % 3 == 2 ? "held" : "ticketed";
                f["reference"] = reference
                f["assist_" + pid.uuidString] =
                    upcoming == 0 ? "wheelchair,meet_and_assist" : (upcoming == 1 ? "medical" : "")
                if upcoming == 1 { f["escort"] = "medical"; f["escortStaff"] = "Dr. M. Jansen" }
                _ = try? await BookingRecords.create(caseID: r.caseID, f, actor: actor, on: app)
                upcoming += 1
            }
        }
        // A transit through Amsterdam and an arrival today (a family joining a relative).
        let others = try await Case.query(on: app.db).filter(
            \.$programme ~~ [Programme.resettlement, .familyReunification]
        )
        .filter(\.$status == CaseStatus.open).sort(\.$reference).limit(2).all()
        let today = day(0)
        if others.count == 2 {
            let transit: FormFields = [
                "passengers": others[0].$person.id.uuidString, "status": "ticketed", "reference": "TR4Q8Z",
                "leg1_carrier": "TK", "leg1_flight": "1955", "leg1_from": "IST", "leg1_to": "AMS",
                "leg1_departs": today + "T07:40", "leg1_arrives": today + "T10:20",
                "leg2_carrier": "KL", "leg2_flight": "641", "leg2_from": "AMS", "leg2_to": "JFK",
                "leg2_departs": today + "T13:05", "leg2_arrives": today + "T15:10",
                "assist_" + others[0].$person.id.uuidString: "meet_and_assist",
            ]
            _ = try? await BookingRecords.create(caseID: others[0].id!, transit, actor: actor, on: app)
            let arrival: FormFields = [
                "passengers": others[1].$person.id.uuidString, "status": "ticketed", "reference": "AR7M2K",
                "leg1_carrier": "ET", "leg1_flight": "726", "leg1_from": "ADD", "leg1_to": "AMS",
                "leg1_departs": today + "T00:30", "leg1_arrives": today + "T06:40",
                "assist_" + others[1].$person.id.uuidString: "unaccompanied_child",
            ]
            _ = try? await BookingRecords.create(caseID: others[1].id!, arrival, actor: actor, on: app)
        }
        try await CarbonAccount.addCredit(
            ["purchasedOn": day(-30), "tonnes": "25", "vendor": "Gold Standard", "certificate": "GS-VER-2025-004217"],
            actor: actor, on: app)
    }
}
