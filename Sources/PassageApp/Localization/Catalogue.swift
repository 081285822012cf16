import Vapor

/// Every string the pages show, per language: the shared entries here and each module's own. A test checks every
/// language has the same keys and that every key the code asks for exists.
enum Catalogue {
    /// The shared entries, by language.
    static let shared: [String: [String: String]] = [
        "en": en.merging(identityEN) { a, _ in a }.merging(importEN) { a, _ in a }.merging(protectionEN) { a, _ in a },
        "nl": nl.merging(figuresNL) { a, _ in a }.merging(identityNL) { a, _ in a }.merging(importNL) { a, _ in a }
            .merging(protectionNL) { a, _ in a },
    ]

    /// The shared entries with those of `modules`.
    static func strings(_ modules: [any PassageModule]) -> [String: [String: String]] {
        var out = shared
        for module in modules {
            for (language, entries) in module.catalogue { out[language, default: [:]].merge(entries) { a, _ in a } }
        }
        return out
    }

    /// The catalogue of the registered modules.
    static let strings: [String: [String: String]] = strings(Modules.registered)
}

struct CatalogueKey: StorageKey { typealias Value = [String: [String: String]] }
