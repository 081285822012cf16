import Fluent
import PassageDomain
import Vapor

/// Resettlement for the demo: households referred by UNHCR at every stage, missions to Kenya and Egypt,
/// orientation sessions, three group movements that arrived (from Lebanon through Istanbul, from Kenya, from
/// Jordan) and one planned.
enum DemoResettlement {
    struct Household {
        var number: String
        var asylum: String
        var nationality: String
        var family: String
        var category: String
        var priority = "normal"
        /// Given name, sex, born, relationship ("principal" first).
        var members: [(String, String, String, String)]
        /// accepted, rejected, deferred or pending, and how far it got: "arrived:N" (movement N), "booked",
        /// "ready", "oriented", "accepted", "".
        var decision: String
        var progress: String
    }

    static let households: [Household] = [
        .init(
            number: "LEB-25C00101", asylum: "LB", nationality: "SY", family: "Al-Hassan",
            category: "legal_physical_protection",
            members: [
                ("Ahmad", "M", "1985-02-11", "principal"), ("Rana", "F", "1989-07-30", "spouse"),
                ("Lina", "F", "2014-05-02", "child"), ("Omar", "M", "2017-11-19", "child"),
            ], decision: "accepted", progress: "arrived:0"),
        .init(
            number: "LEB-25C00117", asylum: "LB", nationality: "SY", family: "Haddad", category: "medical_needs",
            members: [
                ("Khaled", "M", "1979-09-04", "principal"), ("Mariam", "F", "1983-01-22", "spouse"),
                ("Yousef", "M", "2010-03-14", "child"),
            ], decision: "accepted", progress: "arrived:0"),
        .init(
            number: "KEN-25C00342", asylum: "KE", nationality: "SO", family: "Abdi",
            category: "women_and_girls_at_risk",
            priority: "urgent",
            members: [
                ("Fadumo", "F", "1991-12-01", "principal"), ("Hodan", "F", "2012-08-08", "child"),
                ("Abdirahman", "M", "2015-04-27", "child"), ("Ayaan", "F", "2019-10-10", "child"),
            ], decision: "accepted", progress: "arrived:1"),
        .init(
            number: "JOR-25C00221", asylum: "JO", nationality: "SY", family: "Al-Zoubi",
            category: "survivors_of_violence_torture",
            members: [("Mahmoud", "M", "1975-06-15", "principal"), ("Huda", "F", "1978-02-03", "spouse")],
            decision: "accepted", progress: "arrived:2"),
        .init(
            number: "LEB-26C00302", asylum: "LB", nationality: "SY", family: "Darwish",
            category: "children_and_adolescents_at_risk",
            members: [
                ("Nour", "F", "1987-03-09", "principal"), ("Sami", "M", "2011-01-17", "child"),
                ("Jana", "F", "2016-09-05", "child"),
            ], decision: "accepted", progress: "booked"),
        .init(
            number: "LEB-26C00311", asylum: "LB", nationality: "SY", family: "Khalil",
            category: "survivors_of_violence_torture",
            members: [("Bassel", "M", "1992-08-18", "principal"), ("Dima", "F", "1994-12-02", "spouse")],
            decision: "accepted", progress: "ready"),
        .init(
            number: "KEN-26C00415", asylum: "KE", nationality: "SS", family: "Deng",
            category: "lack_of_durable_solutions",
            members: [("Garang", "M", "1983-05-20", "principal"), ("Achol", "F", "1988-11-11", "spouse")],
            decision: "accepted", progress: "oriented"),
        .init(
            number: "EGY-26C00077", asylum: "EG", nationality: "SD", family: "Osman",
            category: "legal_physical_protection",
            members: [
                ("Amna", "F", "1990-01-30", "principal"), ("Musa", "M", "2013-06-06", "child"),
            ], decision: "accepted", progress: "accepted"),
        .init(
            number: "EGY-26C00081", asylum: "EG", nationality: "ER", family: "Tesfamariam", category: "medical_needs",
            members: [("Yohannes", "M", "1969-08-21", "principal")], decision: "deferred", progress: ""),
        .init(
            number: "RWA-26C00019", asylum: "RW", nationality: "CD", family: "Mukendi", category: "medical_needs",
            priority: "urgent",
            members: [
                ("Grace", "F", "1986-04-04", "principal"), ("Christian", "M", "2009-12-24", "child"),
            ], decision: "pending", progress: ""),
        .init(
            number: "MYS-26C00033", asylum: "MY", nationality: "MM", family: "Rahman",
            category: "lack_of_durable_solutions",
            members: [("Nurul", "F", "1995-02-14", "principal"), ("Aminul", "M", "1993-07-07", "spouse")],
            decision: "pending", progress: ""),
        .init(
            number: "KEN-26C00420", asylum: "KE", nationality: "SO", family: "Warsame",
            category: "legal_physical_protection",
            members: [("Ali", "M", "1980-10-10", "principal")], decision: "rejected", progress: ""),
    ]

    /// The movements that arrived: days ago, flights (carrier, number, from, to, departs, arrives as hours after
    /// midnight of that day), transit assistance.
    static let arrived: [(days: Int, legs: [(String, String, String, String, Int, Int)], transit: String)] = [
        (40, [("TK", "827", "BEY", "IST", 6, 8), ("TK", "1951", "IST", "AMS", 10, 13)], "IST"),
        (20, [("KQ", "116", "NBO", "AMS", 8, 16)], ""),
        (70, [("RJ", "125", "AMM", "AMS", 9, 13)], ""),
    ]

    static func legFields(day: PartialDate, _ legs: [(String, String, String, String, Int, Int)]) -> [String: String] {
        var f: [String: String] = [:]
        for (i, l) in legs.enumerated() {
            let p = "leg\(i + 1)_"
            f[p + "carrier"] = l.0; f[p + "flight"] = l.1; f[p + "from"] = l.2; f[p + "to"] = l.3
            f[p + "departs"] = "\(day.isoText)T\(String(format: "%02d", l.4)):00"
            f[p + "arrives"] = "\(day.isoText)T\(String(format: "%02d", l.5)):30"
        }
        return f
    }

    static func seed(_ app: Application) async throws {
        func who(_ username: String) async throws -> Identity? {
            try await User.query(on: app.db).filter(\.$username == username).first().map {
                Identity(user: $0, viaToken: false)
            }
        }
        guard let officer = try await who("resettlement"), let doctor = try await who("medical"),
            let movements = try await who("movements")
        else { return }
        // The reception agency's subscription to arrivals, paused: the demo calls no one outside.
        if let agency = try await Partner.query(on: app.db).filter(\.$kind == .receptionAgency).sort(\.$name).first() {
            let (s, _) = try await MessagingRecords.subscribe(
                [
                    "partnerID": agency.id!.uuidString, "eventType": WebhookEventType.arrivalCompleted.rawValue,
                    "url": "https://partner.example.org/passage/arrivals",
                ], actor: officer.actor, on: app)
            try await MessagingRecords.setActive(s.id!, active: false, actor: officer.actor, on: app)
        }
        let kenya = try await ResettlementRecords.createMission(
            [
                "country": "KE", "startsOn": Clock.today(plus: -200).isoText, "endsOn": Clock.today(plus: -190).isoText,
                "team": "IND selection team (2), office caseworker, interpreter",
                "note": "Kakuma and Nairobi; cultural orientation given alongside.",
            ], by: officer, on: app)
        let egypt = try await ResettlementRecords.createMission(
            [
                "country": "EG", "startsOn": Clock.today(plus: -60).isoText, "endsOn": Clock.today(plus: -53).isoText,
                "team": "IND selection team (3), office caseworker",
            ], by: officer, on: app)
        var referrals: [String: RSReferral] = [:]
        for (n, h) in households.enumerated() {
            let principal = h.members[0]
            let form = ResettlementReferralForm(
                unhcrCaseNumber: h.number, countryOfAsylum: h.asylum, category: h.category, priority: h.priority,
                municipality: ["Utrecht", "Tilburg", "Zwolle", "Groningen", "Arnhem", "Leiden"][n % 6],
                note: h.priority == "urgent" ? "UNHCR asks for processing within six weeks." : "",
                principal: person(h, principal),
                members: h.members.dropFirst().map { .init(person: person(h, $0), relationship: $0.3) })
            let r = try await ResettlementRecords.createReferral(form, by: officer, on: app)
            referrals[h.number] = r
            let mission = h.asylum == "KE" ? kenya : h.asylum == "EG" ? egypt : nil
            if let m = mission {
                _ = try await ResettlementRecords.interview(
                    m.id!,
                    [
                        "referralID": r.id!.uuidString, "outcome": h.decision,
                        "decidedOn": h.decision == "pending" ? "" : m.endsOn,
                    ], by: officer, on: app)
            } else if h.decision != "pending" {
                _ = try await ResettlementRecords.recordDecision(
                    r.id!, ["outcome": h.decision, "decidedOn": Clock.today(plus: -150).isoText], by: officer, on: app)
            }
        }
        // Orientation: each session a few weeks before its households travel.
        let sessions: [(String, String, String, Int, [String])] = [
            ("LB", "Beirut, office training room", "ar", -75, ["LEB-25C00101", "LEB-25C00117"]),
            ("KE", "Nairobi, IOM transit centre", "so", -50, ["KEN-25C00342"]),
            ("JO", "Amman, community centre", "ar", -100, ["JOR-25C00221"]),
            ("LB", "Beirut, office training room", "ar", -14, ["LEB-26C00302", "LEB-26C00311"]),
            ("KE", "Nairobi, IOM transit centre", "en", -9, ["KEN-26C00415"]),
        ]
        for (country, place, language, start, numbers) in sessions {
            let s = try await ResettlementRecords.createSession(
                [
                    "country": country, "place": place, "language": language,
                    "startsOn": Clock.today(plus: start).isoText, "endsOn": Clock.today(plus: start + 2).isoText,
                    "facilitator": ["ar": "Rami Khoury", "so": "Sahra Yusuf", "en": "Grace Wanjiru"][language]!,
                ], by: officer, on: app)
            var ids: [String] = []
            for number in numbers {
                ids += try await RSMember.query(on: app.db).filter(\.$referral.$id == referrals[number]!.id!).all()
                    .map { $0.$person.id.uuidString }
            }
            _ = try await ResettlementRecords.recordAttendance(
                s.id!, ["personIDs": ids.joined(separator: ",")], by: officer, on: app)
        }
        // Documents and health checks valid on each household's day of travel.
        func prepare(_ number: String, travel day: Int) async throws {
            let r = referrals[number]!
            let members = try await RSMember.query(on: app.db).filter(\.$referral.$id == r.id!).all()
            for (i, m) in members.enumerated() {
                let pid = m.$person.id.uuidString
                _ = try await ResettlementRecords.recordDocument(
                    r.id!,
                    [
                        "personID": pid, "kind": r.countryOfAsylum == "KE" ? "laissez_passer" : "visa",
                        "number": "\(r.countryOfAsylum)\(number.filter(\.isNumber))\(i + 1)",
                        "issuedOn": Clock.today(plus: day - 30).isoText,
                        "validUntil": Clock.today(plus: day + 60).isoText,
                    ], by: officer, on: app)
                let escort = number == "LEB-25C00117" && i == 0
                try await ConsentRecords.given(
                    UUID(uuidString: pid)!, .medicalData, on: Clock.today(plus: day - 40),
                    scope: "Health assessment before resettlement", actor: officer.actor, on: app.db)
                _ = try await ResettlementRecords.recordHealthCheck(
                    r.id!,
                    [
                        "personID": pid, "kind": "pre_departure", "examinedOn": Clock.today(plus: day - 12).isoText,
                        "fitness": escort ? "fit_with_escort" : "fit",
                        "validUntil": Clock.today(plus: day + 20).isoText, "escort": escort ? "medical" : "none",
                        "assistance": escort ? "wheelchair,oxygen" : "",
                        "medicalDetails": escort
                            ? "Chronic obstructive pulmonary disease; oxygen 2 l/min in flight; nurse escort." : "",
                    ], by: doctor, on: app)
            }
        }
        for (i, a) in arrived.enumerated() {
            let numbers = households.filter { $0.progress == "arrived:\(i)" }.map(\.number)
            for n in numbers { try await prepare(n, travel: -a.days) }
            let day = Clock.today(plus: -a.days)
            var f = legFields(day: day, a.legs)
            f["transitAssistance"] = a.transit
            f["charter"] = "false"
            let m = try await ResettlementRecords.createMovement(f, by: movements, history: true, on: app)
            var bookings: [UUID] = []
            for n in numbers {
                let h = try await ResettlementRecords.addHousehold(
                    m.id!,
                    [
                        "referralID": referrals[n]!.id!.uuidString, "status": "ticketed",
                        "reference": "RS\(i)\(n.suffix(3))", "escortStaff": "Nurse Marieke de Wit",
                    ],
                    by: movements, on: app)
                bookings.append(h.$booking.id)
            }
            for b in bookings {
                _ = try await BookingRecords.move(
                    b, to: "flown", note: "", reference: nil, actor: movements.actor, on: app)
            }
            let last = a.legs.last!
            _ = try await ResettlementRecords.recordArrival(
                m.id!,
                [
                    "arrivedAt": "\(day.isoText)T\(String(format: "%02d", last.5)):45",
                    "note": "Met at the gate; handed over to the reception agency's team.",
                ], by: movements, on: app)
        }
        // A movement in ten days, with one household booked on it; another ready household waits.
        try await prepare("LEB-26C00302", travel: 10)
        try await prepare("LEB-26C00311", travel: 10)
        var f = legFields(day: Clock.today(plus: 10), arrived[0].legs)
        f["transitAssistance"] = "IST"
        let planned = try await ResettlementRecords.createMovement(f, by: movements, on: app)
        _ = try await ResettlementRecords.addHousehold(
            planned.id!, ["referralID": referrals["LEB-26C00302"]!.id!.uuidString], by: movements, on: app)
        // The migration health assessment of a household still waiting for the IND.
        let r = referrals["RWA-26C00019"]!
        if let m = try await RSMember.query(on: app.db).filter(\.$referral.$id == r.id!).first() {
            try await ConsentRecords.given(
                m.$person.id, .medicalData, on: Clock.today(plus: -7), scope: "Migration health assessment",
                actor: doctor.actor, on: app.db)
            _ = try await ResettlementRecords.recordHealthCheck(
                r.id!,
                [
                    "personID": m.$person.id.uuidString, "kind": "migration_health_assessment",
                    "examinedOn": Clock.today(plus: -6).isoText, "fitness": "fit_with_escort",
                    "validUntil": Clock.today(plus: 80).isoText, "escort": "medical", "assistance": "wheelchair",
                    "medicalDetails": "Post-operative follow-up needed on arrival; referral letter to the GP attached.",
                ], by: doctor, on: app)
        }
    }

    static func person(_ h: Household, _ m: (String, String, String, String)) -> PersonForm {
        PersonForm(
            familyName: h.family, givenNames: m.0, sex: m.1, dateOfBirth: m.2, nationality: h.nationality,
            languages: [
                ["SY": "ar", "SO": "so", "SS": "en", "SD": "ar", "ER": "ti", "CD": "fr", "MM": "my"][h.nationality]!
            ])
    }
}
