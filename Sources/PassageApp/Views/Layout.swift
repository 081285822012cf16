import Vapor
import PassageDomain

enum Layout {
    /// The frame of every page: navigation for the viewer's roles, language switch, sign-out.
    static func page(req: Request, identity: Identity?, title: String, body: HTML) -> HTML {
        let t = req.t
        var nav: [HTML] = []
        if let id = identity {
            if id.hasAny(Role.caseworkers) {
                nav.append("<a href=\"/cases/mine\">\(t("nav.mycases"))</a>")
                nav.append("<a href=\"/persons\">\(t("nav.persons"))</a>")
                nav.append("<a href=\"/cases\">\(t("nav.cases"))</a>")
            }
            for module in req.application.modules {
                for link in module.navigation(for: id, t) { nav.append("<a href=\"\(link.path)\">\(link.label)</a>") }
            }
            if id.hasAny(ReportAccess.drillDown) {
                nav.append("<a href=\"/dashboard\">\(t("nav.dashboard"))</a>")
            }
            if id.hasAny(ReportAccess.read) {
                nav.append("<a href=\"/reports/period\">\(t("nav.reports"))</a>")
            }
            if id.hasAny(ImportRuns.roles) {
                nav.append("<a href=\"/imports\">\(t("nav.imports"))</a>")
            }
            if id.hasAny(SharingGate.roles) {
                nav.append("<a href=\"/protection\">\(t("nav.protection"))</a>")
            }
            if id.has(.administrator) {
                nav.append("<a href=\"/admin/users\">\(t("nav.users"))</a>")
                nav.append("<a href=\"/admin/registry\">\(t("nav.registry"))</a>")
                nav.append("<a href=\"/admin/audit\">\(t("nav.audit"))</a>")
            }
            if id.hasAny(AuditPagesController.roleChangeReaders) {
                nav.append("<a href=\"/admin/role-changes\">\(t("rolechanges.title"))</a>")
            }
        }
        let csrf = req.csrfToken
        let other = req.locale == "en" ? "nl" : "en"
        let langForm: HTML = """
            <form method="post" action="/language" class="inline">
            <input type="hidden" name="_csrf" value="\(csrf)"><input type="hidden" name="back" value="\(req.url.path)">
            <button name="lang" value="\(other)" class="link" lang="\(other)">\(t("lang.switch"))</button></form>
            """
        let user: HTML =
            identity.map { id in
                """
                <span class="who">\(id.name)</span>
                <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="\(csrf)">
                <button class="link">\(t("nav.logout"))</button></form>
                """
            } ?? .empty
        return """
            <!doctype html>
            <html lang="\(req.locale)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Passage</title>
            <link rel="stylesheet" href="/static/passage.css"><script src="/static/passage.js" defer></script></head>
            <body><header class="top"><a class="brand" href="/">Passage</a>
            <nav>\(nav)</nav><div class="session">\(langForm)\(user)</div></header>
            <main>\(HTML(raw: scrollingTables(namingFields(body.raw))))</main></body></html>
            """
    }

    /// A labelled input with its error message beside it.
    /// `id` is the element's id (`f-` and the name unless given); forms that share a page give each field its own.
    static func field(
        _ name: String, label: String, value: String?, error: String?, type: String = "text",
        required: Bool = false, hint: String? = nil, attributes: String = "", id: String? = nil
    ) -> HTML {
        let id = id ?? "f-\(name)"
        let err: HTML = error.map { "<span class=\"field-error\" id=\"\(id)-error\">\($0)</span>" } ?? .empty
        let h: HTML = hint.map { "<span class=\"hint\">\($0)</span>" } ?? .empty
        let invalid = error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(id)-error\""
        return """
            <label class="field\(error == nil ? "" : " has-error")"><span>\(label)\(required ? " *" : "")</span>
            <input type="\(type)" name="\(formName(name))" id="\(id)" \
            value="\(value ?? "")"\(HTML(raw: invalid))\(HTML(raw: required ? " required" : ""))\(HTML(raw: attributes.isEmpty ? "" : " " + attributes))>\(h)\(err)</label>
            """
    }

    static func select(
        _ name: String, label: String, options: [(value: String, label: String)], selected: String?,
        error: String?, includeBlank: String? = nil, id: String? = nil
    ) -> HTML {
        let id = id ?? "f-\(name)"
        var opts: [HTML] = []
        if let blank = includeBlank { opts.append("<option value=\"\">\(blank)</option>") }
        for o in options {
            opts.append(
                "<option value=\"\(o.value)\"\(HTML(raw: o.value == selected ? " selected" : ""))>\(o.label)</option>")
        }
        let err: HTML = error.map { "<span class=\"field-error\" id=\"\(id)-error\">\($0)</span>" } ?? .empty
        let invalid = error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(id)-error\""
        return """
            <label class="field\(error == nil ? "" : " has-error")"><span>\(label)</span>
            <select name="\(formName(name))" id="\(id)"\(HTML(raw: invalid))>\(opts)</select>\(err)</label>
            """
    }

    /// A destructive action that asks once more before it is done, without JavaScript.
    static func confirmedAction(_ req: Request, action: String, label: String, confirm: String) -> HTML {
        """
        <details class="confirm"><summary>\(label)…</summary>
        <form method="post" action="\(action)" class="inline">\(csrfField(req))
        <span>\(confirm)</span> <button class="danger" type="submit">\(label)</button></form></details>
        """
    }

    /// Field names like `document.type` travel as `document[type]`, the form encoding of nested values.
    static func formName(_ name: String) -> String {
        guard let dot = name.firstIndex(of: ".") else { return name }
        return String(name[..<dot]) + "[" + String(name[name.index(after: dot)...]) + "]"
    }

    static func csrfField(_ req: Request) -> HTML {
        "<input type=\"hidden\" name=\"_csrf\" value=\"\(req.csrfToken)\">"
    }

    /// How the summary names a field whose label is not given: flight rows by number, other fields by name.
    static func fieldLabel(_ field: String, _ t: Translator) -> String {
        for (prefix, key) in [("escortleg", "mv.leg.escortRow"), ("leg", "mv.leg.row")] where field.hasPrefix(prefix) {
            let rest = field.dropFirst(prefix.count)
            if let cut = rest.firstIndex(of: "_"), let n = Int(rest[..<cut]) {
                let part = String(rest[rest.index(after: cut)...])
                return t(key, n) + ": " + t("mv.leg.\(part)")
            }
        }
        if field.hasPrefix("assist_") { return t("mv.assist") }
        // A row of the access matrix: its category.
        if field.hasPrefix("c."), let c = DataCategory(rawValue: String(field.dropFirst(2))) {
            return t("category.\(c.rawValue)")
        }
        for (prefix, key) in [("budgetItem_", "return.plan.item"), ("budgetAmount_", "return.plan.amount")]
        where field.hasPrefix(prefix) {
            if let n = Int(field.dropFirst(prefix.count)) { return t("return.plan.line", n) + ": " + t(key) }
        }
        return humanized(field)
    }

    /// A field's name as words ("referralSource" → "referral source"), for a field no label on the page names.
    static func humanized(_ field: String) -> String {
        var out = ""
        for ch in field.replacingOccurrences(of: "ID", with: "") {
            if ch.isUppercase {
                out += " " + ch.lowercased()
            } else if ch == "_" || ch == "." {
                out += " "
            } else {
                out.append(ch)
            }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    /// A table wider than a phone scrolls inside its own box, never the page: each table not already in a
    /// `.scroll` box is put in one. A box that scrolls can be reached with the keyboard, to scroll it.
    static func scrollingTables(_ body: String) -> String {
        guard body.contains("<table") else { return body }
        let wrapper = "<div class=\"scroll\" tabindex=\"0\">"
        let body = body.replacingOccurrences(of: "<div class=\"scroll\">", with: wrapper)
        var out = ""
        out.reserveCapacity(body.utf8.count + 512)
        var wrapped: [Bool] = []
        var rest = body[...]
        while let close = rest.range(of: "</table>") {
            if let open = rest.range(of: "<table"), open.lowerBound < close.lowerBound {
                out += rest[..<open.lowerBound]
                let already = out.hasSuffix(wrapper)
                if !already { out += wrapper }
                wrapped.append(!already)
                out += "<table"
                rest = rest[open.upperBound...]
            } else {
                out += rest[..<close.upperBound]
                if wrapped.popLast() == true { out += "</div>" }
                rest = rest[close.upperBound...]
            }
        }
        out += rest
        return out
    }

    /// The summary's links name each field as its label on the page does, in the reader's language:
    /// the summary is written before the form, so the names are filled in once the page is whole.
    static func namingFields(_ body: String) -> String {
        guard body.contains("class=\"to-field\"") else { return body }
        var labels: [String: String] = [:]
        for m in body.matches(of: fieldLabelPattern) {
            let label = String(m.output.label).replacingOccurrences(of: " *", with: "")
            if labels[String(m.output.id)] == nil { labels[String(m.output.id)] = label }
        }
        return body.replacing(summaryLinkPattern) { m in
            let id = String(m.output.id)
            return "<a href=\"#\(id)\" class=\"to-field\">\(labels[id] ?? String(m.output.text))</a>"
        }
    }

    nonisolated(unsafe) static let fieldLabelPattern =
        #/<label class="field[^"]*"><span>(?<label>[^<]+)</span>(?:(?!</label>)[\s\S])*?\bid="(?<id>f-[^"]+)"/#
    nonisolated(unsafe) static let summaryLinkPattern = #/<a href="#(?<id>[^"]+)" class="to-field">(?<text>[^<]*)</a>/#

    /// The list of what to fix, above a form; each item names the field as its label does and links to it.
    /// `idPrefix` is what the form's field ids start with (`f-` and the name unless the form says otherwise).
    static func errorSummary(
        _ errors: ValidationErrors?, _ t: Translator, labels: [String: String] = [:], idPrefix: String = "f-"
    ) -> HTML {
        guard let errors, !errors.isEmpty else { return .empty }
        let items = errors.items.map {
            HTML(
                """
                <li><a href="#\(idPrefix)\($0.field)" class="to-field">\(labels[$0.field] ?? fieldLabel($0.field, t))</a>: \
                \($0.message)</li>
                """)
        }
        return """
            <div class="error-summary" role="alert" tabindex="-1"><h2>\(t("form.fix"))</h2><ul>\(items)</ul></div>
            """
    }

    static func dateTime(_ d: Date?) -> String {
        guard let d else { return "" }
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        f.timeZone = OfficeCalendar.timeZone
        return f.string(from: d)
    }
}
