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
        guard language != "en" else { return name(code) }
        if code == unknown { return language == "nl" ? "Onbekend of staatloos" : name(code) }
        return Locale(identifier: language).localizedString(forRegionCode: code) ?? name(code)
    }
    public static var all: [(code: String, name: String)] {
        names.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
    }
    /// Every code with its name in a language, sorted by that name.
    public static func all(in language: String) -> [(code: String, name: String)] {
        names.keys.map { ($0, name($0, in: language)) }.sorted {
            $0.1.compare($1.1, options: [.caseInsensitive, .diacriticInsensitive]) == .orderedAscending
        }
    }
    /// A code, or a country's name in English or in `language` ("Syria", "Syrië"), as its code.
    public static func read(_ raw: String, language: String = "en") -> String? {
        if let code = normalise(raw) { return code }
        let wanted = raw.trimmingWhitespace.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        guard wanted.count > 2 else { return nil }
        for code in names.keys {
            for n in [name(code), name(code, in: language)]
            where n.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) == wanted {
                return code
            }
        }
        return nil
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
        guard language != "en" else { return name(code) }
        return Locale(identifier: language).localizedString(forLanguageCode: code) ?? name(code)
    }
    public static var all: [(code: String, name: String)] {
        ISOLanguages.names.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
    }
    /// Every code with its name in a language, sorted by that name.
    public static func all(in language: String) -> [(code: String, name: String)] {
        ISOLanguages.names.keys.map { ($0, name($0, in: language)) }.sorted {
            $0.1.compare($1.1, options: [.caseInsensitive, .diacriticInsensitive]) == .orderedAscending
        }
    }
    /// A code, or a language's name in English or in `language` ("russian", "Russisch"), as its code.
    public static func read(_ raw: String, language: String = "en") -> String? {
        if let code = normalise(raw) { return code }
        let wanted = raw.trimmingWhitespace.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        guard wanted.count > 2 else { return nil }
        for code in ISOLanguages.names.keys {
            for n in [name(code), name(code, in: language)]
            where n.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) == wanted {
                return code
            }
        }
        return nil
    }
}
