import Fluent
import PassageDomain
import Vapor

/// The visa centre for the demo: a year of applications at every step, two batches, and today's and tomorrow's
/// appointments with a walk-in.
enum DemoVisaCentre {
    /// Family name, given names, sex, born (YYMMDD), nationality, visa type.
    static let applicants: [(String, String, String, String, String, KoreanVisaType)] = [
        ("Jansen", "Sanne", "F", "980314", "NL", .student), ("de Vries", "Thomas", "M", "910722", "NL", .employment),
        ("Bakker", "Lotte", "F", "000109", "NL", .workingHoliday), ("Kim", "Min Ji", "F", "950503", "KR", .family),
        ("Visser", "Daan", "M", "880911", "NL", .shortTermEmployment), ("Smit", "Eva", "F", "020227", "NL", .student),
        ("Lee", "Joon Ho", "M", "870118", "KR", .family), ("Meijer", "Bram", "M", "990630", "NL", .languageTraining),
        ("Mulder", "Fleur", "F", "930825", "NL", .shortTermVisit), ("Park", "Seo Yeon", "F", "010412", "NL", .student),
        ("de Boer", "Lucas", "M", "850202", "NL", .shortTermEmployment),
        ("Dekker", "Noor", "F", "970716", "NL", .workingHoliday), ("Peters", "Sem", "M", "940329", "BE", .employment),
        ("Hendriks", "Julia", "F", "030805", "NL", .languageTraining),
        ("van Leeuwen", "Finn", "M", "960120", "NL", .shortTermVisit),
        ("Choi", "Ha Eun", "F", "000930", "NL", .student), ("Bos", "Tess", "F", "891111", "NL", .shortTermVisit),
        ("Vos", "Jesse", "M", "920606", "NL", .employment), ("Jung", "Woo Jin", "M", "830415", "KR", .family),
        ("van Dam", "Mila", "F", "010101", "NL", .workingHoliday),
    ]

    static func seed(_ app: Application) async throws {
        guard let user = try await User.query(on: app.db).filter(\.$username == "visa").first() else { return }
        let clerk = Identity(user: user, viaToken: false)
        let today = Clock.today()
        var rows: [KVApplication] = []
        for (i, p) in applicants.enumerated() {
            let mrz = MRZ.compose(
                issuingState: p.4 == "KR" ? "KOR" : p.4 == "BE" ? "BEL" : "NLD", surname: p.0, givenNames: p.1,
                number: String(format: "N%02dK%05d", i, 31_000 + i * 37), nationality: p.4 == "KR" ? "KOR" : "NLD",
                birthDate: p.3, sex: p.2, expiryDate: String(format: "%02d0615", (today.year + 4 + i % 5) % 100))
            let a = try await VisaCentreRecords.intake(
                VisaIntakeForm(
                    visaType: p.5.rawValue, mrz: mrz, nationality: p.4, phone: "+31 6 \(20_000_000 + i * 7919)",
                    paymentMethod: i % 3 == 0 ? "cash" : "card"), by: clerk, on: app)
            rows.append(a)
        }
        // The first twelve went all the way, spread over the year; the others stop at each step.
        for (i, a) in rows.enumerated() {
            let received = Clock.day(today, plus: -(330 - i * 24))
            var f: FormFields = [:]
            for item in a.visaType.checklist where item.required || i % 2 == 0 {
                f["doc_\(item.kind.rawValue)"] = item.kind == .passport || item.kind == .photo ? "seen" : "original"
            }
            if i == 16 {
                f["doc_financial_proof"] = "refused"
                f["reason_financial_proof"] = "The bank statement is older than three months."
            }
            if i < 19 { _ = try await VisaCentreRecords.verify(a.id!, f, by: clerk, on: app) }
            let day = i < 12 ? received : Clock.day(today, plus: -(19 - i))
            try await app.writeTransaction { db in try await backdate(a.id!, received: day, on: db) }
        }
        // Six batches of two; each decided about a week after it went, the passport back a few days later.
        for k in 0..<6 {
            let pair = [rows[2 * k], rows[2 * k + 1]]
            let batch = try await VisaCentreRecords.forward(
                pair.map { $0.id!.uuidString }, note: k == 0 ? "By courier to the embassy" : "", by: clerk, on: app)
            let sent = Clock.day(today, plus: -(330 - (2 * k + 1) * 24) + 2)
            for (j, a) in pair.enumerated() {
                let i = 2 * k + j
                _ = try await VisaCentreRecords.decide(
                    a.id!, ["decision": i == 7 ? "refused" : "issued", "decidedOn": today.isoText], by: clerk, on: app)
                _ = try await VisaCentreRecords.returnPassport(
                    a.id!,
                    i % 4 == 3
                        ? ["how": "courier", "courierReference": "3SNL\(40_000_000 + i)"]
                        : [
                            "how": "collected", "collectedBy": applicants[i].1 + " " + applicants[i].0,
                            "signed": "true",
                        ],
                    by: clerk, on: app)
                try await app.writeTransaction { db in
                    guard let x = try await KVApplication.find(a.id!, on: db) else { return }
                    x.decidedOn = Clock.day(sent, plus: 7 + i % 5).isoText
                    x.returnedOn = Clock.day(sent, plus: 9 + i % 5 + i % 3).isoText
                    try await x.update(on: db)
                }
            }
            try await app.writeTransaction { db in
                batch.forwardedOn = sent.isoText
                try await batch.update(on: db)
            }
        }
        _ = try await VisaCentreRecords.forward(
            [rows[12].id!.uuidString, rows[13].id!.uuidString], note: "", by: clerk, on: app)
        _ = try await VisaCentreRecords.decide(
            rows[12].id!, ["decision": "issued", "decidedOn": today.isoText], by: clerk, on: app)
        // Today's and tomorrow's counters.
        let names = [
            ("Sophie Willems", "c3_short_term_visit"), ("Ruben Kok", "d2_student"),
            ("Yara Postma", "h1_working_holiday"), ("Hyun Woo Shin", "f_family"), ("Anouk Brouwer", "e7_employment"),
        ]
        for offset in [0, 1] {
            var day = Clock.day(today, plus: offset)
            while VisaCentreRecords.hours.schedule.closedReason(on: day) != nil { day = Clock.day(day, plus: 1) }
            for (i, n) in names.enumerated() {
                _ = try? await VisaCentreRecords.book(
                    [
                        "day": day.isoText, "time": VisaCentreRecords.hours.times(on: day)[12 + i * 2],
                        "counter": String(1 + i % 3), "name": n.0, "contact": "+31 6 5550 01\(10 + i)",
                        "visaType": n.1,
                    ], by: clerk, on: app)
            }
        }
    }

    /// The demo's history: an application received on an earlier day, its case opened then.
    static func backdate(_ id: UUID, received: PartialDate, on db: any Database) async throws {
        guard let x = try await KVApplication.find(id, on: db) else { return }
        x.receivedOn = received.isoText
        try await x.update(on: db)
        if let c = try await Case.find(x.$caseRecord.id, on: db) {
            c.openedOn = received.isoText
            try await c.update(on: db)
        }
    }
}
