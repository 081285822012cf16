/// The terms under which a person's names are stored for search, and the terms a query
/// looks for. Misspellings are found by single-character deletions on both sides
/// (a symmetric-delete index): "mohamed" and "mohammed", "ahmad" and "ahmed" meet.
public enum SearchTerms {
    public enum Kind: Int, Sendable { case word = 0, variant = 1, sound = 2 }

    /// How a sound key is stored: marked so that it never equals a word or a variant (those are letters only).
    public static func soundTerm(_ key: String) -> String { "~" + key }

    public struct Term: Hashable, Sendable {
        public let text: String
        public let kind: Kind
    }

    /// Words shorter than this are matched exactly or by prefix only: deleting a letter
    /// from a three-letter word matches too much to be useful.
    public static let fuzzyMinimumLength = 4
    /// A prefix shorter than this matches too many people to be a search.
    public static let prefixMinimumLength = 2

    /// Everything stored for one person, from all their names in every script.
    public static func stored(names: [String]) -> Set<Term> {
        var terms = Set<Term>()
        for name in names {
            for word in NameNormaliser.tokens(name) {
                terms.insert(Term(text: word, kind: .word))
                for v in deletions(of: word) { terms.insert(Term(text: v, kind: .variant)) }
                if let k = Transliteration.key(word) { terms.insert(Term(text: soundTerm(k), kind: .sound)) }
            }
        }
        // A variant equal to a word of the same person adds nothing.
        let words = Set(terms.filter { $0.kind == .word }.map(\.text))
        return terms.filter { $0.kind != .variant || !words.contains($0.text) }
    }

    /// The single-deletion variants of a word (none for short words).
    public static func deletions(of word: String) -> Set<String> {
        let chars = Array(word)
        guard chars.count >= fuzzyMinimumLength else { return [] }
        var out = Set<String>()
        for i in chars.indices {
            var c = chars
            c.remove(at: i)
            out.insert(String(c))
        }
        return out
    }

    /// What one word of a query looks for.
    public struct QueryWord: Sendable, Equatable {
        public let word: String
        /// Exact text to look up among both words and variants.
        public let fuzzy: [String]
        /// Half-open range of words that start with `word`, or nil when the word is too short.
        public let prefixRange: (lower: String, upper: String)?
        /// How the word sounds (`Transliteration.key`): other spellings and scripts of it share the key.
        public var sound: String? = nil
        /// A particle (al, el, de, van) beside other words: it counts when a name has it and is not required, as
        /// one hand writes Al-Hassan, another El Hassan and a third Hassan.
        public var optional = false

        public static func == (a: QueryWord, b: QueryWord) -> Bool { a.word == b.word }
    }

    /// Articles and particles that some hands write as a word of the name and others leave out or join to it.
    public static let particles: Set<String> = [
        "al", "el", "ul", "il", "ad", "ar", "as", "at", "az", "ash", "de", "del", "della", "la", "le", "van", "von",
        "der", "den", "du", "dos", "das",
    ]

    /// The Arabic article as it is written joined to a name, assimilated or not (al, el, ul, ar, as, at, ad, az, an).
    static let joinedArticles: Set<String> = ["al", "el", "ul", "ar", "as", "at", "ad", "az", "an"]

    public static func query(_ text: String) -> [QueryWord] {
        var seen = Set<String>()
        let words = Array(NameNormaliser.tokens(text).filter { seen.insert($0).inserted }.prefix(6))
        // Beside a longer word, a particle and a word of one or two letters (an initial, or a particle mistyped:
        // "Ao-Tekga") count when they meet and are not required.
        let minor: (String) -> Bool = { particles.contains($0) || $0.count <= 2 }
        let hasName = words.contains { !minor($0) }
        return words.map { word in
            var fuzzy = deletions(of: word)
            fuzzy.insert(word)
            // An article joined to the name (Alhassan, Arrashid): the name without it is looked for too.
            if word.count >= 6, joinedArticles.contains(String(word.prefix(2))) {
                fuzzy.insert(String(word.dropFirst(2)))
            }
            let range: (String, String)? = word.count >= prefixMinimumLength ? (word, successor(of: word)) : nil
            return QueryWord(
                word: word, fuzzy: fuzzy.sorted(), prefixRange: range, sound: Transliteration.key(word),
                optional: hasName && minor(word))
        }
    }

    /// The smallest string greater than every string starting with `prefix`, in code-point order.
    static func successor(of prefix: String) -> String {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var v = last.value + 1
            if (0xD800...0xDFFF).contains(v) { v = 0xE000 }
            if let next = Unicode.Scalar(v) {
                scalars.append(next)
                var s = String.UnicodeScalarView()
                s.append(contentsOf: scalars)
                return String(s)
            }
        }
        return "\u{10FFFF}"
    }

    /// How well a query word matched a person: exact word 3, prefix of a word or another spelling of it 2,
    /// misspelling 1.
    public static func score(queryWord: QueryWord, storedWords: [String]) -> Int {
        explain(queryWord, storedWords: storedWords)?.kind.score ?? 0
    }

    /// Why a query word matched a person's name.
    public struct Match: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable, CaseIterable {
            case exact, prefix, transliteration, misspelling
            public var score: Int {
                switch self {
                case .exact: 3
                case .prefix, .transliteration: 2
                case .misspelling: 1
                }
            }
        }
        public let kind: Kind
        /// The query's word, and the person's word it met.
        public let queried: String
        public let stored: String
        public init(kind: Kind, queried: String, stored: String) {
            self.kind = kind; self.queried = queried; self.stored = stored
        }
    }

    /// The best way a query word meets one of a person's words, or nil when it meets none.
    public static func explain(_ q: QueryWord, storedWords: [String]) -> Match? {
        if storedWords.contains(q.word) { return Match(kind: .exact, queried: q.word, stored: q.word) }
        if q.prefixRange != nil, let w = storedWords.first(where: { $0.hasPrefix(q.word) }) {
            return Match(kind: .prefix, queried: q.word, stored: w)
        }
        if let sound = q.sound, let w = storedWords.first(where: { Transliteration.key($0) == sound }) {
            return Match(kind: .transliteration, queried: q.word, stored: w)
        }
        let fuzzy = Set(q.fuzzy)
        if let w = storedWords.first(where: { !fuzzy.isDisjoint(with: deletions(of: $0).union([$0])) }) {
            return Match(kind: .misspelling, queried: q.word, stored: w)
        }
        if let w = storedWords.first(where: { isTwoTypingErrorsAway(q.word, $0) }) {
            return Match(kind: .misspelling, queried: q.word, stored: w)
        }
        if let k = q.sound {
            let near = soundVariants(of: k)
            if let w = storedWords.first(where: {
                Transliteration.key($0).map { !near.isDisjoint(with: soundVariants(of: $0)) } ?? false
            }) {
                return Match(kind: .misspelling, queried: q.word, stored: w)
            }
        }
        return nil
    }

    /// A sound key and, when it has four letters or more, its single-deletion variants that keep its first letter:
    /// another spelling with a typing error in it (Rejadel written Rjadl) is one letter of the key away, while
    /// Mohamad and Hamid, Ahmad and Hamid stay apart. Shorter keys have no variants: two letters meet too many.
    public static func soundVariants(of key: String) -> Set<String> {
        let chars = Array(key)
        var out: Set<String> = [key]
        guard chars.count >= 4 else { return out }
        for i in chars.indices.dropFirst() {
            var c = chars
            c.remove(at: i)
            out.insert(String(c))
        }
        return out
    }

    /// A long word may carry two typing errors: this long or longer, a word within two edits is a misspelling.
    public static let twoErrorsMinimumLength = 7

    /// Two long words that begin alike and are at most two edits apart (a letter replaced, dropped, added, or two
    /// swapped, twice).
    public static func isTwoTypingErrorsAway(_ a: String, _ b: String) -> Bool {
        isTwoTypingErrorsAway(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    /// The same, on words already split into letters (the name index keeps them so).
    public static func isTwoTypingErrorsAway(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Bool {
        guard x.count >= twoErrorsMinimumLength, abs(x.count - y.count) <= 2, x.first == y.first else { return false }
        return editDistance(x, y, limit: 2) <= 2
    }

    /// Edits (replace, drop, add, swap two neighbours) from one word to another, counted up to `limit + 1`.
    public static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int = .max) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowBest = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { d = min(d, before[j - 2] + 1) }
                current[j] = d
                rowBest = min(rowBest, d)
            }
            if rowBest > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
