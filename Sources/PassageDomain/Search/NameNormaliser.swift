import Foundation

/// Turns names in any script into comparable search tokens: lower case, no diacritics,
/// Arabic-script letter variants unified, split into words.
public enum NameNormaliser {
    /// Letters that do not decompose but that people type without their stroke or ligature.
    private static let latinFolds: [Character: String] = [
        "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i", "ħ": "h",
    ]
    /// Arabic-script spellings that vary between writers and keyboards.
    private static let arabicFolds: [Unicode.Scalar: Unicode.Scalar] = [
        "\u{0622}": "\u{0627}", "\u{0623}": "\u{0627}", "\u{0625}": "\u{0627}", "\u{0671}": "\u{0627}",
        "\u{0629}": "\u{0647}", "\u{0649}": "\u{064A}", "\u{06CC}": "\u{064A}", "\u{06A9}": "\u{0643}",
        "\u{0624}": "\u{0648}", "\u{0626}": "\u{064A}",
    ]

    /// The normalised form of a whole text, words separated by single spaces.
    public static func normalise(_ text: String) -> String {
        tokens(text).joined(separator: " ")
    }

    /// The same words for a text in ASCII, without the Unicode work (most names the office types are).
    static func asciiTokens(_ text: String) -> [String]? {
        var words: [String] = []
        var current: [UInt8] = []
        for b in text.utf8 {
            switch b {
            case 0x41...0x5A: current.append(b + 0x20)
            case 0x61...0x7A, 0x30...0x39: current.append(b)
            case 0x80...: return nil
            default:
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)); current.removeAll() }
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    /// The words of a text in normalised form.
    public static func tokens(_ text: String) -> [String] {
        if let ascii = asciiTokens(text) { return ascii }
        let decomposed = text.lowercased().decomposedStringWithCanonicalMapping
        var out = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format:
                continue
            default:
                break
            }
            if scalar == "\u{0640}" { continue }  // tatweel
            if let folded = arabicFolds[scalar] { out.append(folded); continue }
            if let folded = latinFolds[Character(scalar)] { out.append(contentsOf: folded.unicodeScalars); continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                out.append(scalar)
            } else {
                out.append(" ")
            }
        }
        return String(out).split(separator: " ").map(String.init)
    }
}
