import Vapor

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

    public init(storage: Storage, secureCookies: Bool = false, lockoutFailures: Int = 5,
                lockoutMinutes: Int = 15, sessionMinutes: Int = 480, bcryptCost: Int = 12, postgresSchema: String? = nil) {
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

    /// Reads the process environment; a malformed value stops start-up with its name.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        func int(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let raw = env[name], !raw.isEmpty else { return fallback }
            guard let v = Int(raw), range.contains(v) else {
                throw Invalid(variable: name, reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(raw)'")
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
        return AppConfig(
            storage: storage,
            secureCookies: try bool("PASSAGE_SECURE_COOKIES", false),
            lockoutFailures: try int("PASSAGE_LOCKOUT_FAILURES", 5, 1...100),
            lockoutMinutes: try int("PASSAGE_LOCKOUT_MINUTES", 15, 1...1440),
            sessionMinutes: try int("PASSAGE_SESSION_MINUTES", 480, 5...10080),
            bcryptCost: try int("PASSAGE_BCRYPT_COST", 12, 4...16),
            postgresSchema: env["PASSAGE_DB_SCHEMA"].flatMap { $0.isEmpty ? nil : $0 })
    }
}

struct AppConfigKey: StorageKey { typealias Value = AppConfig }

extension Application {
    public var passageConfig: AppConfig {
        get { storage[AppConfigKey.self] ?? AppConfig(storage: .sqliteMemory) }
        set { storage[AppConfigKey.self] = newValue }
    }
}
