import Vapor
import Fluent
import PassageDomain

/// The few operations tools outside the server (benchmarks, imports) use, with the same
/// transactions, search terms and audit entries as the web and API paths.
public enum PassageServices {
    /// A configured, migrated application that is not serving.
    public static func open(_ config: AppConfig) async throws -> Application {
        let app = try await Application.make(.init(name: "production", arguments: ["passage"]))
        app.logger.logLevel = .warning
        try await configure(app, config: config)
        try await app.autoMigrate()
        return app
    }

    /// Queues SMS in the outbox as booking changes do (one row each, their own event keys); for load tests.
    public static func queueSMS(count: Int, to phone: String, text: String, on app: Application) async throws {
        var done = 0
        while done < count {
            let n = min(500, count - done)
            let first = done
            try await app.writeTransaction { db in
                for i in first..<(first + n) {
                    try await Outbox.enqueue(
                        .init(
                            kind: .sms, eventKey: "load:\(UUID().uuidString):\(i)", destination: phone, body: text,
                            label: "load test \(i)"), on: db)
                }
            }
            done += n
        }
    }

    /// One round of the outbox worker: claims due messages and delivers them; returns how many it tried.
    public static func deliverOutbox(on app: Application) async throws -> Int {
        try await OutboxWorker(app: app).runOnce()
    }

    /// Imports the files of the layout in `directory` as `username` (see `Importer`); answers, per kind, the rows
    /// and how many were created, changed, unchanged and refused, then the problems, the seconds and whether anything
    /// was written.
    public static func importDirectory(
        _ directory: String, username: String, dryRun: Bool = false, on app: Application
    ) async throws -> (counts: [String: [Int]], problems: [String], seconds: Double, written: Bool) {
        let tables = try ImportSource.read(directory: directory)
        guard let user = try await User.query(on: app.db).filter(\.$username == username).first() else {
            throw Abort(.notFound, reason: "no user \(username)")
        }
        let importer = Importer(
            app: app, tables: tables, mode: dryRun ? .dryRun : .all,
            actor: Actor(id: user.id!.uuidString, name: user.username), userID: user.id!)
        let r = try await importer.run()
        return (
            r.counts.mapValues { [$0.rows, $0.created, $0.updated, $0.unchanged, $0.refused] },
            r.problems.map(\.description), r.seconds, r.written
        )
    }

    /// A location and a partner organisation of the office, by name (what an import refers to), made if missing.
    public static func ensureReferenceNames(locations: [String], embassies: [String], on app: Application)
        async throws
    {
        for name in locations where try await Location.query(on: app.db).filter(\.$name == name).count() == 0 {
            let l = Location()
            l.name = name; l.kind = .receptionCentre; l.city = name; l.country = "NL"
            try await l.create(on: app.db)
        }
        for name in embassies where try await Partner.query(on: app.db).filter(\.$name == name).count() == 0 {
            let p = Partner()
            p.name = name; p.kind = .embassy
            try await p.create(on: app.db)
        }
    }

    /// The period report's figures for the period and the one before, keyed by figure: `[key: (value, previous)]`.
    public static func periodFigures(from: String, to: String, on app: Application) async throws -> [String: (
        value: Double, previous: Double
    )] {
        let p = try ReportPeriod.read(from: from, to: to, today: Clock.today())
        let r = try await PeriodReport.compute(p, hub: app.passageConfig.hubAirport, on: app.db)
        var out: [String: (value: Double, previous: Double)] = [:]
        for row in r.rows {
            out[row.key] = (row.value, row.previous)
            for part in row.breakdown { out[row.key + ":" + part.label] = (part.value, part.previous) }
        }
        return out
    }

    /// A user with the given roles and an API token for them; returns the token.
    public static func issueToken(username: String, roles: Set<Role>, on app: Application) async throws -> String {
        let user = User()
        user.username = username; user.displayName = username; user.passwordHash = "!";
        user.rolesText = roles.map(\.rawValue).sorted().joined(separator: ",")
        user.locale = "en"; user.active = true; user.failedLogins = 0
        try await user.create(on: app.db)
        let token = ApiTokens.generate()
        let t = ApiToken()
        t.$user.id = user.id!; t.name = username; t.tokenHash = ApiTokens.hash(token);
        t.tokenPrefix = String(token.prefix(8))
        try await t.create(on: app.db)
        return token
    }

    /// Outbox messages by status.
    public static func outboxCounts(on app: Application) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for s in OutboxMessage.Status.allCases {
            out[s.rawValue] = try await OutboxMessage.query(on: app.db).filter(\.$status == s).count()
        }
        return out
    }

    /// Builds (or catches up) the in-memory name index; returns how many persons it holds.
    public static func buildNameIndex(on app: Application) async throws -> Int {
        try await app.nameIndex.refresh(app.db)
        return app.nameIndex.count
    }

    /// Registers a person as the named actor; throws `ValidationErrors` for bad input.
    public static func register(
        _ form: PersonForm, documents: [IdentityDocumentForm] = [], actor: String,
        on app: Application
    ) async throws -> UUID {
        let details = try PersonValidation.validate(form, today: PersonRecords.today())
        let docs = try documents.map { try IdentityDocumentValidation.validate($0) }
        return try await PersonRecords.create(details, documents: docs, actor: Actor(id: actor, name: actor), on: app)
            .id!
    }

    /// Runs a person search and loads the persons it found, as the search page does.
    /// `inMemory` uses the server's name index (as the web and API do); without it the database does the
    /// name match, and `candidateLimit` tunes how common a word may be and still pick the candidates.
    public static func search(
        name: String = "", document: String = "", dateOfBirth: PartialDate? = nil, limit: Int = 25,
        candidateLimit: Int? = nil, inMemory: Bool = true, on app: Application
    ) async throws -> [UUID] {
        let hits = try await PersonSearch.run(
            .init(name: name, document: document, dateOfBirth: dateOfBirth, limit: limit), on: app.db,
            index: inMemory ? app.nameIndex : nil,
            candidateLimit: candidateLimit ?? PersonSearch.candidateLimit)
        return try await PersonSearch.persons(for: hits, on: app.db).map { $0.id! }
    }
}

extension PassageServices {
    /// Who the retention job would anonymise on `today` (a dry run): persons, cases and the cutoff day.
    public static func retentionDue(today: PartialDate, on app: Application) async throws
        -> (persons: Int, cases: Int, cutoff: String)
    {
        let d = try await Retention.due(on: app.db, today: today)
        return (d.persons, d.cases, d.cutoff)
    }

    /// Runs the retention job as the named user on `today`; returns how many persons were anonymised.
    public static func runRetention(
        today: PartialDate, actor username: String, on app: Application, progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> Int {
        guard let user = try await User.query(on: app.db).filter(\.$username == username).first() else {
            throw Abort(.notFound, reason: "No such user.")
        }
        return try await Retention.run(
            actor: Actor(id: user.id!.uuidString, name: user.username), on: app, today: today, progress: progress)
    }
}
