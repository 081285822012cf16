import Fluent
import PassageDomain
import Vapor

/// Diaspora engagement for the demo: experts, the institutions that hosted them, five years of assignments (most
/// completed and evaluated) and two under way or planned.
enum DemoDiaspora {
    /// Family name, given names, sex, born, nationality, profession, skills, languages, countries.
    static let experts: [(String, String, String, String, String, String, String, String, String)] = [
        (
            "Warsame", "Hodan", "F", "1979-03-12", "SO", "Public health physician", "epidemiology, maternal health",
            "so,en,nl", "SO"
        ),
        (
            "Tesfaye", "Dawit", "M", "1975-08-01", "ET", "Civil engineer", "water supply, project management",
            "am,en,nl",
            "ET"
        ),
        (
            "Al-Jabouri", "Ali", "M", "1970-11-23", "IQ", "Judge (retired)", "court administration, legal drafting",
            "ar,en,nl", "IQ"
        ),
        ("Okafor", "Chinwe", "F", "1984-06-05", "NG", "Software engineer", "e-government, databases", "en,ig,nl", "NG"),
        ("Ahmadi", "Farid", "M", "1981-02-17", "AF", "Agronomist", "irrigation, seed systems", "fa,ps,en", "AF"),
        ("Mensah", "Akosua", "F", "1988-09-30", "GH", "Financial auditor", "public finance, audit", "en,ak,nl", "GH"),
        ("Abdi", "Yusuf", "M", "1986-12-02", "SO", "Teacher trainer", "curriculum, teacher training", "so,ar,en", "SO"),
        (
            "Mohammed", "Sara", "F", "1990-04-14", "IQ", "Nurse", "intensive care, training of nurses", "ar,ku,en",
            "IQ"
        ),
    ]
    /// Name, country, city, sector.
    static let hosts: [(String, String, String, HostSector)] = [
        ("Banadir Regional Hospital", "SO", "Mogadishu", .health),
        (
            "Ministry of Water and Energy", "ET",
            "Addis Ababa", .water
        ), ("Judicial Council", "IQ", "Baghdad", .justice),
        ("National Information Technology Development Agency", "NG", "Abuja", .ict),
        ("Ministry of Agriculture, Irrigation and Livestock", "AF", "Kabul", .agriculture),
        ("Ghana Audit Service", "GH", "Accra", .finance), ("Ministry of Education", "SO", "Hargeisa", .education),
        ("Erbil Teaching Hospital", "IQ", "Erbil", .health),
    ]

    static func seed(_ app: Application) async throws {
        guard let user = try await User.query(on: app.db).filter(\.$username == "manager").first() else { return }
        let manager = Identity(user: user, viaToken: false)
        var expertIDs: [UUID] = []
        for x in experts {
            let e = try await DiasporaRecords.createExpert(
                DiasporaExpertForm(
                    person: PersonForm(
                        familyName: x.0, givenNames: x.1, sex: x.2, dateOfBirth: x.3, nationality: x.4,
                        languages: x.7.split(separator: ",").map(String.init)),
                    profession: x.5, skills: x.6, languages: x.7, countries: x.8,
                    email: "\(x.1.lowercased()).\(x.0.lowercased().filter(\.isLetter))@example.org"), by: manager,
                on: app)
            expertIDs.append(e.id!)
        }
        var hostIDs: [UUID] = []
        for h in hosts {
            let i = try await DiasporaRecords.createInstitution(
                ["name": h.0, "country": h.1, "city": h.2, "sector": h.3.rawValue, "contact": ""], by: manager,
                on: app)
            hostIDs.append(i.id!)
        }
        let today = Clock.today()
        // Each expert went to their host once a year (the last four the third time to another); some online.
        for (n, expert) in expertIDs.enumerated() {
            for round in 0..<3 {
                let host = round == 2 && n >= 4 ? hostIDs[(n + 1) % hostIDs.count] : hostIDs[n]
                let start = Clock.day(PartialDate(year: today.year - 4 + round, month: 2 + n, day: 3)!, plus: 0)
                let online = round == 2 || (n + round) % 3 == 0
                let a = try await DiasporaRecords.createAssignment(
                    [
                        "expertID": expert.uuidString, "institutionID": host.uuidString,
                        "mode": online ? "online" : "physical", "startsOn": start.isoText,
                        "endsOn": Clock.day(start, plus: online ? 60 : 27).isoText,
                        "tasks": "Coaching of staff, a review of procedures, a training of trainers",
                        "deliverables": "A report with recommendations; training materials",
                    ], by: manager, on: app)
                // The case of a past assignment was opened when it was planned.
                try await app.writeTransaction { db in
                    guard let c = try await Case.find(a.$caseRecord.id, on: db) else { return }
                    c.openedOn = Clock.day(start, plus: -30).isoText
                    try await c.update(on: db)
                }
                _ = try await DiasporaRecords.setStatus(a.id!, ["status": "under_way"], by: manager, on: app)
                _ = try await DiasporaRecords.setStatus(a.id!, ["status": "completed"], by: manager, on: app)
                _ = try await DiasporaRecords.evaluate(
                    a.id!,
                    [
                        "score": String(3 + (n + round) % 3), "evaluatedOn": Clock.day(start, plus: 75).isoText,
                        "evaluation": "The staff trained now run the procedure themselves.",
                    ], by: manager, on: app)
            }
        }
        let next = try await DiasporaRecords.createAssignment(
            [
                "expertID": expertIDs[0].uuidString, "institutionID": hostIDs[0].uuidString, "mode": "physical",
                "startsOn": Clock.day(today, plus: -10).isoText, "endsOn": Clock.day(today, plus: 18).isoText,
                "tasks": "Set up a surveillance of maternal deaths with the hospital's records team",
                "deliverables": "A working register and two trained staff",
            ], by: manager, on: app)
        _ = try await DiasporaRecords.setStatus(next.id!, ["status": "under_way"], by: manager, on: app)
        _ = try await DiasporaRecords.createAssignment(
            [
                "expertID": expertIDs[3].uuidString, "institutionID": hostIDs[3].uuidString, "mode": "online",
                "startsOn": Clock.day(today, plus: 30).isoText, "endsOn": Clock.day(today, plus: 90).isoText,
                "tasks": "Review the design of the national identity database", "deliverables": "A design review",
            ], by: manager, on: app)
    }
}
