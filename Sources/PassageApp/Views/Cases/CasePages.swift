import Vapor
import PassageDomain

enum CasePages {
    struct Filters {
        var programme: String?
        var status: String?
        var locationID: String?
        var ownerID: String?

        var query: String {
            items.filter { !$0.1.isEmpty }.map { "\($0.0)=\(urlQuery($0.1))" }.sorted().joined(separator: "&")
        }
        /// The filters as the pager and the column headings carry them on.
        var items: [(String, String)] {
            [
                ("programme", programme ?? ""), ("status", status ?? ""), ("location", locationID ?? ""),
                ("owner", ownerID ?? ""),
            ]
        }
    }

    struct ListModel {
        var title: String
        var cases: [CaseSummary]
        var filters: Filters?
        var total: Int
        var paging: ListPaging
        var locations: [(value: String, label: String)]
        var owners: [(value: String, label: String)]
        var basePath: String
        /// A note above the list (the emergency accesses waiting for the viewer's review).
        var banner: HTML = .empty
    }

    static func list(_ req: Request, _ id: Identity, _ m: ListModel) -> HTML {
        let t = req.t
        let rows = m.cases.map { c -> HTML in
            """
            <tr><td><a href="\(CorePaths.case(c.id))">\(c.reference)</a></td><td><a \
            href="\(CorePaths.person(c.personID))">\(c.personName ?? "")</a></td>
            <td>\(t("programme.\(c.programme)"))</td><td><span class="badge \
            \(c.status)">\(t("status.\(c.status)"))</span></td>
            <td>\(c.officeName ?? "—")</td><td>\(c.ownerName ?? "—")</td><td>\(c.openedOn)</td></tr>
            """
        }
        var filterForm: HTML = .empty
        let items = m.filters?.items ?? []
        let pager = m.paging.pager(total: m.total, countText: t("cases.count", m.total), m.basePath, query: items, t)
        if let f = m.filters {
            let programmes = Programme.allCases.map { (value: $0.rawValue, label: t("programme.\($0.rawValue)")) }
            let statuses = CaseStatus.allCases.map { (value: $0.rawValue, label: t("status.\($0.rawValue)")) }
            filterForm = """
                <form method="get" action="\(m.basePath)" class="card filters">
                \(Layout.select("programme", label: t("case.programme"), options: programmes, selected: f.programme,
                    error: nil, includeBlank: t("filter.all")))
                \(Layout.select("status", label: t("case.status"), options: statuses, selected: f.status, error: nil,
                    includeBlank: t("filter.all")))
                \(Layout.select("location", label: t("case.office"), options: m.locations, selected: f.locationID,
                    error: nil, includeBlank: t("filter.all")))
                \(Layout.select("owner", label: t("case.owner"), options: m.owners, selected: f.ownerID, error: nil,
                    includeBlank: t("filter.all")))
                <button class="primary" type="submit">\(t("filter.apply"))</button>
                <a class="btn secondary" \
                href="/cases/export?\(f.query.isEmpty ? "" : f.query + "&")format=csv">\(t("report.csv"))</a>
                <a class="btn secondary" \
                href="/cases/export?\(f.query.isEmpty ? "" : f.query + "&")format=xlsx">\(t("report.xlsx"))</a></form>
                <p class="hint">\(t("cases.export.hint"))</p>
                """
        }
        func th(_ key: String, _ label: String) -> HTML {
            m.paging.heading(t(label), key: key, m.basePath, query: items, t)
        }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(t("cases.none"))</p>"
            : """
            <p class="muted">\(t("cases.count", m.total))</p>
            <div class="scroll"><table><thead><tr>\(th("reference", "case.reference"))\(th("person", "person.name"))\
            <th>\(t("case.programme"))</th>\(th("status", "case.status"))
            <th>\(t("case.office"))</th><th>\(t("case.owner"))</th>\(th("opened", "case.openedOn"))</tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
        return Layout.page(
            req: req, identity: id, title: m.title,
            body: """
                <h1>\(m.title)</h1>\(m.banner)\(filterForm)\(table)\(m.total == 0 ? .empty : pager)
                """)
    }

    struct FormModel {
        var form: CaseForm
        var person: PersonSummary?
        var errors: ValidationErrors?
        var locations: [(value: String, label: String)]
        var owners: [(value: String, label: String)]
    }

    static func newForm(_ req: Request, _ id: Identity, _ m: FormModel) -> HTML {
        let t = req.t
        let e = t.localized(m.errors)
        let programmes = Programme.allCases.map { (value: $0.rawValue, label: t("programme.\($0.rawValue)")) }
        let who: HTML =
            m.person.map {
                """
                <p>\(t("case.for")) <a href=\"\(CorePaths.person($0.id))\">\($0.familyName), \($0.givenNames)</a> \
                (\($0.reference))</p>
                """
            }
            ?? "<p class=\"field-error\">\(e?.message(for: "personID") ?? t("case.choose.person"))</p>"
        return Layout.page(
            req: req, identity: id, title: t("cases.new"),
            body: """
                <h1>\(t("cases.new"))</h1>\(Layout.errorSummary(e, t))
                <form method="post" action="/cases/new" class="card" novalidate>\(Layout.csrfField(req))
                <input type="hidden" name="personID" value="\(m.form.personID ?? "")">\(who)<div class="grid">
                \(Layout.select("programme", label: t("case.programme"), options: programmes,
                    selected: m.form.programme, error: e?.message(for: "programme")))
                \(Layout.select("ownerID", label: t("case.owner"), options: m.owners,
                    selected: m.form.ownerID ?? id.userID.uuidString, error: e?.message(for: "ownerID"), includeBlank: "—"))
                \(Layout.select("officeLocationID", label: t("case.office"), options: m.locations,
                    selected: m.form.officeLocationID, error: e?.message(for: "officeLocationID"), includeBlank: "—"))
                \(Layout.field("openedOn", label: t("case.openedOn"), value: m.form.openedOn,
                    error: e?.message(for: "openedOn"), type: "date"))
                </div>
                <label class="field"><span>\(t("case.summary"))</span>\
                <textarea name="summary" rows="3">\(m.form.summary ?? "")</textarea>
                \(e?.message(for: "summary").map { HTML("<span class=\"field-error\">\($0)</span>") } ?? .empty)</label>
                <button class="primary" type="submit">\(t("cases.open"))</button></form>
                """)
    }

    struct DetailModel {
        var c: CaseSummary
        var events: [(at: Date, actor: String, kind: String, text: String)]
        var owners: [(value: String, label: String)]
        var locations: [(value: String, label: String)]
        var errors: ValidationErrors?
        var message: String?
        var canEdit: Bool
        /// What the modules add to the case's page.
        var blocks: [CaseBlock] = []
    }

    static func detail(_ req: Request, _ id: Identity, _ m: DetailModel) -> HTML {
        let t = req.t
        let c = m.c
        let events = m.events.map { ev -> HTML in
            "<li><time>\(Layout.dateTime(ev.at))</time><strong>\(ev.actor)</strong> · \(ev.text)</li>"
        }
        let current = CaseStatus(rawValue: c.status) ?? .open
        // A return case's status follows its stage, which moves in the return file.
        let followsStage = c.programme == Programme.voluntaryReturn.rawValue
        let statuses = CaseStatus.allCases.filter { $0 == current || (!followsStage && current.canMove(to: $0)) }
            .map { (value: $0.rawValue, label: t("status.\($0.rawValue)")) }
        let e = t.localized(m.errors)
        let message: HTML = m.message.map { "<div class=\"error-summary\" role=\"alert\">\($0)</div>" } ?? .empty
        let edit: HTML =
            m.canEdit
            ? """
            <h2>\(t("case.update"))</h2>\(Layout.errorSummary(e, t))\(message)
            <form method="post" action="\(CorePaths.case(c.id))" class="card" novalidate>\(Layout.csrfField(req))\
            <div class="grid">
            \(Layout.select("status", label: t("case.status"), options: statuses, selected: c.status,
                error: e?.message(for: "status")))
            \(Layout.select("ownerID", label: t("case.owner"), options: m.owners, selected: c.ownerID?.uuidString,
                error: e?.message(for: "ownerID"), includeBlank: "—"))
            \(Layout.select("officeLocationID", label: t("case.office"), options: m.locations,
                selected: c.officeLocationID?.uuidString, error: e?.message(for: "officeLocationID"), includeBlank: "—"))
            </div>
            <label class="field"><span>\(t("case.reason"))</span><textarea name="reason" rows="2"></textarea>
            \(e?.message(for: "reason").map { HTML("<span class=\"field-error\">\($0)</span>") } ?? .empty)\
            <span class="hint">\(t("case.reason.hint"))</span></label>
            <button class="primary" type="submit">\(t("form.save"))</button></form>
            """ : .empty
        return Layout.page(
            req: req, identity: id, title: c.reference,
            body: """
                <h1>\(c.reference) <span class="badge \(c.status)">\(t("status.\(c.status)"))</span></h1>
                \(c.programme == Programme.voluntaryReturn.rawValue ? HTML("<p><a class=\"btn\" href=\"\(ReturnPaths.file(c.id))\">\(t("return.file.open"))</a></p>") : .empty)
                <section class="card"><dl class="facts">
                <dt>\(t("person.name"))</dt><dd><a href="\(CorePaths.person(c.personID))">\(c.personName ?? "")</a></dd>
                <dt>\(t("case.programme"))</dt><dd>\(t("programme.\(c.programme)"))</dd>
                <dt>\(t("case.owner"))</dt><dd>\(c.ownerName ?? "—")</dd>
                <dt>\(t("case.office"))</dt><dd>\(c.officeName ?? "—")</dd>
                <dt>\(t("case.openedOn"))</dt><dd>\(c.openedOn)</dd>
                <dt>\(t("case.closedOn"))</dt><dd>\(c.closedOn ?? "—")</dd>
                <dt>\(t("case.summary"))</dt><dd>\(c.summary.isEmpty ? "—" : c.summary)</dd>
                </dl></section>
                \(edit)\(m.blocks.map(\.html))
                <h2>\(t("case.timeline"))</h2>
                \(events.isEmpty ? HTML("<p class=\"empty\">\(t("case.timeline.none"))</p>") : HTML("<ol class=\"timeline\">\(events)</ol>"))
                """)
    }
}
