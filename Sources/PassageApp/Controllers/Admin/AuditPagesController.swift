import Vapor
import Fluent
import PassageDomain

/// The audit trail, by person, user and date; administrators only.
struct AuditPagesController {
    func boot(_ app: Application) {
        app.get("admin", "audit", roles: [.administrator], use: list)
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
            if pid == nil { pid = try await Person.query(on: req.db).filter(\.$reference == person.uppercased()).first()?.id }
            if let pid { q.filter(\.$personID == pid.uuidString) } else { errors.add("person", "no person with this reference or id") }
        }
        if !user.isEmpty {
            if let u = try await User.query(on: req.db).filter(\.$username == user.lowercased()).first() { q.filter(\.$actor == u.id!.uuidString) }
            else { errors.add("user", "no user with this username") }
        }
        for (field, value) in [("from", from), ("to", to)] where !value.isEmpty {
            guard let d = PartialDate(parsing: value), d.day != nil else { errors.add(field, "must be a date like 2026-03-01"); continue }
            if field == "from" { q.filter(\.$at >= d.isoText) } else { q.filter(\.$at < d.isoText + "T99") }
        }
        let entries = errors.isEmpty ? try await q.sort(\.$id, .descending).range(((page - 1) * 50)..<(page * 50 + 1)).all() : []
        // Show the office's person references rather than raw ids.
        let personIDs = Set(entries.compactMap { $0.personID.flatMap(UUID.init(uuidString:)) })
        let references = personIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues:
            try await Person.query(on: req.db).filter(\.$id ~~ Array(personIDs)).all().map { ($0.id!.uuidString, $0.reference) })
        let rows = entries.prefix(50).map { e -> HTML in
            let changes = AuditLog.record(from: e).changes.map { c -> HTML in
                "<div><strong>\(c.field)</strong>: \(c.before ?? "∅") → \(c.after ?? "∅")</div>"
            }
            let personLink: HTML = e.personID.map { "<a href=\"/persons/\($0)\">\(references[$0] ?? String($0.prefix(8)))</a>" } ?? .empty
            return "<tr><td>\(Int(e.id ?? 0))</td><td>\(e.at)</td><td>\(e.actorName)</td><td>\(e.action)</td><td>\(e.entity)</td><td>\(personLink)</td><td>\(changes)\(e.note)</td></tr>"
        }
        let base = "/admin/audit?person=\(urlQuery(person))&user=\(urlQuery(user))&from=\(urlQuery(from))&to=\(urlQuery(to))"
        let prev: HTML = page > 1 ? "<a href=\"\(base)&page=\(page - 1)\">\(t("pager.previous"))</a>" : .empty
        let next: HTML = entries.count > 50 ? "<a href=\"\(base)&page=\(page + 1)\">\(t("pager.next"))</a>" : .empty
        let html = Layout.page(req: req, identity: id, title: t("nav.audit"), body: """
            <h1>\(t("nav.audit"))</h1>\(Layout.errorSummary(errors.isEmpty ? nil : errors, t))
            <form method="get" action="/admin/audit" class="card filters">
            \(Layout.field("person", label: t("audit.person"), value: person, error: errors.message(for: "person"), hint: "P-000123"))
            \(Layout.field("user", label: t("audit.user"), value: user, error: errors.message(for: "user")))
            \(Layout.field("from", label: t("audit.from"), value: from, error: errors.message(for: "from"), type: "date"))
            \(Layout.field("to", label: t("audit.to"), value: to, error: errors.message(for: "to"), type: "date"))
            <button class="primary" type="submit">\(t("filter.apply"))</button></form>
            \(rows.isEmpty ? HTML("<p class=\"empty\">\(t("audit.none"))</p>") : HTML("<table><thead><tr><th>#</th><th>\(t("audit.at"))</th><th>\(t("audit.user"))</th><th>\(t("audit.action"))</th><th>\(t("audit.entity"))</th><th>\(t("audit.person"))</th><th>\(t("audit.changes"))</th></tr></thead><tbody>\(rows)</tbody></table>"))
            <div class="pager">\(prev)<span>\(t("pager.page", page))</span>\(next)</div>
            """)
        return html.response(status: errors.isEmpty ? .ok : .unprocessableEntity)
    }
}
