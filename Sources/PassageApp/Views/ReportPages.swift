import Vapor
import PassageDomain

enum ReportPages {
    static func period(_ req: Request, _ id: Identity, _ r: PeriodReport, errors: ValidationErrors?, typed: (String?, String?)?) -> HTML {
        let t = req.t
        let e = t.localized(errors)
        let q = "from=\(r.from)&amp;to=\(r.to)"
        return Layout.page(req: req, identity: id, title: t("report.title"), body: """
            <h1>\(t("report.title"))</h1>
            \(Layout.errorSummary(e, t))
            <form method="get" action="/reports/period" class="card filters" novalidate>
            \(Layout.field("from", label: t("report.from"), value: typed?.0 ?? r.from, error: e?.message(for: "from"), type: "date"))
            \(Layout.field("to", label: t("report.to"), value: typed?.1 ?? r.to, error: e?.message(for: "to"), type: "date"))
            <button class="primary" type="submit">\(t("filter.apply"))</button>
            <a class="btn secondary" href="/reports/period?\(q)&amp;format=csv">\(t("report.csv"))</a></form>
            <p class="hint">\(t("report.hint", r.previousFrom + " – " + r.previousTo))</p>
            \(r.table(drillDown: id.hasAny(ReportAccess.drillDown)))
            """)
    }

    static func drillDown(_ req: Request, _ id: Identity, _ d: ReportDrillDown.Result) -> HTML {
        let t = req.t
        let rows = d.items.map { i -> HTML in
            "<tr><td><a href=\"/cases/\(i.caseID.uuidString)\">\(i.reference)</a></td><td>\(i.person)</td><td>\(t("programme.\(i.programme)"))</td></tr>"
        }
        let withheld: HTML = d.withheld == 0 ? .empty : "<p class=\"warning\">\(t("report.withheld", d.withheld))</p>"
        return Layout.page(req: req, identity: id, title: d.label, body: """
            <h1>\(d.label)</h1><p>\(d.from) – \(d.to) · \(d.definition)</p>
            <p><a href="/reports/period?from=\(d.from)&amp;to=\(d.to)#fig-\(d.figure)">← \(t("report.title"))</a></p>\(withheld)
            \(rows.isEmpty ? HTML("<p class=\"empty\">\(t("report.none"))</p>") : HTML("<table><thead><tr><th>\(t("case.reference"))</th><th>\(t("person.name"))</th><th>\(t("case.programme"))</th></tr></thead><tbody>\(rows)</tbody></table>"))
            """)
    }
}
