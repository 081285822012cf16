import Vapor
import PassageDomain

/// The hub airport's manifest (made for a tablet at the gate, and for paper) and its counts.
enum AirportPages {
    static func manifest(
        _ req: Request, _ id: Identity, _ m: ManifestDay, failure: (key: String, failure: SectionFailure)?
    ) -> HTML {
        let t = req.t
        let cards = m.entries.map { e -> HTML in
            let key = "\(e.bookingID.uuidString)-\(e.personID.uuidString)-\(e.type)"
            let f = SectionForms(req: req, failure: failure?.key == key ? failure?.failure : nil)
            let h = e.handling
            let type = MovementType(rawValue: e.type) ?? .departure
            var done: [String] = []
            if h?.checkedIn == true { done.append(t("mv.handling.checkedIn")) }
            if h?.exitFormalities == true { done.append(t("mv.handling.exit")) }
            if let to = h?.handoverTo { done.append(t("mv.handover.\(to)") + ": " + (h?.handoverName ?? "")) }
            if let a = h?.transitAssistance, !a.isEmpty {
                done.append(a.map { t("mv.transit.\($0)") }.joined(separator: ", "))
            }
            var fields: [HTML] = []
            if type != .arrival {
                fields.append(f.check(key, "checkedIn", "mv.handling.checkedIn", h?.checkedIn ?? false))
                fields.append(f.check(key, "exitFormalities", "mv.handling.exit", h?.exitFormalities ?? false))
            }
            if type == .arrival {
                fields.append(
                    f.words(
                        key, "handoverTo", "mv.handover", HandoverKind.self, prefix: "mv.handover", h?.handoverTo,
                        blank: true))
                fields.append(f.field(key, "handoverName", "mv.handover.name", h?.handoverName))
            }
            if type == .transit {
                let on = Set(h?.transitAssistance ?? [])
                let boxes = TransitAssistance.allCases.map { k -> HTML in
                    """
                    <label class=\"check-line inline\"><input type=\"checkbox\" name=\"transit_\(k.rawValue)\" \
                    value=\"true\"\(HTML(raw: on.contains(k.rawValue) ? " checked" : ""))> \
                    \(t("mv.transit.\(k.rawValue)"))</label>
                    """
                }
                fields.append(
                    "<fieldset class=\"inline-set\"><legend>\(t("mv.transit"))</legend>\(boxes)\(f.error(key, "transitAssistance").map { HTML("<span class=\"field-error\">\($0)</span>") } ?? .empty)</fieldset>"
                )
            }
            fields.append(f.field(key, "note", "mv.booking.note", h?.note))
            let form: HTML =
                id.hasAny(MovementsAccess.airport)
                ? """
                \(f.summary(key))\
                <form method="post" \
                action="/movements/manifest/\(e.bookingID.uuidString)/\(e.personID.uuidString)/\(e.type)" \
                class="handling" novalidate>\(Layout.csrfField(req))
                <input type="hidden" name="date" value="\(m.date)">\
                <input type="hidden" name="airport" value="\(m.airport)">
                <div class="grid">\(fields)</div><button class="primary" type="submit">\(t("form.save"))</button></form>
                """ : .empty
            let assist: HTML =
                e.assistance.isEmpty
                ? .empty
                : HTML(
                    "<p class=\"assist-needed\">\(e.assistance.map { t("mv.assist.\($0)") }.joined(separator: " · "))</p>"
                )
            let escort: HTML =
                e.escort == "none"
                ? .empty
                : HTML("<p>\(t("mv.escort.\(e.escort)"))\(e.escortStaff.isEmpty ? "" : ": " + e.escortStaff)</p>")
            return """
                <article class="movement \(e.type)" id="m-\(key)">
                <header><span class="time">\(e.time)</span> <span class="badge \
                type-\(e.type)">\(t("mv.type.\(e.type)"))</span>
                <strong>\(e.person)</strong> <span class="muted">\(e.personReference)</span></header>
                <p>\(e.inbound.map { "↘ " + $0 } ?? "") \(e.outbound.map { "↗ " + $0 } ?? "") · <a \
                href="\(MovementsPaths.booking(e.bookingID))">\(e.bookingReference.isEmpty ? t("mv.booking.noReference") : e.bookingReference)</a> · <a href="\(CorePaths.case(e.caseID))">\(e.caseReference)</a> · \(BookingPages.statusBadge(t, e.status))</p>
                \(assist)\(escort)\
                <p class="done\(done.isEmpty ? " nothing" : "")">\(done.isEmpty ? t("mv.handling.nothingYet") : "✓ " + done.joined(separator: " · "))</p>
                \(form)</article>
                """
        }
        // On paper, a line per passenger: a dozen and more to an A4 page, with a box to tick by hand.
        let lines = m.entries.map { e -> HTML in
            let needs =
                e.assistance.map { t("mv.assist.\($0)") }
                + (e.escort == "none"
                    ? [] : [t("mv.escort.\(e.escort)") + (e.escortStaff.isEmpty ? "" : ": " + e.escortStaff)])
            return """
                <tr><td class="nowrap">\(e.time)</td><td>\(t("mv.type.\(e.type)"))</td>\
                <td><strong>\(e.person)</strong> \
                \(e.personReference)</td><td>\(e.inbound ?? "")\(e.inbound != nil && e.outbound != nil ? " / " : "")\
                \(e.outbound ?? "")</td><td>\(e.bookingReference) · \(e.caseReference)</td>\
                <td>\(needs.joined(separator: "; "))</td><td class="tick"></td></tr>
                """
        }
        let paper: HTML =
            m.entries.isEmpty
            ? .empty
            : """
            <table class="manifest-print"><thead><tr><th>\(t("mv.manifest.time"))</th><th>\(t("mv.type"))</th>\
            <th>\(t("person.name"))</th><th>\(t("mv.booking.flights"))</th><th>\(t("mv.booking.reference"))</th>\
            <th>\(t("mv.ready.needs"))</th><th>✓</th></tr></thead><tbody>\(lines)</tbody></table>
            """
        let counts = MovementType.allCases.map { ty -> HTML in
            "<span class=\"badge type-\(ty.rawValue)\">\(t("mv.type.\(ty.rawValue)")): \(m.counts[ty.rawValue] ?? 0)</span> "
        }
        let prev = PartialDate(parsing: m.date).flatMap { shift($0, -1) } ?? m.date
        let next = PartialDate(parsing: m.date).flatMap { shift($0, 1) } ?? m.date
        return Layout.page(
            req: req, identity: id, title: t("mv.manifest.title") + " " + m.airport + " " + m.date,
            body: """
                <h1>\(t("mv.manifest.title")) \(m.airport) · \(m.date)</h1>
                <form method="get" action="/movements/manifest" class="card filters">
                \(Layout.field("date", label: t("return.date"), value: m.date, error: nil, type: "date"))
                \(Layout.field("airport", label: t("mv.airport"), value: m.airport, error: nil,
                    attributes: "size=\"4\" maxlength=\"3\""))
                <button class="primary" type="submit">\(t("filter.apply"))</button>
                <a class="btn secondary" href="/movements/manifest?airport=\(m.airport)&amp;date=\(prev)">← \(prev)</a>
                <a class="btn secondary" href="/movements/manifest?airport=\(m.airport)&amp;date=\(next)">\(next) →</a>
                <a class="btn secondary" \
                href="/movements/counts?airport=\(m.airport)&amp;month=\(String(m.date.prefix(7)))">\(t("mv.counts.title"))</a></form>
                <p>\(counts)</p>
                \(cards.isEmpty ? HTML("<p class=\"empty\">\(t("mv.manifest.none"))</p>") : HTML("<div class=\"manifest\">\(cards)</div>"))\
                \(paper)
                """)
    }

    static func shift(_ d: PartialDate, _ days: Int) -> String? {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = .gmt
        guard let date = cal.date(from: DateComponents(year: d.year, month: d.month, day: d.day)),
            let moved = cal.date(byAdding: .day, value: days, to: date)
        else { return nil }
        let c = cal.dateComponents([.year, .month, .day], from: moved)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    static func counts(_ req: Request, _ id: Identity, _ c: MovementCounts) -> HTML {
        let t = req.t
        let rows = c.days.map { d -> HTML in
            "<tr><td><a href=\"/movements/manifest?airport=\(c.airport)&amp;date=\(d.date)\">\(d.date)</a></td><td>\(d.departure)</td><td>\(d.transit)</td><td>\(d.arrival)</td><td>\(d.departure + d.transit + d.arrival)</td></tr>"
        }
        let total = (c.totals["departure"] ?? 0) + (c.totals["transit"] ?? 0) + (c.totals["arrival"] ?? 0)
        return Layout.page(
            req: req, identity: id, title: t("mv.counts.title"),
            body: """
                <h1>\(t("mv.counts.title")) \(c.airport) · \(c.month)</h1>
                <form method="get" action="/movements/counts" class="card filters">
                \(Layout.field("month", label: t("mv.month"), value: c.month, error: nil, type: "month"))
                \(Layout.field("airport", label: t("mv.airport"), value: c.airport, error: nil,
                    attributes: "size=\"4\" maxlength=\"3\""))
                <button class="primary" type="submit">\(t("filter.apply"))</button></form>
                <p class="hint">\(t("mv.counts.hint"))</p>
                \(rows.isEmpty ? HTML("<p class=\"empty\">\(t("mv.counts.none"))</p>") : HTML("""
                <table><thead><tr><th>\(t("return.date"))</th><th>\(t("mv.type.departure"))</th>\
                <th>\(t("mv.type.transit"))</th><th>\(t("mv.type.arrival"))</th><th>\(t("mv.total"))</th></tr></thead>
                <tbody>\(rows)</tbody><tfoot><tr><th>\(t("mv.total"))</th><th>\(c.totals["departure"] ?? 0)</th>\
                <th>\(c.totals["transit"] ?? 0)</th><th>\(c.totals["arrival"] ?? 0)</th><th>\(total)</th></tr></tfoot>\
                </table>
                """))
                """)
    }
}
