import PassageDomain
import Vapor

/// The public page where an applicant follows their application: the application number and the date of birth
/// give the status and what to do next, in English, Dutch or Korean. Nothing else is ever shown (no name, no
/// passport, no decision), every lookup is logged, and lookups are limited per address and per number.
struct VisaStatusPage {
    static let languages = ["en", "nl", "ko"]

    func boot(_ app: Application) {
        app.open(.GET, "visa-status") { req -> Response in
            try await Self.page(req, lang: Self.language(req), answer: nil, number: nil)
                .response(status: .ok)
        }
        app.open(.POST, "visa-status") { req -> Response in
            let f = try FormInput.fields(req)
            let lang = Self.language(req, form: f)
            let address = req.remoteAddress?.ipAddress ?? "unknown"
            let answer = try await VisaCentreRecords.lookup(
                number: f["number"], birth: f["dateOfBirth"], address: address, on: req.application)
            let status: HTTPStatus
            switch answer {
            case .found: status = .ok
            case .notFound: status = .notFound
            case .limited: status = .tooManyRequests
            }
            let res = try await Self.page(req, lang: lang, answer: answer, number: f["number"]).response(status: status)
            if answer == .limited { res.headers.replaceOrAdd(name: .retryAfter, value: "900") }
            return res
        }
    }

    static func language(_ req: Request, form: FormFields = [:]) -> String {
        let asked = form["lang"] ?? req.query[String.self, at: "lang"] ?? ""
        if languages.contains(asked) { return asked }
        let accept = req.headers.first(name: .acceptLanguage)?.lowercased() ?? ""
        return languages.first { accept.hasPrefix($0) } ?? "en"
    }

    static func page(_ req: Request, lang: String, answer: VisaCentreRecords.LookupAnswer?, number: String?) -> HTML {
        let t = Translator(locale: lang, strings: Catalogue.visaStatus)
        let answerHTML: HTML
        switch answer {
        case .found(let status, let returnedOn)?:
            let next = status == .returned ? t("vs.next.returned", returnedOn ?? "") : t("vs.next.\(status.rawValue)")
            answerHTML = """
                <div class="status-answer" role="status" id="answer"><p><strong>\(t("vs.status.\(status.rawValue)"))\
                </strong></p><p>\(next)</p></div>
                """
        case .notFound?:
            answerHTML = "<div class=\"error-summary\" role=\"alert\" id=\"answer\">\(t("vs.notFound"))</div>"
        case .limited?:
            answerHTML = "<div class=\"error-summary\" role=\"alert\" id=\"answer\">\(t("vs.limited"))</div>"
        case nil:
            answerHTML = .empty
        }
        let switcher = languages.map { l -> HTML in
            l == lang
                ? "<strong lang=\"\(l)\">\(t("vs.lang.\(l)"))</strong>"
                : "<a href=\"\(VisaPaths.status)?lang=\(l)\" lang=\"\(l)\" hreflang=\"\(l)\">\(t("vs.lang.\(l)"))</a>"
        }
        let typed = String((number ?? "").prefix(20))
        return """
            <!doctype html>
            <html lang="\(lang)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
            <title>\(t("vs.title"))</title><link rel="stylesheet" href="/static/passage.css"></head>
            <body><header class="top"><span class="brand">\(t("vs.centre"))</span>\
            <nav aria-label="\(t("vs.languages"))">\(HTML(raw: switcher.map(\.raw).joined(separator: " · ")))</nav>\
            </header><main><h1>\(t("vs.title"))</h1><p>\(t("vs.lead"))</p>\(answerHTML)
            <form method="post" action="\(VisaPaths.status)" class="card" novalidate>\(Layout.csrfField(req))\
            <input type="hidden" name="lang" value="\(lang)">\
            \(Layout.field("number", label: t("vs.number"), value: typed, error: nil, hint: t("vs.number.hint"),
                attributes: "autocomplete=\"off\" required"))\
            \(Layout.field("dateOfBirth", label: t("vs.dateOfBirth"), value: nil, error: nil, type: "date",
                attributes: "autocomplete=\"bday\" required"))\
            <button class="primary" type="submit">\(t("vs.submit"))</button></form>
            <p class="hint">\(t("vs.privacy"))</p></main></body></html>
            """
    }
}
