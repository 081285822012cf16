import Vapor
import PassageDomain

/// Everything Passage reads from the environment, parsed once at start-up.
public struct AppConfig: Sendable {
    public enum Storage: Sendable, Equatable {
        case sqliteFile(path: String)
        case sqliteMemory
        case postgres(url: String)
    }

    public var storage: Storage
    /// Cookies only over HTTPS; on by default outside development.
    public var secureCookies: Bool
    /// Failed logins before an account is locked, and for how long.
    public var lockoutFailures: Int
    public var lockoutMinutes: Int
    /// Minutes of inactivity after which a session ends.
    public var sessionMinutes: Int
    /// bcrypt work factor for staff passwords.
    public var bcryptCost: Int
    /// PostgreSQL schema to work in (tests give each run its own).
    public var postgresSchema: String?

    /// Kannel's sendsms interface; without it SMS wait in the outbox.
    public var kannel: Kannel?
    /// How Kannel and partners reach this server (for delivery-report addresses).
    public var publicURL: String
    /// The airport whose manifest the movements team keeps.
    public var hubAirport: String
    /// Whether `serve` and `demo` run the outbox worker in the same process.
    public var outboxWorker: Bool
    /// How long a claimed outbox message is held before another worker may take it (after a crash).
    public var outboxLeaseSeconds: Int
    public var outboxPollMilliseconds: Int
    /// The first wait after a failed delivery; each further failure doubles it.
    public var outboxRetrySeconds: Int
    /// The key of the audit trail's MACs (`PASSAGE_AUDIT_KEY`); never stored in the database.
    public var auditKey: [UInt8]
    /// The key that seals the restricted categories at rest (`PASSAGE_DATA_KEY`), and the keys it replaced that are
    /// still read until `passage keys rotate` has sealed everything again (`PASSAGE_DATA_KEY_PREVIOUS`); never in the
    /// database.
    public var dataKey: [UInt8] = AppConfig.processDataKey
    public var previousDataKeys: [[UInt8]] = []
    /// The programme modules this application runs: `Modules.registered` (tests add their own).
    var modules: [any PassageModule] = Modules.registered
    /// Whether every API answer is held to the API document (the tests turn it on).
    var checkAPIAnswers = false

    public struct Kannel: Sendable, Equatable {
        public var sendURL: String
        public var username: String
        public var password: String
        public var sender: String
        public init(sendURL: String, username: String, password: String, sender: String) {
            self.sendURL = sendURL; self.username = username; self.password = password; self.sender = sender
        }
    }

    public init(
        storage: Storage, secureCookies: Bool = false, lockoutFailures: Int = 5,
        lockoutMinutes: Int = 15, sessionMinutes: Int = 480, bcryptCost: Int = 12, postgresSchema: String? = nil,
        kannel: Kannel? = nil, publicURL: String = "http://127.0.0.1:8080", hubAirport: String = "AMS",
        outboxWorker: Bool = true, outboxLeaseSeconds: Int = 60, outboxPollMilliseconds: Int = 1000,
        outboxRetrySeconds: Int = 30, auditKey: [UInt8]? = nil
    ) {
        self.outboxRetrySeconds = outboxRetrySeconds
        self.auditKey = auditKey ?? AppConfig.processKey
        self.kannel = kannel
        self.publicURL = publicURL
        self.hubAirport = hubAirport
        self.outboxWorker = outboxWorker
        self.outboxLeaseSeconds = outboxLeaseSeconds
        self.outboxPollMilliseconds = outboxPollMilliseconds
        self.bcryptCost = bcryptCost
        self.postgresSchema = postgresSchema
        self.storage = storage
        self.secureCookies = secureCookies
        self.lockoutFailures = lockoutFailures
        self.lockoutMinutes = lockoutMinutes
        self.sessionMinutes = sessionMinutes
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let variable: String
        public let reason: String
        public var description: String { "\(variable): \(reason)" }
    }

    /// One key for every configuration of this process that names none (tests, tools).
    static let processKey = randomKey()
    static let processDataKey = randomKey()

    static func randomKey() -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// The audit key: `PASSAGE_AUDIT_KEY` (at least 32 characters). In local development without it, a key kept in
    /// a file beside the database (`audit.key`, made on first start); anywhere else Passage does not start without it.
    static func auditKey(_ env: [String: String], dataDir: String, development: Bool) throws -> [UInt8] {
        try secret("PASSAGE_AUDIT_KEY", file: "audit.key", env, dataDir: dataDir, development: development)
    }

    /// The data key (`PASSAGE_DATA_KEY`, or `data.key` in local development) and the previous ones
    /// (`PASSAGE_DATA_KEY_PREVIOUS`, comma-separated), each at least 32 characters.
    static func dataKeys(_ env: [String: String], dataDir: String, development: Bool) throws
        -> (current: [UInt8], previous: [[UInt8]])
    {
        let current = try secret("PASSAGE_DATA_KEY", file: "data.key", env, dataDir: dataDir, development: development)
        let previous = (env["PASSAGE_DATA_KEY_PREVIOUS"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        for p in previous where p.utf8.count < 32 {
            throw Invalid(variable: "PASSAGE_DATA_KEY_PREVIOUS", reason: "each key must be at least 32 characters")
        }
        return (current, previous.map { Array($0.utf8) })
    }

    /// A secret from the environment; in local development without it, one kept in a file beside the database (made
    /// on first start); anywhere else Passage does not start without it.
    static func secret(
        _ variable: String, file: String, _ env: [String: String], dataDir: String, development: Bool
    ) throws -> [UInt8] {
        if let raw = env[variable], !raw.isEmpty {
            guard raw.utf8.count >= 32 else {
                throw Invalid(
                    variable: variable, reason: "must be at least 32 characters (e.g. openssl rand -hex 32)")
            }
            return Array(raw.utf8)
        }
        guard development else {
            throw Invalid(
                variable: variable, reason: "is required outside local development (e.g. openssl rand -hex 32)")
        }
        let path = dataDir + "/" + file
        if let text = try? String(contentsOfFile: path, encoding: .utf8), text.utf8.count >= 32 {
            return Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        }
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let key = randomKey().map { String(format: "%02x", $0) }.joined()
        FileManager.default.createFile(atPath: path, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600])
        return Array(key.utf8)
    }

    /// Development is plain HTTP on this machine's own loopback address; anywhere else cookies need TLS.
    static func isLocalDevelopment(_ publicURL: String) -> Bool {
        guard let url = URLComponents(string: publicURL), url.scheme == "http", let host = url.host else {
            return false
        }
        return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
    }

    /// Reads the process environment; a malformed value stops start-up with its name.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws
        -> AppConfig
    {
        var config = try settings(env)
        (config.dataKey, config.previousDataKeys) = try dataKeys(
            env, dataDir: env["PASSAGE_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "data",
            development: isLocalDevelopment(config.publicURL))
        return config
    }

    static func settings(_ env: [String: String]) throws -> AppConfig {
        func int(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let raw = env[name], !raw.isEmpty else { return fallback }
            guard let v = Int(raw), range.contains(v) else {
                throw Invalid(
                    variable: name,
                    reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(raw)'")
            }
            return v
        }
        func bool(_ name: String, _ fallback: Bool) throws -> Bool {
            guard let raw = env[name], !raw.isEmpty else { return fallback }
            switch raw.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw Invalid(variable: name, reason: "must be true or false, got '\(raw)'")
            }
        }
        let storage: Storage
        if let url = env["DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw Invalid(variable: "DATABASE_URL", reason: "must be a postgres:// URL")
            }
            storage = .postgres(url: url)
        } else {
            let dir = env["PASSAGE_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "data"
            storage = .sqliteFile(path: dir + "/passage.sqlite")
        }
        var kannel: Kannel?
        if let url = env["PASSAGE_KANNEL_URL"], !url.isEmpty {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw Invalid(
                    variable: "PASSAGE_KANNEL_URL",
                    reason: "must be Kannel's sendsms address, like http://127.0.0.1:13013/cgi-bin/sendsms")
            }
            guard let user = env["PASSAGE_KANNEL_USER"], !user.isEmpty, let password = env["PASSAGE_KANNEL_PASSWORD"],
                !password.isEmpty
            else {
                throw Invalid(
                    variable: "PASSAGE_KANNEL_USER",
                    reason: "PASSAGE_KANNEL_USER and PASSAGE_KANNEL_PASSWORD are needed with PASSAGE_KANNEL_URL")
            }
            let sender = env["PASSAGE_SMS_SENDER"].flatMap { $0.isEmpty ? nil : $0 } ?? "Passage"
            guard sender.count <= 11 else {
                throw Invalid(variable: "PASSAGE_SMS_SENDER", reason: "must be at most 11 characters")
            }
            kannel = Kannel(sendURL: url, username: user, password: password, sender: sender)
        }
        let hub = (env["PASSAGE_HUB_AIRPORT"].flatMap { $0.isEmpty ? nil : $0 } ?? "AMS").uppercased()
        guard hub.count == 3, hub.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw Invalid(variable: "PASSAGE_HUB_AIRPORT", reason: "must be an IATA airport code like AMS")
        }
        if let region = env["PASSAGE_PHONE_REGION"], !region.isEmpty,
            PhoneNumber.callingCodes[region.uppercased()] == nil
        {
            throw Invalid(
                variable: "PASSAGE_PHONE_REGION",
                reason: "must be a country code whose national numbers start with 0: "
                    + PhoneNumber.callingCodes.keys.sorted().joined(separator: ", "))
        }
        guard OfficeCalendar.zone(named: env["PASSAGE_TIME_ZONE"]) != nil else {
            throw Invalid(variable: "PASSAGE_TIME_ZONE", reason: "must be a time zone name like Europe/Amsterdam")
        }
        let port = try int("PASSAGE_PORT", 8080, 1...65535)
        let publicURL = env["PASSAGE_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:\(port)"
        return AppConfig(
            storage: storage,
            secureCookies: try bool("PASSAGE_SECURE_COOKIES", !isLocalDevelopment(publicURL)),
            lockoutFailures: try int("PASSAGE_LOCKOUT_FAILURES", 5, 1...100),
            lockoutMinutes: try int("PASSAGE_LOCKOUT_MINUTES", 15, 1...1440),
            sessionMinutes: try int("PASSAGE_SESSION_MINUTES", 480, 5...10080),
            bcryptCost: try int("PASSAGE_BCRYPT_COST", 12, 4...16),
            postgresSchema: env["PASSAGE_DB_SCHEMA"].flatMap { $0.isEmpty ? nil : $0 },
            kannel: kannel,
            publicURL: publicURL,
            hubAirport: hub,
            outboxWorker: try bool("PASSAGE_OUTBOX_WORKER", true),
            outboxLeaseSeconds: try int("PASSAGE_OUTBOX_LEASE_SECONDS", 60, 1...3600),
            outboxPollMilliseconds: try int("PASSAGE_OUTBOX_POLL_MS", 1000, 10...60000),
            outboxRetrySeconds: try int("PASSAGE_OUTBOX_RETRY_SECONDS", 30, 1...3600),
            auditKey: try auditKey(
                env, dataDir: env["PASSAGE_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "data",
                development: isLocalDevelopment(publicURL)))
    }
}

struct AppConfigKey: StorageKey { typealias Value = AppConfig }

extension Application {
    public var passageConfig: AppConfig {
        get { storage[AppConfigKey.self] ?? AppConfig(storage: .sqliteMemory) }
        set { storage[AppConfigKey.self] = newValue }
    }
}
