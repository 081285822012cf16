import Fluent
import PassageDomain
import Vapor

/// Diaspora engagement in the browser: the counts, the experts, the host institutions and the assignments.
enum DiasporaPages {
    typealias Words = ReunificationPages

    static func summary(_ s: DiasporaAPIController.Totals, _ t: Translator) -> HTML {
        let score: HTML =
            s.averageScore.map { " " + t("dp.totals.score", String(format: "%.1f", $0), s.evaluated) }
            .map { "\($0)" } ?? .empty
        return """
            <p class="lead">\(t("dp.totals", s.assignments, s.experts, s.institutions))</p>\
            <p>\(t("dp.totals.modes", s.physical, s.online, s.completed))\(score)</p>
            """
    }

    struct Overview {
        var totals: DiasporaAPIController.Totals
        var assignments: [DPAssignment]
        var status: AssignmentStatus?
        var experts: [DiasporaAPIController.ExpertDTO]
        var institutions: [DiasporaAPIController.InstitutionDTO]
    }

    static func overview(_ req: Request, _ id: Identity, _ o: Overview, failure: SectionFailure?) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let rows = o.assignments.map { a -> HTML in
            """
            <tr><td><a href="\(DiasporaPaths.assignment(a.id!))">\(a.caseRecord.reference)</a></td>\
            <td>\(a.expert.person.familyName), \(a.expert.person.givenNames)</td><td>\(a.institution.name), \
            \(t.country(a.institution.country))</td><td>\(t("dp.mode.\(a.mode.rawValue)"))</td>\
            <td>\(a.startsOn) – \(a.endsOn)</td><td>\(t("dp.status.\(a.status.rawValue)"))</td>\
            <td>\(a.score.map { "\($0)/5" } ?? "")</td></tr>
            """
        }
        let experts = o.experts.map { x -> HTML in
            """
            <tr><td><a href="/persons/\(x.personID.uuidString)">\(x.name)</a></td><td>\(x.profession)</td>\
            <td>\(x.skills)</td><td>\(x.languages.map(t.language).joined(separator: ", "))</td>\
            <td>\(x.countries.map(t.country).joined(separator: ", "))</td><td>\(x.assignments)</td></tr>
            """
        }
        let institutions = o.institutions.map { i -> HTML in
            """
            <tr><td>\(i.name)</td><td>\(i.city.isEmpty ? "" : i.city + ", ")\(t.country(i.country))</td>\
            <td>\(t("dp.sector.\(i.sector.rawValue)"))</td><td>\(i.assignments)</td></tr>
            """
        }
        let filter = AssignmentStatus.allCases.map { s -> HTML in
            s == o.status
                ? "<strong>\(t("dp.status.\(s.rawValue)"))</strong>"
                : """
                <a href="\(DiasporaPaths.overview)?status=\(s.rawValue)#assignments">\(t("dp.status.\(s.rawValue)"))</a>
                """
        }
        let all: HTML =
            o.status == nil
            ? "<strong>\(t("dp.all"))</strong>" : "<a href=\"\(DiasporaPaths.overview)#assignments\">\(t("dp.all"))</a>"
        let sectors = HostSector.allCases.map { (value: $0.rawValue, label: t("dp.sector.\($0.rawValue)")) }
        let modes = AssignmentMode.allCases.map { (value: $0.rawValue, label: t("dp.mode.\($0.rawValue)")) }
        let expertChoices = o.experts.map { (value: $0.id.uuidString, label: "\($0.name) — \($0.profession)") }
        let hostChoices = o.institutions.map {
            (value: $0.id.uuidString, label: "\($0.name), \(t.country($0.country))")
        }
        let write = id.hasAny(DiasporaAccess.write)
        let expertForm: HTML =
            write
            ? f.form(
                DiasporaPaths.overview + "/experts", "expert", button: "dp.expert.save",
                """
                \(f.personFields("expert", labels: "dp.person", countryHint: "dp.country.hint", "p"))\
                \(f.field("expert", "profession", "dp.profession"))\(f.area("expert", "skills", "dp.skills", rows: 2))\
                \(f.field("expert", "languages", "dp.languages", hint: "dp.languages.hint"))\
                \(f.field("expert", "countries", "dp.countries", hint: "dp.countries.hint"))\
                \(f.field("expert", "email", "dp.email", type: "email"))
                """) : .empty
        let hostForm: HTML =
            write
            ? f.form(
                DiasporaPaths.overview + "/institutions", "host", button: "dp.host.save",
                """
                \(f.field("host", "name", "dp.host.name"))\
                \(f.field("host", "country", "dp.country", hint: "dp.country.hint"))\
                \(f.field("host", "city", "dp.city"))\
                \(f.select("host", "sector", "dp.sector", sectors, nil, blank: "—"))\
                \(f.field("host", "contact", "dp.contact"))
                """) : .empty
        let assignmentForm: HTML =
            write
            ? f.form(
                DiasporaPaths.overview + "/assignments", "assignment", button: "dp.assignment.save",
                """
                \(f.select("assignment", "expertID", "dp.expert", expertChoices, nil, blank: "—"))\
                \(f.select("assignment", "institutionID", "dp.host", hostChoices, nil, blank: "—"))\
                \(f.select("assignment", "mode", "dp.mode", modes, "physical"))\
                \(f.field("assignment", "startsOn", "dp.startsOn", type: "date"))\
                \(f.field("assignment", "endsOn", "dp.endsOn", type: "date"))\
                \(f.area("assignment", "tasks", "dp.tasks"))\(f.area("assignment", "deliverables", "dp.deliverables"))
                """) : .empty
        return Layout.page(
            req: req, identity: id, title: t("dp.title"),
            body: """
                <h1>\(t("dp.title"))</h1>
                <section class="card" id="totals">\(summary(o.totals, t))</section>
                <section class="card" id="assignments"><h2>\(t("dp.assignments"))</h2>\
                <p class="filters">\(all) · \(HTML(raw: filter.map(\.raw).joined(separator: " · ")))</p>\
                \(Words.table(
                    [t("dp.case"), t("dp.expert"), t("dp.host"), t("dp.mode"), t("dp.dates"), t("dp.status"),
                     t("dp.score")], rows, empty: t("dp.assignments.none")))</section>\
                \(f.folded("assignment", "dp.assignment.new", assignmentForm))
                <section class="card" id="experts"><h2>\(t("dp.experts"))</h2>\
                \(Words.table(
                    [t("dp.name"), t("dp.profession"), t("dp.skills"), t("dp.languages"), t("dp.countries"),
                     t("dp.assignments")], experts, empty: t("dp.experts.none")))</section>\
                \(f.folded("expert", "dp.expert.new", expertForm))
                <section class="card" id="institutions"><h2>\(t("dp.hosts"))</h2>\
                \(Words.table(
                    [t("dp.host.name"), t("dp.place"), t("dp.sector"), t("dp.assignments")], institutions,
                    empty: t("dp.hosts.none")))</section>\
                \(f.folded("host", "dp.host.new", hostForm))
                """)
    }

    static func assignment(_ req: Request, _ id: Identity, _ a: DPAssignment, failure: SectionFailure?) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let write = id.hasAny(DiasporaAccess.write)
        let next = a.status.next.sorted { $0.rawValue < $1.rawValue }.map {
            (value: $0.rawValue, label: t("dp.status.\($0.rawValue)"))
        }
        let statusForm: HTML =
            write && !next.isEmpty
            ? f.form(
                DiasporaPaths.assignment(a.id!) + "/status", "status", button: "dp.status.save",
                f.select("status", "status", "dp.status.next", next, nil, blank: "—")) : f.summary("status")
        let evaluationForm: HTML =
            write && a.status == .completed
            ? f.folded(
                "evaluation", "dp.evaluation.title",
                f.form(
                    DiasporaPaths.assignment(a.id!) + "/evaluation", "evaluation", button: "dp.evaluation.save",
                    """
                    \(f.select("evaluation", "score", "dp.score", (1...5).reversed().map {
                        (value: String($0), label: t("dp.score.\($0)"))
                    }, a.score.map(String.init), blank: "—"))\
                    \(f.area("evaluation", "evaluation", "dp.evaluation", a.evaluation))\
                    \(f.field(
                        "evaluation", "evaluatedOn", "dp.evaluatedOn", a.evaluatedOn ?? Clock.today().isoText,
                        type: "date"))
                    """)) : .empty
        let facts: [(String, String)] =
            [
                (
                    t("dp.expert"),
                    "\(a.expert.person.familyName), \(a.expert.person.givenNames) (\(a.expert.profession))"
                ),
                (t("dp.host"), "\(a.institution.name), \(t.country(a.institution.country))"),
                (t("dp.mode"), t("dp.mode.\(a.mode.rawValue)")), (t("dp.dates"), "\(a.startsOn) – \(a.endsOn)"),
                (t("dp.tasks"), a.tasks), (t("dp.deliverables"), a.deliverables),
            ] + (a.score.map { [(t("dp.score"), "\($0)/5 · \(a.evaluatedOn ?? "") · \(a.evaluation)")] } ?? [])
        let dl = facts.map { HTML("<dt>\($0.0)</dt><dd>\($0.1)</dd>") }
        return Layout.page(
            req: req, identity: id, title: a.caseRecord.reference,
            body: """
                <p><a href="\(DiasporaPaths.overview)">\(t("dp.title"))</a></p>
                <h1>\(t("dp.assignment.title", a.institution.name)) <span class="badge">\
                \(t("dp.status.\(a.status.rawValue)"))</span></h1>
                <p><a href="/cases/\(a.$caseRecord.id.uuidString)">\(a.caseRecord.reference)</a> · \
                <a href="/persons/\(a.expert.$person.id.uuidString)">\(a.expert.person.reference)</a></p>
                <section class="card"><dl class="facts">\(dl)</dl></section>\(statusForm)\(evaluationForm)
                """)
    }
}
