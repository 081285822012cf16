import Foundation

/// Finds the records of a registry that are one person entered more than once: blocking (only records that share
/// how a name sounds and a birth year, or both names, or a document number are compared), scoring (the same weights
/// as `IdentityMatch`), and clustering that never joins two records known to be different people (members of one
/// household, twins among them, and pairs staff marked "not the same person").
///
/// Names repeat, so every distinct word is held once and records carry word numbers; a million records fit in a few
/// hundred megabytes and compare by reading arrays.
public struct Deduplication: Sendable {
    /// One record to check.
    public struct Entry: Sendable {
        public var record: IdentityMatch.Record
        /// Records with the same household number are different people.
        public var household: Int?
        public init(_ record: IdentityMatch.Record, household: Int? = nil) {
            self.record = record; self.household = household
        }
    }

    /// A pair judged to be one person, by index into the entries.
    public struct Pair: Sendable, Hashable {
        public let a: Int
        public let b: Int
        public let score: Int
    }

    public struct Result: Sendable {
        /// Groups of two or more entries judged to be one person, each sorted, largest evidence first.
        public var clusters: [[Int]]
        /// The pairs inside the clusters that the evidence joined.
        public var pairs: [Pair]
        /// How many pairs were scored.
        public var compared: Int
    }

    /// From this score on, two records of a batch are taken for one person: 40 for a registry of up to 100,000
    /// records, 5 more for every tenfold beyond (more records, more namesakes). The batch weighs name words by how
    /// rare they are in the registry, so its scores are its own (a shared rare family name counts for more than a
    /// shared Mohammed); the values gave the best F1 on the benchmark's synthetic registries.
    public static func threshold(for records: Int) -> Int {
        40 + Int((5 * log10(Double(max(records, 100_000)) / 100_000)).rounded())
    }
    /// Blocks larger than this are compared within a sliding window after sorting by date of birth.
    public static let maxBlock = 60
    public static let window = 12
    /// No cluster grows beyond this: a person is rarely registered more than a few times.
    public static let maxCluster = 6

    // Interned words.
    private var wordIDs: [String: Int32] = [:]
    private var words: [[Character]] = []
    private var keys: [Int32] = []  // sound key id per word, -1 for none
    private var keyIDs: [String: Int32] = [:]

    // Per entry.
    private var primary: [[Int32]] = []
    private var all: [[Int32]] = []
    private var births: [IdentityMatch.Birth] = []
    private var sex: [UInt8] = []
    private var nationality: [Int32] = []
    private var documents: [[Int32]] = []
    private var phone: [Int32] = []
    private var household: [Int32] = []
    private var nationalities: [String: Int32] = [:]
    private var texts: [String: Int32] = [:]
    /// Per word: how many records bear it as written.
    private var wordBearers: [Int32] = []
    /// Per word: how much meeting it tells (bits: log2 of records over records bearing its sound).
    private var bits: [Double] = []

    public init() {}

    /// Runs the whole batch; `progress` is told the share done (0 to 1) as each step ends.
    public static func run(
        _ entries: [Entry], distinct: Set<[Int]> = [], threshold: Int? = nil,
        progress: (@Sendable (Double) -> Void)? = nil
    ) -> Result {
        var d = Deduplication()
        d.load(entries)
        progress?(0.25)
        d.weighWords()
        progress?(0.3)
        let scored = d.scoredPairs(threshold: threshold ?? Self.threshold(for: entries.count))
        progress?(0.9)
        let result = d.cluster(scored, distinct: distinct)
        progress?(1)
        return result
    }

    mutating func intern(_ word: String) -> Int32 {
        if let id = wordIDs[word] { return id }
        let id = Int32(words.count)
        wordIDs[word] = id
        words.append(Array(word))
        if let k = Transliteration.key(word) {
            if let kid = keyIDs[k] {
                keys.append(kid)
            } else {
                let kid = Int32(keyIDs.count)
                keyIDs[k] = kid
                keys.append(kid)
            }
        } else {
            keys.append(-1)
        }
        return id
    }

    /// The words of a name, interned; names repeat, so each distinct name is normalised once.
    private var nameWords: [String: [Int32]] = [:]
    mutating func wordsOf(_ name: String) -> [Int32] {
        if let known = nameWords[name] { return known }
        let ids = NameNormaliser.tokens(name).map { intern($0) }
        nameWords[name] = ids
        return ids
    }

    mutating func text(_ s: String?) -> Int32 {
        guard let s, !s.isEmpty else { return -1 }
        if let id = texts[s] { return id }
        let id = Int32(texts.count)
        texts[s] = id
        return id
    }

    /// Counts how many records bear each sound, once every record is loaded: agreeing on a rare family name says
    /// far more than agreeing on Mohammed.
    public mutating func weighWords() {
        var bearers: [Int64: Int] = [:]
        wordBearers = [Int32](repeating: 0, count: words.count)
        for p in primary {
            for w in p { wordBearers[Int(w)] += 1 }
            for w in Set(p.map(sound)) { bearers[w, default: 0] += 1 }
        }
        let n = Double(max(primary.count, 2))
        bits = words.indices.map { w in
            let count = Double(bearers[sound(Int32(w))] ?? 1)
            return max(1, log2(n / count))
        }
    }

    public mutating func load(_ entries: [Entry]) {
        primary.reserveCapacity(entries.count)
        for e in entries {
            let r = e.record
            var p: [Int32] = []
            for id in wordsOf(r.givenNames) + wordsOf(r.familyName) where !p.contains(id) { p.append(id) }
            var a = p
            for name in r.otherNames { for id in wordsOf(name) where !a.contains(id) { a.append(id) } }
            primary.append(p)
            all.append(a)
            births.append(r.dateOfBirth.map(IdentityMatch.birth) ?? (0, 0, 0, false))
            sex.append(r.sex == .female ? 1 : (r.sex == .male ? 2 : 0))
            if let n = nationalities[r.nationality] {
                nationality.append(n)
            } else {
                let n = Int32(nationalities.count)
                nationalities[r.nationality] = n
                nationality.append(n)
            }
            documents.append(r.documentNumbers.filter { !$0.isEmpty }.map { text("d" + $0) })
            phone.append(text(r.phone))
            household.append(e.household.map(Int32.init) ?? -1)
        }
    }

    // MARK: blocking

    /// The sound of a name part: its longest word's key, or the word itself when it has none.
    private func sound(_ word: Int32) -> Int64 {
        let k = keys[Int(word)]
        return k >= 0 ? Int64(k) : (1 << 40) + Int64(word)
    }

    /// The blocks a record is put in:
    /// - each name word's sound with the full date of birth, and with day and month swapped;
    /// - each uncommon word with the birth year (a year either side of an estimate);
    /// - each name word's sound with each other word as written (a record without a date of birth, or with the
    ///   names swapped);
    /// - each document number, and each rare word on its own (a typing error in the other name and no date).
    private func blockingKeys(_ i: Int) -> [Int64] {
        var out: [Int64] = []
        let b = births[i]
        let year = Int64(b.year)
        var sounds: [(key: Int64, word: Int64, bits: Double)] = []
        for w in primary[i] where words[Int(w)].count >= 3 {
            let k = sound(w)
            if !sounds.contains(where: { $0.key == k }) { sounds.append((k, Int64(w), bits[Int(w)])) }
        }
        func pack(_ kind: Int64, _ x: Int64, _ y: Int64) -> Int64 {
            (kind << 58) | ((x &* 1_000_003 ^ y) & ((1 << 58) - 1))
        }
        let fullDate = year > 0 && b.month > 0 && b.day > 0 && !b.estimated
        if fullDate {
            let (m, d) = (Int64(b.month), Int64(b.day))
            for s in sounds {
                out.append(pack(5, s.key, year * 10_000 + m * 100 + d))
                if d <= 12 && d != m { out.append(pack(5, s.key, year * 10_000 + d * 100 + m)) }
            }
        }
        if year > 0 {
            let spread: [Int64] = b.estimated ? [-1, 0, 1] : [0]
            for s in sounds where s.bits >= Self.uncommonBits {
                for d in spread { out.append(pack(1, s.word, year + d)) }
            }
        }
        // Each name word as it sounds with each other word as written: one of the two may be spelt otherwise.
        for x in sounds.indices {
            for y in sounds.indices where x != y { out.append(pack(2, sounds[x].key, sounds[y].word)) }
        }
        for d in documents[i] { out.append(pack(3, Int64(d), 0)) }
        for s in sounds where wordBearers[Int(s.word)] <= Self.rareBearers { out.append(pack(4, s.word, 0)) }
        // A typing error in an uncommon word: its single-deletion variants with the birth year.
        if year > 0 {
            let spread: [Int64] = b.estimated ? [-1, 0, 1] : [0]
            for s in sounds where wordBearers[Int(s.word)] <= Self.typoBearers {
                let letters = words[Int(s.word)]
                guard letters.count >= 5 else { continue }
                // The word itself and each of its single-deletion variants: two words one typing error apart share one.
                for i in -1..<letters.count {
                    var variant = letters
                    if i >= 0 { variant.remove(at: i) }
                    var h = Hasher()
                    h.combine(String(variant))
                    let v = Int64(h.finalize())
                    for d in spread { out.append(pack(6, v, year + d)) }
                }
            }
        }
        return out
    }

    /// Candidate pairs from the blocks, each scored once; those at or above `threshold`.
    public mutating func scoredPairs(threshold: Int) -> (pairs: [Pair], compared: Int) {
        // Every (block, record) in one array, sorted: a block is a run of equal keys.
        var keyed: [(key: Int64, record: Int32)] = []
        keyed.reserveCapacity(primary.count * 8)
        for i in primary.indices {
            for k in blockingKeys(i) { keyed.append((k, Int32(i))) }
        }
        keyed.sort { $0.key < $1.key }
        var seen = Set<Int64>()
        seen.reserveCapacity(primary.count * 4)
        var out: [Pair] = []
        var compared = 0
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count && keyed[end].key == keyed[start].key { end += 1 }
            defer { start = end }
            guard end - start > 1 else { continue }
            var list = keyed[start..<end].map(\.record)
            let wide = list.count > Self.maxBlock
            if wide {
                list.sort {
                    (births[Int($0)].year, births[Int($0)].month, births[Int($0)].day) < (
                        births[Int($1)].year, births[Int($1)].month, births[Int($1)].day
                    )
                }
            }
            for x in 0..<list.count {
                let upper = wide ? min(list.count, x + Self.window + 1) : list.count
                for y in (x + 1)..<upper {
                    let a = Int(min(list[x], list[y]))
                    let b = Int(max(list[x], list[y]))
                    guard a != b, seen.insert(Int64(a) << 32 | Int64(b)).inserted else { continue }
                    compared += 1
                    let s = score(a, b)
                    if s >= threshold { out.append(Pair(a: a, b: b, score: s)) }
                }
            }
        }
        return (out, compared)
    }

    // MARK: scoring (the weights of IdentityMatch)

    private func kind(_ q: Int32, in stored: [Int32]) -> Double {
        if stored.contains(q) { return 1 }
        let qw = words[Int(q)]
        if qw.count >= SearchTerms.prefixMinimumLength,
            stored.contains(where: { words[Int($0)].starts(with: qw) })
        {
            return IdentityMatch.weight(.prefix)
        }
        let k = keys[Int(q)]
        if k >= 0, stored.contains(where: { keys[Int($0)] == k }) { return IdentityMatch.weight(.transliteration) }
        if qw.count >= SearchTerms.fuzzyMinimumLength,
            stored.contains(where: { Self.oneDeletionApart(qw, words[Int($0)]) })
        {
            return IdentityMatch.weight(.misspelling)
        }
        return 0
    }

    /// Whether two words share a single-deletion variant (or one is the other with a letter deleted): the
    /// misspellings `SearchTerms` finds.
    static func oneDeletionApart(_ a: [Character], _ b: [Character]) -> Bool {
        if a == b { return true }
        if b.count < SearchTerms.fuzzyMinimumLength { return false }
        if abs(a.count - b.count) > 1 { return false }
        if a.count == b.count {
            // One substitution, or two adjacent letters swapped.
            var diff: [Int] = []
            for i in a.indices where a[i] != b[i] {
                diff.append(i)
                if diff.count > 2 { return false }
            }
            if diff.count == 1 { return true }
            return diff.count == 2 && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]]
        }
        let (long, short) = a.count > b.count ? (a, b) : (b, a)
        var i = 0
        var j = 0
        var skipped = false
        while i < long.count && j < short.count {
            if long[i] == short[j] {
                i += 1; j += 1
            } else {
                if skipped { return false }
                skipped = true
                i += 1
            }
        }
        return true
    }

    /// A word this telling (borne by at most one record in 2^8) is blocked with the birth year alone.
    static let uncommonBits = 8.0
    /// A word borne by this few records is a block of its own, whatever the registry's size.
    static let rareBearers: Int32 = 4
    /// A word borne by at most this many records is looked for with a typing error too.
    static let typoBearers: Int32 = 64

    /// Two records that both hold documents, none of them the same, or both a phone, not the same: evidence against
    /// (weak, as passports are renewed and phones change).
    static let documentsDiffer = -12.0
    static let phonesDiffer = -5.0

    /// A word of one record that the other lacks costs this many bits.
    static let missingWordBits = 8.0

    /// The name evidence one way: the bits of each word met (less for another spelling or a typing error), less
    /// the cost of each word not met.
    private func nameBits(_ from: [Int32], _ to: [Int32]) -> (bits: Double, allMet: Bool) {
        var total = 0.0
        var allMet = true
        for w in from {
            let k = kind(w, in: to)
            total += k > 0 ? k * bits[Int(w)] : -Self.missingWordBits
            if k == 0 { allMet = false }
        }
        return (total, allMet)
    }

    func score(_ a: Int, _ b: Int) -> Int {
        var total = 0.0
        let pa = primary[a]
        let pb = primary[b]
        if !pa.isEmpty && !pb.isEmpty {
            let x = nameBits(pa, all[b])
            let y = nameBits(pb, all[a])
            // A record with fewer names, every one of them met, lacks a name rather than bears another.
            let evidence =
                pa.count < pb.count && x.allMet
                ? x.bits
                : pb.count < pa.count && y.allMet
                    ? y.bits : 0.65 * max(x.bits, y.bits) + 0.35 * min(x.bits, y.bits)
            total += min(50, max(-20, 2.5 * evidence - 5))
        }
        let (ba, bb) = (births[a], births[b])
        if ba.year > 0 && bb.year > 0 { total += Double(IdentityMatch.points(IdentityMatch.birthAgreement(ba, bb))) }
        total += Double(
            nationality[a] == nationality[b]
                ? IdentityMatch.Weight.nationalitySame : IdentityMatch.Weight.nationalityDiffers)
        if documents[a].contains(where: { documents[b].contains($0) }) {
            total += Double(IdentityMatch.Weight.document)
        } else if !documents[a].isEmpty && !documents[b].isEmpty {
            total += Self.documentsDiffer
        }
        if phone[a] >= 0 && phone[a] == phone[b] {
            total += Double(IdentityMatch.Weight.phone)
        } else if phone[a] >= 0 && phone[b] >= 0 {
            total += Self.phonesDiffer
        }
        if sex[a] != 0 && sex[b] != 0 && sex[a] != sex[b] { total += Double(IdentityMatch.Weight.sexDiffers) }
        return max(0, min(100, Int(total.rounded())))
    }

    // MARK: clustering

    /// Joins pairs best first; a join that would put two known-different records in one cluster, or grow a cluster
    /// beyond `maxCluster`, is not made.
    /// Whether one side of the pair fits another member of the other side's household about as well.
    private func ambiguous(_ p: Pair, among neighbours: [Int32: [(other: Int32, score: Int)]]) -> Bool {
        for (member, record) in [(p.a, p.b), (p.b, p.a)] where household[member] >= 0 {
            for n in neighbours[Int32(record)] ?? []
            where Int(n.other) != member
                && household[Int(n.other)] == household[member] && n.score >= p.score - Self.ambiguityMargin
            {
                return true
            }
        }
        return false
    }

    /// Within this many points, two members of one household fit a record equally well.
    static let ambiguityMargin = 5

    public func cluster(_ scored: (pairs: [Pair], compared: Int), distinct: Set<[Int]>) -> Result {
        var parent = [Int32](repeating: -1, count: primary.count)
        var members: [Int32: [Int32]] = [:]
        func root(_ x: Int32) -> Int32 {
            var r = x
            while parent[Int(r)] >= 0 { r = parent[Int(r)] }
            var y = x
            while parent[Int(y)] >= 0 {
                let next = parent[Int(y)]
                parent[Int(y)] = r
                y = next
            }
            return r
        }
        // Each record's pairs, to tell when a record fits two members of one household equally well (a twin with
        // no given name on record): that is for staff to decide, not the batch.
        var neighbours: [Int32: [(other: Int32, score: Int)]] = [:]
        for p in scored.pairs where household[p.a] >= 0 || household[p.b] >= 0 {
            neighbours[Int32(p.a), default: []].append((Int32(p.b), p.score))
            neighbours[Int32(p.b), default: []].append((Int32(p.a), p.score))
        }
        var joined: [Pair] = []
        for p in scored.pairs.sorted(by: { ($0.score, $1.a) > ($1.score, $0.a) }) {
            let ra = root(Int32(p.a))
            let rb = root(Int32(p.b))
            if ra == rb { continue }
            if ambiguous(p, among: neighbours) { continue }
            let ma = members[ra] ?? [ra]
            let mb = members[rb] ?? [rb]
            if ma.count + mb.count > Self.maxCluster { continue }
            var conflict = false
            outer: for x in ma {
                for y in mb {
                    let hx = household[Int(x)]
                    if hx >= 0 && hx == household[Int(y)] { conflict = true; break outer }
                    if !distinct.isEmpty && distinct.contains([Int(min(x, y)), Int(max(x, y))]) {
                        conflict = true; break outer
                    }
                }
            }
            if conflict { continue }
            parent[Int(rb)] = ra
            members[ra] = ma + mb
            members[rb] = nil
            joined.append(p)
        }
        let clusters = members.values.filter { $0.count > 1 }.map { $0.map(Int.init).sorted() }.sorted { $0[0] < $1[0] }
        return Result(clusters: clusters, pairs: joined, compared: scored.compared)
    }
}
