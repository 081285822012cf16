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

    /// Builds (or catches up) the in-memory name index; returns how many persons it holds.
    public static func buildNameIndex(on app: Application) async throws -> Int {
        try await app.nameIndex.refresh(app.db)
        return app.nameIndex.count
    }

    /// Registers a person as the named actor; throws `ValidationErrors` for bad input.
    public static func register(_ form: PersonForm, documents: [IdentityDocumentForm] = [], actor: String,
                                on app: Application) async throws -> UUID {
        let details = try PersonValidation.validate(form, today: PersonRecords.today())
        let docs = try documents.map { try IdentityDocumentValidation.validate($0) }
        return try await PersonRecords.create(details, documents: docs, actor: Actor(id: actor, name: actor), on: app).id!
    }

    /// Runs a person search and loads the persons it found, as the search page does.
    /// `inMemory` uses the server's name index (as the web and API do); without it the database does the
    /// name match, and `candidateLimit` tunes how common a word may be and still pick the candidates.
    public static func search(name: String = "", document: String = "", dateOfBirth: PartialDate? = nil, limit: Int = 25,
                              candidateLimit: Int? = nil, inMemory: Bool = true, on app: Application) async throws -> [UUID] {
        let hits = try await PersonSearch.run(.init(name: name, document: document, dateOfBirth: dateOfBirth, limit: limit), on: app.db,
                                              index: inMemory ? app.nameIndex : nil,
                                              candidateLimit: candidateLimit ?? PersonSearch.candidateLimit)
        return try await PersonSearch.persons(for: hits, on: app.db).map { $0.id! }
    }
}
