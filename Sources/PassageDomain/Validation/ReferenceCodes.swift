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
    public static var all: [(code: String, name: String)] {
        names.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
    }
}

public enum LanguageCode {
    public static func normalise(_ raw: String) -> String? {
        let code = raw.trimmingWhitespace.lowercased()
        return ISOLanguages.names[code] == nil ? nil : code
    }
    public static func name(_ code: String) -> String { ISOLanguages.names[code] ?? code }
    public static var all: [(code: String, name: String)] {
        ISOLanguages.names.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
    }
}
