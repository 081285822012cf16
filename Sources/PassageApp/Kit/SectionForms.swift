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
    let t: Translator
    /// The refused section's field messages in the reader's language, read once for the page.
    private let messages: ValidationErrors?

    init(req: Request, failure: SectionFailure?) {
        self.req = req
        self.failure = failure
        t = req.t
        messages = t.localized(failure?.errors)
    }

    func value(_ section: String, _ name: String, _ fallback: String? = nil) -> String? {
        if let f = failure, f.section == section { return f.fields[name] ?? "" }
        return fallback
    }
    func error(_ section: String, _ name: String) -> String? {
        guard let f = failure, f.section == section else { return nil }
        return messages?.message(for: name)
    }
    func summary(_ section: String) -> HTML {
        guard let f = failure, f.section == section else { return .empty }
        let message: HTML =
            f.message.map { "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\">\($0)</div>" } ?? .empty
        return HTML(raw: message.raw + Layout.errorSummary(messages, t, idPrefix: "f-\(section)-").raw)
    }
    /// The id of a field of a section: forms on one page do not share ids.
    func id(_ section: String, _ name: String) -> String { "f-\(section)-\(name)" }
    func field(
        _ s: String, _ name: String, _ label: String, _ fallback: String? = nil, type: String = "text",
        hint: String? = nil
    ) -> HTML {
        // A password typed is never sent back in the page.
        Layout.field(
            name, label: t(label), value: type == "password" ? nil : value(s, name, fallback), error: error(s, name),
            type: type,
            hint: hint.map { t($0) }, id: id(s, name))
    }
    func select(
        _ s: String, _ name: String, _ label: String, _ options: Options, _ fallback: String?, blank: String? = nil
    ) -> HTML {
        Layout.select(
            name, label: t(label), options: options, selected: value(s, name, fallback), error: error(s, name),
            includeBlank: blank, id: id(s, name))
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
        let id = id(s, name)
        let message = error(s, name)
        let err: HTML = message.map { "<span class=\"field-error\" id=\"\(id)-error\">\($0)</span>" } ?? .empty
        let invalid = message == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(id)-error\""
        let h: HTML = hint.map { "<span class=\"hint\">\(t($0))</span>" } ?? .empty
        return """
            <label class="field\(message == nil ? "" : " has-error")"><span>\(t(label))</span><textarea \
            name="\(name)" id="\(id)" rows="\(rows)"\(HTML(raw: invalid))>\(value(s, name, fallback) ?? "")</textarea>\
            \(h)\(err)</label>
            """
    }
    func check(_ s: String, _ name: String, _ label: String, _ on: Bool) -> HTML {
        let checked: Bool
        if let f = failure, f.section == s { checked = Input.flag(f.fields[name]) } else { checked = on }
        return """
            <label class="field check"><span>\(t(label))</span><input type="checkbox" name="\(name)" \
            id="\(id(s, name))" value="true"\(HTML(raw: checked ? " checked" : ""))></label>
            """
    }
    /// A person of a form: a reference to a record held, or the details of a new one (read by
    /// `PersonRecords.fromPage`); the labels are the catalogue's under `labels`.
    func personFields(_ s: String, labels k: String, countryHint: String, _ p: String) -> HTML {
        let sexes = ["F", "M", "X", "U"].map { (value: $0, label: t("sex.\($0)")) }
        return """
            \(field(s, p + "Reference", k + ".reference", hint: k + ".reference.hint"))\
            <div class="grid">\(field(s, p + "FamilyName", k + ".familyName"))\
            \(field(s, p + "GivenNames", k + ".givenNames"))\
            \(select(s, p + "Sex", k + ".sex", sexes, nil, blank: "—"))\
            \(field(s, p + "DateOfBirth", k + ".dateOfBirth", hint: k + ".dateOfBirth.hint"))\
            \(field(s, p + "Nationality", k + ".nationality", hint: countryHint))</div>
            """
    }

    /// A form folded under its title, open when it was just refused.
    func folded(_ section: String, _ title: String, _ form: HTML) -> HTML {
        guard !form.raw.isEmpty else { return .empty }
        let open = failure?.section == section ? " open" : ""
        return """
            <details class="card fold"\(HTML(raw: open))><summary>\(t(title))</summary>\(form)</details>
            """
    }
    /// A section's form: its answer comes back to it (`#s-` and the section), errors first.
    func form(_ action: String, _ section: String, button: String, _ body: HTML) -> HTML {
        """
        <div class="section-form" id="s-\(section)">\(summary(section))<form method="post" \
        action="\(action)#s-\(section)" class="card" novalidate>\(Layout.csrfField(req))\(body)<button \
        class="primary" type="submit">\(t(button))</button></form></div>
        """
    }
}

extension SectionForms {
    /// A section name as it may travel in `?saved=`: letters, digits and hyphens.
    static func sectionName(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.count <= 80,
            raw.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else { return nil }
        return raw
    }

    /// After a save, the page says so where the reader lands: right after the heading `anchor`, or at the top.
    /// `message` is a catalogue key for what to say instead of "Saved.".
    static func landing(_ body: HTML, savedAt anchor: String?, _ t: Translator, message: String = "form.saved")
        -> HTML
    {
        guard let anchor else { return body }
        let notice =
            "<p class=\"notice saved\" id=\"saved\" role=\"status\" tabindex=\"-1\">\(HTML.escape(t(message)))</p>"
        let raw = body.raw
        if let at = raw.range(of: " id=\"\(anchor)\""), let open = raw[..<at.lowerBound].lastIndex(of: "<") {
            let tag = raw[raw.index(after: open)..<at.lowerBound].prefix { $0.isLetter || $0.isNumber }
            if !tag.isEmpty, let close = raw.range(of: "</\(tag)>", range: at.upperBound..<raw.endIndex) {
                return HTML(raw: String(raw[..<close.upperBound]) + notice + String(raw[close.upperBound...]))
            }
        }
        return HTML(raw: notice + raw)
    }
}

extension SectionForms {
    /// Runs a form: on success to where it says, on a refusal the page again with the reason beside the form.
    static func attempt(
        _ section: String, _ f: FormFields, to target: @autoclosure () -> String, _ work: () async throws -> Void,
        failed page: (SectionFailure) async throws -> HTML
    ) async throws -> Response {
        try await attempt(section, f, to: { target() }, work, failed: page)
    }

    static func attempt(
        _ section: String, _ f: FormFields, to target: () -> String, _ work: () async throws -> Void,
        failed page: (SectionFailure) async throws -> HTML
    ) async throws -> Response {
        do {
            try await work()
            return Response(status: .seeOther, headers: ["Location": target()])
        } catch let e as ValidationErrors {
            return try await page(.init(section: section, errors: e, fields: f)).response(status: .unprocessableEntity)
        } catch let e as DomainError {
            return try await page(.init(section: section, message: e.message, fields: f))
                .response(status: MovementsPagesController.status(e))
        }
    }
}
