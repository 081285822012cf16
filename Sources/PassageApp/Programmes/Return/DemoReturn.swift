import Fluent
import PassageDomain
import Vapor

/// The return programme's demo records: for each demo return case an intake, and for cases further along their
/// counselling session, eligibility decision, travel document and grant with its payments.
enum DemoReturn {
    /// Some demo cases have medical needs (with a fit-to-fly assessment once they are close to leaving) or are
    /// victims of trafficking (with the safe return plan written once they have left).
    static func vulnerabilities(
        _ c: Case, person: Person, stage: ReturnStage, rng: inout SeededRandom, actor: Actor, on db: any Database
    ) async throws {
        let pick = Int.random(in: 0..<40, using: &rng)
        guard pick < 6, let opened = PartialDate(parsing: c.openedOn) else { return }
        let details: String
        let kind: VulnerabilityKind
        if pick < 5 {
            var m = MedicalRecord()
            m.category = MedicalCategory.allCases.randomElement(using: &rng)!
            m.chronic = pick < 3
            m.treatmentAvailability = pick == 0 ? .unavailable : .available
            m.recordsTranslated = stage != .intake
            m.escort = pick == 1 ? .medical : .none
            if !stage.beforeDeparture || stage == .preparing {
                m.fitToFly = .fit
                m.fitToFlyOn = opened
                m.fitToFlyValidUntil = PartialDate(year: opened.year + 2, month: 1, day: 1)
            }
            kind = .medical
            details = String(decoding: try JSONEncoder().encode(m), as: UTF8.self)
        } else {
            var t = TraffickingRecord()
            t.referralSource = "Shelter Foundation for Victims of Trafficking"
            t.exploitation = .labour
            if !stage.beforeDeparture {
                t.returnPlan = "Met at the airport by the partner; shelter for the first month"
                t.postReturnPartner = "Partner shelter in the country of return"
            }
            kind = .trafficking
            details = String(decoding: try JSONEncoder().encode(t), as: UTF8.self)
        }
        let v = VulnerabilityRecord()
        v.$caseRecord.id = c.id!; v.kind = kind; v.details = details
        try await v.create(on: db)
        if kind == .medical {
            try await ConsentRecords.given(
                person.id!, .medicalData, on: opened, scope: "Medical assessment for the return", actor: actor, on: db)
        }
        try await AuditLog.record(
            on: db, actor: actor, action: .create, entity: "vulnerability", entityID: v.id!.uuidString,
            personID: person.id, changes: [.init(field: "kind", before: nil, after: kind.rawValue)])
    }

    /// Information sessions, network meetings and embassy meetings of the last months.
    static func outreach(_ app: Application) async throws {
        let centres = try await Location.query(on: app.db).filter(\.$kind == .receptionCentre).sort(\.$name).all()
        guard let counsellor = try await User.query(on: app.db).filter(\.$username == "counsellor").first(),
            !centres.isEmpty
        else { return }
        var rng = SeededRandom(seed: 2026)
        let attendees = (0..<12).map { _ in Int.random(in: 6...40, using: &rng) }
        let topics = [
            "Options for voluntary return", "Reintegration support after return", "Travel documents and embassies",
        ]
        let today = Clock.today()
        try await app.writeTransaction { db in
            for i in 0..<12 {
                let o = OutreachActivity()
                o.kind = OutreachKind.allCases[i % OutreachKind.allCases.count]
                o.heldOn =
                    ReportPeriod.day(ReportPeriod.date(today).addingTimeInterval(-Double(i * 9 + 2) * 86_400))
                    .isoText
                o.$location.id = centres[i % centres.count].id
                o.audience = o.kind == .informationSession ? "residents" : "partner organisations"
                o.attendees = attendees[i]
                o.organisations = o.kind == .informationSession ? "" : "Reception agency; Refugee council"
                o.topic = topics[i % topics.count]
                o.$counsellor.id = counsellor.id!
                try await o.create(on: db)
                try await AuditLog.record(
                    on: db, actor: .system, action: .create, entity: "outreach_activity", entityID: o.id!.uuidString,
                    personID: nil, changes: AuditRecord.diff(before: [:], after: o.auditSnapshot))
            }
            return ()
        }
    }

    /// Gives every return case of the shared demo data its return file, in batches of one transaction each.
    static func seed(_ app: Application) async throws {
        try await outreach(app)
        let embassies = Dictionary(
            try await Partner.query(on: app.db).filter(\.$kind == .embassy).all().compactMap { p in
                p.country.map { ($0, p.id!) }
            }
        ) { a, _ in a }
        let cases = try await Case.query(on: app.db).filter(\.$programme == .voluntaryReturn).with(\.$person)
            .sort(\.$reference).all()
        for start in stride(from: 0, to: cases.count, by: 100) {
            let batch = Array(cases[start..<min(start + 100, cases.count)])
            try await app.writeTransaction { db in
                for c in batch {
                    guard let owner = c.$owner.id, let stay = c.person.$location.id ?? c.$officeLocation.id else {
                        continue
                    }
                    // Seeded from the reference: the same demo every time.
                    var rng = SeededRandom(
                        seed: c.reference.utf8.reduce(14_695_981_039_346_656_037) {
                            ($0 ^ UInt64($1)) &* 1_099_511_628_211
                        })
                    try await file(
                        c, person: c.person, status: c.status, owner: owner, stay: stay, embassies: embassies,
                        rng: &rng, actor: .system, on: db)
                }
                return ()
            }
        }
        try await agreements(app)
    }

    /// Sharing agreements with the embassies, so that their letters can be printed, but for one with letters
    /// waiting (the last by name): its letter waits for an agreement, as a real one would.
    static func agreements(_ app: Application) async throws {
        let waiting = Set(
            try await TravelDocumentRequest.query(on: app.db)
                .filter(\.$status ~~ [TravelDocumentStatus.requested, .interviewScheduled]).all().map(\.$embassy.id))
        let embassies = try await Partner.query(on: app.db).filter(\.$kind == .embassy).sort(\.$name).all()
        let without = embassies.last { waiting.contains($0.id!) }?.id
        let year = Clock.today().year
        for (n, e) in embassies.enumerated() where e.id != without {
            _ = try await SharingAgreements.record(
                [
                    "partnerID": e.id!.uuidString, "purposes": "partner_sharing", "categories": "ordinary",
                    "startsOn": "\(year - 1)-01-01", "endsOn": "\(year + 2)-12-31",
                    "documentReference": String(format: "MOU-%04d-%03d", year - 1, n + 1),
                ], actor: Actor(id: "system", name: "demo"), on: app)
        }
    }

    /// The return-programme part of a demo case: an intake, and for cases further along their
    /// counselling session and eligibility decision.
    static func file(
        _ c: Case, person: Person, status: CaseStatus, owner: UUID, stay: UUID, embassies: [String: UUID],
        rng: inout SeededRandom, actor: Actor, on db: any Database
    ) async throws {
        let open: [ReturnStage] = [
            .intake, .counselling, .counselling, .decided, .eligibility, .preparing, .preparing, .departed,
            .reintegration, .monitoring,
        ]
        let stage: ReturnStage =
            status == .closed
            ? (Int.random(in: 0..<4, using: &rng) == 0 ? .withdrawn : .closed) : open.randomElement(using: &rng)!
        let destination = [CountryCode.unknown, "NL"].contains(person.nationality) ? "IQ" : person.nationality
        let r = ReturnCase()
        r.$caseRecord.id = c.id!
        r.stage = stage
        r.referralSource = ReferralSource.allCases.randomElement(using: &rng)!
        r.$stayLocation.id = stay
        r.preferredLanguage = person.languagesText.split(separator: ",").first.map(String.init)
        r.interpreterNeeded = Int.random(in: 0..<3, using: &rng) == 0
        r.destinationCountry = destination
        r.destinationPlace = ""
        r.companionsText = ""
        r.receivingOffice = stage.beforeDeparture ? "" : "Office in \(CountryCode.name(destination))"
        if !stage.beforeDeparture && stage != .withdrawn { r.departedOn = c.openedOn }
        try await r.create(on: db)
        try await vulnerabilities(c, person: person, stage: stage, rng: &rng, actor: actor, on: db)
        try await AuditLog.record(
            on: db, actor: actor, action: .create, entity: "return_case", entityID: r.id!.uuidString,
            personID: person.id, changes: AuditRecord.diff(before: [:], after: r.auditSnapshot))
        guard stage != .intake else { return }
        let session = CounsellingSession()
        session.$caseRecord.id = c.id!
        session.personID = c.$person.id
        session.heldOn = c.openedOn
        session.$location.id = stay
        session.$counsellor.id = owner
        session.language = r.preferredLanguage ?? "en"
        session.interpreter = r.interpreterNeeded
        session.durationMinutes = [45, 60, 90].randomElement(using: &rng)!
        session.notes = "First conversation about the options for return."
        session.outcome = stage == .counselling ? CounsellingOutcome.considering : .decided
        try await session.create(on: db)
        guard ![.counselling, .decided].contains(stage) else { return }
        let d = EligibilityRuleSet.initial.decide(
            nationality: person.nationality, on: PartialDate(parsing: c.openedOn)!)
        try await DecisionRecord(caseID: c.id!, d, decidedBy: actor.name).create(on: db)
        try await CaseEvent(
            caseID: c.id!, at: Clock.now(), actorID: nil, actorName: actor.name, kind: "eligibility",
            text: "Eligibility: \(d.explanation)"
        ).create(on: db)
        // Travel documents from the embassy of the country of return, when it is in the registry.
        guard stage != .eligibility, let embassy = embassies[destination] else { return }
        let opened = PartialDate(parsing: c.openedOn)!
        let td = TravelDocumentRequest()
        td.$caseRecord.id = c.id!
        td.$embassy.id = embassy
        td.kind = .emergency
        td.requestedOn = c.openedOn
        td.number = ""
        if stage == .preparing {
            td.status = Int.random(in: 0..<3, using: &rng) == 0 ? .interviewScheduled : .requested
            if td.status == .interviewScheduled { td.interviewOn = c.openedOn }
        } else {
            td.status = .issued
            td.number = "ETD\(Int.random(in: 100_000...999_999, using: &rng))"
            td.expiresOn =
                PartialDate(year: opened.year + 1, month: opened.month, day: min(opened.day ?? 1, 28))!.isoText
        }
        try await td.create(on: db)
        guard !stage.beforeDeparture, d.outcome == .reintegration, stage != .withdrawn else { return }
        let grant = GrantRecord()
        grant.$caseRecord.id = c.id!
        grant.type = .economic
        grant.grantedOn = c.openedOn
        grant.amount = [100_000, 150_000, 180_000].randomElement(using: &rng)!
        grant.cash = 30_000
        grant.inKind = grant.amount - grant.cash
        grant.paid = [.monitoring, .closed].contains(stage) ? grant.amount : grant.cash
        try await grant.create(on: db)
        let cash = GrantPayment()
        cash.$grant.id = grant.id!
        cash.kind = .cash; cash.amount = grant.cash; cash.paidOn = c.openedOn
        cash.proofReference = ""; cash.reportedBy = ""
        try await cash.create(on: db)
        if [.monitoring, .closed].contains(stage) {
            let kind = GrantPayment()
            kind.$grant.id = grant.id!
            kind.kind = .inKind; kind.amount = grant.inKind; kind.paidOn = c.openedOn
            kind.proofReference = "INV-\(Int.random(in: 1000...9999, using: &rng))";
            kind.reportedBy = "Office in \(CountryCode.name(destination))"
            try await kind.create(on: db)
        }
    }
}
