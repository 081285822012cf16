import Vapor
import PassageDomain

/// Bookings in the browser: the case's flights, the booking form (new and re-booking) and the booking page.
enum BookingPages {
    static func statusBadge(_ t: Translator, _ status: String) -> HTML {
        "<span class=\"badge booking-\(status)\">\(t("mv.status.\(status)"))</span>"
    }

    static func route(_ legs: [BookingFile.LegDTO]) -> String {
        let own = legs.filter { !$0.escortOnly }
        guard let first = own.first else { return "" }
        return ([first.from] + own.map(\.to)).joined(separator: " → ")
    }

    static func when(_ local: String) -> String { local.replacingOccurrences(of: "T", with: " ") }

    /// The flights block for whoever asks: empty for roles that do not see bookings.
    static func caseBlock(_ req: Request, _ id: Identity, caseID: UUID) async throws -> HTML {
        guard id.hasAny(MovementsAccess.read) else { return .empty }
        let canBook = id.hasAny(MovementsAccess.book)
        // Those who book see what the journey needs where they read the case.
        var needs = TravelNeeds()
        if canBook, let c = try await Case.find(caseID, on: req.db) {
            needs = try await Modules.travel(of: c, on: req.db)?.needs ?? TravelNeeds()
        }
        return caseBlock(
            req, caseID: caseID, bookings: try await BookingFile.forCase(caseID, for: id, on: req.db),
            canBook: canBook, needs: needs)
    }

    /// The flights of a case, on the case page and in the return file.
    static func caseBlock(
        _ req: Request, caseID: UUID, bookings: [BookingFile], canBook: Bool, needs: TravelNeeds = TravelNeeds()
    ) -> HTML {
        let t = req.t
        let rows = bookings.map { b -> HTML in
            let first = b.legs.first { !$0.escortOnly }
            // Messages that wait after a failure, or were given up, show where the case is read.
            let stuck = b.messages.filter { ($0.status == "pending" && $0.lastError != nil) || $0.status == "failed" }
                .count
            let warn: HTML =
                stuck == 0
                ? .empty
                : " <a class=\"badge warn\" href=\"\(MovementsPaths.booking(b.id))#messages\">\(t("mv.sms.stuck", stuck))</a>"
            return
                "<tr><td><a href=\"\(MovementsPaths.booking(b.id))\">\(b.reference.isEmpty ? t("mv.booking.noReference") : b.reference)</a></td><td>\(route(b.legs))</td><td class=\"nowrap\">\(first.map { when($0.departsLocal) } ?? "")</td><td>\(b.passengers.map(\.name).joined(separator: "; "))</td><td>\(statusBadge(t, b.status))\(warn)</td></tr>"
        }
        let add: HTML =
            canBook
            ? "<p><a class=\"btn\" href=\"\(CorePaths.case(caseID))/bookings/new\">\(t("mv.booking.new"))</a></p>"
            : .empty
        let table: HTML =
            bookings.isEmpty
            ? "<p class=\"empty\">\(t("mv.booking.none"))</p>"
            : """
            <table><thead><tr><th>\(t("mv.booking.reference"))</th><th>\(t("mv.booking.route"))</th>\
            <th>\(t("mv.leg.departs"))</th><th>\(t("mv.booking.passengers"))</th><th>\(t("mv.booking.status"))</th>\
            </tr></thead><tbody>\(rows)</tbody></table>
            """
        let needsLine: HTML =
            needs.isEmpty
            ? .empty
            : """
            <p class="needs">\(t("mv.ready.needs")): \
            \(HTML(raw: BookingQueue.needs(needs, t).map(\.raw).joined(separator: " ")))</p>
            """
        return "<section id=\"bookings\"><h2>\(t("mv.booking.title"))</h2>\(needsLine)\(add)\(table)</section>"
    }

    struct FormModel {
        var caseID: UUID
        var caseReference: String
        var persons: [(id: UUID, name: String)]
        var failure: SectionFailure?
        /// The booking being re-booked, whose values fill the form.
        var rebooking: BookingFile?
        /// What the case says the journey needs: shown above the form, and ticked in it for a new booking.
        var needs = TravelNeeds()
    }

    /// What the journey needs, as the case file says it, for the person booking; nothing when it needs nothing.
    static func needsBox(_ t: Translator, _ n: TravelNeeds) -> HTML {
        guard !n.isEmpty else { return .empty }
        let lapses: HTML =
            n.fitToFlyRequired && n.fitToFlyLapses(before: Clock.today())
            ? "<p class=\"warning\">\(t("mv.needs.lapses"))</p>" : .empty
        return """
            <section class="card needs" aria-labelledby="needs-title"><h2 id="needs-title">\(t("mv.needs.title"))</h2>\
            <p>\(HTML(raw: BookingQueue.needs(n, t).map(\.raw).joined(separator: " ")))</p>\
            <p class="hint">\(t("mv.needs.hint"))</p>\(lapses)</section>
            """
    }

    static func legRows(_ f: SectionForms, prefix: String, count: Int, from legs: [BookingFile.LegDTO]) -> HTML {
        let t = f.t
        var rows: [HTML] = []
        for i in 1...count {
            let l = i <= legs.count ? legs[i - 1] : nil
            let p = "\(prefix)\(i)_"
            func cell(_ name: String, _ value: String?, type: String = "text", size: String = "") -> HTML {
                let err = f.error("booking", p + name)
                let v = f.value("booking", p + name, value) ?? ""
                return
                    """
                    <td\(HTML(raw: err == nil ? "" : " class=\"has-error\""))><input type=\"\(type)\" \
                    name=\"\(p + name)\" id=\"f-\(p + name)\" value=\"\(v)\" aria-label=\"\(t("mv.leg." + name)) \
                    \(i)\"\(HTML(raw: size))>\(err.map { HTML("<span class=\"field-error\">\($0)</span>") } ?? .empty)</td>
                    """
            }
            rows.append(
                "<tr><th scope=\"row\">\(i)</th>\(cell("carrier", String(l?.flight.prefix(2) ?? ""), size: " size=\"3\" maxlength=\"3\""))\(cell("flight", l.map { String($0.flight.dropFirst(2)) }, size: " size=\"5\" maxlength=\"5\""))\(cell("from", l?.from, size: " size=\"4\" maxlength=\"3\""))\(cell("to", l?.to, size: " size=\"4\" maxlength=\"3\""))\(cell("departs", l?.departsLocal, type: "datetime-local"))\(cell("arrives", l?.arrivesLocal, type: "datetime-local"))</tr>"
            )
        }
        return """
            <div class="scroll"><table class="legs"><thead><tr><th>#</th><th>\(t("mv.leg.carrier"))</th>\
            <th>\(t("mv.leg.flight"))</th><th>\(t("mv.leg.from"))</th><th>\(t("mv.leg.to"))</th>\
            <th>\(t("mv.leg.departs"))</th><th>\(t("mv.leg.arrives"))</th></tr></thead><tbody>\(rows)</tbody></table>\
            </div>
            """
    }

    static func form(_ req: Request, _ id: Identity, _ m: FormModel) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: m.failure)
        let old = m.rebooking
        let oldPassengers = Set(old?.passengers.map(\.personID) ?? [])
        let people = m.persons.map { p -> HTML in
            let key = "passenger_\(p.id.uuidString)"
            let on =
                m.failure != nil
                ? m.failure?.fields[key] != nil
                : (old == nil ? p.id == m.persons.first?.id : oldPassengers.contains(p.id))
            // A new booking starts from what the case says its person needs; a re-booking from the booking.
            let fromCase = p.id == m.persons.first?.id ? m.needs.assistance.map(\.rawValue) : []
            let had = Set(old.map { $0.passengers.first { $0.personID == p.id }?.assistance ?? [] } ?? fromCase)
            let kinds = AssistanceKind.allCases.map { k -> HTML in
                let name = "assist_\(p.id.uuidString)_\(k.rawValue)"
                let checked = m.failure != nil ? m.failure?.fields[name] != nil : had.contains(k.rawValue)
                return
                    """
                    <label class=\"check-line inline\"><input type=\"checkbox\" name=\"\(name)\" \
                    value=\"true\"\(HTML(raw: checked ? " checked" : ""))> \(t("mv.assist.\(k.rawValue)"))</label>
                    """
            }
            return
                """
                <div class=\"passenger\"><label class=\"check-line\"><input type=\"checkbox\" name=\"\(key)\" \
                value=\"true\"\(HTML(raw: on ? " checked" : ""))> <strong>\(p.name)</strong></label><div \
                class=\"assist\">\(kinds)</div>\(f.error("booking", "assist_" + p.id.uuidString).map { HTML("<span class=\"field-error\">\($0)</span>") } ?? .empty)</div>
                """
        }
        let statuses: Options = [BookingStatus.requested, .held, .ticketed].map {
            (value: $0.rawValue, label: t("mv.status.\($0.rawValue)"))
        }
        let escortLegs = old?.legs.filter(\.escortOnly) ?? []
        let body: HTML = """
            <fieldset class="card"><legend>\(t("mv.booking.passengers"))\
            </legend>\(people)\(f.error("booking",
                "passengers").map { HTML("<span class=\"field-error\" id=\"passengers-error\">\($0)</span>") } ?? .empty)</fieldset>
            <fieldset class="card"><legend>\(t("mv.booking.flights"))</legend>\
            <p class="hint">\(t("mv.booking.flights.hint"))</p>
            \(legRows(f, prefix: "leg", count: 4, from: old?.legs.filter { !$0.escortOnly } ?? []))</fieldset>
            <div class="grid">
            \(f.field("booking", "reference", "mv.booking.reference", old?.reference,
                hint: "mv.booking.reference.hint"))
            \(f.select("booking", "status", "mv.booking.status", statuses,
                old.map { BookingStatus(rawValue: $0.status) == .ticketed ? "ticketed" : "requested" } ?? "requested"))
            \(f.field("booking", "fare", "mv.booking.fare",
                old?.fare.map { String($0.dropFirst().replacingOccurrences(of: ",", with: "")) }, hint: "return.amount.hint"))
            \(f.field("booking", "baggageKg", "mv.booking.baggage", old.map { String($0.baggageKg) } ?? "20",
                type: "number"))
            </div>
            <fieldset class="card"><legend>\(t("mv.escort"))</legend><div class="grid">
            \(f.words("booking", "escort", "mv.escort.kind", EscortKind.self, prefix: "mv.escort",
                old?.escort ?? m.needs.escort.rawValue))
            \(f.field("booking", "escortStaff", "mv.escort.staff", old?.escortStaff))
            </div><p class="hint">\(t("mv.escort.return"))</p>
            \(legRows(f, prefix: "escortleg", count: 2, from: escortLegs))</fieldset>
            \(f.area("booking", "note", "mv.booking.note", old?.note))
            """
        let title = old == nil ? t("mv.booking.new") : t("mv.booking.rebook")
        let action = old.map { "\(MovementsPaths.booking($0.id))/rebook" } ?? "\(CorePaths.case(m.caseID))/bookings/new"
        let intro: HTML =
            old.map {
                "<p class=\"warning\">\(t("mv.booking.rebook.hint", $0.reference.isEmpty ? route($0.legs) : $0.reference))</p>"
            } ?? .empty
        return Layout.page(
            req: req, identity: id, title: title,
            body: """
                <h1>\(title)</h1><p>\(t("mv.booking.forCase")) <a href="\(CorePaths.case(m.caseID))">\(m.caseReference)\
                </a></p>\(intro)\(needsBox(t, m.needs))
                \(f.form(action, "booking", button: old == nil ? "mv.booking.save" : "mv.booking.rebook", body))
                """)
    }

    static func page(_ req: Request, _ id: Identity, _ b: BookingFile, failure: SectionFailure?) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let legs = b.legs.map { l -> HTML in
            let co2: HTML =
                l.co2KgWithRF.map {
                    HTML(
                        """
                        \(DecimalInput.format($0, decimals: 1)) / \
                        \(DecimalInput.format(l.co2KgWithoutRF ?? 0, decimals: 1)) kg
                        """
                    )
                } ?? "—"
            return
                "<tr\(HTML(raw: l.escortOnly ? " class=\"muted\"" : ""))><td>\(l.flight)\(l.escortOnly ? HTML(" <span class=\"badge\">\(t("mv.escort.homeLeg"))</span>") : .empty)</td><td>\(l.from) <span class=\"muted\">\(l.fromCity)</span></td><td class=\"nowrap\">\(when(l.departsLocal))</td><td>\(l.to) <span class=\"muted\">\(l.toCity)</span></td><td class=\"nowrap\">\(when(l.arrivesLocal))</td><td>\(Int(l.distanceKm.rounded())) km</td><td>\(co2)</td></tr>"
        }
        let passengers = b.passengers.map { p -> HTML in
            let optForm: HTML =
                id.hasAny(MovementsAccess.messages)
                ? """
                <form method="post" action="\(CorePaths.person(p.personID))/sms-opt-out" \
                class="inline">\(Layout.csrfField(req))<input type="hidden" name="back" \
                value="\(MovementsPaths.booking(b.id))"><input type="hidden" name="optedOut" \
                value="\(p.smsOptOut ? "false" : "true")"><button \
                class="link">\(t(p.smsOptOut ? "mv.sms.optIn" : "mv.sms.optOut"))</button></form>
                """ : .empty
            return
                """
                <tr><td><a href=\"\(CorePaths.person(p.personID))\">\(p.name)</a> <span \
                class=\"muted\">\(p.reference)</span></td><td>\(p.assistance.isEmpty ? "—" : p.assistance.map { t("mv.assist.\($0)") }.joined(separator: ", "))</td><td>\(p.phone ?? t("mv.sms.noPhone"))\(p.smsOptOut ? HTML(" <span class=\"badge warn\">\(t("mv.sms.optedOut"))</span>") : .empty) \(optForm)</td></tr>
                """
        }
        let moves: HTML
        if id.hasAny(MovementsAccess.book) && !b.next.isEmpty {
            // The usual next step first; cancelling has its own form that asks once more.
            let order = ["held", "ticketed", "flown", "no_show", "requested"]
            let options = order.filter { b.next.contains($0) }.map { (value: $0, label: t("mv.status.\($0)")) }
            let cancel: HTML =
                b.next.contains("cancelled")
                ? """
                <details class="confirm"\(HTML(raw: failure?.section == "cancel" ? " open" : ""))>\
                <summary>\(t("mv.booking.cancel"))…</summary>
                \(f.form("\(MovementsPaths.booking(b.id))/move", "cancel", button: "mv.booking.cancelConfirm", """
                <input type="hidden" name="to" value="cancelled">\
                <p>\(t(b.status == "ticketed" ? "mv.booking.cancel.ticketed" : "mv.booking.cancel.hint"))</p>
                \(f.field("cancel", "note", "mv.booking.cancel.reason"))
                """))</details>
                """ : .empty
            let rebook: HTML =
                b.status == "cancelled" || b.status == "flown" || b.status == "no_show"
                ? .empty
                : HTML(
                    """
                    <a class=\"btn secondary\" \
                    href=\"\(MovementsPaths.booking(b.id))/rebook\">\(t("mv.booking.rebook"))</a>
                    """
                )
            moves = """
                <h2 id="status">\(t("mv.booking.change"))</h2>
                \(options.isEmpty ? HTML.empty : f.form("\(MovementsPaths.booking(b.id))/move", "move", button: "mv.booking.changeButton", """
                <div class="grid">\(f.select("move", "to", "mv.booking.newStatus", options, nil, blank: "—"))
                \(f.field("move", "reference", "mv.booking.reference", b.reference, hint: "mv.booking.reference.hint"))
                \(f.field("move", "note", "mv.booking.note"))</div><p class="hint">\(t("mv.booking.change.hint"))</p>
                """))
                <p class="actions">\(rebook)</p>\(cancel)
                """
        } else {
            moves = .empty
        }
        let messages = b.messages.map { m -> HTML in
            let resend: HTML =
                m.kind == "sms" && id.hasAny(MovementsAccess.messages) && m.status != "pending" && m.status != "sending"
                ? """
                <form method="post" action="/messages/\(m.id.uuidString)/resend" \
                class="inline">\(Layout.csrfField(req))<input type="hidden" name="back" \
                value="\(MovementsPaths.booking(b.id))"><button class="link">\(t("mv.sms.resend"))</button></form>
                """ : .empty
            let problem: HTML = m.lastError.map { HTML("<div class=\"field-error\">\($0)</div>") } ?? .empty
            return
                """
                <tr><td>\(m.label)<div dir=\"auto\" \
                class=\"sms-text\">\(m.body)</div></td><td>\(t("mv.outbox.\(m.status)"))\(m.attempts > 0 ? HTML(" <span class=\"muted\">(\(m.attempts))</span>") : .empty)\(problem)</td><td class=\"nowrap\">\(m.sentAt.map(Layout.dateTime) ?? (m.status == "pending" ? t("mv.outbox.due", Layout.dateTime(m.dueAt)) : "—"))</td><td>\(m.report ?? "—")</td><td>\(resend)</td></tr>
                """
        }
        let history = b.history.map { h -> HTML in
            """
            <li><time>\(Layout.dateTime(h.at))</time><strong>\(h.by)</strong> · \
            \(h.from.map { t("mv.status.\($0)") + " → " } ?? "")\(t("mv.status.\(h.to)"))\(h.note.isEmpty ? "" : " — " + h.note)</li>
            """
        }
        let links: HTML = [
            b.rebookedFrom.map {
                HTML("<a href=\"\(MovementsPaths.booking($0))\">\(t("mv.booking.rebookedFrom"))</a>")
            },
            b.rebookedAs.map { HTML("<a href=\"\(MovementsPaths.booking($0))\">\(t("mv.booking.rebookedAs"))</a>") },
        ].compactMap { $0 }.reduce(HTML.empty) { $0 + $1 + " " }
        let co2: HTML =
            b.co2KgWithRF.map {
                HTML(
                    """
                    <dt>\(t("mv.co2.booking"))</dt><dd>\(DecimalInput.format($0, decimals: 1)) kg \
                    \(t("mv.co2.withRF")), \(DecimalInput.format(b.co2KgWithoutRF ?? 0, decimals: 1)) kg \
                    \(t("mv.co2.withoutRF"))</dd>
                    """
                )
            } ?? .empty
        return Layout.page(
            req: req, identity: id, title: b.reference.isEmpty ? t("mv.booking.title") : b.reference,
            body: """
                <h1>\(b.reference.isEmpty ? t("mv.booking.noReference") : b.reference) \(statusBadge(t, b.status))</h1>
                <p>\(t("mv.booking.forCase")) <a href="\(CorePaths.case(b.caseID))">\(b.caseReference)\
                </a> · \(route(b.legs)) \(links)</p>
                <section class="card"><dl class="facts">
                <dt>\(t("mv.booking.fare"))</dt><dd>\(b.fare ?? "—")</dd><dt>\(t("mv.booking.baggage"))</dt>\
                <dd>\(b.baggageKg) kg</dd>
                <dt>\(t("mv.escort"))</dt>\
                <dd>\(t("mv.escort.\(b.escort)"))\(b.escortStaff.isEmpty ? "" : " — " + b.escortStaff)</dd>
                \(co2)<dt>\(t("mv.booking.note"))</dt><dd>\(b.note.isEmpty ? "—" : b.note)</dd></dl></section>
                <h2>\(t("mv.booking.flights"))</h2><p class="hint">\(t("mv.booking.localTimes"))</p>
                <div class="scroll"><table><thead><tr><th>\(t("mv.leg.flight"))</th><th>\(t("mv.leg.from"))</th>\
                <th>\(t("mv.leg.departs"))</th><th>\(t("mv.leg.to"))</th><th>\(t("mv.leg.arrives"))</th>\
                <th>\(t("mv.leg.distance"))</th><th>\(t("mv.co2.perPassenger"))</th></tr></thead><tbody>\(legs)</tbody>\
                </table></div>
                <h2>\(t("mv.booking.passengers"))</h2>
                <table><thead><tr><th>\(t("person.name"))</th><th>\(t("mv.assist"))</th><th>\(t("mv.sms.phone"))</th>\
                </tr></thead><tbody>\(passengers)</tbody></table>
                \(moves)
                <h2 id="messages">\(t("mv.sms.title"))</h2>
                \(messages.isEmpty ? HTML("<p class=\"empty\">\(t("mv.sms.none"))</p>") : HTML("<div class=\"scroll\"><table><thead><tr><th>\(t("mv.sms.message"))</th><th>\(t("mv.booking.status"))</th><th>\(t("mv.sms.sent"))</th><th>\(t("mv.sms.report"))</th><th><span class=\"sr-only\">\(t("table.actions"))</span></th></tr></thead><tbody>\(messages)</tbody></table></div>"))
                <h2>\(t("mv.booking.history"))</h2><ol class="timeline">\(history)</ol>
                """)
    }

    /// Upcoming flights across all cases, and messages that did not go out.
    static func overview(
        _ req: Request, _ id: Identity, upcoming: [BookingFile], problems: [BookingFile.MessageDTO],
        caseOf: [UUID: (UUID, String)]
    ) -> HTML {
        let t = req.t
        let rows = upcoming.map { b -> HTML in
            let first = b.legs.first { !$0.escortOnly }
            return
                """
                <tr><td class=\"nowrap\">\(first.map { when($0.departsLocal) } ?? "")</td><td><a \
                href=\"\(MovementsPaths.booking(b.id))\">\(b.reference.isEmpty ? t("mv.booking.noReference") : b.reference)</a></td><td>\(route(b.legs))</td><td>\(b.passengers.map(\.name).joined(separator: "; "))</td><td><a href=\"\(CorePaths.case(b.caseID))\">\(b.caseReference)</a></td><td>\(statusBadge(t, b.status))</td></tr>
                """
        }
        let trouble = problems.map { m -> HTML in
            let c = caseOf[m.id]
            return
                """
                <tr><td>\(m.label)</td><td>\(t("mv.outbox.\(m.status)")) (\(m.attempts))</td><td \
                class=\"field-error\">\(m.lastError ?? "")</td><td>\(c.map { HTML("<a href=\"\(CorePaths.case($0.0))\">\($0.1)</a>") } ?? .empty)</td></tr>
                """
        }
        var links: [HTML] = []
        if id.hasAny(MovementsAccess.book) {
            links.append("<a class=\"btn\" href=\"\(BookingQueue.path)\">\(t("mv.ready.title"))</a>")
        }
        if id.hasAny(MovementsAccess.airport) {
            links.append("<a class=\"btn\" href=\"/movements/manifest\">\(t("mv.manifest.title"))</a>")
            links.append("<a class=\"btn secondary\" href=\"/movements/counts\">\(t("mv.counts.title"))</a>")
        }
        if id.hasAny(MovementsAccess.carbonRead) {
            links.append("<a class=\"btn secondary\" href=\"/movements/carbon\">\(t("mv.co2.title"))</a>")
        }
        if id.hasAny(MovementsAccess.templates) {
            links.append("<a class=\"btn secondary\" href=\"/movements/sms-templates\">\(t("mv.templates.title"))</a>")
        }
        if id.hasAny(MovementsAccess.webhooks) {
            links.append("<a class=\"btn secondary\" href=\"/admin/webhooks\">\(t("mv.webhooks.title"))</a>")
        }
        return Layout.page(
            req: req, identity: id, title: t("mv.title"),
            body: """
                <h1>\(t("mv.title"))</h1><p class="actions">\(links)</p>
                <h2>\(t("mv.upcoming"))</h2>
                \(rows.isEmpty ? HTML("<p class=\"empty\">\(t("mv.upcoming.none"))</p>") : HTML("<div class=\"scroll\"><table><thead><tr><th>\(t("mv.leg.departs"))</th><th>\(t("mv.booking.reference"))</th><th>\(t("mv.booking.route"))</th><th>\(t("mv.booking.passengers"))</th><th>\(t("mv.case"))</th><th>\(t("mv.booking.status"))</th></tr></thead><tbody>\(rows)</tbody></table></div>"))
                <h2>\(t("mv.problems"))</h2>
                \(trouble.isEmpty ? HTML("<p class=\"empty\">\(t("mv.problems.none"))</p>") : HTML("<table><thead><tr><th>\(t("mv.sms.message"))</th><th>\(t("mv.booking.status"))</th><th>\(t("mv.problems.why"))</th><th>\(t("mv.case"))</th></tr></thead><tbody>\(trouble)</tbody></table>"))
                """)
    }
}
