import Vapor
import Fluent
import PassageDomain

/// Staff accounts: creating, changing, tokens. Every change audited.
enum UserRecords {
    struct Input: Sendable {
        var username: String
        var displayName: String
        var password: String?
        var roles: Set<Role>
        var partnerID: UUID?
        var locale: String
        var active: Bool
    }

    static func validate(
        username: String?, displayName: String?, password: String?, passwordRequired: Bool,
        roles: [String], partnerID: String?, locale: String?, on db: any Database
    ) async throws -> Input {
        var e = ValidationErrors()
        let checked = StaffAccountValidation.check(
            username: username, displayName: displayName, password: password,
            passwordRequired: passwordRequired, roles: roles, errors: &e)
        var partner: UUID?
        if checked.roles.contains(.partner) {
            if let raw = partnerID, let id = UUID(uuidString: raw), try await Partner.find(id, on: db) != nil {
                partner = id
            } else {
                e.add("partnerID", "a partner account must be bound to a partner organisation")
            }
        }
        let loc = locale ?? "en"
        if !Translator.supported.contains(loc) { e.add("locale", "must be en or nl") }
        try e.throwIfAny()
        let pw = password ?? ""
        return Input(
            username: checked.username, displayName: checked.displayName, password: pw.isEmpty ? nil : pw,
            roles: checked.roles, partnerID: partner, locale: loc, active: true)
    }

    /// Takes the user's row for the rest of the transaction on PostgreSQL (SQLite's write gate already lets one
    /// transaction in at a time), so that a read, change and write of the account cannot interleave with another.
    static func lockRow(_ id: UUID, on db: any Database) async throws {
        guard db.isPostgres else { return }
        try await db.sql.raw("SELECT id FROM users WHERE id = \(bind: id) FOR UPDATE").run()
    }

    static func snapshot(_ u: User) -> [String: String] {
        var s = [
            "username": u.username, "displayName": u.displayName, "roles": u.rolesText, "locale": u.locale,
            "active": String(u.active),
        ]
        s["partner"] = u.$partner.id?.uuidString
        s["lockedUntil"] = u.lockedUntil.map { AuditLog.timestamp($0) }
        return s
    }

    static func create(_ input: Input, actor: Actor, on app: Application) async throws -> User {
        let hash = try await app.passwordHashing.hash(input.password ?? "")
        return try await app.writeTransaction { db in
            if try await User.query(on: db).filter(\.$username == input.username).first() != nil {
                throw ValidationErrors("username", "is already taken")
            }
            let u = User(
                username: input.username, displayName: input.displayName, passwordHash: hash, roles: input.roles,
                partnerID: input.partnerID, locale: input.locale)
            try await u.create(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .create, entity: "user", entityID: u.id!.uuidString,
                personID: nil, changes: AuditRecord.diff(before: [:], after: snapshot(u)))
            return u
        }
    }

    /// Changes an account. A new password, a deactivation or a change of roles ends the account's sessions (all but
    /// `keepSession`, the one making the change), so that nothing signed in before goes on with what was taken away.
    static func update(
        _ id: UUID, _ input: Input, active: Bool, unlock: Bool, actor: Actor, keepSession: SessionID? = nil,
        on app: Application
    ) async throws {
        let hash = try await input.password.asyncMap { try await app.passwordHashing.hash($0) }
        try await app.writeTransaction { db in
            guard let u = try await User.find(id, on: db) else { throw Abort(.notFound, reason: "No such user.") }
            if let other = try await User.query(on: db).filter(\.$username == input.username).first(), other.id != id {
                throw ValidationErrors("username", "is already taken")
            }
            if u.id?.uuidString == actor.id && (!active || input.roles != u.roles) {
                throw DomainError(
                    .conflict, "You cannot change your own roles or deactivate yourself; ask another administrator.")
            }
            let before = snapshot(u)
            u.username = input.username
            u.displayName = input.displayName
            u.roles = input.roles
            u.$partner.id = input.partnerID
            u.locale = input.locale
            u.active = active
            if unlock { u.lockedUntil = nil; u.failedLogins = 0 }
            if let hash { u.passwordHash = hash }
            try await u.save(on: db)
            var changes = AuditRecord.diff(before: before, after: snapshot(u))
            if hash != nil { changes.append(.init(field: "password", before: nil, after: "changed")) }
            try await AuditLog.record(
                on: db, actor: actor, action: .update, entity: "user", entityID: id.uuidString,
                personID: nil, changes: changes)
            if hash != nil || !active || before["roles"] != u.rolesText {
                _ = try await SessionStore.end(sessionsOf: id, keeping: keepSession, on: db)
            }
            if !active {
                // A deactivated account's tokens stop working at once.
                for t in try await ApiToken.query(on: db).filter(\.$user.$id == id).filter(\.$revokedAt == nil).all() {
                    t.revokedAt = Clock.now(); try await t.save(on: db)
                }
            }
        }
    }

    /// Creates a token and returns its text, which is shown once and never stored.
    /// `expires`: the last day it may be used (YYYY-MM-DD, today or later), blank for no end; `scope`: see
    /// `TokenScope.parse`.
    static func issueToken(
        for userID: UUID, name: String, expires: String? = nil, scope: String? = nil, actor: Actor,
        on app: Application
    ) async throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        var errors = ValidationErrors()
        if trimmed.isEmpty || trimmed.count > 100 {
            errors.add("name", "give the token a name of at most 100 characters (what it is for)")
        }
        let lastDay = PassageDomain.Input.day(expires, field: "expires", required: false, into: &errors)
        if let lastDay, lastDay < Clock.today() {
            errors.add("expires", "the last day of use is in the past: give today or a later day")
        }
        var tokenScope: TokenScope?
        do { tokenScope = try TokenScope.parse(scope, modules: app.modules) } catch let e as ValidationErrors {
            for i in e.items { errors.add(i.field, i.message) }
        }
        try errors.throwIfAny()
        let scopeText = tokenScope?.text
        let token = ApiTokens.generate()
        try await app.writeTransaction { db in
            guard try await User.find(userID, on: db) != nil else { throw Abort(.notFound, reason: "No such user.") }
            let t = ApiToken(
                userID: userID, name: trimmed, tokenHash: ApiTokens.hash(token), tokenPrefix: String(token.prefix(10)))
            t.expiresOn = lastDay?.isoText
            t.scope = scopeText
            try await t.create(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .create, entity: "api_token", entityID: t.id!.uuidString,
                personID: nil,
                changes: [
                    .init(field: "user", before: nil, after: userID.uuidString),
                    .init(field: "name", before: nil, after: trimmed),
                    .init(field: "expires", before: nil, after: t.expiresOn ?? "never"),
                    .init(field: "scope", before: nil, after: t.scope ?? "all"),
                ])
        }
        return token
    }

    static func revokeToken(_ tokenID: UUID, actor: Actor, on app: Application) async throws -> UUID {
        try await app.writeTransaction { db in
            guard let t = try await ApiToken.find(tokenID, on: db) else {
                throw Abort(.notFound, reason: "No such token.")
            }
            if t.revokedAt == nil {
                t.revokedAt = Clock.now()
                try await t.save(on: db)
                try await AuditLog.record(
                    on: db, actor: actor, action: .update, entity: "api_token", entityID: tokenID.uuidString,
                    personID: nil, changes: [.init(field: "revoked", before: nil, after: AuditLog.timestamp())])
            }
            return t.$user.id
        }
    }
}
