import Foundation

/// ISO reference codes the records use, checked against the generated tables.
public enum CountryCode {
    /// The upper-cased ISO 3166-1 alpha-2 code, or nil when it is not one.
    public static func normalise(_ raw: String) -> String? {
        let code = raw.trimmingWhitespace.uppercased()
        return names[code] == nil ? nil : code
    }
    /// "XX" stands for an unknown nationality or statelessness, as on travel documents.
    public static let unknown = "XX"
    /// "XK" is Kosovo, as the EU and IOM code it (a code ISO 3166-1 leaves to its users).
    public static let kosovo = "XK"
    static let names: [String: String] = ISOCountries.names.merging([
        unknown: "Unknown or stateless", kosovo: "Kosovo",
    ]) { a, _ in a }
    public static func name(_ code: String) -> String { names[code] ?? code }
    /// The name in a language ("nl": "Syrië"), from the platform's locale data; English where it has none.
    public static func name(_ code: String, in language: String) -> String {
        name(code, locale: language == "en" ? nil : Locale(identifier: language))
    }
    static func name(_ code: String, locale: Locale?) -> String {
        guard let locale else { return name(code) }
        if code == unknown { return locale.identifier == "nl" ? "Onbekend of staatloos" : name(code) }
        return locale.localizedString(forRegionCode: code) ?? name(code)
    }
    /// Every code with its name in a language, sorted by that name.
    public static func all(in language: String) -> [(code: String, name: String)] {
        let locale = language == "en" ? nil : Locale(identifier: language)
        return ReferenceNames.sorted(names.keys.map { ($0, name($0, locale: locale)) })
    }
}

public enum LanguageCode {
    public static func normalise(_ raw: String) -> String? {
        let code = raw.trimmingWhitespace.lowercased()
        return ISOLanguages.names[code] == nil ? nil : code
    }
    public static func name(_ code: String) -> String { ISOLanguages.names[code] ?? code }
    /// The name in a language ("nl": "Russisch"), from the platform's locale data; English where it has none.
    public static func name(_ code: String, in language: String) -> String {
        name(code, locale: language == "en" ? nil : Locale(identifier: language))
    }
    static func name(_ code: String, locale: Locale?) -> String {
        locale?.localizedString(forLanguageCode: code) ?? name(code)
    }
    /// Every code with its name in a language, sorted by that name.
    public static func all(in language: String) -> [(code: String, name: String)] {
        let locale = language == "en" ? nil : Locale(identifier: language)
        return ReferenceNames.sorted(ISOLanguages.names.keys.map { ($0, name($0, locale: locale)) })
    }
    /// A code, or a language's name in English or Dutch ("russian", "Russisch"), as its code.
    public static func read(_ raw: String) -> String? {
        if let code = normalise(raw) { return code }
        return byName[ReferenceNames.folded(raw)]
    }
    /// Every language's English and Dutch name, folded, to its code; made once.
    static let byName: [String: String] = {
        let dutch = Locale(identifier: "nl")
        var out: [String: String] = [:]
        for code in ISOLanguages.names.keys.sorted() {
            for n in [name(code), name(code, locale: dutch)] where out[ReferenceNames.folded(n)] == nil {
                out[ReferenceNames.folded(n)] = code
            }
        }
        return out
    }()
}

/// Names of codes as people read and type them.
enum ReferenceNames {
    /// Sorted by name as the reader's alphabet goes, without regard to case or accents.
    static func sorted(_ pairs: [(String, String)]) -> [(code: String, name: String)] {
        pairs.sorted { $0.1.compare($1.1, options: [.caseInsensitive, .diacriticInsensitive]) == .orderedAscending }
            .map { (code: $0.0, name: $0.1) }
    }
    /// A name as typed, compared without case, accents or surrounding spaces.
    static func folded(_ name: String) -> String {
        name.trimmingWhitespace.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
