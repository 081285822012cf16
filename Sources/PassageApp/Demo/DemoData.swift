import Vapor
import Fluent
import PassageDomain

/// Realistic demo data: staff for every role, the registries, ~2,000 persons in households, cases across programmes.
enum DemoData {
    struct Account: Sendable { let username: String; let name: String; let role: Role; let password: String }

    static let locations: [(String, LocationKind, String, String)] = [
        ("AZC Ter Apel", .receptionCentre, "Ter Apel", "NL"), ("AZC Budel", .receptionCentre, "Budel", "NL"),
        ("AZC Rijswijk", .receptionCentre, "Rijswijk", "NL"),
        ("AZC Amsterdam Willinklaan", .receptionCentre, "Amsterdam", "NL"),
        ("AZC Zwolle", .receptionCentre, "Zwolle", "NL"), ("AZC Gilze", .receptionCentre, "Gilze", "NL"),
        ("AZC Musselkanaal", .receptionCentre, "Musselkanaal", "NL"),
        ("AZC Den Helder", .receptionCentre, "Den Helder", "NL"),
        ("Amsterdam city", .city, "Amsterdam", "NL"), ("Rotterdam city", .city, "Rotterdam", "NL"),
        ("Utrecht city", .city, "Utrecht", "NL"), ("The Hague city", .city, "The Hague", "NL"),
        ("Detention Centre Rotterdam", .detentionCentre, "Rotterdam", "NL"),
        ("Detention Centre Zeist", .detentionCentre, "Zeist", "NL"),
        ("Office The Hague", .office, "The Hague", "NL"), ("Schiphol airport desk", .office, "Haarlemmermeer", "NL"),
        ("Office Addis Ababa", .officeAbroad, "Addis Ababa", "ET"), ("Office Beirut", .officeAbroad, "Beirut", "LB"),
        ("Office Nairobi", .officeAbroad, "Nairobi", "KE"), ("Office Khartoum", .officeAbroad, "Khartoum", "SD"),
        ("Migration Health Centre Nairobi", .medicalCentre, "Nairobi", "KE"),
    ]

    static let partners: [(String, PartnerKind, String?)] = [
        ("Central Agency for the Reception of Asylum Seekers (COA)", .receptionAgency, "NL"),
        ("Repatriation and Departure Service (DT&V)", .departureService, "NL"),
        ("Immigration and Naturalisation Service (IND)", .immigrationService, "NL"),
        ("Embassy of Iraq", .embassy, "IQ"), ("Embassy of Morocco", .embassy, "MA"),
        ("Embassy of Algeria", .embassy, "DZ"),
        ("Embassy of Ethiopia", .embassy, "ET"), ("Embassy of Georgia", .embassy, "GE"),
        ("Embassy of Nigeria", .embassy, "NG"),
        ("Embassy of Ghana", .embassy, "GH"), ("Embassy of Türkiye", .embassy, "TR"),
        ("Embassy of Mongolia", .embassy, "MN"),
        ("Embassy of Colombia", .embassy, "CO"), ("Embassy of Egypt", .embassy, "EG"),
        ("Embassy of Tunisia", .embassy, "TN"),
        ("Shelter Foundation for Victims of Trafficking", .ngo, "NL"), ("Return Support Network", .ngo, "NL"),
        ("UNHCR, the UN Refugee Agency", .unhcr, "CH"),
    ]

    static let staff: [(String, String, Role)] = [
        ("admin", "Anna de Vries", .administrator), ("counsellor", "Samira Benali", .counsellor),
        ("counsellor2", "Pieter Jansen", .counsellor), ("counsellor3", "Hiwet Tesfay", .counsellor),
        ("medical", "Dr. Karin Mulder", .medicalOfficer), ("movements", "Joost Bakker", .movementsOfficer),
        ("reunification", "Layla Haddad", .familyReunificationOfficer),
        ("resettlement", "Tom Visser", .resettlementOfficer),
        ("visa", "Min-ji Park", .visaClerk), ("manager", "Els van Dijk", .manager),
        ("partner", "COA liaison", .partner),
    ]

    /// Seeds an empty, migrated database. Returns the accounts with their one-time passwords.
    static func seed(
        _ app: Application, persons count: Int = 2000, fixedPassword: String? = nil,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> [Account] {
        var rng = SeededRandom(seed: 2025)
        let actor = Actor.system
        var partnerIDs: [String: UUID] = [:]
        var locationIDs: [UUID] = []
        var receptionIDs: [UUID] = []
        var officeIDs: [UUID] = []
        var accounts: [Account] = []
        var staffByRole: [Role: [UUID]] = [:]

        do {
            for (name, kind, country) in partners {
                let p = try await RegistryRecords.save(
                    partner: Partner(name: name, kind: kind, country: country),
                    replacing: nil, actor: actor, on: app)
                partnerIDs[name] = p.id
            }
            // One embassy a counsellor proposed, waiting for the administrator.
            _ = try await RegistryRecords.propose(
                embassy: .init(name: "Embassy of Ukraine", country: "UA"),
                actor: Actor(id: "demo", name: "counsellor"), on: app)
            let coa = partnerIDs[partners[0].0]
            let dtv = partnerIDs[partners[1].0]
            for (name, kind, city, country) in locations {
                let responsible = kind == .receptionCentre ? coa : (kind == .detentionCentre ? dtv : nil)
                let l = try await RegistryRecords.save(
                    location: Location(
                        name: name, kind: kind, city: city, country: country, partnerID: responsible),
                    replacing: nil, actor: actor, on: app)
                locationIDs.append(l.id!)
                if kind == .receptionCentre || kind == .city || kind == .detentionCentre { receptionIDs.append(l.id!) }
                if kind == .office || kind == .officeAbroad { officeIDs.append(l.id!) }
            }
        }
        for (username, name, role) in staff {
            let password = fixedPassword ?? String(ApiTokens.generate().dropFirst(4).prefix(16))
            let input = UserRecords.Input(
                username: username, displayName: name, password: password, roles: [role],
                partnerID: role == .partner ? partnerIDs[partners[0].0] : nil, locale: "en", active: true)
            let u = try await UserRecords.create(input, actor: actor, on: app)
            staffByRole[role, default: []].append(u.id!)
            accounts.append(Account(username: username, name: name, role: role, password: password))
        }

        let today = PersonRecords.today()
        let programmeOwners: [(Programme, Role, Int)] = [
            (.voluntaryReturn, .counsellor, 55), (.familyReunification, .familyReunificationOfficer, 20),
            (.resettlement, .resettlementOfficer, 10), (.visaApplication, .visaClerk, 12),
            (.diasporaAssignment, .manager, 3),
        ]
        var created = 0
        let batch = 100
        while created < count {
            let n = min(batch, count - created)
            var drawn: [(DemoNames.PersonFormParts, DemoNames.Pool, UUID?, Int)] = []
            for _ in 0..<n {
                let (parts, pool) = DemoNames.randomPerson(&rng, year: today.year)
                let household = Int.random(in: 0..<10, using: &rng) < 2 ? Int.random(in: 1...3, using: &rng) : 0
                drawn.append((parts, pool, receptionIDs.randomElement(using: &rng), household))
            }
            let seedForBatch = rng.next()
            let (people, owners, offices) = (drawn, staffByRole, officeIDs)
            try await app.writeTransaction { db in
                var local = SeededRandom(seed: seedForBatch)
                for (parts, pool, location, householdSize) in people {
                    let head = try await insertPerson(
                        parts, location: location, withPassport: true, rng: &local, actor: actor, on: db)
                    var members: [Person] = []
                    for i in 0..<householdSize {
                        var m = DemoNames.randomPerson(&local, year: today.year).form
                        let givenPick = pool.given.randomElement(using: &local)!
                        m = DemoNames.PersonFormParts(
                            familyName: parts.familyName, givenNames: givenPick.0,
                            familyNameOriginal: parts.familyNameOriginal,
                            givenNamesOriginal: givenPick.1, sex: m.sex,
                            dateOfBirth: i == 0
                                ? m.dateOfBirth : String(today.year - Int.random(in: 1...17, using: &local)),
                            nationality: parts.nationality, languages: parts.languages, phone: nil)
                        let member = try await insertPerson(
                            m, location: location, withPassport: false, rng: &local, actor: actor, on: db)
                        let rel: Relationship = i == 0 ? .spouse : .child
                        let link = HouseholdLink(personID: head.id!, relatedPersonID: member.id!, relationship: rel)
                        try await link.create(on: db)
                        try await AuditLog.record(
                            on: db, actor: actor, action: .create, entity: "household_link",
                            entityID: link.id!.uuidString,
                            personID: head.id,
                            changes: [.init(field: rel.rawValue, before: nil, after: member.id!.uuidString)])
                        members.append(member)
                    }
                    guard Int.random(in: 0..<10, using: &local) < 8 else { continue }
                    var pick = Int.random(in: 0..<100, using: &local)
                    var programme = Programme.voluntaryReturn
                    var role = Role.counsellor
                    for (p, r, w) in programmeOwners { if pick < w { programme = p; role = r; break }; pick -= w }
                    let daysAgo = Int.random(in: 0...700, using: &local)
                    let opened = Calendar(identifier: .gregorian).date(
                        byAdding: .day, value: -daysAgo, to: Clock.now())!
                    let c = OfficeCalendar.calendar.dateComponents(in: OfficeCalendar.timeZone, from: opened)
                    let details = CaseDetails(
                        programme: programme, openedOn: PartialDate(year: c.year!, month: c.month!, day: c.day!)!,
                        summary: summary(for: programme, members: members.count))
                    let statusPick = Int.random(in: 0..<10, using: &local)
                    let status: CaseStatus =
                        daysAgo > 300 && statusPick < 6 ? .closed : (statusPick == 9 ? .onHold : .open)
                    let owner = owners[role]?.randomElement(using: &local)
                    let office = offices.randomElement(using: &local)
                    _ = try await CaseRecords.insert(
                        details, personID: head.id!, ownerID: owner,
                        officeID: office, status: status, actor: actor, on: db)
                }
                return ()
            }
            created += n
            progress(created, count)
        }
        try await seedDuplicate(app, actor: actor)
        _ = try await RegistryDuplicates.check(app, actor: actor)
        return accounts
    }

    /// One person registered a second time at another centre, as another hand wrote them: the family name spelt
    /// without its hyphen, the day and month of birth swapped, no names in the original script. The person page
    /// offers the pair for merging.
    static func seedDuplicate(_ app: Application, actor: Actor) async throws {
        let first = try await Person.query(on: app.db).filter(\.$dobDay <= 12).filter(\.$mergedInto == nil)
            .sort(\.$reference).all().first { p in
                p.dobDay != nil && p.dobDay != p.dobMonth && !p.familyName.contains(" ")
            }
        guard let first, let dob = first.dateOfBirth, let day = dob.day, let month = dob.month else { return }
        var form = first.form
        form.familyName = first.familyName.replacingOccurrences(of: "-", with: " ")
        form.familyNameOriginal = nil
        form.givenNamesOriginal = nil
        form.dateOfBirth = PartialDate(year: dob.year, month: day, day: month)?.isoText
        form.phone = nil
        let details = try PersonValidation.validate(form, today: PersonRecords.today())
        try await app.writeTransaction { db in
            _ = try await PersonRecords.insert(details, locationID: nil, documents: [], actor: actor, on: db)
        }
    }

    static func insertPerson(
        _ parts: DemoNames.PersonFormParts, location: UUID?, withPassport: Bool, rng: inout SeededRandom,
        actor: Actor, on db: any Database
    ) async throws -> Person {
        let form = PersonForm(
            familyName: parts.familyName, givenNames: parts.givenNames, familyNameOriginal: parts.familyNameOriginal,
            givenNamesOriginal: parts.givenNamesOriginal, sex: parts.sex, dateOfBirth: parts.dateOfBirth,
            nationality: parts.nationality, languages: parts.languages, phone: parts.phone)
        let details = try PersonValidation.validate(form, today: PersonRecords.today())
        var docs: [IdentityDocumentDetails] = []
        if withPassport && Int.random(in: 0..<10, using: &rng) < 6 {
            let letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
            let number =
                String((0..<2).map { _ in letters.randomElement(using: &rng)! })
                + String(Int.random(in: 1_000_000...9_999_999, using: &rng))
            let year = PersonRecords.today().year + Int.random(in: -2...8, using: &rng)
            docs.append(
                IdentityDocumentDetails(
                    type: .passport, number: number, issuingCountry: parts.nationality,
                    expiresOn: PartialDate(
                        year: year, month: Int.random(in: 1...12, using: &rng), day: Int.random(in: 1...28, using: &rng)
                    )))
        }
        return try await PersonRecords.insert(details, locationID: location, documents: docs, actor: actor, on: db)
    }

    static func summary(for programme: Programme, members: Int) -> String {
        let family = members > 0 ? " Household of \(members + 1)." : ""
        switch programme {
        case .voluntaryReturn: return "Considering voluntary return; counselling in progress." + family
        case .familyReunification:
            return "Family reunification approved by the IND; DNA sampling to be scheduled." + family
        case .resettlement: return "Selected for resettlement; pre-departure orientation pending." + family
        case .visaApplication: return "Visa application received at the application centre." + family
        case .diasporaAssignment: return "Diaspora expert assignment at a host institution." + family
        }
    }
}

/// `passage demo`: a fresh database with demo data, then the server on http://127.0.0.1:8080.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "persons", help: "how many persons to create (default 2000)") var persons: Int?
        @Flag(name: "no-serve", help: "create the data and stop") var noServe: Bool
        init() {}
    }
    var help: String { "Creates a fresh demo database and serves it on http://127.0.0.1:8080." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let console = context.console
        console.print("Creating the demo database…")
        try await app.autoMigrate()
        let total = signature.persons ?? 2000
        let fixed = ProcessInfo.processInfo.environment["PASSAGE_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let accounts = try await DemoData.seed(app, persons: total, fixedPassword: fixed) { done, all in
            if done % 500 == 0 || done == all { console.print("  \(done) of \(all) persons") }
        }
        console.print("Adding each programme's demo records…")
        for module in app.modules { try await module.seedDemo(app) }
        try await ProtectionDemo.seed(app)
        console.print("")
        console.print("Demo accounts (passwords are shown once):")
        for a in accounts {
            console.print(
                "  \(a.username.padding(toLength: 14, withPad: " ", startingAt: 0)) \(a.password)   \(a.role.rawValue)")
        }
        console.print("")
        guard !signature.noServe else { return }
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = Int(ProcessInfo.processInfo.environment["PASSAGE_PORT"] ?? "") ?? 8080
        console.print("Passage is at http://127.0.0.1:\(app.http.server.configuration.port) — Ctrl-C stops it.")
        NameIndexWarmUp.start(app)
        if app.passageConfig.outboxWorker { app.outboxWorkerLifecycle.start(app) }
        try await Serving.start(app, hostname: "127.0.0.1", port: app.http.server.configuration.port)
    }
}
