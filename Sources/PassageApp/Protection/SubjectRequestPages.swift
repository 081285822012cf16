import Fluent
import Foundation
import PassageDomain
import Vapor

/// Requests about a person's data: logged on the person's page, answered from the managers' list, with the
/// export of everything held as JSON and as a printable page.
struct SubjectRequestPages {
    func boot(_ app: Application) {
        app.post("persons", ":personID", "requests", roles: SubjectRequests.loggers) { req, id -> Response in
            let pid = try req.uuid("personID")
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt(
                "request", f, to: CorePaths.person(pid) + "?notice=request-logged#requests",
                { _ = try await SubjectRequests.log(pid, f, actor: id.actor, on: req.application) },
                failed: { try await PersonPagesController().detail(req, id, pid: pid, link: nil, consent: $0) })
        }
        let r = app.grouped("protection", "requests")
        r.get(roles: SubjectRequests.handlers, use: list)
        r.get(":requestID", roles: SubjectRequests.handlers) { req, id in try await Self.show(req, id, failure: nil) }
        r.post(":requestID", "close", roles: SubjectRequests.handlers) { req, id -> Response in
            let rid = try req.uuid("requestID")
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt(
                "close", f, to: "/protection/requests/\(rid.uuidString)",
                { try await SubjectRequests.close(rid, f, actor: id.actor, on: req.application) },
                failed: { try await Self.show(req, id, failure: $0) })
        }
        // The export holds restricted data: it leaves only as an archive protected by a password.
        r.post(":requestID", "export", roles: SubjectRequests.handlers) { req, id -> Response in
            let f = try FormInput.fields(req)
            var zip: (name: String, bytes: [UInt8])?
            let answer = try await SectionForms.attempt(
                "export", f, to: "/protection/requests",
                {
                    var e = ValidationErrors()
                    let password = f["password"] ?? ""
                    if let problem = ExportPassword.problem(password, confirmation: f["confirmation"]) {
                        e.add(problem.field, problem.reason)
                    }
                    try e.throwIfAny()
                    let (request, export) = try await SubjectRequests.export(
                        try req.uuid("requestID"), actor: id.actor, on: req.application)
                    let name = "subject-access-\(export.reference)-\(request.receivedOn)"
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    zip = (
                        name + ".zip",
                        try ProtectedZip.make([(name + ".json", Array(try encoder.encode(export)))], password: password)
                    )
                },
                failed: { try await Self.show(req, id, failure: $0) })
            guard let zip else { return answer }
            let res = Response(status: .ok, body: .init(data: Data(zip.bytes)))
            res.headers.contentType = HTTPMediaType(type: "application", subType: "zip")
            res.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(zip.name)\"")
            res.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return res
        }
        r.get(":requestID", "print", roles: SubjectRequests.handlers) { req, id -> HTML in
            let (request, export) = try await SubjectRequests.export(
                try req.uuid("requestID"), actor: id.actor, on: req.application)
            return Self.printable(req, id, request, export)
        }
    }

    static func block(_ req: Request, _ id: Identity, personID: UUID, failure: SectionFailure?) async throws -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let requests = try await SubjectRequest.query(on: req.db).filter(\.$personID == personID)
            .sort(\.$receivedOn, .descending).all()
        let handler = id.hasAny(SubjectRequests.handlers)
        let rows = requests.map { r -> HTML in
            let kind: HTML =
                handler
                ? "<a href=\"/protection/requests/\(r.id!.uuidString)\">\(t("request.kind.\(r.kind)"))</a>"
                : "\(t("request.kind.\(r.kind)"))"
            return """
                <tr><td>\(kind)</td><td>\(r.receivedOn)</td><td>\(r.dueOn)</td>\
                <td>\(t("request.status.\(r.status)"))</td><td>\(r.outcome ?? "")</td></tr>
                """
        }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(t("request.none"))</p>"
            : """
            <table><thead><tr><th>\(t("request.kind"))</th><th>\(t("request.receivedOn"))</th>\
            <th>\(t("request.dueOn"))</th><th>\(t("request.status"))</th><th>\(t("request.outcome"))</th></tr>\
            </thead><tbody>\(rows)</tbody></table>
            """
        let kinds = SubjectRequests.kinds.map { (value: $0, label: t("request.kind.\($0)")) }
        let form: HTML =
            id.hasAny(SubjectRequests.loggers)
            ? f.folded(
                "request", "request.add",
                f.form(
                    CorePaths.person(personID) + "/requests", "request", button: "request.add",
                    """
                    <div class="grid">\(f.select("request", "kind", "request.kind", kinds, "access"))\
                    \(f.field("request", "receivedOn", "request.receivedOn", Clock.today().isoText, type: "date"))\
                    \(f.field("request", "channel", "request.channel", hint: "request.channel.hint"))</div>\
                    \(f.area("request", "details", "request.details", hint: "request.details.hint"))
                    """)) : .empty
        return """
            <h2 id="requests">\(t("request.title"))</h2>
            <p class="muted">\(t("request.help"))</p>
            \(table)\(form)
            """
    }

    func list(_ req: Request, _ id: Identity) async throws -> HTML {
        let t = req.t
        let open = try await SubjectRequest.query(on: req.db).filter(\.$status == "open").sort(\.$dueOn).all()
        let closed = try await SubjectRequest.query(on: req.db).filter(\.$status != "open")
            .sort(\.$closedOn, .descending).limit(50).all()
        let people = try await Person.query(on: req.db).filter(\.$id ~~ Set((open + closed).map(\.personID))).all()
        let names = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, "\($0.familyName), \($0.givenNames)") })
        let today = Clock.today().isoText
        func rows(_ list: [SubjectRequest]) -> [HTML] {
            list.map { r in
                let late: HTML =
                    r.status == "open" && r.dueOn < today
                    ? " <span class=\"badge warn\">\(t("request.overdue"))</span>" : .empty
                return """
                    <tr><td><a href="/protection/requests/\(r.id!.uuidString)">\(t("request.kind.\(r.kind)"))</a>\
                    </td><td><a href="\(CorePaths.person(r.personID))">\(names[r.personID] ?? "")</a></td>\
                    <td>\(r.receivedOn)</td><td>\(r.dueOn)\(late)</td><td>\(t("request.status.\(r.status)"))</td></tr>
                    """
            }
        }
        func table(_ rows: [HTML], empty: String) -> HTML {
            rows.isEmpty
                ? "<p class=\"empty\">\(t(empty))</p>"
                : """
                <table><thead><tr><th>\(t("request.kind"))</th><th>\(t("request.person"))</th>\
                <th>\(t("request.receivedOn"))</th><th>\(t("request.dueOn"))</th><th>\(t("request.status"))</th>\
                </tr></thead><tbody>\(rows)</tbody></table>
                """
        }
        if !(open + closed).isEmpty {
            try await AuditLog.listed(
                req.application, id.actor, entity: "subject_request",
                rows: (open + closed).map { ($0.id!, $0.personID) }, note: "requests about data")
        }
        let body: HTML = """
            <h1>\(t("protection.requests"))</h1>\(ProtectionPages.tabs(req, id, "/protection/requests"))
            <p>\(t("request.intro"))</p>
            <h2>\(t("request.open", t.number(open.count)))</h2>\(table(rows(open), empty: "request.open.none"))
            <h2>\(t("request.closed"))</h2>\(table(rows(closed), empty: "request.closed.none"))
            """
        return Layout.page(req: req, identity: id, title: t("protection.requests"), body: body)
    }

    static func show(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        let t = req.t
        guard let r = try await SubjectRequest.find(try req.uuid("requestID"), on: req.db),
            let p = try await Person.find(r.personID, on: req.db)
        else { throw Abort(.notFound, reason: "No such request.") }
        try await AuditLog.views(
            req.application, id.actor, entity: "subject_request", entityID: r.id!, persons: [p.id!])
        let f = SectionForms(req: req, failure: failure)
        let base = "/protection/requests/\(r.id!.uuidString)"
        let exports: HTML =
            r.kind == "access"
            ? """
            <p><a class="btn secondary" href="\(base)/print">\(t("request.export.print"))</a></p>
            <p class="hint">\(t("request.export.hint"))</p>
            """
                + f.folded(
                    "export", "request.export.json",
                    f.form(
                        base + "/export", "export", button: "request.export.download",
                        """
                        <p class="hint">\(t("request.export.password.hint", String(ExportPassword.minimum)))</p>\
                        \(f.field("export", "password", "request.export.password", type: "password"))\
                        \(f.field("export", "confirmation", "request.export.confirmation", type: "password"))
                        """))
            : "<p>\(t("request.rectify.hint")) <a href=\"\(CorePaths.person(p.id!))/edit\">\(t("persons.edit"))</a></p>"
        let statuses = [("completed", t("request.status.completed")), ("refused", t("request.status.refused"))].map {
            (value: $0.0, label: $0.1)
        }
        let close: HTML =
            r.status == "open"
            ? f.form(
                base + "/close", "close", button: "request.close",
                """
                \(f.select("close", "status", "request.status", statuses, "completed"))\
                \(f.area("close", "outcome", "request.outcome", hint: "request.outcome.hint"))
                """) : .empty
        let body: HTML = """
            <p><a href="/protection/requests">← \(t("protection.requests"))</a></p>
            <h1>\(t("request.kind.\(r.kind)")): <a href="\(CorePaths.person(p.id!))">\(p.familyName), \(p.givenNames)\
            </a> <span class="muted">\(p.reference)</span></h1>
            <section class="card"><dl class="facts">
            <dt>\(t("request.receivedOn"))</dt><dd>\(r.receivedOn) · \(r.channel) · \(r.recordedBy)</dd>
            <dt>\(t("request.dueOn"))</dt><dd>\(r.dueOn)</dd>
            <dt>\(t("request.details"))</dt><dd>\(r.details.isEmpty ? "—" : r.details)</dd>
            <dt>\(t("request.status"))</dt><dd>\(t("request.status.\(r.status)"))\
            \(r.closedOn.map { " · \($0) · \(r.closedBy ?? "")" } ?? "")</dd>
            <dt>\(t("request.outcome"))</dt><dd>\(r.outcome ?? "—")</dd></dl></section>
            \(exports)\(close)
            """
        return Layout.page(req: req, identity: id, title: t("protection.requests"), body: body)
    }

    /// The export as a page to print and hand over: each kind of record a table, then the accesses.
    static func printable(_ req: Request, _ id: Identity, _ r: SubjectRequest, _ x: SubjectAccess.Export) -> HTML {
        let t = req.t
        // One card per record, its fields one under the other: it reads on paper as on screen.
        let sections = x.sections.filter { !$0.rows.isEmpty }.map { s -> HTML in
            let cards = s.rows.map { row -> HTML in
                let fields = row.keys.sorted().map { c -> HTML in "<dt>\(c)</dt><dd>\(row[c] ?? "")</dd>" }
                return "<dl class=\"facts card\">\(fields)</dl>"
            }
            let title = t.has("sar.table.\(s.table)") ? t("sar.table.\(s.table)") : s.table
            return """
                <h2>\(title) <span class="muted">(\(t.number(s.rows.count)))</span></h2>\(cards)
                """
        }
        let accesses = x.accesses.map { a -> HTML in
            "<tr><td>\(AuditRedaction.when(a.at))</td><td>\(a.action)</td><td>\(a.entity)</td></tr>"
        }
        let body: HTML = """
            <h1>\(t("request.export.title", x.name)) <span class="muted">\(x.reference)</span></h1>
            <p>\(t("request.export.made", AuditRedaction.when(x.generatedAt), r.receivedOn))</p>
            <p class="hint">\(t("request.export.hint"))</p>
            \(sections)
            <h2>\(t("request.export.accesses")) <span class="muted">(\(t.number(accesses.count)))</span></h2>
            <table><thead><tr><th>\(t("transfer.at"))</th><th>\(t("request.export.action"))</th>\
            <th>\(t("request.export.entity"))</th></tr></thead><tbody>\(accesses)</tbody></table>
            """
        return Layout.page(req: req, identity: id, title: t("request.export.title", x.name), body: body)
    }
}
