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
            <link rel="stylesheet" href="/static/passage.css"></head>
            <body><header class="top"><a class="brand" href="/">Passage</a>
            <nav>\(nav)</nav><div class="session">\(langForm)\(user)</div></header>
            <main>\(body)</main></body></html>
            """
    }

    /// A labelled input with its error message beside it.
    static func field(
        _ name: String, label: String, value: String?, error: String?, type: String = "text",
        required: Bool = false, hint: String? = nil, attributes: String = ""
    ) -> HTML {
        let err: HTML = error.map { "<span class=\"field-error\" id=\"\(name)-error\">\($0)</span>" } ?? .empty
        let h: HTML = hint.map { "<span class=\"hint\">\($0)</span>" } ?? .empty
        let invalid = error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(name)-error\""
        return """
            <label class="field\(error == nil ? "" : " has-error")"><span>\(label)\(required ? " *" : "")</span>
            <input type="\(type)" name="\(formName(name))" id="f-\(name)" \
            value="\(value ?? "")"\(HTML(raw: invalid))\(HTML(raw: required ? " required" : ""))\(HTML(raw: attributes.isEmpty ? "" : " " + attributes))>\(h)\(err)</label>
            """
    }

    static func select(
        _ name: String, label: String, options: [(value: String, label: String)], selected: String?,
        error: String?, includeBlank: String? = nil
    ) -> HTML {
        var opts: [HTML] = []
        if let blank = includeBlank { opts.append("<option value=\"\">\(blank)</option>") }
        for o in options {
            opts.append(
                "<option value=\"\(o.value)\"\(HTML(raw: o.value == selected ? " selected" : ""))>\(o.label)</option>")
        }
        let err: HTML = error.map { "<span class=\"field-error\" id=\"\(name)-error\">\($0)</span>" } ?? .empty
        return """
            <label class="field\(error == nil ? "" : " has-error")"><span>\(label)</span>
            <select name="\(formName(name))" id="f-\(name)">\(opts)</select>\(err)</label>
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
        return field
    }

    /// The list of what to fix, above a form; each item names the field as its label does and links to it.
    static func errorSummary(_ errors: ValidationErrors?, _ t: Translator, labels: [String: String] = [:]) -> HTML {
        guard let errors, !errors.isEmpty else { return .empty }
        let items = errors.items.map {
            HTML(
                "<li><a href=\"#f-\($0.field)\">\(labels[$0.field] ?? fieldLabel($0.field, t))</a>: \($0.message)</li>")
        }
        return "<div class=\"error-summary\" role=\"alert\"><h2>\(t("form.fix"))</h2><ul>\(items)</ul></div>"
    }

    static func dateTime(_ d: Date?) -> String {
        guard let d else { return "" }
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        f.timeZone = OfficeCalendar.timeZone
        return f.string(from: d)
    }
}
