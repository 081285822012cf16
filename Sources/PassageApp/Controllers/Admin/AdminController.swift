import Vapor
import Fluent
import PassageDomain

/// Staff accounts and API tokens; administrators only.
struct AdminController {
    static let admins: Set<Role> = [.administrator]

    struct UserForm: Content {
        var username: String?
        var displayName: String?
        var password: String?
        var roles: [String]?
        var partnerID: String?
        var locale: String?
        var active: String?
        var unlock: String?
    }
    struct TokenForm: Content {
        var name: String?
        var expires: String?
        var scope: String?
    }

    func boot(_ app: Application) {
        let admin = app.grouped("admin", "users")
        admin.get(roles: Self.admins) { req, id in try await list(req, id) }
        admin.get("new", roles: Self.admins) { req, id in
            try await form(req, id, userID: nil, values: UserForm(locale: "en"), errors: nil)
        }
        admin.post("new", roles: Self.admins) { req, id -> Response in
            let f = try req.content.decode(UserForm.self)
            do {
                let input = try await UserRecords.validate(
                    username: f.username, displayName: f.displayName, password: f.password,
                    passwordRequired: true, roles: f.roles ?? [], partnerID: f.partnerID,
                    locale: f.locale, on: req.db)
                let u = try await UserRecords.create(input, actor: id.actor, on: req.application)
                return req.redirect(to: "/admin/users/\(u.id!.uuidString)?done=created")
            } catch let e as ValidationErrors {
                return try await form(req, id, userID: nil, values: f, errors: e).response(status: .unprocessableEntity)
            }
        }
        admin.get(":userID", roles: Self.admins) { req, id in
            let uid = try req.uuid("userID")
            guard let u = try await User.find(uid, on: req.db) else { throw Abort(.notFound, reason: "No such user.") }
            let values = UserForm(
                username: u.username, displayName: u.displayName, roles: u.roles.map(\.rawValue),
                partnerID: u.$partner.id?.uuidString, locale: u.locale, active: u.active ? "true" : nil)
            return try await form(req, id, userID: uid, values: values, errors: nil, newToken: nil)
        }
        admin.post(":userID", roles: Self.admins) { req, id -> Response in
            let uid = try req.uuid("userID")
            let f = try req.content.decode(UserForm.self)
            do {
                let input = try await UserRecords.validate(
                    username: f.username, displayName: f.displayName, password: f.password,
                    passwordRequired: false, roles: f.roles ?? [], partnerID: f.partnerID,
                    locale: f.locale, on: req.db)
                try await UserRecords.update(
                    uid, input, active: f.active == "true", unlock: f.unlock == "true", actor: id.actor,
                    keepSession: req.hasSession ? req.session.id : nil, on: req.application)
                return req.redirect(to: "/admin/users/\(uid.uuidString)?done=saved")
            } catch let e as ValidationErrors {
                return try await form(req, id, userID: uid, values: f, errors: e).response(status: .unprocessableEntity)
            } catch let e as DomainError {
                // Refused as a whole (one's own roles): the form again, with the reason beside the roles.
                return try await form(req, id, userID: uid, values: f, errors: ValidationErrors("roles", e.message))
                    .response(status: e.kind == .notAllowed ? .forbidden : .conflict)
            }
        }
        admin.post(":userID", "tokens", roles: Self.admins) { req, id -> Response in
            let uid = try req.uuid("userID")
            let f = try req.content.decode(TokenForm.self)
            guard let u = try await User.find(uid, on: req.db) else { throw Abort(.notFound, reason: "No such user.") }
            let values = UserForm(
                username: u.username, displayName: u.displayName, roles: u.roles.map(\.rawValue),
                partnerID: u.$partner.id?.uuidString, locale: u.locale, active: u.active ? "true" : nil)
            do {
                let token = try await UserRecords.issueToken(
                    for: uid, name: f.name ?? "", expires: f.expires, scope: f.scope, actor: id.actor,
                    on: req.application)
                return try await form(req, id, userID: uid, values: values, errors: nil, newToken: token)
                    .encodeResponse(for: req)
            } catch let e as ValidationErrors {
                return try await form(req, id, userID: uid, values: values, errors: e, tokenValues: f).response(
                    status: .unprocessableEntity)
            }
        }
        admin.post(":userID", "tokens", ":tokenID", "revoke", roles: Self.admins) { req, id -> Response in
            let uid = try await UserRecords.revokeToken(try req.uuid("tokenID"), actor: id.actor, on: req.application)
            return req.redirect(to: "/admin/users/\(uid.uuidString)?done=revoked")
        }
    }

    func list(_ req: Request, _ id: Identity) async throws -> HTML {
        let t = req.t
        let users = try await User.query(on: req.db).with(\.$partner).sort(\.$username).all()
        let now = Clock.now()
        let rows = users.map { u -> HTML in
            let state =
                !u.active
                ? t("user.inactive") : ((u.lockedUntil ?? .distantPast) > now ? t("user.locked") : t("user.active"))
            return
                "<tr><td><a href=\"/admin/users/\(u.id!.uuidString)\">\(u.username)</a></td><td>\(u.displayName)</td><td>\(u.roles.sorted().map { t("role.\($0.rawValue)") }.joined(separator: ", "))</td><td>\(u.partner?.name ?? "")</td><td>\(state)</td></tr>"
        }
        return Layout.page(
            req: req, identity: id, title: t("nav.users"),
            body: """
                <h1>\(t("nav.users"))</h1><p><a class="btn" href="/admin/users/new">\(t("user.new"))</a></p>
                <table><thead><tr><th>\(t("user.username"))</th><th>\(t("user.displayName"))</th><th>\(t("user.roles"))\
                </th><th>\(t("user.partner"))</th><th>\(t("user.state"))</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """)
    }

    /// What the last action did, said once after its redirect: only the known words of `done` are shown.
    /// The scopes a token can be given: everything, read only, one programme's API routes, or reading them.
    static func scopeOptions(_ modules: [any PassageModule], _ t: Translator) -> [(value: String, label: String)] {
        let programmes = modules.filter { !$0.apiOperations.isEmpty }.map(\.name)
        return [("all", t("token.scope.all")), ("read", t("token.scope.read"))]
            + programmes.map { ("programme:" + $0, t("token.scope.programme", $0)) }
            + programmes.map { ("read,programme:" + $0, t("token.scope.programmeRead", $0)) }
    }

    static func scopeLabel(_ scope: String?, _ t: Translator) -> String {
        guard let scope else { return t("token.scope.all") }
        let parts = scope.split(separator: ",").map(String.init)
        let programme = parts.first { $0.hasPrefix("programme:") }.map { String($0.dropFirst("programme:".count)) }
        switch (parts.contains("read"), programme) {
        case (true, let p?): return t("token.scope.programmeRead", p)
        case (false, let p?): return t("token.scope.programme", p)
        default: return t("token.scope.read")
        }
    }

    static func done(_ req: Request) -> HTML {
        guard let done = req.query[String.self, at: "done"], ["created", "saved", "revoked"].contains(done) else {
            return .empty
        }
        return "<p class=\"notice\" role=\"status\">\(req.t("user.done.\(done)"))</p>"
    }

    func form(
        _ req: Request, _ id: Identity, userID: UUID?, values f: UserForm, errors raw: ValidationErrors?,
        newToken: String? = nil, tokenValues: TokenForm? = nil
    ) async throws -> HTML {
        let t = req.t
        let e = t.localized(raw)
        let partners = try await Partner.query(on: req.db).sort(\.$name).all().map {
            (value: $0.id!.uuidString, label: $0.name)
        }
        let chosen = Set(f.roles ?? [])
        let roleBoxes = Role.allCases.map { r -> HTML in
            """
            <label><input type=\"checkbox\" name=\"roles[]\" \
            value=\"\(r.rawValue)\"\(HTML(raw: chosen.contains(r.rawValue) ? " checked" : ""))> \
            \(t("role.\(r.rawValue)"))</label><br>
            """
        }
        var tokensSection: HTML = .empty
        var lockedNote: HTML = .empty
        if let uid = userID {
            let tokens = try await ApiToken.query(on: req.db).filter(\.$user.$id == uid).sort(\.$createdAt, .descending)
                .all()
            let rows = tokens.map { tk -> HTML in
                let revoke: HTML =
                    tk.revokedAt == nil
                    ? Layout.confirmedAction(
                        req, action: "/admin/users/\(uid.uuidString)/tokens/\(tk.id!.uuidString)/revoke",
                        label: t("token.revoke"), confirm: t("token.revoke.confirm"))
                    : "\(t("token.revoked")) \(Layout.dateTime(tk.revokedAt))"
                let scope = Self.scopeLabel(tk.scope, t)
                let expiry: HTML =
                    tk.expiresOn.map { day in
                        day < Clock.today().isoText ? "\(t("token.expired")) \(day)" : "\(day)"
                    } ?? "\(t("token.expires.never"))"
                return """
                    <tr><td>\(tk.name)</td><td><code>\(tk.tokenPrefix)…</code></td><td>\(scope)</td>\
                    <td>\(expiry)</td><td>\(Layout.dateTime(tk.createdAt))</td>\
                    <td>\(Layout.dateTime(tk.lastUsedAt))</td>\
                    <td>\(revoke)</td></tr>
                    """
            }
            let shown: HTML =
                newToken.map {
                    """
                    <div class=\"notice\" role=\"status\"><p>\(t("token.shown.once"))</p><p class=\"token\" \
                    id=\"new-token\">\($0)</p></div>
                    """
                } ?? .empty
            let table: HTML =
                rows.isEmpty
                ? "<p class=\"empty\">\(t("token.none"))</p>"
                : """
                <table><thead><tr><th>\(t("token.name"))</th><th>\(t("token.prefix"))</th>\
                <th>\(t("token.scope"))</th><th>\(t("token.expires"))</th><th>\(t("token.created"))</th>\
                <th>\(t("token.lastUsed"))</th><th><span class="sr-only">\(t("table.actions"))</span></th></tr></thead>\
                <tbody>\(rows)</tbody></table>
                """
            tokensSection = """
                <h2>\(t("token.title"))</h2>\(shown)
                \(table)
                <form method="post" action="/admin/users/\(uid.uuidString)/tokens" class="card \
                filters">\(Layout.csrfField(req))
                \(Layout.field("name", label: t("token.name"), value: tokenValues?.name,
                    error: e?.message(for: "name"), hint: t("token.name.hint")))
                \(Layout.field("expires", label: t("token.expires"), value: tokenValues?.expires,
                    error: e?.message(for: "expires"), type: "date", hint: t("token.expires.hint")))
                \(Layout.select("scope", label: t("token.scope"),
                    options: Self.scopeOptions(req.application.modules, t), selected: tokenValues?.scope,
                    error: e?.message(for: "scope")))
                <button class="primary" type="submit">\(t("token.create"))</button></form>
                """
            if let u = try await User.find(uid, on: req.db), let until = u.lockedUntil, until > Clock.now() {
                lockedNote = """
                    <p class="field-error">\(t("user.locked.until", Layout.dateTime(until)))</p>
                    <label><input type="checkbox" name="unlock" value="true"> \(t("user.unlock"))</label>
                    """
            }
        }
        let title = userID == nil ? t("user.new") : f.username ?? ""
        let action = userID.map { "/admin/users/\($0.uuidString)" } ?? "/admin/users/new"
        let activeBox: HTML =
            userID == nil
            ? .empty
            : "<label class=\"field\"><span>\(t("user.active"))</span><input type=\"checkbox\" name=\"active\" value=\"true\"\(HTML(raw: f.active == "true" ? " checked" : ""))></label>"
        return Layout.page(
            req: req, identity: id, title: title,
            body: """
                <p><a href="/admin/users">← \(t("nav.users"))</a></p><h1>\(title)</h1>\(Self.done(req))\
                \(Layout.errorSummary(e, t))
                <form method="post" action="\(action)" class="card" novalidate>\(Layout.csrfField(req))\
                <div class="grid"><div>
                \(Layout.field("username", label: t("user.username"), value: f.username,
                    error: e?.message(for: "username"), required: true))
                \(Layout.field("displayName", label: t("user.displayName"), value: f.displayName,
                    error: e?.message(for: "displayName"), required: true))
                \(Layout.field("password", label: userID == nil ? t("user.password") : t("user.password.new"),
                    value: nil, error: e?.message(for: "password"), type: "password", required: userID == nil, hint: t("user.password.hint"), attributes: "autocomplete=\"new-password\""))
                \(Layout.select("locale", label: t("user.locale"), options: [("en", "English"), ("nl", "Nederlands")],
                    selected: f.locale, error: e?.message(for: "locale")))
                \(activeBox)\(lockedNote)
                </div><div><fieldset><legend>\(t("user.roles"))</legend>\(roleBoxes)
                \(e?.message(for: "roles").map { HTML("<span class=\"field-error\">\($0)</span>") } ?? .empty)\
                </fieldset>
                \(Layout.select("partnerID", label: t("user.partner"), options: partners, selected: f.partnerID,
                    error: e?.message(for: "partnerID"), includeBlank: "—"))
                </div></div><button class="primary" type="submit">\(t("form.save"))</button></form>
                \(tokensSection)
                """)
    }
}
