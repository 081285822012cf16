import Vapor
import PassageDomain

extension ReturnPages {
    struct FileModel {
        var file: ReturnFile
        var locations: Options
        var embassies: Options
        var ngos: Options
        var staff: Options
        var household: [(id: UUID, name: String, relationship: String)]
        var failure: SectionFailure?
        /// The case's flights, shown to those who may see them.
        /// What the other modules add to the case's page.
        var blocks: [CaseBlock] = []
        var identity: Identity
        /// Why medical details may not be saved yet (no consent in force), for those who write them.
        var medicalBasis: HTML = .empty
    }

    static func file(_ req: Request, _ id: Identity, _ m: FileModel) -> HTML {
        let t = req.t
        let x = m.file
        let f = SectionForms(req: req, failure: m.failure)
        let base = ReturnPaths.file(x.case.id)
        let canWrite = id.hasAny(ReturnAccess.write)
        let stage = ReturnStage(rawValue: x.stage) ?? .intake

        // The move between stages, with what stands in the way of departure.
        let nextOptions = x.nextStages.map { (value: $0, label: t("stage.\($0)")) }
        let blockers: HTML
        if stage.beforeDeparture {
            blockers =
                x.departureBlockers.isEmpty
                ? "<p class=\"notice\" id=\"departure-ready\">\(t("return.departure.ready"))</p>"
                : "<div class=\"warning\" id=\"departure-blockers\"><strong>\(t("return.departure.blocked"))</strong><ul>\(x.departureBlockers.map { HTML("<li>\($0)</li>") })</ul></div>"
        } else {
            blockers = .empty
        }
        let move: HTML =
            id.hasAny(ReturnAccess.move) && !nextOptions.isEmpty
            ? f.form(
                "\(base)/move", "move", button: "return.move.submit",
                """
                <div class="grid">\(f.select("move", "to", "return.move.to", nextOptions, nil))
                \(f.field("move", "on", "return.move.on", nil, type: "date", hint: "return.move.on.hint"))</div>
                \(f.area("move", "reason", "case.reason", nil, rows: 2, hint: "return.move.reason.hint"))
                """) : .empty

        // Departures with checks not met, until a manager has reviewed them.
        let exceptions: HTML = HTML(
            raw: x.exceptions.map { e -> HTML in
                let done: HTML =
                    e.reviewedBy.map {
                        "<p>\(t("return.exception.reviewed", $0, e.reviewNote ?? ""))</p>"
                    } ?? .empty
                let review: HTML =
                    e.reviewedAt == nil && id.hasAny(ReturnAccess.review)
                    ? f.form(
                        "\(base)/exceptions/\(e.id.uuidString)/review", "exceptions", button: "return.exception.submit",
                        f.area("exceptions", "note", "return.exception.note", nil, rows: 2))
                    : e.reviewedAt == nil ? "<p class=\"muted\">\(t("return.exception.waiting"))</p>" : .empty
                let kind = e.reviewedAt == nil ? "warning" : "notice"
                return """
                    <div class="\(kind)" id="exceptions"><strong>\(t("return.exception.title", e.raisedOn))</strong>\
                    <p>\(e.summary)</p>\(done)\(review)</div>
                    """
            }.map(\.raw).joined())

        let header: HTML = """
            <h1 id="stage">\(x.case.reference) \(stageBadge(t, x.stage))</h1>
            <section class="card"><dl class="facts">
            <dt>\(t("person.name"))</dt><dd>\
            <a href="\(CorePaths.person(x.person.id))">\(x.person.familyName), \(x.person.givenNames)\
            </a> (\(x.person.reference))</dd>
            <dt>\(t("person.nationality"))</dt><dd>\(t.country(x.person.nationality))</dd>
            <dt>\(t("return.destination"))</dt>\
            <dd>\([x.intake.destinationPlace,
                t.country(x.intake.destinationCountry)].filter { !$0.isEmpty }.joined(separator: ", "))</dd>
            <dt>\(t("case.owner"))</dt><dd>\(x.case.ownerName ?? "—")</dd>
            <dt>\(t("case.openedOn"))</dt><dd>\(x.case.openedOn)</dd>
            \(x.departedOn.map { HTML("<dt>\(t("return.departedOn"))</dt><dd>\($0)</dd>") } ?? .empty)
            </dl><p class="muted"><a href="\(CorePaths.case(x.case.id))">\(t("return.generalcase"))</a></p>
            <nav class="jump" aria-label="\(t("return.sections"))"><a href="#intake">\(t("return.intake"))</a> <a \
            href="#sessions">\(t("return.sessions"))</a>
            <a href="#eligibility">\(t("return.eligibility"))</a> <a \
            href="#vulnerabilities">\(t("return.vulnerabilities"))</a>
            <a href="#travel-documents">\(t("return.td"))</a> <a href="#reintegration">\(t("return.reintegration"))</a>
            <a href="#monitoring">\(t("return.monitoring"))</a> <a href="#consent">\(t("return.eu"))\
            </a>\(m.blocks.map { HTML(" <a href=\"#\($0.anchor)\">\($0.title)</a>") }) <a \
            href="#timeline">\(t("case.timeline"))</a></nav></section>
            \(exceptions)\(blockers)\(move)
            """

        // Intake.
        let intake: HTML = """
            <h2 id="intake">\(t("return.intake"))</h2><section class="card"><dl class="facts">
            <dt>\(t("return.referralSource"))</dt><dd>\(t("referral.\(x.intake.referralSource)"))</dd>
            <dt>\(t("return.stay"))</dt><dd>\(x.intake.stayLocation ?? "—")</dd>
            <dt>\(t("return.language"))</dt>\
            <dd>\(x.intake.preferredLanguage.map(t.language) ?? "—")\(x.intake.interpreterNeeded ? " · " + t("return.interpreterNeeded") : "")</dd>
            <dt>\(t("return.companions"))</dt>\
            <dd>\(x.intake.companionIDs.isEmpty ? "—" : m.household.filter { x.intake.companionIDs.contains($0.id.uuidString) }.map(\.name).joined(separator: ", "))</dd>
            </dl></section>
            \(canWrite ? ("<details\(HTML(raw: m.failure?.section == "intake" ? " open" : ""))><summary>\(t("return.intake.edit"))</summary>\(f.form("\(base)/intake", "intake", button: "form.save", intakeFields(f, "intake", x.intake, locations: m.locations, household: m.household)))</details>") : .empty)
            """

        // Counselling.
        let sessionRows = x.sessions.map { s -> HTML in
            "<tr><td>\(s.heldOn)</td><td>\(s.location)</td><td>\(s.counsellor)</td><td>\(t.language(s.language))\(s.interpreter ? " + " + t("return.interpreter") : "")</td><td>\(s.durationMinutes)</td><td>\(t("counselling.\(s.outcome)"))</td><td>\(s.notes ?? t("return.notes.restricted"))</td></tr>"
        }
        let languages = t.languageChoices
        let sessions: HTML = """
            <h2 id="sessions">\(t("return.sessions"))</h2>
            \(x.sessions.isEmpty ? HTML("<p class=\"empty\">\(t("return.sessions.none"))</p>") : HTML("<table><thead><tr><th>\(t("return.date"))</th><th>\(t("return.location"))</th><th>\(t("return.counsellor"))</th><th>\(t("return.language"))</th><th>\(t("return.minutes"))</th><th>\(t("return.outcome"))</th><th>\(t("return.notes"))</th></tr></thead><tbody>\(sessionRows)</tbody></table>"))
            \(canWrite && stage.beforeDeparture ? ("<details\(HTML(raw: m.failure?.section == "sessions" || x.sessions.isEmpty ? " open" : ""))><summary>\(t("return.sessions.add"))</summary>" + f.form("\(base)/sessions", "sessions", button: "return.sessions.submit", """
                <div class="grid">\(f.field("sessions", "heldOn", "return.date", ReturnRecords.today().isoText, type: "date"))
                \(f.select("sessions", "locationID", "return.location", m.locations, x.intake.stayLocationID?.uuidString, blank: "—"))
                \(f.select("sessions", "language", "return.language", languages, x.intake.preferredLanguage, blank: "—"))
                \(f.field("sessions", "durationMinutes", "return.minutes", "60", type: "number"))
                \(f.words("sessions", "outcome", "return.outcome", CounsellingOutcome.self, prefix: "counselling", nil, blank: true))
                \(f.check("sessions", "interpreter", "return.interpreter", x.intake.interpreterNeeded))</div>
                \(f.area("sessions", "notes", "return.notes", nil, rows: 3, hint: "return.notes.hint"))
                """) + "</details>") : .empty)
            """

        // Eligibility.
        var decisionBox: HTML = "<p class=\"empty\">\(t("return.eligibility.none"))</p>"
        if let d = x.decision {
            let drift: HTML =
                d.wouldNowBe.map {
                    "<div class=\"warning\"><strong>\(t("return.eligibility.drift"))</strong> \($0)</div>"
                } ?? .empty
            decisionBox = """
                <section class="card" id="decision"><p><span class="badge">\(t("eligibility.\(d.outcome)"))\
                </span> \(d.grantTypes.map { t("grant.\($0)") }.joined(separator: ", "))</p>
                <p>\(d.explanation)</p>\
                <p class="muted">\(t("return.eligibility.meta", d.decidedFor, d.ruleSetVersion, d.decidedBy))</p>\
                </section>\(drift)
                """
        }
        let eligibility: HTML = """
            <h2 id="eligibility">\(t("return.eligibility"))</h2>\(decisionBox)
            \(canWrite && stage.beforeDeparture ? f.form("\(base)/eligibility", "eligibility",
                button: "return.eligibility.submit", "<div class=\"grid\">\(f.field("eligibility", "decidedFor", "return.eligibility.for", ReturnRecords.today().isoText, type: "date", hint: "return.eligibility.for.hint"))</div>") : .empty)
            """

        let saved = SectionForms.sectionName(req.query[String.self, at: "saved"])
        return Layout.page(
            req: req, identity: id, title: x.case.reference,
            body: SectionForms.landing(
                """
                \(header)\(intake)\(sessions)\(eligibility)\(vulnerabilities(f, m, base))\(travelDocuments(f, m,
                    base))\(reintegration(f, m, base))\(afterReturn(f, m, base))\(m.blocks.map(\.html))
                <h2 id="timeline">\(t("case.timeline"))</h2>
                <ol class="timeline">\(x.timeline.map { HTML("<li><time>\(Layout.dateTime($0.at))</time><strong>\($0.actor)</strong> · \($0.text)</li>") })</ol>
                """, savedAt: saved.map(landing), t,
                message: saved == proposedSection ? "return.td.proposed" : "form.saved"))
    }

    /// The `saved` section of the file's address when the reader comes back from proposing an embassy.
    static let proposedSection = "td-proposed"

    /// Where the reader lands after saving a section: the heading of the part of the file it changed.
    static func landing(_ section: String) -> String {
        switch section {
        case "move", "exceptions": return "stage"
        case "child", "vot", "medical": return "vulnerabilities"
        case "plan", "grant", "cargo": return section == "grant" ? "grants" : "reintegration"
        case "sessions", "eligibility", "intake", "monitoring", "consent": return section
        default:
            if section.hasPrefix("td") { return "travel-documents" }
            if section.hasPrefix("pay-") { return "grants" }
            if section.hasPrefix("cargo-") { return "reintegration" }
            return "intake"
        }
    }

    static func vulnerabilities(_ f: SectionForms, _ m: FileModel, _ base: String) -> HTML {
        let t = f.t
        let x = m.file
        let id = m.identity
        let child = x.vulnerabilities.first { $0.kind == VulnerabilityKind.unaccompaniedChild.rawValue }
        let vot = x.vulnerabilities.first {
            $0.kind == VulnerabilityKind.trafficking.rawValue || $0.kind == "restricted"
        }
        let med = x.vulnerabilities.first { $0.kind == VulnerabilityKind.medical.rawValue }
        func open(_ s: String, _ present: Bool) -> HTML { HTML(raw: f.failure?.section == s ? " open" : "") }
        func remove(_ kind: String, _ present: Bool) -> HTML {
            present
                ? Layout.confirmedAction(
                    f.req, action: "\(base)/vulnerabilities/\(kind)/remove", label: t("return.vulnerability.remove"),
                    confirm: t("return.vulnerability.remove.confirm")) : .empty
        }
        let present = x.vulnerabilities.map { v -> HTML in
            "<li>\(v.visible ? t("vuln.\(v.kind)") : t("return.restricted.record"))</li>"
        }
        var parts: [HTML] = [
            "<h2 id=\"vulnerabilities\">\(t("return.vulnerabilities"))</h2>",
            present.isEmpty
                ? "<p class=\"empty\">\(t("return.vulnerabilities.none"))</p>" : "<ul class=\"card\">\(present)</ul>",
        ]
        if id.hasAny(ReturnAccess.write) && child?.visible != false {
            let c = child?.child
            parts.append(
                "<details\(open("child", child != nil))><summary>\(t("vuln.unaccompanied_child"))</summary>"
                    + f.form(
                        "\(base)/vulnerabilities/unaccompanied_child", "child", button: "form.save",
                        """
                        <div class="grid">\(f.words("child", "familyAssessment", "return.child.assessment",
                            FamilyAssessmentStatus.self, prefix: "assessment", c?.familyAssessment.rawValue))
                        \(f.words("child", "assessmentOutcome", "return.child.outcome", FamilyAssessmentOutcome.self,
                            prefix: "assessmentoutcome", c?.assessmentOutcome.rawValue))
                        \(f.check("child", "guardianHostConfirmed", "return.child.guardianHost",
                            c?.guardianHostConfirmed ?? false))
                        \(f.field("child", "guardianHostName", "return.child.guardianHostName", c?.guardianHostName))
                        \(f.check("child", "guardianReturnConfirmed", "return.child.guardianReturn",
                            c?.guardianReturnConfirmed ?? false))
                        \(f.field("child", "guardianReturnName", "return.child.guardianReturnName",
                            c?.guardianReturnName))</div>
                        """) + remove("unaccompanied_child", child != nil) + "</details>")
        }
        if id.hasAny(ReturnAccess.write) && (vot == nil || vot?.visible == true) {
            let v = vot?.trafficking
            let staff = m.staff.map { s -> HTML in
                let on =
                    f.failure?.section == "vot"
                    ? f.failure?.fields["grant_\(s.value)"] != nil : (v?.grantedUserIDs.contains(s.value) ?? false)
                return
                    """
                    <label class=\"check-line\"><input type=\"checkbox\" name=\"grant_\(s.value)\" \
                    value=\"true\"\(HTML(raw: on ? " checked" : ""))> \(s.label)</label>
                    """
            }
            parts.append(
                """
                <details\(open("vot", vot != nil))><summary>\(t("vuln.trafficking"))</summary><p \
                class=\"hint\">\(t("return.vot.hint"))</p>
                """
                    + f.form(
                        "\(base)/vulnerabilities/trafficking", "vot", button: "form.save",
                        """
                        <div class="grid">\(f.field("vot", "referralSource", "return.vot.referral", v?.referralSource))
                        \(f.words("vot", "exploitation", "return.vot.exploitation", Exploitation.self,
                            prefix: "exploitation", v?.exploitation.rawValue, blank: true))
                        \(f.field("vot", "postReturnPartner", "return.vot.partner", v?.postReturnPartner))</div>
                        \(f.area("vot", "returnPlan", "return.vot.plan", v?.returnPlan))
                        <fieldset class="card"><legend>\(t("return.vot.granted"))</legend>\(staff)</fieldset>
                        """) + remove("trafficking", vot != nil) + "</details>")
        }
        if ReturnAccess.writesMedical(id) {
            let d = med?.medical
            let yesNo: Options = [("true", t("answer.yes")), ("false", t("answer.no"))]
            parts.append(
                """
                <details\(open("medical", med != nil))><summary>\(t("vuln.medical"))</summary><p \
                class=\"hint\">\(t("return.medical.hint"))</p>\(m.medicalBasis)
                """
                    + f.form(
                        "\(base)/vulnerabilities/medical", "medical", button: "form.save",
                        """
                        <div class="grid">\(f.words("medical", "category", "return.medical.category",
                            MedicalCategory.self, prefix: "medcat", d?.category.rawValue, blank: true))
                        \(f.check("medical", "chronic", "return.medical.chronic", d?.chronic ?? false))
                        \(f.words("medical", "treatmentAvailability", "return.medical.treatment",
                            TreatmentAvailability.self, prefix: "treatment", d?.treatmentAvailability.rawValue))
                        \(f.check("medical", "recordsTranslated", "return.medical.translated",
                            d?.recordsTranslated ?? false))
                        \(f.select("medical", "fitToFlyRequired", "return.medical.fitRequired", yesNo,
                            String(d?.fitToFlyRequired ?? true)))
                        \(f.words("medical", "fitToFly", "return.medical.fit", FitToFly.self, prefix: "fit",
                            d?.fitToFly.rawValue))
                        \(f.field("medical", "fitToFlyOn", "return.medical.fitOn", d?.fitToFlyOn?.isoText,
                            type: "date"))
                        \(f.field("medical", "fitToFlyValidUntil", "return.medical.fitUntil",
                            d?.fitToFlyValidUntil?.isoText, type: "date"))
                        \(f.words("medical", "escort", "return.medical.escort", Escort.self, prefix: "escort",
                            d?.escort.rawValue))
                        \(f.field("medical", "postReturnBudget", "return.medical.budget",
                            d.map { DecimalInput.format($0.postReturnBudget, decimals: 2) }))</div>
                        """) + remove("medical", med != nil) + "</details>")
        }
        // Read only, for whoever reads a record without writing it (opened in an emergency).
        if let d = med?.medical, !ReturnAccess.writesMedical(id) {
            parts.append(
                """
                <section class="card" id="medical-read"><h3>\(t("vuln.medical"))</h3><dl class="facts">\
                <dt>\(t("return.medical.category"))</dt><dd>\(t("medcat.\(d.category.rawValue)"))</dd>\
                <dt>\(t("return.medical.chronic"))</dt><dd>\(t(d.chronic ? "answer.yes" : "answer.no"))</dd>\
                <dt>\(t("return.medical.treatment"))</dt><dd>\(t("treatment.\(d.treatmentAvailability.rawValue)"))</dd>\
                <dt>\(t("return.medical.fit"))</dt><dd>\(t("fit.\(d.fitToFly.rawValue)"))\
                \(d.fitToFlyValidUntil.map { " – \($0.isoText)" } ?? "")</dd>\
                <dt>\(t("return.medical.escort"))</dt><dd>\(t("escort.\(d.escort.rawValue)"))</dd></dl></section>
                """)
        }
        if let v = vot?.trafficking, !id.hasAny(ReturnAccess.write) {
            parts.append(
                """
                <section class="card" id="trafficking-read"><h3>\(t("vuln.trafficking"))</h3><dl class="facts">\
                <dt>\(t("return.vot.referral"))</dt><dd>\(v.referralSource)</dd>\
                <dt>\(t("return.vot.exploitation"))</dt><dd>\(t("exploitation.\(v.exploitation.rawValue)"))</dd>\
                <dt>\(t("return.vot.plan"))</dt><dd>\(v.returnPlan.isEmpty ? "—" : v.returnPlan)</dd></dl></section>
                """)
        }
        // A record the viewer may not read, opened in an emergency with a reason, for an hour.
        var hidden = x.vulnerabilities.filter { !$0.visible }.map {
            VulnerabilityKind(rawValue: $0.kind)?.category.rawValue ?? DataCategory.trafficking.rawValue
        }
        if x.sessions.contains(where: { $0.notes == nil }) { hidden.append(DataCategory.notes.rawValue) }
        if !hidden.isEmpty && id.hasAny(BreakGlass.roles) {
            let options = hidden.map { (value: $0, label: t("category.\($0)")) }
            parts.append(
                f.folded(
                    "emergency", "emergency.open",
                    f.form(
                        "\(base)/emergency-access", "emergency", button: "emergency.open",
                        """
                        <p class="warning" role="note">\(t("emergency.warning", String(BreakGlass.minutes)))</p>\
                        \(f.select("emergency", "category", "emergency.category", options, hidden.first))\
                        \(f.area("emergency", "reason", "emergency.reason", hint: "emergency.reason.hint"))
                        """)))
        }
        return HTML(raw: parts.map(\.raw).joined())
    }

    static func travelDocuments(_ f: SectionForms, _ m: FileModel, _ base: String) -> HTML {
        let t = f.t
        let x = m.file
        let canWrite = m.identity.hasAny(ReturnAccess.write)
        // Back from proposing an embassy: the request form open, to choose it.
        let proposed = f.req.query[String.self, at: "saved"] == proposedSection
        let rows = x.travelDocuments.map { d -> HTML in
            let s = "td-\(d.id.uuidString)"
            let update: HTML =
                canWrite && TravelDocumentStatus(rawValue: d.status)?.isOpen == true
                ? ("<details\(f.failure?.section == s ? " open" : "")><summary>\(t("return.td.update"))</summary>"
                    + f.form(
                        "\(base)/travel-documents/\(d.id.uuidString)", s, button: "form.save",
                        """
                        <div class="grid">\(f.words(s, "status", "return.td.status", TravelDocumentStatus.self,
                            prefix: "tdstatus", d.status))
                        \(f.field(s, "interviewOn", "return.td.interview", d.interviewOn, type: "date"))
                        \(f.field(s, "number", "return.td.number", d.number))
                        \(f.field(s, "issuedOn", "return.td.issued", d.issuedOn, type: "date"))
                        \(f.field(s, "expiresOn", "return.td.expires", d.expiresOn, type: "date"))</div>
                        """) + "</details>") : .empty
            return
                """
                <tr><td>\(d.embassy)<br><a \
                href=\"/return/travel-documents/letter/\(d.embassyID.uuidString)\">\(t("return.td.letter"))</a></td><td>\(t("tdkind.\(d.kind)"))</td><td>\(t("tdstatus.\(d.status)"))</td><td>\(d.requestedOn)</td><td>\(d.interviewOn ?? "—")</td><td>\(d.number.isEmpty ? "—" : d.number)\(d.issuedOn.map { HTML("<br><small>\(t("return.td.issued")) \($0)</small>") } ?? .empty)</td><td>\(d.expiresOn ?? "—")</td></tr><tr><td colspan=\"7\">\(update)</td></tr>
                """
        }
        let table: HTML =
            x.travelDocuments.isEmpty
            ? "<p class=\"empty\">\(t("return.td.none"))</p>"
            : """
            <table><thead><tr><th>\(t("return.td.embassy"))</th><th>\(t("return.td.kind"))</th>\
            <th>\(t("return.td.status"))</th><th>\(t("return.td.requested"))</th><th>\(t("return.td.interview"))</th>\
            <th>\(t("return.td.number"))</th><th>\(t("return.td.expires"))</th></tr></thead><tbody>\(rows)</tbody>\
            </table>
            """
        let propose: HTML = """
            <p class="hint"><a \
            href="/registry/embassies/propose?back=\(urlQuery("\(base)?saved=\(proposedSection)#saved"))">\
            \(t("return.td.propose"))</a></p>
            """
        let request: HTML =
            canWrite
            ? ("<details\(f.failure?.section == "td" || proposed ? " open" : "")>"
                + "<summary>\(t("return.td.request"))</summary>"
                + (m.embassies.isEmpty
                    ? HTML("<p class=\"empty\">\(t("return.td.noembassies"))</p>\(propose)")
                    : f.form(
                        "\(base)/travel-documents", "td", button: "return.td.request",
                        """
                        <div class="grid">\(f.select("td", "embassyID", "return.td.embassy", m.embassies, nil,
                            blank: "—"))
                        \(f.words("td", "kind", "return.td.kind", TravelDocumentKind.self, prefix: "tdkind", nil))
                        \(f.field("td", "requestedOn", "return.td.requested", ReturnRecords.today().isoText,
                            type: "date"))</div>\(propose)
                        """)) + "</details>") : .empty
        return "<h2 id=\"travel-documents\">\(t("return.td"))</h2>\(table)\(request)"
    }

    /// The budget as rows of an item and an amount: the plan's lines and three empty rows after them.
    static func budgetRows(_ f: SectionForms, _ lines: [ReturnValidation.BudgetLine]) -> HTML {
        let t = f.t
        let typed =
            (f.failure?.section == "plan"
                ? f.failure?.fields.keys.compactMap { k -> Int? in
                    k.hasPrefix("budgetItem_") ? Int(k.dropFirst(11)) : nil
                }.max() : nil) ?? 0
        let count = min(ReturnValidation.budgetLines, max(5, max(lines.count, typed) + 3))
        let rows = (1...count).map { i -> HTML in
            let line = i <= lines.count ? lines[i - 1] : nil
            let item = f.value("plan", "budgetItem_\(i)", line?.item) ?? ""
            let amount =
                f.value("plan", "budgetAmount_\(i)", line.map { DecimalInput.format($0.amount, decimals: 2) }) ?? ""
            func cell(_ name: String, _ value: String, _ label: String, _ mode: String) -> HTML {
                let id = f.id("plan", name)
                let message = f.error("plan", name)
                let invalid = message == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(id)-error\""
                let err: HTML = message.map { "<span class=\"field-error\" id=\"\(id)-error\">\($0)</span>" } ?? .empty
                return """
                    <td><input name="\(name)" id="\(id)" value="\(value)" aria-label="\(label) \(i)"\
                    \(HTML(raw: mode + invalid))>\(err)</td>
                    """
            }
            return """
                <tr><th scope="row">\(i)</th>\(cell("budgetItem_\(i)", item, t("return.plan.item"), ""))\
                \(cell("budgetAmount_\(i)", amount, t("return.plan.amount"), " inputmode=\"decimal\" size=\"10\""))</tr>
                """
        }
        return """
            <fieldset class="budget"><legend>\(t("return.plan.budget"))</legend>\
            <p class="hint">\(t("return.plan.budget.rows"))</p>\
            \(f.error("plan", "budget").map { HTML("<span class=\"field-error\" id=\"f-plan-budget\">\($0)</span>") } ?? .empty)\
            <table><thead><tr><th>#</th><th>\(t("return.plan.item"))</th><th>\(t("return.plan.amount"))</th></tr></thead>\
            <tbody>\(rows)</tbody></table></fieldset>
            """
    }

    static func reintegration(_ f: SectionForms, _ m: FileModel, _ base: String) -> HTML {
        let t = f.t
        let x = m.file
        let canWrite = m.identity.hasAny(ReturnAccess.write)
        let planView: HTML =
            x.plan.map { p in
                """
                <section class=\"card\"><p><strong>\(t("purpose.\(p.purpose)"))</strong> · \
                \(t("return.plan.total")) \
                \(Money.format(p.total))</p><p>\(p.description)</p><ul>\(p.budget.map { HTML("<li>\($0.item): \(Money.format($0.amount))</li>") })</ul></section>
                """
            } ?? "<p class=\"empty\">\(t("return.plan.none"))</p>"
        let planForm: HTML =
            canWrite
            ? ("<details\(f.failure?.section == "plan" ? " open" : "")><summary>\(t(x.plan == nil ? "return.plan.write" : "return.plan.edit"))</summary>"
                + f.form(
                    "\(base)/plan", "plan", button: "form.save",
                    """
                    <div class="grid">\(f.words("plan", "purpose", "return.plan.purpose", PlanPurpose.self,
                        prefix: "purpose", x.plan?.purpose, blank: true))</div>
                    \(f.area("plan", "description", "return.plan.description", x.plan?.description))
                    \(budgetRows(f, x.plan?.budget ?? []))
                    """) + "</details>") : .empty
        let grants = x.grants.map { g -> HTML in
            let s = "pay-\(g.id.uuidString)"
            let payments = g.payments.map { p -> HTML in
                """
                <li>\(p.paidOn): \(Money.format(p.amount)) \
                \(t("payment.\(p.kind)"))\(p.proofReference.isEmpty ? "" : " · \(p.proofReference)")\(p.reportedBy.isEmpty ? "" : " · \(p.reportedBy)")</li>
                """
            }
            let payForm: HTML =
                m.identity.hasAny(ReturnAccess.payments)
                ? ("<details\(f.failure?.section == s ? " open" : "")><summary>\(t("return.payment.add"))</summary>"
                    + f.form(
                        "\(base)/grants/\(g.id.uuidString)/payments", s, button: "return.payment.submit",
                        """
                        <div class="grid">\(f.words(s, "kind", "return.payment.kind", PaymentKind.self,
                            prefix: "payment", nil, blank: true))
                        \(f.field(s, "amount", "return.amount", nil, hint: "return.amount.hint"))
                        \(f.field(s, "paidOn", "return.payment.on", ReturnRecords.today().isoText, type: "date"))
                        \(f.field(s, "proofReference", "return.payment.proof", nil, hint: "return.payment.proof.hint"))
                        \(f.field(s, "reportedBy", "return.payment.office", nil))</div>
                        """) + "</details>") : .empty
            return """
                <section class="card grant"><p><strong>\(t("grant.\(g.type)")) \(Money.format(g.amount))\
                </strong>\(g.grantedOn.map { " · " + t("return.grant.granted", $0) } ?? "")\
                \(g.funder.map { " · " + t("return.grant.onbehalf", $0) } ?? "")</p>
                <p>\(t("payment.cash")): \(Money.format(g.cashPaid)) / \(Money.format(g.cash)) · \
                \(t("payment.in_kind")): \(Money.format(g.inKindPaid)) / \(Money.format(g.inKind))</p>
                \(payments.isEmpty ? .empty : HTML("<ul>\(payments)</ul>"))\(payForm)</section>
                """
        }
        let funders: Options = m.ngos
        let grantForm: HTML =
            canWrite
            ? ("<details\(f.failure?.section == "grant" ? " open" : "")><summary>\(t("return.grant.add"))</summary>"
                + f.form(
                    "\(base)/grants", "grant", button: "return.grant.submit",
                    """
                    <div class="grid">\(f.words("grant", "type", "return.grant.type", GrantType.self, prefix: "grant",
                        nil, blank: true))
                    \(f.field("grant", "amount", "return.amount", nil, hint: "return.amount.hint"))
                    \(f.field("grant", "cash", "return.grant.cash", nil, hint: "return.grant.cash.hint"))
                    \(f.field("grant", "grantedOn", "return.grant.on", ReturnRecords.today().isoText, type: "date"))
                    \(f.select("grant", "funderID", "return.grant.funder", funders, nil,
                        blank: t("return.grant.programme")))</div>
                    """) + "</details>") : .empty
        let cargoRows = x.cargo.map { c -> HTML in
            let s = "cargo-\(c.id.uuidString)"
            let upd: HTML =
                canWrite
                ? f.form(
                    "\(base)/cargo/\(c.id.uuidString)", s, button: "form.save",
                    f.words(s, "clearance", "return.cargo.clearance", CargoClearance.self, prefix: "cargo", c.clearance)
                ) : .empty
            return
                """
                <tr><td>\(c.description)</td><td>\(DecimalInput.format(c.volumeLitres, decimals: 3)) \
                m³</td><td>\(t("cargo.\(c.clearance)"))</td><td>\(upd)</td></tr>
                """
        }
        let cargo: HTML = """
            <h3>\(t("return.cargo"))</h3>
            \(x.cargo.isEmpty ? HTML("<p class=\"empty\">\(t("return.cargo.none"))</p>") : HTML("<table><tbody>\(cargoRows)</tbody></table>"))
            \(canWrite ? ("<details\(f.failure?.section == "cargo" ? " open" : "")><summary>\(t("return.cargo.add"))</summary>" + f.form("\(base)/cargo", "cargo", button: "return.cargo.add", """
                <div class="grid">\(f.field("cargo", "description", "return.cargo.description", nil))\(f.field("cargo", "volume", "return.cargo.volume", "1"))
                \(f.words("cargo", "clearance", "return.cargo.clearance", CargoClearance.self, prefix: "cargo", nil))\
                </div>
                """) + "</details>") : .empty)
            """
        return """
            <h2 id="reintegration">\(t("return.reintegration"))</h2>\(planView)\(planForm)
            <h3 id="grants">\(t("return.grants"))\
            </h3>\(x.grants.isEmpty ? HTML("<p class=\"empty\">\(t("return.grants.none"))</p>") : HTML(raw: grants.map(\.raw).joined()))\(grantForm)\(cargo)
            """
    }

    static func afterReturn(_ f: SectionForms, _ m: FileModel, _ base: String) -> HTML {
        let t = f.t
        let x = m.file
        let canWrite = m.identity.hasAny(ReturnAccess.write)
        let departed = !(ReturnStage(rawValue: x.stage)?.beforeDeparture ?? true)
        let visits = x.monitoring.map { v -> HTML in
            "<tr><td>\(v.visitedOn)</td><td>\(v.visitor)</td><td>\(t("progress.\(v.progress)"))</td><td>\(v.findings)</td></tr>"
        }
        let monitoring: HTML = """
            <h2 id="monitoring">\(t("return.monitoring"))</h2>
            <p>\(t("return.receivingOffice")): \(x.receivingOffice.isEmpty ? "—" : x.receivingOffice)</p>
            \(visits.isEmpty ? HTML("<p class=\"empty\">\(t("return.monitoring.none"))</p>") : HTML("<table><tbody>\(visits)</tbody></table>"))
            \(canWrite && departed ? ("<details\(f.failure?.section == "monitoring" ? " open" : "")><summary>\(t("return.monitoring.add"))</summary>" + f.form("\(base)/monitoring", "monitoring", button: "return.monitoring.add", """
                <div class="grid">\(f.field("monitoring", "visitedOn", "return.date", ReturnRecords.today().isoText, type: "date"))
                \(f.field("monitoring", "visitor", "return.monitoring.visitor", nil))
                \(f.words("monitoring", "progress", "return.monitoring.progress", ReintegrationProgress.self, prefix: "progress", nil, blank: true))
                \(f.field("monitoring", "receivingOffice", "return.receivingOffice", x.receivingOffice))</div>
                \(f.area("monitoring", "findings", "return.monitoring.findings", nil))
                """) + "</details>") : .empty)
            """
        let consent: HTML = """
            <h2 id="consent">\(t("return.eu"))</h2>
            <p>\(x.euConsentOn.map { t("return.eu.consented", $0) } ?? t("return.eu.noconsent"))</p>
            \(canWrite ? f.form("\(base)/consent", "consent", button: "form.save", """
                <div class="grid">\(f.check("consent", "consent", "return.eu.consent", x.euConsentOn != nil))
                \(f.field("consent", "consentOn", "return.eu.consentOn", x.euConsentOn, type: "date"))</div>
                """) : .empty)
            \(canWrite && x.euConsentOn != nil ? HTML("<p><a class=\"btn secondary\" href=\"/api/v1\(ReturnPaths.file(x.case.id))/eu-export\" download=\"eu-reintegration-\(x.case.reference).json\">\(t("return.eu.export"))</a> <span class=\"hint\">\(t("return.eu.export.hint"))</span></p>") : .empty)
            """
        return HTML(raw: monitoring.raw + consent.raw)
    }
}
