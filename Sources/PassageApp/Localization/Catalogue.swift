/// Every string the pages show, per language. A test checks both languages have the same keys
/// and that every key the code asks for exists.
enum Catalogue {
    static let strings: [String: [String: String]] = ["en": en.merging(returnEN) { a, _ in a }.merging(movementsEN) { a, _ in a },
                                                      "nl": nl.merging(returnNL) { a, _ in a }.merging(movementsNL) { a, _ in a }.merging(figuresNL) { a, _ in a }]
}
