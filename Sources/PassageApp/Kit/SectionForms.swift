import PassageDomain
import Vapor

typealias Options = [(value: String, label: String)]

/// A form that was refused: which section, why, and what was typed.
struct SectionFailure {
    var section: String
    var errors: ValidationErrors?
    var message: String?
    var fields: FormFields
}

/// Helpers of forms inside a page of several sections: each keeps its own typed values and messages.
struct SectionForms {
    let req: Request
    let failure: SectionFailure?
    var t: Translator { req.t }

    func value(_ section: String, _ name: String, _ fallback: String? = nil) -> String? {
        if let f = failure, f.section == section { return f.fields[name] ?? "" }
        return fallback
    }
    func error(_ section: String, _ name: String) -> String? {
        guard let f = failure, f.section == section else { return nil }
        return t.localized(f.errors)?.message(for: name)
    }
    func summary(_ section: String) -> HTML {
        guard let f = failure, f.section == section else { return .empty }
        let message: HTML = f.message.map { "<div class=\"error-summary\" role=\"alert\">\($0)</div>" } ?? .empty
        return HTML(raw: message.raw + Layout.errorSummary(t.localized(f.errors), t).raw)
    }
    func field(
        _ s: String, _ name: String, _ label: String, _ fallback: String? = nil, type: String = "text",
        hint: String? = nil
    ) -> HTML {
        Layout.field(
            name, label: t(label), value: value(s, name, fallback), error: error(s, name), type: type,
            hint: hint.map { t($0) })
    }
    func select(
        _ s: String, _ name: String, _ label: String, _ options: Options, _ fallback: String?, blank: String? = nil
    ) -> HTML {
        Layout.select(
            name, label: t(label), options: options, selected: value(s, name, fallback), error: error(s, name),
            includeBlank: blank)
    }
    /// A select of a vocabulary, each word labelled from the catalogue under `prefix`.
    func words<T: CaseIterable & RawRepresentable>(
        _ s: String, _ name: String, _ label: String, _ type: T.Type, prefix: String,
        _ fallback: String?, blank: Bool = false
    ) -> HTML where T.RawValue == String {
        select(
            s, name, label, T.allCases.map { (value: $0.rawValue, label: t("\(prefix).\($0.rawValue)")) }, fallback,
            blank: blank ? "—" : nil)
    }
    func area(
        _ s: String, _ name: String, _ label: String, _ fallback: String? = nil, rows: Int = 3, hint: String? = nil
    ) -> HTML {
        let err: HTML = error(s, name).map { "<span class=\"field-error\" id=\"\(name)-error\">\($0)</span>" } ?? .empty
        let h: HTML = hint.map { "<span class=\"hint\">\(t($0))</span>" } ?? .empty
        return
            "<label class=\"field\"><span>\(t(label))</span><textarea name=\"\(name)\" id=\"f-\(name)\" rows=\"\(rows)\">\(value(s, name, fallback) ?? "")</textarea>\(h)\(err)</label>"
    }
    func check(_ s: String, _ name: String, _ label: String, _ on: Bool) -> HTML {
        let checked: Bool
        if let f = failure, f.section == s { checked = Input.flag(f.fields[name]) } else { checked = on }
        return
            "<label class=\"field check\"><span>\(t(label))</span><input type=\"checkbox\" name=\"\(name)\" id=\"f-\(name)\" value=\"true\"\(HTML(raw: checked ? " checked" : ""))></label>"
    }
    func form(_ action: String, _ section: String, button: String, _ body: HTML) -> HTML {
        "\(summary(section))<form method=\"post\" action=\"\(action)\" class=\"card\" novalidate>\(Layout.csrfField(req))\(body)<button class=\"primary\" type=\"submit\">\(t(button))</button></form>"
    }
}
