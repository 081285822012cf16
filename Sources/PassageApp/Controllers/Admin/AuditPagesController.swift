import Vapor
import Fluent
import PassageDomain

/// The audit trail, by person, user and date; administrators only.
struct AuditPagesController {
    /// Who reads the list of role changes: managers, and the administrators who make them.
    static let roleChangeReaders: Set<Role> = [.manager, .administrator]

    func boot(_ app: Application) {
        app.get("admin", "audit", roles: [.administrator], use: list)
        app.get("admin", "role-changes", roles: Self.roleChangeReaders, use: roleChanges)
    }

    /// Every change of a staff account's roles (made when the account was created or edited), from the audit trail.
    func roleChanges(_ req: Request, _ id: Identity) async throws -> HTML {
        let t = req.t
        let page = try req.queryPage()
        let entries = try await AuditEntry.query(on: req.db).filter(\.$entity == "user")
            .filter(\.$changesJSON ~~ "\"field\":\"roles\"").sort(\.$id, .descending)
            .range(((page - 1) * 50)..<(page * 50 + 1)).all()
        let ids = Set(entries.compactMap { UUID(uuidString: $0.entityID) })
        let names =
            ids.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues:
                    try await User.query(on: req.db).filter(\.$id ~~ Array(ids)).all().map {
                        ($0.id!.uuidString, $0.username)
                    })
        func roles(_ text: String?) -> String {
            (text ?? "").split(separator: ",").map { t("role.\($0)") }.joined(separator: ", ")
        }
        let rows = entries.prefix(50).compactMap { e -> HTML? in
            guard let c = AuditLog.record(from: e).changes.first(where: { $0.field == "roles" }) else { return nil }
            return """
                <tr><td class="nowrap">\(AuditRedaction.when(e.at))</td><td>\(e.actorName)</td>\
                <td>\(names[e.entityID] ?? e.entityID)</td>\
                <td>\(c.before.map(roles) ?? "—")</td><td>\(roles(c.after))</td></tr>
                """
        }
        let prev: HTML =
            page > 1 ? "<a href=\"/admin/role-changes?page=\(page - 1)\">\(t("pager.previous"))</a>" : .empty
        let next: HTML =
            entries.count > 50 ? "<a href=\"/admin/role-changes?page=\(page + 1)\">\(t("pager.next"))</a>" : .empty
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(t("rolechanges.none"))</p>"
            : """
            <table><thead><tr><th>\(t("audit.at"))</th><th>\(t("rolechanges.by"))</th><th>\(t("rolechanges.account"))</th>\
            <th>\(t("rolechanges.before"))</th><th>\(t("rolechanges.after"))</th></tr></thead><tbody>\(rows)</tbody>\
            </table>
            """
        return Layout.page(
            req: req, identity: id, title: t("rolechanges.title"),
            body: """
                <h1>\(t("rolechanges.title"))</h1><p>\(t("rolechanges.intro"))</p>\(table)
                <div class="pager">\(prev)<span>\(t("pager.page", page))</span>\(next)</div>
                """)
    }

    func list(_ req: Request, _ id: Identity) async throws -> Response {
        let t = req.t
        let person = (req.query[String.self, at: "person"] ?? "").trimmingCharacters(in: .whitespaces)
        let user = (req.query[String.self, at: "user"] ?? "").trimmingCharacters(in: .whitespaces)
        let from = (req.query[String.self, at: "from"] ?? "").trimmingCharacters(in: .whitespaces)
        let to = (req.query[String.self, at: "to"] ?? "").trimmingCharacters(in: .whitespaces)
        let page = try req.queryPage()
        var errors = ValidationErrors()
        let q = AuditEntry.query(on: req.db)
        if !person.isEmpty {
            var pid = UUID(uuidString: person)
            if pid == nil {
                pid = try await Person.query(on: req.db).filter(\.$reference == person.uppercased()).first()?.id
            }
            if let pid {
                // A person's history includes that of the records merged into theirs.
                let ids = try await PersonMerging.lineage(of: pid, on: req.db)
                q.filter(\.$personID ~~ ids.map(\.uuidString))
            } else {
                errors.add("person", "no person with this reference or id")
            }
        }
        if !user.isEmpty {
            if let u = try await User.query(on: req.db).filter(\.$username == user.lowercased()).first() {
                q.filter(\.$actor == u.id!.uuidString)
            } else {
                errors.add("user", "no user with this username")
            }
        }
        for (field, value) in [("from", from), ("to", to)] where !value.isEmpty {
            guard let d = PartialDate(parsing: value), d.day != nil else {
                errors.add(field, "must be a date like 2026-03-01"); continue
            }
            if field == "from" { q.filter(\.$at >= d.isoText) } else { q.filter(\.$at < d.isoText + "T99") }
        }
        let entries =
            errors.isEmpty ? try await q.sort(\.$id, .descending).range(((page - 1) * 50)..<(page * 50 + 1)).all() : []
        // Show the office's person references rather than raw ids.
        let personIDs = Set(entries.compactMap { $0.personID.flatMap(UUID.init(uuidString:)) })
        let references =
            personIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues:
                    try await Person.query(on: req.db).filter(\.$id ~~ Array(personIDs)).all().map {
                        ($0.id!.uuidString, $0.reference)
                    })
        let rows = entries.prefix(50).map { e -> HTML in
            let shown = AuditRedaction.visible(e, to: id)
            let changes = shown.changes.map { c -> HTML in
                c.before == nil && c.after == AuditRedaction.restricted
                    ? "<div><strong>\(c.field)</strong>: <span class=\"muted\">\(t("audit.restricted"))</span></div>"
                    : """
                    <div><strong>\(c.field)</strong>: \
                    \(AuditRedaction.shown(c.before, entity: e.entity, field: c.field)) \
                    → \(AuditRedaction.shown(c.after, entity: e.entity, field: c.field))</div>
                    """
            }
            let note: HTML =
                shown.note == AuditRedaction.restricted
                ? "<span class=\"muted\">\(t("audit.restricted"))</span>" : "\(shown.note)"
            let personLink: HTML =
                e.personID.map { "<a href=\"/persons/\($0)\">\(references[$0] ?? String($0.prefix(8)))</a>" } ?? .empty
            return
                """
                <tr><td>\(Int(e.id ?? 0))</td><td class="nowrap">\(AuditRedaction.when(e.at))</td>\
                <td>\(e.actorName)</td><td>\(e.action)</td><td>\(e.entity)</td><td>\(personLink)</td>\
                <td>\(changes)\(note)</td></tr>
                """
        }
        let base =
            "/admin/audit?person=\(urlQuery(person))&user=\(urlQuery(user))&from=\(urlQuery(from))&to=\(urlQuery(to))"
        let prev: HTML = page > 1 ? "<a href=\"\(base)&page=\(page - 1)\">\(t("pager.previous"))</a>" : .empty
        let next: HTML = entries.count > 50 ? "<a href=\"\(base)&page=\(page + 1)\">\(t("pager.next"))</a>" : .empty
        let html = Layout.page(
            req: req, identity: id, title: t("nav.audit"),
            body: """
                <h1>\(t("nav.audit"))</h1>\(Layout.errorSummary(errors.isEmpty ? nil : errors, t))
                <form method="get" action="/admin/audit" class="card filters">
                \(Layout.field("person", label: t("audit.person"), value: person,
                    error: errors.message(for: "person"), hint: "P-000123"))
                \(Layout.field("user", label: t("audit.user"), value: user, error: errors.message(for: "user")))
                \(Layout.field("from", label: t("audit.from"), value: from, error: errors.message(for: "from"),
                    type: "date"))
                \(Layout.field("to", label: t("audit.to"), value: to, error: errors.message(for: "to"), type: "date"))
                <button class="primary" type="submit">\(t("filter.apply"))</button></form>
                \(rows.isEmpty ? HTML("<p class=\"empty\">\(t("audit.none"))</p>") : HTML("<table><thead><tr><th>#</th><th>\(t("audit.at"))</th><th>\(t("audit.user"))</th><th>\(t("audit.action"))</th><th>\(t("audit.entity"))</th><th>\(t("audit.person"))</th><th>\(t("audit.changes"))</th></tr></thead><tbody>\(rows)</tbody></table>"))
                <div class="pager">\(prev)<span>\(t("pager.page", page))</span>\(next)</div>
                """)
        return html.response(status: errors.isEmpty ? .ok : .unprocessableEntity)
    }
}
