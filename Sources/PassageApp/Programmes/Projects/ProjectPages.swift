import Fluent
import PassageDomain
import Vapor

/// Projects in the browser: the list, and a project's page a manager can print or send to the donor.
enum ProjectPages {
    typealias Words = ReunificationPages

    static func money(_ cents: Int, _ t: Translator) -> String {
        Money.format(cents, style: NumberStyle(language: t.locale))
    }

    static func list(_ req: Request, _ id: Identity, _ rows: [ProjectAPIController.Summary], failure: SectionFailure?)
        -> HTML
    {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let items = rows.map { p -> HTML in
            """
            <tr><td><a href="\(ProjectPaths.project(p.id))">\(p.code)</a></td><td>\(p.name)</td><td>\(p.donor)</td>\
            <td>\(p.startsOn) – \(p.endsOn)</td></tr>
            """
        }
        let form: HTML =
            id.hasAny(ProjectAccess.write)
            ? f.folded(
                "project", "pj.new",
                f.form(
                    ProjectPaths.overview, "project", button: "pj.save",
                    """
                    \(f.field("project", "code", "pj.code", hint: "pj.code.hint"))\
                    \(f.field("project", "name", "pj.name"))\
                    \(f.field("project", "donor", "pj.donor"))\
                    \(f.field("project", "startsOn", "pj.startsOn", type: "date"))\
                    \(f.field("project", "endsOn", "pj.endsOn", type: "date"))\
                    \(f.area("project", "summary", "pj.summary"))
                    """)) : .empty
        return Layout.page(
            req: req, identity: id, title: t("pj.title"),
            body: """
                <h1>\(t("pj.title"))</h1>
                <section class="card"><h2>\(t("pj.projects"))</h2>\
                \(Words.table([t("pj.code"), t("pj.name"), t("pj.donor"), t("pj.period")], items, empty: t("pj.none")))\
                </section>\(form)
                """)
    }

    static func project(_ req: Request, _ id: Identity, _ p: ProjectFile, failure: SectionFailure?) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let write = id.hasAny(ProjectAccess.write)
        let path = ProjectPaths.project(p.id)
        let budget =
            p.budget.map { b -> HTML in
                """
                <tr><td>\(b.line)</td><td class="num">\(money(b.budgetCents, t))</td>\
                <td class="num">\(money(b.spentCents, t))</td>\
                <td class="num">\(money(b.budgetCents - b.spentCents, t))</td></tr>
                """
            }
            + (p.budget.isEmpty
                ? []
                : [
                    """
                    <tr class="total"><th>\(t("pj.total"))</th><td class="num">\(money(p.budgetCents, t))</td>\
                    <td class="num">\(money(p.spentCents, t))</td>\
                    <td class="num">\(money(p.budgetCents - p.spentCents, t))</td></tr>
                    """
                ])
        let groups = ParticipantGroup.allCases
        let events = p.events.map { ev -> HTML in
            let cells = groups.map { HTML("<td class=\"num\">\(ev.participants[$0.rawValue] ?? 0)</td>") }
            return """
                <tr><td>\(ev.day)</td><td>\(t("pj.kind.\(ev.kind.rawValue)"))</td><td>\(ev.title)<br><small>\(ev.place)\
                \(ev.stakeholders.isEmpty ? "" : " · " + ev.stakeholders)</small></td>\
                \(cells)<td class="num">\(ev.total)</td></tr>
                """
        }
        let eventTotal: [HTML] =
            p.events.isEmpty
            ? []
            : [
                """
                <tr class="total"><th colspan="3">\(t("pj.total"))</th>\
                \(groups.map { HTML("<td class=\"num\">\(p.participantsByGroup[$0.rawValue] ?? 0)</td>") })\
                <td class="num">\(p.participants)</td></tr>
                """
            ]
        let indicators = p.indicators.flatMap { i -> [HTML] in
            if i.values.isEmpty { return ["<tr><td>\(i.name)</td><td>\(i.unit)</td><td colspan=\"4\">—</td></tr>"] }
            return i.values.map { v in
                """
                <tr><td>\(i.name)</td><td>\(i.unit)</td><td>\(v.period)</td><td class="num">\(v.target)</td>\
                <td class="num">\(v.actual.map(String.init) ?? "—")</td>\
                <td class="num">\(v.achieved.map { "\($0) %" } ?? "—")</td></tr>
                """
            }
        }
        let kinds = ProjectEventKind.allCases.map { (value: $0.rawValue, label: t("pj.kind.\($0.rawValue)")) }
        let countFields = HTML(
            raw: groups.map { f.field("event", "count_\($0.rawValue)", "pj.group.\($0.rawValue)", type: "number").raw }
                .joined())
        let indicatorChoices = p.indicators.map { (value: $0.id.uuidString, label: $0.name) }
        let forms: HTML =
            write
            ? """
            \(f.folded("budget", "pj.budget.new", f.form(path + "/budget-lines", "budget", button: "pj.budget.save", """
                \(f.field("budget", "line", "pj.line", hint: "pj.line.hint"))\
                \(f.field("budget", "budget", "pj.budget", hint: "pj.amount.hint"))\
                \(f.field("budget", "spent", "pj.spent", hint: "pj.amount.hint"))
                """)))\
            \(f.folded("event", "pj.event.new", f.form(path + "/events", "event", button: "pj.event.save", """
                \(f.select("event", "kind", "pj.kind", kinds, nil, blank: "—"))\
                \(f.field("event", "title", "pj.eventTitle"))\
                \(f.field("event", "day", "pj.day", type: "date"))\(f.field("event", "place", "pj.place"))\
                \(f.field("event", "stakeholders", "pj.stakeholders"))\
                <fieldset class="member"><legend>\(t("pj.participants"))</legend><div class="grid">\(countFields)</div>\
                </fieldset>
                """)))\
            \(f.folded("indicator", "pj.indicator.new", f.form(
                path + "/indicators", "indicator", button: "pj.indicator.save", """
                \(f.field("indicator", "name", "pj.indicator"))\
                \(f.field("indicator", "unit", "pj.unit", hint: "pj.unit.hint"))
                """)))\
            \(indicatorChoices.isEmpty ? HTML.empty : f.folded("value", "pj.value.new", f.form(
                path + "/indicator-values", "value", button: "pj.value.save", """
                \(f.select("value", "indicatorID", "pj.indicator", indicatorChoices, nil, blank: "—"))\
                \(f.field("value", "period", "pj.valuePeriod", hint: "pj.valuePeriod.hint"))\
                \(f.field("value", "target", "pj.target", type: "number"))\
                \(f.field("value", "actual", "pj.actual", type: "number"))\
                \(f.field("value", "note", "pj.note"))
                """)))
            """ : .empty
        let groupHeads = groups.map { t("pj.group.\($0.rawValue)") }
        return Layout.page(
            req: req, identity: id, title: p.code,
            body: """
                <p class="no-print"><a href="\(ProjectPaths.overview)">\(t("pj.title"))</a> · \
                <a href="\(path)/export?format=csv">CSV</a> · <a href="\(path)/export?format=xlsx">XLSX</a> · \
                <button type="button" onclick="window.print()">\(t("pj.print"))</button></p>
                <h1>\(p.name)</h1>
                <section class="card"><dl class="facts"><dt>\(t("pj.code"))</dt><dd>\(p.code)</dd>\
                <dt>\(t("pj.donor"))</dt><dd>\(p.donor)</dd>\
                <dt>\(t("pj.period"))</dt><dd>\(p.startsOn) – \(p.endsOn)</dd>\
                <dt>\(t("pj.reached"))</dt><dd>\(t("pj.reached.text", p.participants, p.events.count))</dd></dl>\
                \(p.summary.isEmpty ? HTML.empty : HTML("<p>\(p.summary)</p>"))</section>
                <section class="card" id="indicators"><h2>\(t("pj.indicators"))</h2>\
                \(Words.table(
                    [t("pj.indicator"), t("pj.unit"), t("pj.valuePeriod"), t("pj.target"), t("pj.actual"),
                     t("pj.achieved")], indicators, empty: t("pj.indicators.none")))</section>
                <section class="card" id="events"><h2>\(t("pj.events"))</h2>\
                \(Words.table([t("pj.day"), t("pj.kind"), t("pj.eventTitle")] + groupHeads + [t("pj.total")],
                    events + eventTotal, empty: t("pj.events.none")))</section>
                <section class="card" id="budget"><h2>\(t("pj.budgetLines"))</h2>\
                \(Words.table(
                    [t("pj.line"), t("pj.budget"), t("pj.spent"), t("pj.remaining")], budget,
                    empty: t("pj.budget.none")))</section>
                <div class="no-print">\(forms)</div>
                """)
    }
}
