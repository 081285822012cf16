import Fluent
import PassageDomain
import SQLKit
import Vapor

/// The visa centre in the browser: the day's counters, intake, an application's way, batches and receipts.
enum VisaCentrePages {
    typealias Words = ReunificationPages

    /// Applications per status, each a link to the list of that status, and today's appointments.
    static func pipeline(_ req: Request) async throws -> HTML {
        let t = req.t
        let rows = try await req.db.sql.raw("SELECT status, COUNT(*) AS n FROM kv_applications GROUP BY status").all()
        var counts: [String: Int] = [:]
        for r in rows {
            counts[try r.decode(column: "status", as: String.self)] = try r.decode(column: "n", as: Int.self)
        }
        let today = Clock.today()
        let booked = try await KVAppointment.query(on: req.db).filter(\.$day == today.isoText)
            .filter(\.$status == .booked).count()
        let items = VisaApplicationStatus.allCases.map { s -> HTML in
            """
            <li><a href="\(VisaPaths.overview)?status=\(s.rawValue)#applications"><b>\(counts[s.rawValue] ?? 0)</b>\
            \(t("kv.status.\(s.rawValue)"))</a></li>
            """
        }
        return """
            <ol class="pipeline" aria-label="\(t("kv.pipeline"))">\(items)</ol>\
            <p><a href="\(VisaPaths.day(today))">\(t("kv.today.waiting", booked))</a></p>
            """
    }

    /// This year's figures as the period report gives them: applications, passports returned, median days.
    static func year(_ req: Request) async throws -> HTML {
        let today = Clock.today()
        var r = PeriodReport.Figures()
        try await ReportQueries(
            ReportPeriod(from: PartialDate(year: today.year, month: 1, day: 1)!, to: today), hub: "", on: req.db
        ).visaCentre(&r)
        func value(_ f: ReportFigure) -> Int { Int(r.values[f] ?? 0) }
        let t = req.t
        let figures = t(
            "kv.dash.figures", value(.visaApplications), value(.visaPassportsReturned), value(.visaProcessingDays))
        return """
            <p>\(figures)\
             <a href="/reports/period?from=\(today.year)-01-01&amp;to=\(today.isoText)#c-kv-months">\
            \(t("nav.reports"))</a></p>
            """
    }

    static func money(_ cents: Int, _ t: Translator) -> String {
        Money.format(cents, style: NumberStyle(language: t.locale))
    }

    /// A document's finding and reason as two compact controls of one table row, each with its message.
    static func checkControls(
        _ f: SectionForms, kind: String, label: String, outcome: String?, reason: String
    ) -> HTML {
        let t = f.t
        let chosen = f.value("verify", "doc_\(kind)", outcome) ?? ""
        let options =
            [HTML("<option value=\"\">—</option>")]
            + VerificationOutcome.allCases.map { o -> HTML in
                let on = o.rawValue == chosen ? " selected" : ""
                return "<option value=\"\(o.rawValue)\"\(HTML(raw: on))>\(t("kv.outcome.\(o.rawValue)"))</option>"
            }
        func message(_ name: String) -> HTML {
            f.error("verify", name).map { "<span class=\"field-error\" id=\"f-verify-\(name)-error\">\($0)</span>" }
                ?? .empty
        }
        return """
            <select name="doc_\(kind)" id="f-verify-doc_\(kind)" aria-label="\(t("kv.outcome")): \(label)">\(options)\
            </select>\(message("doc_\(kind)")) <input name="reason_\(kind)" id="f-verify-reason_\(kind)" \
            value="\(f.value("verify", "reason_\(kind)", reason) ?? "")" placeholder="\(t("kv.reason"))" \
            aria-label="\(t("kv.reason")): \(label)">\(message("reason_\(kind)"))
            """
    }

    // MARK: overview

    struct Overview {
        var applications: [KVApplication]
        var total: Int
        var paging: ListPaging
        var status: VisaApplicationStatus?
        var verified: [KVApplication]
        var batches: [KVBatch]
        var lookupsToday: (answered: Int, limited: Int)
        var pipeline: HTML
    }

    static func overview(_ req: Request, _ id: Identity, _ o: Overview, failure: SectionFailure?) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let rows = o.applications.map { a -> HTML in
            """
            <tr><td><a href="\(VisaPaths.application(a.id!))">\(a.number)</a></td>\
            <td>\(a.person.familyName), \(a.person.givenNames)</td><td>\(t("kv.type.\(a.visaType.rawValue)"))</td>\
            <td>\(a.receivedOn)</td><td><span class="badge kv-\(a.status.rawValue)">\
            \(t("kv.status.\(a.status.rawValue)"))</span></td></tr>
            """
        }
        let statusNote: HTML =
            o.status.map {
                "<p>\(t("kv.filtered", t("kv.status.\($0.rawValue)"))) <a href=\"\(VisaPaths.overview)\">"
                    + "\(t("kv.filter.clear"))</a></p>"
            } ?? .empty
        let query = o.status.map { [("status", $0.rawValue)] } ?? []
        let pager = o.paging.pager(
            total: o.total, countText: t("kv.applications.total", o.total), VisaPaths.overview, query: query, t)
        let chosen = Set((f.value("batch", "applicationIDs") ?? "").split(separator: ",").map(String.init))
        let ready = o.verified.map { a -> HTML in
            let on = chosen.isEmpty || chosen.contains(a.id!.uuidString)
            return """
                <tr><td><input type="checkbox" name="a_\(a.id!.uuidString)" value="true" \
                aria-label="\(a.number)"\(HTML(raw: on ? " checked" : ""))></td><td>\(a.number)</td>\
                <td>\(a.person.familyName), \(a.person.givenNames)</td><td>\(t("kv.type.\(a.visaType.rawValue)"))</td>\
                </tr>
                """
        }
        let batchForm: HTML =
            ready.isEmpty
            ? "\(f.summary("batch"))<p class=\"empty\">\(t("kv.batch.none.ready"))</p>"
            : f.form(
                VisaPaths.overview + "/batches", "batch", button: "kv.batch.save",
                """
                \(Words.table(["", t("kv.number"), t("kv.applicant"), t("kv.type")], ready, empty: ""))\
                \(f.field("batch", "note", "kv.note"))
                """)
        let batches = o.batches.map { b -> HTML in
            "<tr><td><a href=\"\(VisaPaths.batch(b.id!))\">\(b.number)</a></td><td>\(b.forwardedOn)</td></tr>"
        }
        return Layout.page(
            req: req, identity: id, title: t("kv.title"),
            body: """
                <h1>\(t("kv.title"))</h1>
                <section class="card"><h2>\(t("kv.pipeline"))</h2>\(o.pipeline)\
                <p><a class="button primary" href="\(VisaPaths.appointments)">\(t("kv.appointments"))</a> \
                <a class="button" href="\(VisaPaths.newApplication)">\(t("kv.intake.new"))</a></p></section>
                <section class="card" id="applications"><h2>\(t("kv.applications"))</h2>\(statusNote)\
                \(Words.table(
                    [t("kv.number"), t("kv.applicant"), t("kv.type"), t("kv.receivedOn"), t("kv.status")], rows,
                    empty: t("kv.applications.none")))\(pager)</section>
                <section class="card" id="forward"><h2>\(t("kv.batch.new"))</h2><p class="hint">\
                \(t("kv.batch.hint"))</p>\(batchForm)</section>
                <section class="card" id="batches"><h2>\(t("kv.batches"))</h2>\
                \(Words.table([t("kv.batch"), t("kv.forwardedOn")], batches, empty: t("kv.batches.none")))</section>
                <section class="card" id="lookups"><h2>\(t("kv.lookups"))</h2>\
                <p>\(t("kv.lookups.today", o.lookupsToday.answered, o.lookupsToday.limited))</p>\
                <p><a href="\(VisaPaths.status)">\(t("kv.lookups.page"))</a></p></section>
                """)
    }

    // MARK: appointments

    static func day(
        _ req: Request, _ id: Identity, day: PartialDate, _ rows: [KVAppointment], failure: SectionFailure?
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let hours = VisaCentreRecords.hours
        let times = hours.times(on: day)
        let write = id.hasAny(VisaAccess.write)
        var held: [String: KVAppointment] = [:]
        for a in rows where a.status == .booked || a.status == .attended { held["\(a.time)#\(a.counter)"] = a }
        func cell(_ a: KVAppointment) -> HTML {
            let walkIn: HTML = a.walkIn ? " <small>(\(t("kv.walkIn")))</small>" : .empty
            let take: HTML =
                a.status == .booked && write
                ? """
                 <a class="button" href="\(VisaPaths.newApplication)?appointment=\(a.id!.uuidString)">\
                \(t("kv.takeIn"))</a>
                """
                : a.$application.id.map { " <a href=\"\(VisaPaths.application($0))\">\(t("kv.application"))</a>" }
                    ?? .empty
            return """
                <td class="taken">\(a.name)\(walkIn)<br><small>\(t("kv.type.\(a.visaType.rawValue)")) · \
                \(t("kv.appointment.\(a.status.rawValue)"))</small>\
                \(take)</td>
                """
        }
        let grid = times.map { time -> HTML in
            let cells = (1...hours.counters).map { c -> HTML in
                held["\(time)#\(c)"].map(cell) ?? "<td class=\"free\">\(t("kv.free"))</td>"
            }
            return "<tr><th scope=\"row\">\(time)</th>\(cells)</tr>"
        }
        let heads = [t("kv.time")] + (1...hours.counters).map { t("kv.counter.n", $0) }
        let closed = hours.schedule.closedReason(on: day)
        let table: HTML =
            closed != nil
            ? "<p class=\"empty\">\(t("kv.closed"))</p>" : Words.table(heads, grid, empty: "", "counters")
        let others = rows.filter { $0.status == .cancelled || $0.status == .noShow }.map { a -> HTML in
            """
            <li>\(a.time) · \(t("kv.counter.n", a.counter)) · \(a.name) · \
            \(t("kv.appointment.\(a.status.rawValue)"))</li>
            """
        }
        let open = rows.filter { $0.status == .booked }.map { a -> HTML in
            """
            <li><form method="post" action="\(VisaPaths.appointments)/\(a.id!.uuidString)/status?day=\(day.isoText)" \
            class="inline">\(Layout.csrfField(req))<span>\(a.time) · \(t("kv.counter.n", a.counter)) · \
            \(a.name)</span> \
            <select name="status" aria-label="\(t("kv.appointment.change"))"><option value="no_show">\
            \(t("kv.appointment.no_show"))</option><option value="cancelled">\(t("kv.appointment.cancelled"))</option>\
            </select> <button type="submit">\(t("kv.appointment.change"))</button></form></li>
            """
        }
        let waiting: HTML =
            open.isEmpty
            ? .empty
            : """
            <section class="card" id="waiting"><h2>\(t("kv.waiting"))</h2><ul class="plain">\(open)</ul></section>
            """
        let missed: HTML =
            others.isEmpty
            ? .empty : "<section class=\"card\"><h2>\(t("kv.notSeen"))</h2><ul>\(others)</ul></section>"
        let types = KoreanVisaType.allCases.map { (value: $0.rawValue, label: t("kv.type.\($0.rawValue)")) }
        let timeOptions =
            (times.isEmpty
            ? VisaCentreHours().times(on: PartialDate(year: 2026, month: 1, day: 5)!)
            : times).map { (value: $0, label: $0) }
        let counters = (1...hours.counters).map { (value: String($0), label: t("kv.counter.n", $0)) }
        let forms: HTML =
            write
            ? """
            \(f.folded("book", "kv.book.title", f.form(
                VisaPaths.appointments + "?day=\(day.isoText)", "book", button: "kv.book.save",
                """
                \(f.field("book", "day", "kv.day", day.isoText, type: "date"))\
                \(f.select("book", "time", "kv.time", timeOptions, nil))\
                \(f.select("book", "counter", "kv.counter", counters, "1"))\
                \(f.field("book", "name", "kv.name"))\
                \(f.field("book", "contact", "kv.contact", hint: "kv.contact.hint"))\
                \(f.select("book", "visaType", "kv.type", types, nil, blank: "—"))
                """)))\
            \(f.folded("walkin", "kv.walkIn.title", f.form(
                VisaPaths.appointments + "?day=\(day.isoText)", "walkin", button: "kv.walkIn.save",
                """
                <input type="hidden" name="walkIn" value="true">\
                \(f.field("walkin", "name", "kv.name"))\(f.field("walkin", "contact", "kv.contact"))\
                \(f.select("walkin", "visaType", "kv.type", types, nil, blank: "—"))
                """)))
            """ : .empty
        let prev = Clock.day(day, plus: -1)
        let next = Clock.day(day, plus: 1)
        return Layout.page(
            req: req, identity: id, title: t("kv.appointments"),
            body: """
                <p><a href="\(VisaPaths.overview)">\(t("kv.title"))</a></p>
                <h1>\(t("kv.appointments.on", t.day(day)))</h1>
                <nav class="pager"><a href="\(VisaPaths.day(prev))" rel="prev">\(t("kv.day.prev"))</a>\
                <form method="get" action="\(VisaPaths.appointments)" class="inline"><label>\(t("kv.day")) \
                <input type="date" name="day" value="\(day.isoText)"></label> <button type="submit">\(t("kv.day.go"))\
                </button></form><a href="\(VisaPaths.day(next))" rel="next">\(t("kv.day.next"))</a></nav>
                <section class="card" id="counters"><h2>\(t("kv.counters"))</h2>\
                <p>\(t("kv.capacity", held.count, times.count * hours.counters))</p>\(table)</section>
                \(f.summary("status"))\
                \(waiting)\(missed)\
                \(forms)
                """)
    }

    // MARK: intake

    static func intake(
        _ req: Request, _ id: Identity, appointment: KVAppointment?, failure: SectionFailure?
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let s = "intake"
        let types = KoreanVisaType.allCases.map {
            (value: $0.rawValue, label: "\(t("kv.type.\($0.rawValue)")) — \(money($0.feeCents, t))")
        }
        let payments = VisaPaymentMethod.allCases.map { (value: $0.rawValue, label: t("kv.payment.\($0.rawValue)")) }
        let from: HTML =
            appointment.map {
                """
                <p class="notice">\(t("kv.intake.from", $0.name, $0.time, $0.counter))</p>\
                <input type="hidden" name="appointmentID" value="\($0.id!.uuidString)">
                """
            } ?? .empty
        let checklists = KoreanVisaType.allCases.map { type -> HTML in
            let items = type.checklist.map { item -> HTML in
                "<li>\(t("kv.doc.\(item.kind.rawValue)"))\(item.required ? "" : " (\(t("kv.optional")))")</li>"
            }
            return "<details><summary>\(t("kv.type.\(type.rawValue)"))</summary><ul>\(items)</ul></details>"
        }
        let form = f.form(
            VisaPaths.newApplication, s, button: "kv.intake.save",
            """
            \(from)\
            \(f.select(s, "visaType", "kv.type", types, appointment?.visaType.rawValue, blank: "—"))\
            \(f.area(s, "mrz", "kv.mrz", rows: 2, hint: "kv.mrz.hint"))\
            \(f.field(s, "personReference", "kv.person.reference", hint: "kv.person.reference.hint"))\
            \(f.field(s, "nationality", "kv.nationality", "NL", hint: "kv.nationality.hint"))\
            \(f.field(s, "phone", "kv.phone", hint: "kv.phone.hint"))\
            \(f.select(s, "paymentMethod", "kv.payment", payments, "card"))\
            <p class="hint">\(t("kv.fee.service", money(VisaCentreRecords.serviceFeeCents, t)))</p>
            """)
        return Layout.page(
            req: req, identity: id, title: t("kv.intake.new"),
            body: """
                <p><a href="\(VisaPaths.overview)">\(t("kv.title"))</a></p>
                <h1>\(t("kv.intake.new"))</h1>\(form)
                <section class="card"><h2>\(t("kv.checklists"))</h2>\(checklists)</section>
                """)
    }

    // MARK: one application

    static func application(_ req: Request, _ id: Identity, _ a: KVApplication, failure: SectionFailure?) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let write = id.hasAny(VisaAccess.write)
        let dto = VisaCentreAPIController.ApplicationDTO(a)
        let open = a.status <= .verified && write
        let docs = dto.documents.map { d -> HTML in
            let k = d.kind.rawValue
            let text =
                d.outcome.map {
                    t("kv.outcome.\($0.rawValue)") + (d.reason.isEmpty ? "" : ": \(d.reason)")
                        + (d.checkedBy.map { " (\($0))" } ?? "")
                } ?? t("kv.unchecked")
            let found: HTML = "\(text)"
            let inputs: HTML =
                open
                ? """
                <td class="check">\
                \(checkControls(f, kind: k, label: t("kv.doc.\(k)"), outcome: d.outcome?.rawValue, reason: d.reason))\
                </td>
                """ : .empty
            return """
                <tr><td>\(t("kv.doc.\(k)"))\(d.required ? "" : " (\(t("kv.optional")))")</td><td>\(found)</td>\
                \(inputs)</tr>
                """
        }
        let heads = [t("kv.document"), t("kv.found")] + (open ? [t("kv.check")] : [])
        let docTable = Words.table(heads, docs, empty: "")
        let checklist: HTML =
            open
            ? f.form(VisaPaths.application(a.id!) + "/verification", "verify", button: "kv.verify.save", docTable)
            : docTable
        let decisions = VisaDecision.allCases.map { (value: $0.rawValue, label: t("kv.decision.\($0.rawValue)")) }
        let decisionForm: HTML =
            a.status == .forwarded && write
            ? f.folded(
                "decision", "kv.decision.title",
                f.form(
                    VisaPaths.application(a.id!) + "/decision", "decision", button: "kv.decision.save",
                    """
                    \(f.select("decision", "decision", "kv.decision", decisions, nil, blank: "—"))\
                    \(f.field("decision", "decidedOn", "kv.decidedOn", Clock.today().isoText, type: "date"))
                    """)) : .empty
        let hows = PassportReturn.allCases.map { (value: $0.rawValue, label: t("kv.return.\($0.rawValue)")) }
        let returnForm: HTML =
            a.status == .decided && write
            ? f.folded(
                "return", "kv.return.title",
                f.form(
                    VisaPaths.application(a.id!) + "/return", "return", button: "kv.return.save",
                    """
                    \(f.select("return", "how", "kv.return.how", hows, "collected"))\
                    \(f.field("return", "collectedBy", "kv.collectedBy"))\
                    \(f.check("return", "signed", "kv.signed", false))\
                    \(f.field("return", "courierReference", "kv.courierReference"))\
                    \(f.field("return", "returnedOn", "kv.returnedOn", Clock.today().isoText, type: "date"))
                    """)) : .empty
        var facts: [(String, String)] = [
            (t("kv.type"), t("kv.type.\(a.visaType.rawValue)")), (t("kv.receivedOn"), a.receivedOn),
            (t("kv.passport"), "\(a.passportNumber) (\(t("kv.validUntil", a.passportExpiresOn)))"),
            (
                t("kv.fee"),
                "\(money(a.feeCents + a.serviceFeeCents, t)) · \(t("kv.payment.\(a.paymentMethod.rawValue)"))"
            ),
        ]
        if let b = a.batch { facts.append((t("kv.batch"), b.number)) }
        if let d = a.decision, let on = a.decidedOn {
            facts.append((t("kv.decision"), "\(t("kv.decision.\(d.rawValue)")) · \(on)"))
        }
        if let r = a.returnedOn, let how = a.returnedHow {
            let who = how == .collected ? (a.collectedBy ?? "") : (a.courierReference ?? "")
            facts.append((t("kv.returnedOn"), "\(r) · \(t("kv.return.\(how.rawValue)")) · \(who)"))
        }
        let dl = facts.map { HTML("<dt>\($0.0)</dt><dd>\($0.1)</dd>") }
        let batchLink: HTML =
            a.batch.map { "<a href=\"\(VisaPaths.batch($0.id!))\">\(t("kv.manifest"))</a> · " } ?? .empty
        return Layout.page(
            req: req, identity: id, title: a.number,
            body: """
                <p><a href="\(VisaPaths.overview)">\(t("kv.title"))</a></p>
                <h1>\(t("kv.application.title", a.number)) <span class="badge kv-\(a.status.rawValue)">\
                \(t("kv.status.\(a.status.rawValue)"))</span></h1>
                <p><a href="/persons/\(a.$person.id.uuidString)">\(a.person.familyName), \(a.person.givenNames)</a> \
                (\(a.person.reference)) · <a href="/cases/\(a.$caseRecord.id.uuidString)">\
                \(a.caseRecord.reference)</a> · \
                \(batchLink)<a href="\(VisaPaths.receipt(a.id!))">\(t("kv.receipt"))</a></p>
                <section class="card"><dl class="facts">\(dl)</dl></section>
                <section class="card" id="documents"><h2>\(t("kv.documents"))</h2>\(checklist)</section>
                \(decisionForm)\(returnForm)
                """)
    }

    static func receipt(_ req: Request, _ id: Identity, _ a: KVApplication) -> HTML {
        let t = req.t
        let rows: [(String, String)] = [
            (t("kv.receipt.number"), a.receiptNumber), (t("kv.number"), a.number), (t("kv.receivedOn"), a.receivedOn),
            (t("kv.applicant"), "\(a.person.familyName), \(a.person.givenNames)"),
            (t("kv.type"), t("kv.type.\(a.visaType.rawValue)")), (t("kv.fee.embassy"), money(a.feeCents, t)),
            (t("kv.fee.centre"), money(a.serviceFeeCents, t)),
            (t("kv.fee.total"), money(a.feeCents + a.serviceFeeCents, t)),
            (t("kv.payment"), t("kv.payment.\(a.paymentMethod.rawValue)")), (t("kv.clerk"), a.createdBy),
        ]
        let dl = rows.map { HTML("<dt>\($0.0)</dt><dd>\($0.1)</dd>") }
        return Layout.page(
            req: req, identity: id, title: t("kv.receipt"),
            body: """
                <p class="no-print"><a href="\(VisaPaths.application(a.id!))">\(a.number)</a> · \
                <button type="button" onclick="window.print()">\(t("kv.print"))</button></p>
                <article class="card kv-receipt"><h1>\(t("kv.receipt.title"))</h1><dl class="facts">\(dl)</dl>\
                <p>\(t("kv.receipt.status", VisaPaths.status))</p></article>
                """)
    }

    static func manifest(_ req: Request, _ id: Identity, _ b: KVBatch, _ apps: [KVApplication]) -> HTML {
        let t = req.t
        let rows = apps.enumerated().map { i, a -> HTML in
            """
            <tr><td>\(i + 1)</td><td><a href="\(VisaPaths.application(a.id!))">\(a.number)</a></td>\
            <td>\(a.person.familyName), \(a.person.givenNames)</td><td>\(a.birthDate)</td><td>\(a.passportNumber)</td>\
            <td>\(t("kv.type.\(a.visaType.rawValue)"))</td><td>\(t("kv.status.\(a.status.rawValue)"))</td></tr>
            """
        }
        return Layout.page(
            req: req, identity: id, title: b.number,
            body: """
                <p class="no-print"><a href="\(VisaPaths.overview)#batches">\(t("kv.batches"))</a> · \
                <button type="button" onclick="window.print()">\(t("kv.print"))</button></p>
                <article class="card kv-manifest"><h1>\(t("kv.manifest.title", b.number))</h1>\
                <p>\(t("kv.manifest.lead", b.forwardedOn, apps.count, b.createdBy))</p>\
                \(b.note.isEmpty ? HTML.empty : HTML("<p>\(b.note)</p>"))\
                \(Words.table(
                    ["#", t("kv.number"), t("kv.applicant"), t("kv.dateOfBirth"), t("kv.passport"), t("kv.type"),
                     t("kv.status")], rows, empty: ""))\
                <p class="signature">\(t("kv.manifest.signed"))</p></article>
                """)
    }
}
