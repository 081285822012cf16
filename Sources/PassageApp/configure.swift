import Vapor
import Fluent
import FluentSQLiteDriver
import FluentPostgresDriver
import SQLKit
import PassageDomain

/// Sets up the database, sessions, middleware, migrations, commands and routes.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.passageConfig = config
    AuditLog.key = config.auditKey
    FieldCipher.use(current: config.dataKey, previous: config.previousDataKeys)
    switch config.storage {
    case .sqliteFile(let path):
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .postgres(let url):
        var pg = try SQLPostgresConfiguration(url: url)
        pg.searchPath = config.postgresSchema.map { [$0] }
        // A burst of requests (or an import's long transaction) waits for a connection rather than failing after
        // the pool's default ten seconds.
        app.databases.use(
            .postgres(configuration: pg, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(30)), as: .psql)
    }
    if case .postgres = config.storage, let schema = config.postgresSchema {
        try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
    }
    if case .sqliteFile = config.storage {
        // Write-ahead logging lets readers go on while one writer commits.
        try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").run()
    }

    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    try app.usePasswordHashing(cost: config.bcryptCost)
    app.migrations.add(SessionRecord.migration)
    app.storage[ModulesKey.self] = config.modules
    app.storage[CatalogueKey.self] = Catalogue.strings(config.modules)
    app.migrations.add(CreateCore())
    for module in config.modules { app.migrations.add(module.migrations) }
    // The figures' facts span the programmes: after every module's own tables.
    app.migrations.add(AddReporting())
    app.migrations.add(AddConfidentiality())
    app.migrations.add(AddTimelinePhrases())
    app.migrations.add(AddHeldFormsAndProposals())
    app.migrations.add(AddSoundTerms())
    app.migrations.add(AddIdentityResolution())
    app.migrations.add(AddDuplicateReviews())
    app.migrations.add(RekeySoundTerms())
    app.migrations.add(AddRegistryChecks())
    app.migrations.add(AddTokenScopes())
    app.migrations.add(CreateImports())
    app.migrations.add(CreateImportFiles())
    app.migrations.add(CreateDataProtection())
    app.migrations.add(CreateEmergencyAccess())
    app.migrations.add(CreateCategoryReaders())
    app.migrations.add(CreateHeldTransfers())
    FieldAccess.install(app)
    // Person search keeps the name part in memory; it is read once the server is up.
    app.installNameIndex()

    app.sessions.use { _ in SessionStore() }
    app.sessions.configuration.cookieName = "passage_session"
    app.sessions.configuration.cookieFactory = { id in
        HTTPCookies.Value(
            string: id.string, expires: Date(timeIntervalSinceNow: Double(config.sessionMinutes) * 60),
            maxAge: config.sessionMinutes * 60, path: "/", isSecure: config.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
    }

    app.middleware = .init()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    if config.checkAPIAnswers { app.middleware.use(APIConformance(modules: config.modules)) }
    // Outside the error responder, so that error pages carry the headers too.
    app.middleware.use(SecurityHeaders())
    app.middleware.use(ErrorResponder())
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(IdentityAuthenticator())
    app.middleware.use(NumberStyleMiddleware())
    app.middleware.use(APIBodyTypes())
    app.middleware.use(CSRFMiddleware())

    app.routes.defaultMaxBodySize = "1mb"

    app.asyncCommands.use(UsersCommand(), as: "users")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(ExportCommand(), as: "export")
    app.asyncCommands.use(DuplicatesCommand(), as: "duplicates")
    app.asyncCommands.use(WorkerCommand(), as: "worker")
    app.asyncCommands.use(ReportCommand(), as: "report")
    app.asyncCommands.use(RetentionCommand(), as: "retention")
    app.asyncCommands.use(KeysCommand(), as: "keys")
    app.lifecycle.use(app.outboxWorkerLifecycle)
    app.lifecycle.use(SessionPurge())
    app.lifecycle.use(RegistryCheckResume())
    app.lifecycle.use(ImportResume())

    try routes(app)
}

/// Numbers are read and written in the reader's language for the whole of a request.
struct NumberStyleMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await NumberStyle.$current.withValue(NumberStyle(language: req.locale)) { try await next.respond(to: req) }
    }
}

/// The API reads bodies as JSON (or form fields); any other type is a 415 that says what to send.
struct APIBodyTypes: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.isAPI, ![.GET, .HEAD, .OPTIONS].contains(req.method), let type = req.headers.contentType,
            type != .json, type != .urlEncodedForm
        {
            throw Abort(.unsupportedMediaType, reason: "Send the body as JSON (Content-Type: application/json).")
        }
        return try await next.respond(to: req)
    }
}

/// Headers every response carries.
struct SecurityHeaders: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let res = try await next.respond(to: req)
        res.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        res.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        res.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        res.headers.replaceOrAdd(
            name: "Content-Security-Policy",
            value: "default-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
        return res
    }
}
