import Vapor
import PassageDomain

/// SMS templates, partner webhooks and the carbon account in the browser.
enum MessagingPages {
    static func templates(
        _ req: Request, _ id: Identity, _ rows: [MovementsAPIController.TemplateDTO],
        failure: (key: String, failure: SectionFailure)?
    ) -> HTML {
        let t = req.t
        var sections: [HTML] = []
        for e in SMSEvent.allCases {
            let forms = rows.filter { $0.event == e.rawValue }.map { r -> HTML in
                let key = "\(r.event)-\(r.language)"
                let f = SectionForms(req: req, failure: failure?.key == key ? failure?.failure : nil)
                let rtl = ["ar", "fa"].contains(r.language)
                let err: HTML =
                    f.error(key, "text").map { "<span class=\"field-error\" id=\"text-error\">\($0)</span>" } ?? .empty
                return """
                    \(f.summary(key))\
                    <form method="post" action="/movements/sms-templates/\(r.event)/\(r.language)" class="template" \
                    id="t-\(key)" novalidate>\(Layout.csrfField(req))
                    <label class="field"><span>\(t.language(r.language)) (\(r.language))</span>
                    <textarea name="text" rows="2" dir="\(rtl ? "rtl" : "ltr")" lang="\(r.language)">\(f.value(key,
                        "text", r.text) ?? "")</textarea>\(err)
                    <span class="hint">\(t("mv.templates.changed", r.updatedBy, Layout.dateTime(r.updatedAt)))</span>\
                    </label>
                    <button class="primary" type="submit">\(t("form.save"))</button></form>
                    """
            }
            sections.append(
                """
                <section class="card"><h2>\(t("mv.sms.event.\(e.rawValue)"))</h2>
                <p class="hint">\(t("mv.templates.required")) \
                \(e.required.map { "{\($0)}" }.joined(separator: " "))</p>\(forms)</section>
                """)
        }
        return Layout.page(
            req: req, identity: id, title: t("mv.templates.title"),
            body: """
                <h1>\(t("mv.templates.title"))</h1>\
                <p class="hint">\(t("mv.templates.hint")) \
                \(SMSTemplates.placeholders.map { "{\($0)}" }.joined(separator: " "))</p>\(sections)
                """)
    }

    struct WebhooksModel {
        var subscriptions: [MovementsAPIController.SubscriptionDTO]
        var deliveries: [MessagingRecords.Delivery]
        var partners: Options
        var failure: SectionFailure?
        var newSecret: (id: UUID, secret: String)?
        var failedOnly: Bool
    }

    static func webhooks(_ req: Request, _ id: Identity, _ m: WebhooksModel) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: m.failure)
        let secret: HTML =
            m.newSecret.map { s in
                """
                <div class=\"notice\" role=\"status\"><p>\(t("mv.webhooks.secret"))</p><p class=\"token\" \
                id=\"secret\">\(s.secret)</p></div>
                """
            } ?? .empty
        let subs = m.subscriptions.map { s -> HTML in
            """
            <tr><td>\(s.partner)</td><td>\(s.eventType)</td><td><code>\(s.url)</code></td><td>\(s.active ? t("answer.yes") : t("answer.no"))</td><td>\(s.createdBy)</td>
            <td><form method="post" action="/admin/webhooks/\(s.id.uuidString)/active" \
            class="inline">\(Layout.csrfField(req))<input type="hidden" name="active" \
            value="\(s.active ? "false" : "true")"><button \
            class="link">\(t(s.active ? "mv.webhooks.pause" : "mv.webhooks.resume"))</button></form></td></tr>
            """
        }
        let log = m.deliveries.map { d -> HTML in
            let attempts = d.log.map { a -> HTML in
                """
                <li>\(Layout.dateTime(a.at)) · \(a.ok ? "✓" : "✗") \(a.code.map(String.init) ?? "—") · \(a.detail) \
                · \(a.durationMs) ms</li>
                """
            }
            let redeliver: HTML =
                d.status == "sending"
                ? .empty
                : """
                <form method="post" action="/admin/webhooks/deliveries/\(d.id.uuidString)/redeliver" \
                class="inline">\(Layout.csrfField(req))<button \
                class="link">\(t("mv.webhooks.redeliver"))</button></form>
                """
            return """
                <tr><td>\(Layout.dateTime(d.createdAt))</td><td>\(d.partner)</td><td>\(d.label)</td>\
                <td>\(t("mv.outbox.\(d.status)")) \
                (\(d.attempts))\(d.lastError.map { HTML("<div class=\"field-error\">\($0)</div>") } ?? .empty)</td>
                <td>\(attempts.isEmpty ? HTML("—") : HTML("<details><summary>\(t("mv.webhooks.attempts", attempts.count))</summary><ol>\(attempts)</ol></details>"))</td><td>\(redeliver)</td></tr>
                """
        }
        let events: Options = WebhookEventType.allCases.map { (value: $0.rawValue, label: $0.rawValue) }
        return Layout.page(
            req: req, identity: id, title: t("mv.webhooks.title"),
            body: """
                <h1>\(t("mv.webhooks.title"))</h1><p class="hint">\(t("mv.webhooks.hint"))</p>\(secret)
                <h2>\(t("mv.webhooks.subscriptions"))</h2>
                \(subs.isEmpty ? HTML("<p class=\"empty\">\(t("mv.webhooks.none"))</p>") : HTML("<table><thead><tr><th>\(t("mv.webhooks.partner"))</th><th>\(t("mv.webhooks.event"))</th><th>URL</th><th>\(t("mv.webhooks.active"))</th><th>\(t("mv.webhooks.by"))</th><th><span class=\"sr-only\">\(t("table.actions"))</span></th></tr></thead><tbody>\(subs)</tbody></table>"))
                <h2>\(t("mv.webhooks.add"))</h2>
                \(f.form("/admin/webhooks", "subscribe", button: "mv.webhooks.add", """
                <div class="grid">\(f.select("subscribe", "partnerID", "mv.webhooks.partner", m.partners, nil, blank: "—"))
                \(f.select("subscribe", "eventType", "mv.webhooks.event", events, "departure.completed"))
                \(f.field("subscribe", "url", "URL", nil, hint: "mv.webhooks.url.hint"))</div>
                """))
                <h2 id="log">\(t("mv.webhooks.log"))</h2>
                <p><a href="/admin/webhooks\(m.failedOnly ? "" : "?failed=true")#log">\(t(m.failedOnly ? "mv.webhooks.showAll" : "mv.webhooks.showFailed"))</a></p>
                \(log.isEmpty ? HTML("<p class=\"empty\">\(t("mv.webhooks.logEmpty"))</p>") : HTML("<div class=\"scroll\"><table><thead><tr><th>\(t("mv.webhooks.queued"))</th><th>\(t("mv.webhooks.partner"))</th><th>\(t("mv.sms.message"))</th><th>\(t("mv.booking.status"))</th><th>\(t("mv.webhooks.tries"))</th><th><span class=\"sr-only\">\(t("table.actions"))</span></th></tr></thead><tbody>\(log)</tbody></table></div>"))
                """)
    }

    static func carbon(_ req: Request, _ id: Identity, _ a: CarbonAccount, failure: SectionFailure?) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        func tonnes(_ kg: Double) -> String { DecimalInput.format(kg / 1000, decimals: 3) + " t" }
        let rows = a.rows.map { r -> HTML in
            "<tr><td>\(r.year)</td><td>\(t("programme.\(r.programme)"))</td><td>\(r.bookings)</td><td>\(tonnes(r.kgWithRF))</td><td>\(tonnes(r.kgWithoutRF))</td></tr>"
        }
        let years = Dictionary(grouping: a.rows, by: \.year).map {
            (
                year: $0.key, rf: $0.value.reduce(0) { $0 + $1.kgWithRF },
                plain: $0.value.reduce(0) { $0 + $1.kgWithoutRF }
            )
        }
        .sorted { $0.year > $1.year }
        .map { y -> HTML in
            """
            <tr class=\"total\"><th>\(y.year)</th><th \
            colspan=\"2\">\(t("mv.total"))</th><th>\(tonnes(y.rf))</th><th>\(tonnes(y.plain))</th></tr>
            """
        }
        let credits = a.credits.map { c -> HTML in
            "<tr><td>\(c.purchasedOn)</td><td>\(tonnes(c.tonnes * 1000))</td><td>\(c.vendor)</td><td>\(c.certificate)</td><td>\(c.recordedBy)</td></tr>"
        }
        // The factors of each year, in the reader's words and number style.
        let factors = ReferenceData.emissionFactors.factors.map { x -> HTML in
            let rf = DecimalInput.format(x.withRF, decimals: 4)
            let plain = DecimalInput.format(x.withoutRF, decimals: 4)
            return "<li>\(t("mv.co2.factor", x.year, x.source, rf, plain))</li>"
        }
        let add: HTML =
            id.hasAny(MovementsAccess.carbonWrite)
            ? f.form(
                "/movements/carbon", "credit", button: "mv.co2.addCredit",
                """
                <div class="grid">\(f.field("credit", "purchasedOn", "mv.co2.purchasedOn", nil, type: "date"))
                \(f.field("credit", "tonnes", "mv.co2.tonnes", nil, hint: "mv.co2.tonnes.hint"))
                \(f.field("credit", "vendor", "mv.co2.vendor"))\(f.field("credit", "certificate",
                    "mv.co2.certificate"))</div>
                """) : .empty
        return Layout.page(
            req: req, identity: id, title: t("mv.co2.title"),
            body: """
                <h1>\(t("mv.co2.title"))</h1>
                <section class="card"><dl class="facts">
                <dt>\(t("mv.co2.emitted")) (\(t("mv.co2.withRF")))</dt><dd>\(tonnes(a.emittedTonnesWithRF * 1000))</dd>
                <dt>\(t("mv.co2.emitted")) (\(t("mv.co2.withoutRF")))</dt>\
                <dd>\(tonnes(a.emittedTonnesWithoutRF * 1000))</dd>
                <dt>\(t("mv.co2.credits"))</dt><dd>\(tonnes(a.creditTonnes * 1000))</dd>
                <dt>\(t("mv.co2.balance"))</dt>\
                <dd class="\(a.balanceTonnes < 0 ? "field-error" : "")">\(a.balanceTonnes >= 0 ? "+" : "")\(tonnes(a.balanceTonnes * 1000))\
                </dd>
                </dl><p class="hint">\(t("mv.co2.method")) \(t("mv.co2.method.text"))</p>\
                <ul class="hint">\(factors)</ul></section>
                <h2>\(t("mv.co2.byYear"))</h2>
                \(rows.isEmpty ? HTML("<p class=\"empty\">\(t("mv.co2.none"))</p>") : HTML("<table><thead><tr><th>\(t("mv.co2.year"))</th><th>\(t("case.programme"))</th><th>\(t("mv.co2.bookings"))</th><th>\(t("mv.co2.withRF"))</th><th>\(t("mv.co2.withoutRF"))</th></tr></thead><tbody>\(rows)\(years)</tbody></table>"))
                <h2>\(t("mv.co2.ledger"))</h2>
                \(credits.isEmpty ? HTML("<p class=\"empty\">\(t("mv.co2.noCredits"))</p>") : HTML("<table><thead><tr><th>\(t("mv.co2.purchasedOn"))</th><th>\(t("mv.co2.tonnes"))</th><th>\(t("mv.co2.vendor"))</th><th>\(t("mv.co2.certificate"))</th><th>\(t("mv.webhooks.by"))</th></tr></thead><tbody>\(credits)</tbody></table>"))
                \(add)
                """)
    }
}
