import Vapor
import PassageDomain

/// The languages Passage speaks, and the text of every string in them.
struct Translator: Sendable {
    static let supported = ["en", "nl"]
    let locale: String
    /// The application's catalogue (the shared entries and its modules').
    var strings: [String: [String: String]] = Catalogue.strings

    func callAsFunction(_ key: String) -> String {
        strings[locale]?[key] ?? strings["en"]?[key] ?? key
    }

    /// The text in the viewer's own language only, for words whose English lives in the domain.
    func own(_ key: String) -> String? { strings[locale]?[key] }

    /// `t("cases.count", 3)` fills `%1`, `%2`, ... in order.
    func callAsFunction(_ key: String, _ args: CustomStringConvertible...) -> String {
        self(key, arguments: args.map(\.description))
    }

    func callAsFunction(_ key: String, arguments: [String]) -> String {
        var s = self(key)
        // From the last, so that %1 does not take the front of %10.
        for (i, a) in arguments.enumerated().reversed() { s = s.replacingOccurrences(of: "%\(i + 1)", with: a) }
        return s
    }

    /// A country's name in the reader's language.
    func country(_ code: String) -> String { CountryCode.name(code, in: locale) }
    /// A language's name in the reader's language.
    func language(_ code: String) -> String { LanguageCode.name(code, in: locale) }

    /// A day as the reader writes it: "6 Dec 2026", "6 dec 2026"; a month or a year alone as far as it is known.
    func day(_ d: PartialDate) -> String {
        let months = self("date.months").split(separator: " ").map(String.init)
        let month = d.month.flatMap { months.indices.contains($0 - 1) ? months[$0 - 1] : nil }
        let text = [d.day.map(String.init), month, String(d.year)].compactMap { $0 }.joined(separator: " ")
        return (d.estimated ? "~" : "") + text
    }

    /// A whole number with the reader's grouping: 12,345 in English, 12.345 in Dutch.
    func number(_ n: Int) -> String { DecimalInput.format(n, decimals: 0, style: NumberStyle(language: locale)) }

    /// Every country as a choice of a list: its name in the reader's language and its code, by name.
    var countryChoices: [(value: String, label: String)] {
        CountryCode.all(in: locale).map { ($0.code, "\($0.name) (\($0.code))") }
    }
    /// Every language as a choice of a list, likewise.
    var languageChoices: [(value: String, label: String)] {
        LanguageCode.all(in: locale).map { ($0.code, "\($0.name) (\($0.code))") }
    }

    /// Whether the catalogue has the key (in any language).
    func has(_ key: String) -> Bool { strings["en"]?[key] != nil }
}

extension Request {
    /// The viewer's language: chosen in this session, else their account's, else their browser's.
    var locale: String {
        if hasSession, let l = session.data["lang"], Translator.supported.contains(l) { return l }
        if let id = auth.get(Identity.self), Translator.supported.contains(id.locale) { return id.locale }
        if let accept = headers.first(name: .acceptLanguage)?.lowercased(), accept.hasPrefix("nl") { return "nl" }
        return "en"
    }

    var t: Translator {
        Translator(locale: locale, strings: application.storage[CatalogueKey.self] ?? Catalogue.strings)
    }
}
