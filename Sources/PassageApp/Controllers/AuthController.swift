import Vapor
import Fluent
import PassageDomain

struct AuthController {
    struct LoginForm: Content { var username: String?; var password: String?; var next: String? }
    struct LanguageForm: Content { var lang: String?; var back: String? }

    func boot(_ app: Application) {
        app.open(.GET, "") { req -> Response in
            guard let id = req.auth.get(Identity.self) else { return req.redirect(to: "/login") }
            if id.hasAny(Role.caseworkers) { return req.redirect(to: "/cases/mine") }
            if id.has(.administrator) { return req.redirect(to: "/admin/users") }
            return try await Layout.page(
                req: req, identity: id, title: "Passage",
                body: """
                    <h1>Passage</h1><p>\(req.t("home.partner"))</p>
                    """
            ).encodeResponse(for: req)
        }
        app.open(.GET, "login") { req -> HTML in
            loginPage(req, next: req.query[String.self, at: "next"], username: nil, error: nil)
        }
        app.open(.POST, "login") { req -> Response in try await login(req) }
        app.open(.POST, "logout") { req -> Response in
            if let id = req.auth.get(Identity.self) {
                try await req.writeTransaction { db in
                    try await AuditLog.record(
                        on: db, actor: id.actor, action: .logout, entity: "user",
                        entityID: id.userID.uuidString, personID: nil)
                }
            }
            req.auth.logout(Identity.self)
            req.session.destroy()
            return req.redirect(to: "/login")
        }
        app.open(.POST, "language") { req -> Response in
            let form = try req.content.decode(LanguageForm.self)
            guard let lang = form.lang, Translator.supported.contains(lang) else {
                throw Abort(
                    .unprocessableEntity, reason: "lang: must be one of \(Translator.supported.joined(separator: ", "))"
                )
            }
            req.session.data["lang"] = lang
            return req.redirect(to: Self.safeLocalPath(form.back) ?? "/")
        }
    }

    /// Only a path on this site, never another host. Browsers drop tabs and line breaks from an address and read
    /// a backslash as a slash, so `/\t/evil.example` would be `//evil.example`: any control character, space or
    /// backslash refuses the path, and what is left must parse as a path with no scheme and no host.
    static func safeLocalPath(_ raw: String?) -> String? {
        guard let raw, raw.hasPrefix("/"), raw.utf8.count <= 2000 else { return nil }
        let refused = raw.unicodeScalars.contains { s in
            s == "\\" || s.properties.isWhitespace || s.properties.generalCategory == .control
                || s.properties.generalCategory == .format
        }
        guard !refused, !raw.hasPrefix("//"), let parts = URLComponents(string: raw),
            parts.scheme == nil, parts.host == nil, parts.path.hasPrefix("/"), !parts.path.hasPrefix("//")
        else { return nil }
        return raw
    }

    func loginPage(_ req: Request, next: String?, username: String?, error: String?) -> HTML {
        let t = req.t
        let err: HTML = error.map { "<div class=\"error-summary\" role=\"alert\">\($0)</div>" } ?? .empty
        let held: HTML =
            error == nil && (next ?? "").hasPrefix(HeldForms.prefix)
            ? "<p class=\"notice\" role=\"status\">\(t("login.held"))</p>" : .empty
        return Layout.page(
            req: req, identity: nil, title: t("login.title"),
            body: """
                <form method="post" action="/login" class="card login">
                <h1>\(t("login.title"))</h1>\(err)\(held)\(Layout.csrfField(req))
                <input type="hidden" name="next" value="\(Self.safeLocalPath(next) ?? "")">
                \(Layout.field("username", label: t("login.username"), value: username, error: nil, required: true,
                    attributes: "autocomplete=\"username\" autofocus"))
                \(Layout.field("password", label: t("login.password"), value: nil, error: nil, type: "password",
                    required: true, attributes: "autocomplete=\"current-password\""))
                <button class="primary" type="submit">\(t("login.submit"))</button></form>
                """)
    }

    func login(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let username = (form.username ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = form.password ?? ""
        let t = req.t
        let config = req.application.passageConfig
        let throttle = LoginThrottle(
            maxFailures: config.lockoutFailures, lockSeconds: Double(config.lockoutMinutes) * 60)
        let hashing = req.application.passwordHashing
        let refuse = { (message: String) async throws -> Response in
            loginPage(req, next: form.next, username: form.username, error: message).response(status: .unauthorized)
        }
        // No stored password is longer than bcrypt reads, and a longer one must not match by its first 72 bytes.
        let tooLong = password.utf8.count > StaffAccountValidation.maximumPasswordBytes
        guard !username.isEmpty, !password.isEmpty, username.count <= 64,
            let user = try await User.query(on: req.db).filter(\.$username == username).first(), user.active
        else {
            // Spend the same time as a real check so that timing does not reveal which usernames exist.
            _ = try await hashing.verify(password, created: hashing.decoy)
            return try await refuse(t("login.failed"))
        }
        let userID = try user.requireID()
        // Every attempt costs one bcrypt check, locked or not, so that a locked account answers as slowly as a
        // wrong password does.
        let ok = try await hashing.verify(tooLong ? "" : password, created: user.passwordHash) && !tooLong
        enum Outcome: Sendable { case signedIn, failed, locked }
        // The lock and the failure count are read and written under the row's lock, one attempt at a time.
        let outcome: Outcome = try await req.writeTransaction { db in
            try await UserRecords.lockRow(userID, on: db)
            guard let u = try await User.find(userID, on: db) else { return .failed }
            let now = Clock.now().timeIntervalSince1970
            let actor = Actor(id: userID.uuidString, name: u.username)
            if throttle.isLocked(lockedUntil: u.lockedUntil?.timeIntervalSince1970, now: now) {
                try await AuditLog.record(
                    on: db, actor: actor, action: .login, entity: "user", entityID: userID.uuidString,
                    personID: nil, note: "refused: account locked")
                return .locked
            }
            if ok {
                u.failedLogins = 0
                u.lockedUntil = nil
                try await u.save(on: db)
                try await AuditLog.record(
                    on: db, actor: actor, action: .login, entity: "user", entityID: userID.uuidString,
                    personID: nil, note: "signed in")
                return .signedIn
            }
            let (failures, until) = throttle.afterFailure(failures: u.failedLogins, now: now)
            u.failedLogins = failures
            if let until { u.lockedUntil = Date(timeIntervalSince1970: until) }
            try await u.save(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .login, entity: "user", entityID: userID.uuidString,
                personID: nil, note: until == nil ? "failed" : "failed; account locked")
            return until == nil ? .failed : .locked
        }
        switch outcome {
        case .failed: return try await refuse(t("login.failed"))
        case .locked: return try await refuse(t("login.locked"))
        case .signedIn: break
        }
        // A new session id on sign-in, so that a session fixed before it is worthless.
        if let old = req.session.id {
            try await req.application.sessions.driver.deleteSession(old, for: req).get()
            req.session.id = nil
        }
        req.session.data["uid"] = userID.uuidString
        req.session.data["since"] = String(Int(Clock.now().timeIntervalSince1970))
        req.session.data["csrf"] = ApiTokens.generate()
        return req.redirect(to: Self.safeLocalPath(form.next) ?? "/")
    }
}
