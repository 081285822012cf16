/// How a name sounds, whichever way it was written: the same key for Mohammed, Muhammad, Mohamed and Mehmet;
/// Yusuf, Youssef and Jusuf; Aleksandr, Alexander and Oleksandr; Ivanov, Iwanow and Иванов; Müller and Mueller;
/// محمد and Muhammad; ዮሐንስ and Yohannes.
///
/// A word (already normalised by `NameNormaliser`) is first written in Latin letters (from Arabic and Persian,
/// Cyrillic, Georgian and Ethiopic script), then the spellings that differ between transliteration traditions are
/// folded (kh/ch/h, w/v, j/y, x/ks, c/q/k, ph/f, sh/sch/s, a final d/t, a final h), doubled letters collapsed and the
/// vowels dropped; a word that begins with a vowel keeps one mark for it, so that Ahmad and Hamid stay apart.
public enum Transliteration {
    /// Words shorter than this, and keys of words that begin with a vowel and hold fewer than `minimumConsonants`
    /// consonants, have no key: they would meet too many (Ali, Eli and Ola would be one name). Nur and Noor, Layla
    /// and Leila, Wei and Wey have theirs.
    public static let minimumWordLength = 3
    public static let minimumConsonants = 2

    /// The key of a word, or nil for a short word.
    public static func key(_ word: String) -> String? {
        let latin = latin(word)
        // Arabic script leaves short vowels unwritten: its words are counted by their letters as written.
        guard
            max(word.count, latin.count) >= minimumWordLength
                || word.unicodeScalars.contains(where: { $0.value >= 0x0600 }),
            latin.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return nil }
        // Bytes, not characters: the word is ASCII letters by now, and this runs for every distinct word.
        var s = Array(latin.utf8)
        // Ivanoff, Smirnoff: the old spelling of a final v.
        if s.count >= 2 && s[s.count - 1] == ff && s[s.count - 2] == ff { s.removeLast(2); s.append(v) }
        for (from, to) in byteFolds where s.contains(from[0]) { s = replacing(from, with: to, in: s) }
        // A final h is silent (Fatimah, Abdullah, فاطمه); a final d sounds as t (Mehmet, Ahmed).
        while s.count > 1, s.last == h { s.removeLast() }
        if s.last == d { s[s.count - 1] = t }
        var out: [UInt8] = []
        if let first = s.first {
            if isVowel(first) { out = [a] } else if first == y { out = [y] }
        }
        let marks = out.count
        var last: UInt8?
        for (i, c) in s.enumerated() {
            if isVowel(c) || c == y {
                // A vowel between two equal consonants does not join them (Mohammed's m-h-m stays three).
                last = nil
                continue
            }
            if c == last { continue }
            if i == 0 && out == [y] { last = nil; continue }
            out.append(c)
            last = c
        }
        // A word that begins with a consonant keeps its key with one (Wei and Wey, Baya and Baia); one that begins
        // with a vowel needs two, or Ali, Eli and Ola would meet.
        return out.count - marks >= (marks == 0 ? 1 : minimumConsonants) ? String(decoding: out, as: UTF8.self) : nil
    }

    private static let (a, d, ff, h, t, v, y) = (
        UInt8(ascii: "a"), UInt8(ascii: "d"), UInt8(ascii: "f"), UInt8(ascii: "h"), UInt8(ascii: "t"),
        UInt8(ascii: "v"), UInt8(ascii: "y")
    )

    private static func isVowel(_ c: UInt8) -> Bool {
        c == a || c == UInt8(ascii: "e") || c == UInt8(ascii: "i") || c == UInt8(ascii: "o") || c == UInt8(ascii: "u")
    }

    /// Every occurrence of `from` replaced, left to right, as `replacingOccurrences(of:with:)` does.
    private static func replacing(_ from: [UInt8], with to: [UInt8], in s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count + 2)
        var i = 0
        while i < s.count {
            if s[i] == from[0] && i + from.count <= s.count && s[i..<(i + from.count)].elementsEqual(from) {
                out += to
                i += from.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    /// Spellings of one sound, longest first.
    private static let folds: [(String, String)] = [
        ("tsch", "h"), ("sch", "s"), ("tch", "h"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ch", "h"), ("gh", "g"),
        ("sh", "s"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("ck", "k"), ("dj", "j"), ("ts", "s"), ("x", "ks"),
        ("q", "k"), ("c", "k"), ("w", "v"), ("j", "y"), ("z", "s"),
    ]
    private static let byteFolds = folds.map { (Array($0.0.utf8), Array($0.1.utf8)) }

    /// The word in Latin letters; a word already in Latin letters is returned as it is.
    public static func latin(_ word: String) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return word }
        var out = ""
        let scalars = Array(word.unicodeScalars)
        for (i, s) in scalars.enumerated() {
            let v = s.value
            switch v {
            case 0x0600...0x06FF:
                out += arabic(s, initial: i == 0)
            case 0x0400...0x04FF:
                out += cyrillic[s] ?? ""
            case 0x10D0...0x10FF:
                out += georgian[s] ?? ""
            case 0x1200...0x137F:
                out += ethiopic(v)
            default:
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    private static func arabic(_ s: Unicode.Scalar, initial: Bool) -> String {
        // و and ي are mostly long vowels inside a word and consonants at its start (Walid, Yusuf).
        switch s {
        case "\u{0648}": return initial ? "w" : "u"
        case "\u{064A}": return initial ? "y" : "i"
        case "\u{0639}": return "a"
        default: return arabicLetters[s] ?? ""
        }
    }

    private static let arabicLetters: [Unicode.Scalar: String] = [
        "\u{0627}": "a", "\u{0628}": "b", "\u{062A}": "t", "\u{062B}": "th", "\u{062C}": "j", "\u{062D}": "h",
        "\u{062E}": "kh", "\u{062F}": "d", "\u{0630}": "dh", "\u{0631}": "r", "\u{0632}": "z", "\u{0633}": "s",
        "\u{0634}": "sh", "\u{0635}": "s", "\u{0636}": "d", "\u{0637}": "t", "\u{0638}": "z", "\u{063A}": "gh",
        "\u{0641}": "f", "\u{0642}": "q", "\u{0643}": "k", "\u{0644}": "l", "\u{0645}": "m", "\u{0646}": "n",
        "\u{0647}": "h", "\u{067E}": "p", "\u{0686}": "ch", "\u{0698}": "zh", "\u{06AF}": "g",
    ]

    private static let cyrillic: [Unicode.Scalar: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
        "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
    ]

    private static let georgian: [Unicode.Scalar: String] = [
        "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i", "კ": "k",
        "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s", "ტ": "t", "უ": "u",
        "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch",
        "ხ": "kh", "ჯ": "j", "ჰ": "h",
    ]

    /// Ethiopic syllables come in rows of eight: a consonant with each vowel in turn.
    private static func ethiopic(_ v: UInt32) -> String {
        let row = (v - 0x1200) / 8
        let order = Int((v - 0x1200) % 8)
        guard let consonant = ethiopicRows[row] else { return "" }
        let vowel = ["e", "u", "i", "a", "e", "", "o", "a"][order]
        return consonant + vowel
    }

    private static let ethiopicRows: [UInt32: String] = [
        0x00: "h", 0x01: "l", 0x02: "h", 0x03: "m", 0x04: "s", 0x05: "r", 0x06: "s", 0x07: "sh", 0x08: "q",
        0x0C: "b", 0x0D: "v", 0x0E: "t", 0x0F: "ch", 0x10: "h", 0x12: "n", 0x13: "ny", 0x14: "", 0x15: "k",
        0x17: "h", 0x19: "w", 0x1A: "", 0x1B: "z", 0x1C: "zh", 0x1D: "y", 0x1E: "d", 0x1F: "d", 0x20: "j",
        0x21: "g", 0x24: "t", 0x25: "ch", 0x26: "p", 0x27: "ts", 0x28: "ts", 0x29: "f", 0x2A: "p",
    ]
}
