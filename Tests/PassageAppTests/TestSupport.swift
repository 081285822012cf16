import Testing
import VaporTesting
import Fluent
import FluentPostgresDriver
import SQLKit
import PassageDomain
@testable import PassageApp

/// The databases every database test runs on: SQLite always, PostgreSQL when the test command started one.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }

    static var available: [TestDatabase] {
        ProcessInfo.processInfo.environment["PASSAGE_TEST_DATABASE_URL"].map {
            $0.isEmpty ? [.sqlite] : [.sqlite, .postgres]
        } ?? [.sqlite]
    }
}

let testPassword = "correct horse battery"

/// A migrated application on a fresh database, with one user and API token for every role.
struct Harness: Sendable {
    let app: Application
    let database: TestDatabase
    let tokens: [Role: String]
    let users: [Role: UUID]

    func token(_ role: Role) -> String { tokens[role]! }

    /// Sends a request as the given role (by API token), with an optional JSON body.
    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, as role: Role?, json: (any Encodable & Sendable)? = nil,
        rawBody: String? = nil, contentType: HTTPMediaType = .json
    ) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(
            method, path,
            beforeRequest: { req in
                if let role { req.headers.bearerAuthorization = .init(token: tokens[role]!) }
                if let json { try req.content.encode(AnyEncodable(json), as: .json) }
                if let rawBody {
                    req.headers.contentType = contentType
                    req.body = ByteBuffer(string: rawBody)
                }
            })
    }

    func count<M: Model>(_ type: M.Type) async throws -> Int { try await M.query(on: app.db).count() }
}

struct AnyEncodable: Encodable, Sendable {
    let value: any Encodable & Sendable
    init(_ v: any Encodable & Sendable) { value = v }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

func withHarness(
    _ database: TestDatabase, onDisk: Bool = false, adjust: (inout AppConfig) -> Void = { _ in },
    _ body: (Harness) async throws -> Void
) async throws {
    var config = AppConfig(storage: .sqliteMemory, bcryptCost: 4)
    var schema: String?
    var diskDir: String?
    if onDisk && database == .sqlite {
        // Other processes (a worker) share the database: it lives in a file.
        let dir = NSTemporaryDirectory() + "passage-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        diskDir = dir
        config = AppConfig(storage: .sqliteFile(path: dir + "/passage.sqlite"), bcryptCost: 4)
    }
    defer { if let d = diskDir { try? FileManager.default.removeItem(atPath: d) } }
    if database == .postgres {
        let url = ProcessInfo.processInfo.environment["PASSAGE_TEST_DATABASE_URL"]!
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await PostgresSchemas.run(url: url, "CREATE SCHEMA \(name)")
        schema = String(name)
        config = AppConfig(storage: .postgres(url: url), bcryptCost: 4, postgresSchema: schema)
    }
    defer {
        if let schema {
            // Dropping waits for nothing the test needs; it only keeps the test database small.
            let url = ProcessInfo.processInfo.environment["PASSAGE_TEST_DATABASE_URL"]!
            Task.detached { try? await PostgresSchemas.run(url: url, "DROP SCHEMA \(schema) CASCADE") }
        }
    }
    config.checkAPIAnswers = true
    adjust(&config)
    let finalConfig = config
    try await withApp(configure: { app in
        app.logger.logLevel = .warning
        try await configure(app, config: finalConfig)
        try await app.autoMigrate()
    }) { app in
        var tokens: [Role: String] = [:]
        var users: [Role: UUID] = [:]
        let partner = try await RegistryRecords.save(
            partner: Partner(name: "Reception Agency", kind: .receptionAgency, country: "NL"),
            replacing: nil, actor: .system, on: app)
        for role in Role.allCases {
            let u = try await UserRecords.create(
                .init(
                    username: role.rawValue.replacingOccurrences(of: "_", with: "."),
                    displayName: "Test \(role.rawValue)", password: testPassword, roles: [role],
                    partnerID: role == .partner ? partner.id : nil, locale: "en", active: true),
                actor: .system, on: app)
            users[role] = u.id
            tokens[role] = try await UserRecords.issueToken(for: u.id!, name: "test", actor: .system, on: app)
        }
        try await body(Harness(app: app, database: database, tokens: tokens, users: users))
    }
}

/// Creates and drops the per-test schemas on the PostgreSQL the test command started.
enum PostgresSchemas {
    static func run(url: String, _ sql: String) async throws {
        let app = try await Application.make(.testing)
        do {
            app.logger.logLevel = .error
            app.databases.use(.postgres(configuration: try SQLPostgresConfiguration(url: url)), as: .psql)
            try await (app.db as! any SQLDatabase).raw(SQLQueryString(stringLiteral: sql)).run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// A browser-like session: keeps the cookie and the CSRF token between requests.
final class BrowserSession: @unchecked Sendable {
    /// What a browser asks for when it follows a link: `*/*` included.
    static let accept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
    let app: Application
    var cookie: String?
    var csrf: String = ""

    init(app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        let res = try await app.testing().sendRequest(
            .GET, path,
            beforeRequest: { req in
                if let c = cookie { req.headers.replaceOrAdd(name: .cookie, value: c) }
                req.headers.replaceOrAdd(name: .accept, value: Self.accept)
            })
        absorb(res)
        return res
    }

    @discardableResult
    func post(_ path: String, form: [String: String], includeCSRF: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if includeCSRF { fields["_csrf"] = csrf }
        let body = fields.map { "\(urlQuery($0.key))=\(urlQuery($0.value))" }.joined(separator: "&")
        let res = try await app.testing().sendRequest(
            .POST, path,
            beforeRequest: { req in
                if let c = cookie { req.headers.replaceOrAdd(name: .cookie, value: c) }
                req.headers.contentType = .urlEncodedForm
                req.headers.replaceOrAdd(name: .accept, value: Self.accept)
                req.body = ByteBuffer(string: body)
            })
        absorb(res)
        return res
    }

    func login(_ username: String, _ password: String = testPassword) async throws -> TestingHTTPResponse {
        try await get("/login")
        let res = try await post("/login", form: ["username": username, "password": password])
        // Like a browser, follow the redirect: the new session's page carries the new CSRF token.
        var location = res.status == .seeOther ? res.headers.first(name: .location) : nil
        for _ in 0..<3 {
            guard let next = location else { break }
            let page = try await get(next)
            location = page.status == .seeOther ? page.headers.first(name: .location) : nil
        }
        return res
    }

    /// Every cookie the server set, by name, as a browser keeps them.
    var jar: [String: String] = [:]

    private func absorb(_ res: TestingHTTPResponse) {
        for set in res.headers[.setCookie] {
            guard let pair = set.split(separator: ";").first, let eq = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<eq])
            let value = String(pair[pair.index(after: eq)...])
            if set.lowercased().contains("max-age=0") || set.contains("1970") || value.isEmpty {
                jar[name] = nil
            } else {
                jar[name] = value
            }
        }
        if !res.headers[.setCookie].isEmpty {
            cookie =
                jar.isEmpty
                ? nil : jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let html = res.body.string
        if let r = html.range(of: "name=\"_csrf\" value=\"") {
            let rest = html[r.upperBound...]
            if let end = rest.firstIndex(of: "\"") { csrf = String(rest[..<end]) }
        }
    }
}

func decode<T: Decodable>(_ type: T.Type, _ res: TestingHTTPResponse) throws -> T {
    let d = JSONDecoder()
    d.dateDecodingStrategy = .iso8601
    return try d.decode(T.self, from: Data(res.body.readableBytesView))
}

struct ErrorBody: Decodable { let error: String; let fields: [ValidationErrors.Item]? }

/// A TCP port on loopback that nothing listens on, as the system hands one out (not a guess inside the range the
/// system also gives to outgoing connections).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Abort(.internalServerError, reason: "no socket") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw Abort(.internalServerError, reason: "no free port") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw Abort(.internalServerError, reason: "no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Registers a person through the API as a client that checked the possible duplicates a 409 named and found them to
/// be other people (fixtures of one household share a phone, a birth day and a given name).
func registerDistinct(_ h: Harness, _ body: PersonAPIController.CreateBody) async throws -> PersonSummary {
    var res = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: body)
    if res.status == .conflict {
        var sure = body
        sure.notSameAs = try decode(PersonAPIController.DuplicateAnswer.self, res).candidates.map(\.person.id)
        res = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: sure)
    }
    #expect(res.status == .created, "\(res.body.string)")
    return try decode(PersonSummary.self, res)
}
