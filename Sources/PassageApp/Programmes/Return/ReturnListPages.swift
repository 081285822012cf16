import Vapor
import PassageDomain

/// The return programme's pages across cases.
enum ReturnListPages {
    static func openRequests(_ req: Request, _ id: Identity, _ rows: [ReturnAPIController.OpenRequest]) -> HTML {
        let t = req.t
        var groups: [HTML] = []
        for embassy in Array(Set(rows.map(\.embassyID))).sorted(by: { a, b in
            rows.first { $0.embassyID == a }!.embassy < rows.first { $0.embassyID == b }!.embassy
        }) {
            let mine = rows.filter { $0.embassyID == embassy }
            let trs = mine.map { r -> HTML in
                "<tr><td><a href=\"\(ReturnPaths.file(r.caseID))#travel-documents\">\(r.reference)</a></td><td>\(r.person)</td><td>\(t("tdstatus.\(r.status)"))</td><td>\(r.requestedOn)</td><td class=\"\(r.ageDays > 30 ? "late" : "")\">\(t("return.td.days", r.ageDays))</td></tr>"
            }
            groups.append(
                """
                <h2>\(mine[0].embassy) <span class="muted">(\(mine.count))</span> <a class="btn secondary" \
                href="/return/travel-documents/letter/\(embassy.uuidString)">\(t("return.td.letter"))</a></h2>
                <table><thead><tr><th>\(t("case.reference"))</th><th>\(t("person.name"))</th><th>\(t("return.td.status"))</th><th>\(t("return.td.requested"))</th><th>\(t("return.td.age"))</th></tr></thead><tbody>\(trs)</tbody></table>
                """)
        }
        return Layout.page(
            req: req, identity: id, title: t("return.td.open.title"),
            body: """
                <h1>\(t("return.td.open.title"))\
                </h1>\(groups.isEmpty ? HTML("<p class=\"empty\">\(t("return.td.open.none"))</p>") : HTML(raw: groups.map(\.raw).joined()))
                """)
    }

    /// Departures with checks not met, for managers to review in the case file.
    static func exceptions(_ req: Request, _ id: Identity, _ rows: [ReturnRecords.ExceptionRow], all: Bool) -> HTML {
        let t = req.t
        let trs = rows.map { r -> HTML in
            let state =
                r.reviewedBy.map { t("return.exception.reviewed", $0, r.reviewNote ?? "") }
                ?? t("return.exception.open")
            return """
                <tr><td><a href="\(ReturnPaths.file(r.caseID))#exceptions">\(r.reference)</a></td><td>\(r.person)</td>\
                <td class="nowrap">\(r.raisedOn)</td><td>\(r.summary)</td><td>\(state)</td></tr>
                """
        }
        let toggle =
            all
            ? "<a href=\"\(ReturnPaths.exceptions)\">\(t("return.exception.onlyopen"))</a>"
            : "<a href=\"\(ReturnPaths.exceptions)?state=all\">\(t("return.exception.all"))</a>"
        return Layout.page(
            req: req, identity: id, title: t("return.exception.list"),
            body: """
                <h1>\(t("return.exception.list")) <span \
                class="muted">(\(rows.count))</span></h1><p>\(HTML(raw: toggle))</p>
                \(rows.isEmpty ? HTML("<p class=\"empty\">\(t("return.exception.none"))</p>") : HTML("<div class=\"scroll\"><table><thead><tr><th>\(t("case.reference"))</th><th>\(t("person.name"))</th><th>\(t("return.departedOn"))</th><th>\(t("return.exception.what"))</th><th>\(t("return.exception.state"))</th></tr></thead><tbody>\(trs)</tbody></table></div>"))
                """)
    }

    /// The letter that may not go yet: no live sharing agreement with the embassy. What waits, why, and who sees it.
    static func letterWaits(_ req: Request, _ id: Identity, embassy: Partner, reason: String, waiting: Int) -> HTML {
        let t = req.t
        return Layout.page(
            req: req, identity: id, title: t("return.letter.waits", embassy.name),
            body: """
                <h1>\(t("return.letter.waits", embassy.name))</h1>
                <div class="warning" role="status"><p>\(reason)</p></div>
                <p>\(t("return.letter.waits.help", t.number(waiting)))</p>
                <p><a class="btn secondary" href="/return/travel-documents">\(t("return.td.open.title"))</a></p>
                """)
    }

    /// A letter to one embassy asking for travel documents for everyone still waiting; printable.
    static func letter(_ req: Request, _ id: Identity, embassy: Partner, requests: [TravelDocumentRequest]) -> HTML {
        let t = req.t
        let rows = requests.map { r -> HTML in
            let p = r.caseRecord.person
            let s = PersonSummary(p)
            let docs = p.documents.map { "\(t("doctype.\($0.type)")) \($0.number)" }.joined(separator: "; ")
            return
                """
                <tr><td>\(r.caseRecord.reference)</td><td>\(p.familyName), \
                \(p.givenNames)\(s.familyNameOriginal.map { " / \($0) \(s.givenNamesOriginal ?? "")" } ?? "")</td><td>\(s.dateOfBirth ?? "—")</td><td>\(s.nationalityName)</td><td>\(t("tdkind.\(r.kind)"))</td><td>\(docs.isEmpty ? "—" : docs)</td><td>\(r.requestedOn)</td></tr>
                """
        }
        return Layout.page(
            req: req, identity: id, title: t("return.td.letter"),
            body: """
                <article class="letter card">
                <p>\(ReturnRecords.today().isoText)</p>
                <p><strong>\(embassy.name)</strong>\(embassy.contactEmail.map { HTML("<br>\($0)") } ?? .empty)</p>
                <p>\(t("return.letter.salutation"))</p>
                <p>\(t("return.letter.body", requests.count))</p>
                \(requests.isEmpty ? HTML("<p class=\"empty\">\(t("return.td.open.none"))</p>") : HTML("<table><thead><tr><th>\(t("case.reference"))</th><th>\(t("person.name"))</th><th>\(t("person.dob"))</th><th>\(t("person.nationality"))</th><th>\(t("return.td.kind"))</th><th>\(t("return.letter.documents"))</th><th>\(t("return.td.requested"))</th></tr></thead><tbody>\(rows)</tbody></table>"))
                <p>\(t("return.letter.closing"))</p><p>\(id.name)</p>
                </article>
                """)
    }

    static func rules(
        _ req: Request, _ id: Identity, versions: [(record: RuleSetRecord, set: EligibilityRuleSet)],
        flagged: [(caseID: UUID, reference: String, was: EligibilityDecision, now: EligibilityDecision)],
        failure: SectionFailure?
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        guard let current = versions.first else {
            return Layout.page(req: req, identity: id, title: t("return.rules.title"), body: "<p class=\"empty\">—</p>")
        }
        func table(_ s: EligibilityRuleSet) -> HTML {
            let rows = s.rules.map { r -> HTML in
                "<tr><td>\(r.nationality == "*" ? t("return.rules.every") : "\(t.country(r.nationality)) (\(r.nationality))")</td><td class=\"nowrap\">\(r.from?.isoText ?? "—")</td><td class=\"nowrap\">\(r.until?.isoText ?? "—")</td><td>\(t("eligibility.\(r.outcome.rawValue)"))</td><td>\(r.grantTypes.map { t("grant.\($0.rawValue)") }.joined(separator: ", "))</td><td>\(r.note)</td></tr>"
            }
            return
                "<table><thead><tr><th>\(t("person.nationality"))</th><th>\(t("return.rules.from"))</th><th>\(t("return.rules.until"))</th><th>\(t("return.outcome"))</th><th>\(t("return.grants"))</th><th>\(t("return.rules.note"))</th></tr></thead><tbody>\(rows)</tbody></table>"
        }
        let caps = GrantType.allCases.map { g -> HTML in
            "<li>\(t("grant.\(g.rawValue)")): \(Money.format(current.set.caps[g] ?? 0))</li>"
        }
        let flaggedRows = flagged.map { x -> HTML in
            "<tr><td><a href=\"\(ReturnPaths.file(x.caseID))#eligibility\">\(x.reference)</a></td><td>\(x.was.explanation)</td><td>\(x.now.explanation)</td></tr>"
        }
        let history = versions.map { v -> HTML in
            """
            <details><summary>\(t("return.rules.version", v.set.version)) · \(Layout.dateTime(v.record.createdAt)) \
            · \(v.record.createdBy) · \(v.record.note)</summary>\(table(v.set))</details>
            """
        }
        let edit: HTML =
            id.hasAny(ReturnAccess.rulesWrite)
            ? f.form(
                "/return/rules", "rules", button: "return.rules.save",
                """
                \(f.area("rules", "rules", "return.rules.text", current.set.text, rows: max(6,
                    current.set.rules.count + 2), hint: "return.rules.text.hint"))
                <div class="grid">\(f.field("rules", "cap_economic", "return.rules.cap.economic",
                    DecimalInput.format(current.set.caps[.economic] ?? 0, decimals: 2)))
                \(f.field("rules", "cap_medical", "return.rules.cap.medical",
                    DecimalInput.format(current.set.caps[.medical] ?? 0, decimals: 2)))
                \(f.field("rules", "note", "return.rules.change", nil, hint: "return.rules.change.hint"))</div>
                """) : .empty
        return Layout.page(
            req: req, identity: id, title: t("return.rules.title"),
            body: """
                <h1>\(t("return.rules.title"))</h1>
                <p>\(t("return.rules.current", current.set.version)) · \(current.record.note)</p>\(table(current.set))
                <h2>\(t("return.rules.caps"))</h2><ul>\(caps)</ul>
                <h2 id="flagged">\(t("return.rules.flagged"))</h2>
                \(flagged.isEmpty ? HTML("<p class=\"empty\">\(t("return.rules.flagged.none"))</p>") : HTML("<table><thead><tr><th>\(t("case.reference"))</th><th>\(t("return.rules.decided"))</th><th>\(t("return.rules.now"))</th></tr></thead><tbody>\(flaggedRows)</tbody></table>"))
                \(id.hasAny(ReturnAccess.rulesWrite) ? HTML("<h2 id=\"edit\">\(t("return.rules.edit"))</h2>") : .empty)\(edit)
                <h2>\(t("return.rules.history"))</h2>\(history)
                """)
    }

    static func outreach(
        _ req: Request, _ id: Identity, rows: [ReturnAPIController.OutreachDTO], locations: Options,
        failure: SectionFailure?
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let trs = rows.map { r -> HTML in
            "<tr><td>\(r.heldOn)</td><td>\(t("outreach.\(r.kind)"))</td><td>\(r.topic)</td><td>\(r.location ?? "—")</td><td>\(r.audience)\(r.organisations.isEmpty ? "" : " " + r.organisations)</td><td>\(r.attendees)</td><td>\(r.counsellor)</td></tr>"
        }
        let form: HTML =
            id.hasAny(ReturnAccess.outreach)
            ? f.form(
                "/return/outreach", "outreach", button: "return.outreach.submit",
                """
                <div class="grid">\(f.words("outreach", "kind", "return.outreach.kind", OutreachKind.self,
                    prefix: "outreach", nil, blank: true))
                \(f.field("outreach", "heldOn", "return.date", ReturnRecords.today().isoText, type: "date"))
                \(f.select("outreach", "locationID", "return.location", locations, nil, blank: "—"))
                \(f.field("outreach", "topic", "return.outreach.topic", nil))
                \(f.field("outreach", "audience", "return.outreach.audience", nil,
                    hint: "return.outreach.audience.hint"))
                \(f.field("outreach", "attendees", "return.outreach.attendees", nil, type: "number"))
                \(f.field("outreach", "organisations", "return.outreach.organisations", nil,
                    hint: "return.outreach.organisations.hint"))</div>
                """) : .empty
        return Layout.page(
            req: req, identity: id, title: t("return.outreach.title"),
            body: """
                <h1>\(t("return.outreach.title"))</h1>\(form)
                \(rows.isEmpty ? HTML("<p class=\"empty\">\(t("return.outreach.none"))</p>") : HTML("<table><thead><tr><th>\(t("return.date"))</th><th>\(t("return.outreach.kind"))</th><th>\(t("return.outreach.topic"))</th><th>\(t("return.location"))</th><th>\(t("return.outreach.who"))</th><th>\(t("return.outreach.attendees"))</th><th>\(t("return.counsellor"))</th></tr></thead><tbody>\(trs)</tbody></table>"))
                """)
    }

    static func workload(
        _ req: Request, _ id: Identity, from: String, to: String, rows: [ReturnReports.Workload],
        errors: ValidationErrors?
    ) -> HTML {
        let t = req.t
        let e = t.localized(errors)
        let trs = rows.map { r -> HTML in
            "<tr><td>\(r.location)</td><td>\(r.counsellor)</td><td>\(r.sessions)</td><td>\(r.minutes / 60):\(String(format: "%02d", r.minutes % 60))</td><td>\(r.cases)</td></tr>"
        }
        return Layout.page(
            req: req, identity: id, title: t("return.workload.title"),
            body: """
                <h1>\(t("return.workload.title"))</h1>\(Layout.errorSummary(e, t))
                <form method="get" action="/return/workload" class="card filters">
                \(Layout.field("from", label: t("return.rules.from"), value: from, error: e?.message(for: "from"),
                    type: "date"))
                \(Layout.field("to", label: t("return.rules.until"), value: to, error: e?.message(for: "to"),
                    type: "date"))
                <button class="primary" type="submit">\(t("filter.apply"))</button></form>
                \(rows.isEmpty ? HTML("<p class=\"empty\">\(t("return.workload.none"))</p>") : HTML("<table><thead><tr><th>\(t("return.location"))</th><th>\(t("return.counsellor"))</th><th>\(t("return.sessions"))</th><th>\(t("return.workload.hours"))</th><th>\(t("nav.cases"))</th></tr></thead><tbody>\(trs)</tbody></table>"))
                """)
    }
}
