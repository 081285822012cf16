import Vapor
import PassageDomain

enum ReturnPages {
    static func stageBadge(_ t: Translator, _ stage: String) -> HTML {
        "<span class=\"badge stage-\(stage)\">\(t("stage.\(stage)"))</span>"
    }

    // MARK: worklist

    struct Worklist {
        var rows: [ReturnWorklist.Row]
        var total: Int
        var byStage: [ReturnStage: Int]
        var paging: ListPaging
    }

    static func worklist(_ req: Request, _ id: Identity, _ w: Worklist, stage: String?, owner: String) -> HTML {
        let t = req.t
        let stages = ReturnStage.allCases.map { (value: $0.rawValue, label: t("stage.\($0.rawValue)")) }
        let filter: HTML = """
            <form method="get" action="/return" class="card filters">
            \(Layout.select("owner", label: t("return.worklist.whose"), options: [("me", t("return.worklist.mine")),
                ("all", t("return.worklist.all"))], selected: owner, error: nil))
            \(Layout.select("stage", label: t("return.stage"), options: stages, selected: stage, error: nil,
                includeBlank: t("return.worklist.open")))
            <button class="primary" type="submit">\(t("filter.apply"))</button></form>
            """
        let items = [("owner", owner), ("stage", stage ?? "")]
        func th(_ key: String, _ label: String) -> HTML {
            w.paging.heading(t(label), key: key, "/return", query: items, t)
        }
        let trs = w.rows.map { r -> HTML in
            """
            <tr><td><a href="\(ReturnPaths.file(r.caseID))">\(r.reference)</a></td><td><a \
            href="\(CorePaths.person(r.personID))">\(r.person)</a></td><td><span \
            class="badge">\(t("stage.\(r.stage)"))</span></td><td>\(t.country(r.destinationCode))</td>\
            <td>\(r.owner ?? "—")</td><td>\(r.openedOn)</td></tr>
            """
        }
        let counts = ReturnStage.allCases.compactMap { s -> HTML? in
            guard let n = w.byStage[s] else { return nil }
            let href = "/return?owner=\(owner)&stage=\(s.rawValue)"
            return "<a class=\"badge\" href=\"\(href)\">\(t("stage.\(s.rawValue)")): \(n)</a> "
        }
        let table: HTML = """
            <div class="scroll"><table><thead><tr>\(th("reference", "case.reference"))\(th("person", "person.name"))\
            \(th("stage", "return.stage"))\(th("destination", "return.destination"))<th>\(t("case.owner"))</th>\
            \(th("opened", "case.openedOn"))</tr></thead><tbody>\(trs)</tbody></table></div>
            \(w.paging.pager(total: w.total, countText: t("cases.count", w.total), "/return", query: items, t))
            """
        let links: HTML = """
            <p class="actions"><a class="btn secondary" href="/persons">\(t("return.new.hint"))</a>
            <a class="btn secondary" href="/return/travel-documents">\(t("return.td.open.title"))</a>
            <a class="btn secondary" href="/return/outreach">\(t("return.outreach.title"))</a>
            <a class="btn secondary" href="/return/workload">\(t("return.workload.title"))</a>
            \(ReturnAccess.writesMedical(id)
                ? HTML("<a class=\"btn secondary\" href=\"\(ReturnPaths.medical)\">\(t("return.medwork.title"))</a>")
                : .empty)
            \(id.hasAny(ReturnAccess.review) ? HTML("<a class=\"btn secondary\" href=\"\(ReturnPaths.exceptions)\">\(t("return.exception.list"))</a>") : .empty)
            <a class="btn secondary" href="/return/rules">\(t("return.rules.title"))</a></p>
            """
        let body: HTML =
            w.total == 0 ? "<p class=\"empty\">\(t("return.worklist.none"))</p>" : "<p>\(counts)</p>\(table)"
        return Layout.page(
            req: req, identity: id, title: t("return.worklist.title"),
            body: "<h1>\(t("return.worklist.title"))</h1>\(links)\(filter)\(body)")
    }

    // MARK: opening a case

    struct OpenModel {
        var person: PersonSummary
        var household: [(id: UUID, name: String, relationship: String)]
        var locations: Options
        var owners: Options
        var failure: SectionFailure?
    }

    static func intakeFields(
        _ f: SectionForms, _ s: String, _ i: ReturnFile.Intake?, locations: Options,
        household: [(id: UUID, name: String, relationship: String)]
    ) -> HTML {
        let t = f.t
        // A country of return: not "unknown", not the Netherlands.
        let countries = t.countryChoices.filter { $0.value != CountryCode.unknown && $0.value != "NL" }
        let languages = t.languageChoices
        let companions = household.map { m -> HTML in
            let on =
                f.failure?.section == s
                ? f.failure?.fields["companion_\(m.id.uuidString)"] != nil
                : (i?.companionIDs.contains(m.id.uuidString) ?? false)
            return
                """
                <label class=\"check-line\"><input type=\"checkbox\" name=\"companion_\(m.id.uuidString)\" \
                value=\"true\"\(HTML(raw: on ? " checked" : ""))> \(m.name) \
                (\(t("relationship.\(m.relationship)")))</label>
                """
        }
        let companionBlock: HTML =
            household.isEmpty
            ? .empty
            : "<fieldset class=\"card\"><legend>\(t("return.companions"))</legend>\(companions)\(f.error(s, "companionIDs").map { HTML("<span class=\"field-error\">\($0)</span>") } ?? .empty)</fieldset>"
        return """
            <div class="grid">
            \(f.words(s, "referralSource", "return.referralSource", ReferralSource.self, prefix: "referral",
                i?.referralSource, blank: true))
            \(f.select(s, "stayLocationID", "return.stay", locations, i?.stayLocationID?.uuidString, blank: "—"))
            \(f.select(s, "preferredLanguage", "return.language", languages, i?.preferredLanguage, blank: "—"))
            \(f.select(s, "destinationCountry", "return.destinationCountry", countries, i?.destinationCountry,
                blank: "—"))
            \(f.field(s, "destinationPlace", "return.destinationPlace", i?.destinationPlace))
            \(f.check(s, "interpreterNeeded", "return.interpreterNeeded", i?.interpreterNeeded ?? false))
            </div>\(companionBlock)
            """
    }

    /// A new intake starts from what the person's record says: where they stay, their first language (and whether
    /// an interpreter is needed for it), their nationality as the country of return.
    static func prefill(_ p: PersonSummary) -> ReturnFile.Intake {
        let language = p.languages.first
        let returnable = p.nationality != CountryCode.unknown && p.nationality != "NL"
        return ReturnFile.Intake(
            referralSource: "", stayLocationID: p.locationID, stayLocation: nil, preferredLanguage: language,
            interpreterNeeded: language.map { !["nl", "en"].contains($0) } ?? false,
            destinationCountry: returnable ? p.nationality : "", destinationPlace: "", companionIDs: [])
    }

    static func openForm(_ req: Request, _ id: Identity, _ m: OpenModel) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: m.failure)
        let p = m.person
        let body: HTML = """
            <input type="hidden" name="personID" value="\(p.id.uuidString)">
            <p>\(t("case.for")) <a href="\(CorePaths.person(p.id))">\(p.familyName), \(p.givenNames)\
            </a> (\(p.reference), \(t.country(p.nationality)))</p>
            <p class="hint">\(t("return.new.prefilled"))</p>
            \(intakeFields(f, "open", prefill(p), locations: m.locations, household: m.household))
            <div class="grid">
            \(f.select("open", "ownerID", "case.owner", m.owners, id.userID.uuidString, blank: "—"))
            \(f.select("open", "officeLocationID", "case.office", m.locations, nil, blank: "—"))
            \(f.field("open", "openedOn", "case.openedOn", nil, type: "date"))
            </div>\(f.area("open", "summary", "case.summary"))
            """
        return Layout.page(
            req: req, identity: id, title: t("return.new.title"),
            body: """
                <h1>\(t("return.new.title"))</h1>\(f.form("/return/new", "open", button: "return.new.submit", body))
                """)
    }
}
