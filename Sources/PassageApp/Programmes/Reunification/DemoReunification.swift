import Fluent
import PassageDomain
import Vapor

/// Family reunification for the demo: the offices abroad as centres with their schedules, referrals from the IND
/// with family members, appointments this week, a sample on its way and one with the laboratory's result.
enum DemoReunification {
    static let schedules: [String: (zone: String, days: String)] = [
        "Office Addis Ababa": ("Africa/Addis_Ababa", "1,2,3,4,5"), "Office Beirut": ("Asia/Beirut", "1,2,3,4,5"),
        "Office Nairobi": ("Africa/Nairobi", "1,2,3,4,5"), "Office Khartoum": ("Africa/Khartoum", "1,2,3,4,7"),
    ]

    static let families: [(file: String, nationality: String, family: String, members: [(String, String, String)])] = [
        (
            "IND-2026-004417", "ET", "Haile",
            [("Selam", "child", "dna"), ("Abel", "child", "dna"), ("Mulu", "spouse", "both")]
        ),
        ("IND-2026-004502", "SY", "Al-Khatib", [("Rania", "spouse", "interview"), ("Omar", "child", "dna")]),
        ("IND-2026-004631", "ER", "Tesfay", [("Yonatan", "child", "dna"), ("Senait", "child", "dna")]),
        ("IND-2026-004702", "SD", "Osman", [("Fatima", "spouse", "both")]),
    ]

    /// Families helped at the consulate in Istanbul over the last weeks, and the Mileage Fund with a donation and a
    /// child's ticket.
    static func seedAssistance(_ app: Application, _ who: Identity, referral: UUID?, child: UUID?) async throws {
        let families = ["Al-Hamwi", "Haddad", "Al-Masri", "Kurdi", "Shami", "Al-Ali", "Darwish", "Nasser"]
        for (i, family) in families.enumerated() {
            _ = try await ReunificationRecords.recordVisaAssistance(
                [
                    "day": Clock.today(plus: -i * 3).isoText, "place": "Consulate General, Istanbul",
                    "family": family, "persons": String(2 + i % 5), "nationality": "SY",
                    "services": i % 2 == 0 ? "translation,form_filling,document_check" : "form_filling,photo_check",
                    "problems": i % 3 == 0 ? "birth certificate not legalised" : "",
                ], by: who, on: app)
        }
        _ = try await ReunificationRecords.recordMileage(
            [
                "kind": "donation", "day": Clock.today(plus: -60).isoText, "amount": "5000.00",
                "donor": "Airline loyalty miles donated by staff",
            ], by: who, on: app)
        guard let referral, let child else { return }
        _ = try await ReunificationRecords.recordMileage(
            [
                "kind": "ticket", "day": Clock.today(plus: -5).isoText, "amount": "612.40",
                "referralID": referral.uuidString, "personID": child.uuidString, "eligibility": "unaccompanied_minor",
                "reason": "A child travelling alone to her father; the family cannot pay the ticket.",
            ], by: who, on: app)
    }

    static func seed(_ app: Application) async throws {
        guard let officer = try await User.query(on: app.db).filter(\.$username == "reunification").first() else {
            return
        }
        let who = Identity(user: officer, viaToken: false)
        var centres: [String: FRCentre] = [:]
        for (name, s) in schedules {
            guard let l = try await Location.query(on: app.db).filter(\.$name == name).first() else { continue }
            centres[name] = try await ReunificationRecords.saveCentre(
                locationID: l.id!,
                [
                    "timeZone": s.zone, "openDays": s.days, "opens": "08:30", "closes": "16:00", "slotMinutes": "30",
                    "dnaCapacity": "4", "interviewCapacity": "1",
                    "holidays": "\(Clock.today().year)-12-25, \(Clock.today().year + 1)-01-01",
                ], actor: who.actor, on: app)
        }
        let centreFor = [
            "ET": "Office Addis Ababa", "SY": "Office Beirut", "ER": "Office Nairobi", "SD": "Office Khartoum",
        ]
        var day = Clock.today(plus: 1)
        while CentreSchedule.weekday(of: day) > 4 { day = PartialDate(parsing: ReunificationPaths.shift(day, by: 1))! }
        var first: (UUID, UUID)?
        for (n, f) in families.enumerated() {
            guard let centre = centres[centreFor[f.nationality]!] else { continue }
            let sponsor = try await PersonRecords.create(
                try PersonValidation.validate(
                    PersonForm(
                        familyName: f.family, givenNames: ["Dawit", "Khaled", "Mehari", "Ahmed"][n], sex: "M",
                        dateOfBirth: "198\(n)-03-1\(n)", nationality: f.nationality, languages: ["en"],
                        phone: "+3161234\(String(format: "%04d", 5100 + n))"),
                    today: PersonRecords.today()), actor: who.actor, on: app)
            let language = ["ET": "am", "SY": "ar", "ER": "ti", "SD": "ar"][f.nationality]!
            let members = f.members.enumerated().map { i, m in
                ReferralForm.MemberForm(
                    person: PersonForm(
                        familyName: f.family, givenNames: m.0,
                        sex: ["Selam", "Mulu", "Rania", "Senait", "Fatima"]
                            .contains(m.0) ? "F" : "M",
                        dateOfBirth: m.1 == "child" ? "201\(i + 2)-0\(i + 1)-15" : "1990-06-0\(i + 1)",
                        nationality: f.nationality, languages: [language],
                        phone: "+2519112\(String(format: "%05d", 30000 + n * 10 + i))"),
                    relationship: m.1, verification: m.2)
            }
            let r = try await ReunificationRecords.createReferral(
                ReferralForm(
                    indFileNumber: f.file, deadline: Clock.today(plus: 45 + n * 10).isoText,
                    centreID: centre.id!.uuidString, sponsorID: sponsor.id!.uuidString, members: members,
                    note: n == 0 ? "Two children travelling alone after approval; Mileage Fund to be assessed." : ""),
                by: who, on: app)
            let rm = try await FRMember.query(on: app.db).filter(\.$referral.$id == r.id!).with(\.$person).all()
            if n == 0, let child = rm.first(where: { $0.relationship == .child }) { first = (r.id!, child.$person.id) }
            for (i, m) in rm.enumerated() {
                let service = m.verification.needsDNA ? "dna_sampling" : "interview"
                let a = try await ReunificationRecords.book(
                    referralID: r.id!,
                    [
                        "memberID": m.id!.uuidString, "service": service, "day": day.isoText,
                        "time": CentreSchedule.clock(9 * 60 + 30 * (i + n)),
                    ],
                    by: who, on: app)
                if service == "interview" {
                    _ = try await ReunificationRecords.arrangeInterview(
                        a.id!,
                        [
                            "caseworker": "J. de Boer (IND Zwolle)", "language": language, "interpreter": "Hanna Girma",
                            "room": "VC room 2",
                        ], by: who, on: app)
                }
            }
            // A sample taken last week for the first family, on its way; one at the laboratory with its result.
            guard n == 0 else { continue }
            for (i, m) in rm.prefix(2).enumerated() {
                if let a = try await FRAppointment.query(on: app.db).filter(\.$member.$id == m.id!).first() {
                    _ = try await ReunificationRecords.move(a.id!, ["to": "cancelled"], by: who, on: app)
                }
                try await ConsentRecords.given(
                    m.$person.id, .dnaVerification, on: Clock.today(plus: -10), scope: "DNA test for the IND",
                    actor: who.actor, on: app.db)
                let s = try await ReunificationRecords.collect(
                    referralID: r.id!,
                    [
                        "memberID": m.id!.uuidString, "documentSeen": "birth certificate AA/\(1200 + i)",
                        "photoTaken": "true", "witness": "Dr. Abebe Kebede", "sealNumber": "SL-00\(4417 + i)",
                    ], by: who, on: app)
                _ = try await ReunificationRecords.handOver(
                    s.id!,
                    [
                        "from": who.name, "to": "courier", "receiver": "Yonas Girma (courier)",
                        "sealNumber": s.sealNumber,
                        "sealIntact": "true",
                    ], by: who, on: app)
                guard i == 0 else { continue }
                _ = try await ReunificationRecords.handOver(
                    s.id!,
                    [
                        "from": "Yonas Girma (courier)", "to": "laboratory", "receiver": "Laboratory intake",
                        "sealNumber": s.sealNumber, "sealIntact": "true",
                    ], by: who, on: app)
                _ = try await ReunificationRecords.recordResult(
                    s.id!, ["outcome": "match", "reportReference": "LAB-\(Clock.today().year)-0881"], by: who, on: app)
            }
        }
        try await seedAssistance(app, who, referral: first?.0, child: first?.1)
    }
}
