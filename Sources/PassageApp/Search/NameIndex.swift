import Vapor
import Fluent
import SQLKit
import NIOConcurrencyHelpers
import PassageDomain

/// The name part of person search, held in memory by each server.
///
/// Names repeat: a million persons share a few tens of thousands of distinct name words. The index
/// keeps each distinct word once, with the persons who bear it and its single-deletion variants,
/// so a query is answered by looking up a handful of words and walking their persons. It follows the
/// database through the audit trail: every change to a person writes an entry in the same
/// transaction, in sequence order, so reading the entries after the last one seen tells it which
/// persons to read again, whichever server made the change.
final class NameIndex: @unchecked Sendable {
    private let lock = NIOLock()
    private var built = false
    /// A task is reading the persons for the first time.
    private var building = false
    private var watermark: Int64 = 0

    // Persons, by slot.
    private var ids: [UUID] = []
    private var slots: [UUID: Int32] = [:]
    private var sortNames: [String] = []
    /// The first eight bytes of the sort name: orders most pairs without comparing strings.
    private var sortKeys: [UInt64] = []
    private var births: [IdentityMatch.Birth] = []
    private var personWords: [[Int32]] = []
    /// The same words, the first `width` of each person side by side in one array (-1 for none), so
    /// that checking a candidate reads one stretch of memory instead of following a pointer.
    private var flatWords: [Int32] = []
    private static let width = 6

    // Distinct words.
    private var words: [String] = []
    private var wordIDs: [String: Int32] = [:]
    private var postings: [[Int32]] = []
    /// Deletion variant → the words it is a variant of.
    private var variants: [String: [Int32]] = [:]
    /// How a word sounds (`Transliteration.key`) → the words that sound so.
    private var sounds: [String: [Int32]] = [:]
    /// A sound key or one of its deletion variants → the words whose key it is a variant of.
    private var soundVariants: [String: [Int32]] = [:]
    /// Word ids in string order, for prefixes.
    private var ordered: [Int32] = []
    /// A name as stored → its words.
    private var nameWords: [String: [Int32]] = [:]
    /// Each word's letters, and the words by their first letter: a long word sought may be two typing errors away.
    private var wordScalars: [[Unicode.Scalar]] = []
    private var byInitial: [Unicode.Scalar: [Int32]] = [:]

    // Scratch space for one query at a time (under the lock).
    private var mark: [UInt8] = []
    /// Per query word, its score for every distinct word (0 for none): an array read beats a hash lookup.
    private var dense: [[UInt8]] = []
    /// Per query word, how many edits away each scored word is (ties are ranked by it).
    private var denseDistance: [[UInt8]] = []

    var isBuilt: Bool { lock.withLock { built } }
    var count: Int { lock.withLock { ids.count } }

    // MARK: keeping up with the database

    private struct Row { let id: UUID; let names: [String]; let sortName: String; let birth: IdentityMatch.Birth }

    /// Separates the names in the one column they are read as: control characters never reach a name.
    private static let separator = "\u{1F}"

    private static func rows(_ db: any Database, ids: [UUID]? = nil, each: @escaping @Sendable (Row) -> Void)
        async throws
    {
        // Four columns instead of twelve: a million rows are read at start-up, and each column costs a decoding.
        let sep = separator
        var sql: SQLQueryString = """
            SELECT id, sort_name, family_name || \(bind: sep) || given_names || \(bind: sep) || \
            COALESCE(family_name_original, '') || \(bind: sep) || COALESCE(given_names_original, '') || \(bind: sep) \
            || aliases AS names, ((COALESCE(dob_year, 0) * 100 + COALESCE(dob_month, 0)) * 100 \
            + COALESCE(dob_day, 0)) * 4 + CASE WHEN dob_estimated THEN 2 ELSE 0 END \
            + CASE WHEN merged_into IS NULL THEN 0 ELSE 1 END AS facts FROM persons
            """
        if let ids {
            guard !ids.isEmpty else { return }
            sql.appendInterpolation(
                " WHERE id IN (\(SQLList(ids.map { SQLBind($0) as any SQLExpression })))" as SQLQueryString)
        }
        // SQLite keeps ids as text: read so, they are parsed here far faster than through the generic decoder.
        let textIDs = db.sql.dialect.name == "sqlite"
        // Rows are taken as they come, not gathered first: a million of them would be held twice.
        try await db.sql.raw(sql).run { r in
            do {
                let id =
                    try textIDs
                    ? (UUID(hex: try r.decode(column: "id", as: String.self)) ?? r.decode(column: "id", as: UUID.self))
                    : r.decode(column: "id", as: UUID.self)
                let facts = try r.decode(column: "facts", as: Int.self)
                let text = try r.decode(column: "names", as: String.self)
                // Split on the separator's byte: the generic split costs more than the rest of the row.
                var names: [String] = []
                var start = text.utf8.startIndex
                var i = start
                while i < text.utf8.endIndex {
                    if text.utf8[i] == 0x1F {
                        if names.count == 4 { break }
                        names.append(String(text[start..<i]))
                        start = text.utf8.index(after: i)
                    }
                    i = text.utf8.index(after: i)
                }
                let aliases = text[start...]
                names.removeAll { $0.isEmpty }
                if aliases != "[]" && !aliases.isEmpty {
                    names += (try? JSONDecoder().decode([String].self, from: Data(aliases.utf8))) ?? []
                }
                let date = facts / 4
                each(
                    Row(
                        // A merged record keeps no names in the index: it is found as the record it was merged into.
                        id: id, names: facts & 1 == 1 ? [] : names,
                        sortName: try r.decode(column: "sort_name", as: String.self),
                        birth: (
                            Int16(date / 10_000), Int8(date / 100 % 100), Int8(date % 100), facts & 2 == 2
                        )))
            } catch {
                Logger(label: "passage.name-index").warning("A person was not read: \(String(describing: error))")
            }
        }
    }

    private static func lastSequence(_ db: any Database) async throws -> Int64 {
        try await db.sql.raw("SELECT MAX(sequence) AS m FROM audit_entries").first()?.decode(
            column: "m", as: Int64?.self) ?? 0
    }

    /// Reads every person once; later calls only catch up.
    func refresh(_ db: any Database) async throws {
        let (isBuilt, since, reader) = lock.withLock {
            defer { if !built { building = true } }
            return (built, watermark, !built && !building)
        }
        if !isBuilt {
            // One task reads; searches meanwhile go to the database.
            guard reader else { return }
            do {
                // The watermark is read first: a change made while the persons are read is read again.
                let top = try await Self.lastSequence(db)
                try await Self.rows(db) { r in self.lock.withLock { self.put(r) } }
                lock.withLock {
                    ordered.sort { words[Int($0)] < words[Int($1)] }
                    mark = [UInt8](repeating: 0, count: ids.count)
                    watermark = top
                    built = true
                    building = false
                }
            } catch {
                lock.withLock { building = false }
                throw error
            }
            return
        }
        let top = try await Self.lastSequence(db)
        guard top > since else { return }
        let changed = try await db.sql.raw(
            """
            SELECT DISTINCT entity_id FROM audit_entries WHERE sequence > \(bind: since) AND sequence <= \(bind: top) \
            AND entity = 'person' AND action IN ('create', 'update')
            """
        ).all().compactMap { UUID(uuidString: try $0.decode(column: "entity_id", as: String.self)) }
        let fresh = NIOLockedValueBox<[Row]>([])
        try await Self.rows(db, ids: changed) { r in fresh.withLockedValue { $0.append(r) } }
        lock.withLock {
            guard watermark < top else { return }
            for r in fresh.withLockedValue({ $0 }) { put(r) }
            if mark.count < ids.count { mark += [UInt8](repeating: 0, count: ids.count - mark.count) }
            watermark = top
        }
    }

    /// Adds a person, or replaces what was indexed for them. Called under the lock.
    private func put(_ r: Row) {
        let slot: Int32
        if let s = slots[r.id] {
            slot = s
            for w in personWords[Int(s)] { postings[Int(w)].removeAll { $0 == s } }
            sortNames[Int(s)] = r.sortName
            sortKeys[Int(s)] = Self.key(r.sortName)
            births[Int(s)] = r.birth
        } else {
            slot = Int32(ids.count)
            slots[r.id] = slot
            ids.append(r.id); sortNames.append(r.sortName); sortKeys.append(Self.key(r.sortName));
            births.append(r.birth)
            personWords.append([])
            flatWords.append(contentsOf: repeatElement(-1, count: Self.width))
        }
        var mine: [Int32] = []
        for name in r.names {
            // Names repeat: each spelling is split and normalised once.
            let ids: [Int32]
            if let known = nameWords[name] {
                ids = known
            } else {
                ids = NameNormaliser.tokens(name).map { wordID($0) }
                nameWords[name] = ids
            }
            for w in ids where !mine.contains(w) { mine.append(w); postings[Int(w)].append(slot) }
        }
        personWords[Int(slot)] = mine
        let base = Int(slot) * Self.width
        for i in 0..<Self.width { flatWords[base + i] = i < mine.count ? mine[i] : -1 }
    }

    private func wordID(_ word: String) -> Int32 {
        if let w = wordIDs[word] { return w }
        let w = Int32(words.count)
        words.append(word); wordIDs[word] = w; postings.append([])
        let scalars = Array(word.unicodeScalars)
        wordScalars.append(scalars)
        if let first = scalars.first { byInitial[first, default: []].append(w) }
        for v in SearchTerms.deletions(of: word) { variants[v, default: []].append(w) }
        if let k = Transliteration.key(word) {
            sounds[k, default: []].append(w)
            for v in SearchTerms.soundVariants(of: k) { soundVariants[v, default: []].append(w) }
        }
        if built {
            let at = lowerBound(word)
            ordered.insert(w, at: at)
        } else {
            ordered.append(w)
        }
        return w
    }

    private func lowerBound(_ word: String) -> Int {
        var lo = 0
        var hi = ordered.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if words[Int(ordered[mid])] < word { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    static func key(_ s: String) -> UInt64 {
        var k: UInt64 = 0
        var n = 0
        for b in s.utf8.prefix(8) { k = (k << 8) | UInt64(b); n += 1 }
        return k << (8 * UInt64(8 - n))
    }

    // MARK: searching

    /// How each distinct word scores for a query word: exact 3, prefix or another spelling 2, misspelling 1 (as
    /// `SearchTerms.score`), with how many edits away it is.
    private func scores(_ q: SearchTerms.QueryWord) -> [Int32: (score: UInt8, distance: UInt8)] {
        var s: [Int32: UInt8] = [:]
        for f in q.fuzzy {
            if let w = wordIDs[f] { s[w] = 1 }
            for w in variants[f] ?? [] { s[w] = 1 }
        }
        let sought = Array(q.word.unicodeScalars)
        if sought.count >= SearchTerms.twoErrorsMinimumLength, let first = sought.first {
            for w in byInitial[first] ?? [] where s[w] == nil {
                if SearchTerms.isTwoTypingErrorsAway(sought, wordScalars[Int(w)]) { s[w] = 1 }
            }
        }
        if let k = q.sound {
            for v in SearchTerms.soundVariants(of: k) { for w in soundVariants[v] ?? [] where s[w] == nil { s[w] = 1 } }
            for w in sounds[k] ?? [] { s[w] = 2 }
        }
        var prefixed = Set<Int32>()
        if q.prefixRange != nil {
            var i = lowerBound(q.word)
            while i < ordered.count, words[Int(ordered[i])].hasPrefix(q.word) {
                s[ordered[i]] = 2
                prefixed.insert(ordered[i])
                i += 1
            }
        }
        if let w = wordIDs[q.word] { s[w] = 3 }
        var out: [Int32: (score: UInt8, distance: UInt8)] = [:]
        out.reserveCapacity(s.count)
        for (w, score) in s {
            // A word begun is as near as its missing letters; another spelling or a misspelling, by its edits.
            let other = wordScalars[Int(w)]
            let distance =
                score == 3
                ? 0
                : prefixed.contains(w) ? other.count - sought.count : SearchTerms.editDistance(sought, other, limit: 9)
            out[w] = (score, UInt8(min(distance, 9)))
        }
        return out
    }

    /// Ranked person ids for the query's name words, with the date of birth and an optional set of
    /// persons (from a document number) applied, and how many there are in all. Nil until the index is built.
    /// Equal scores are ranked by how few edits the words sought are from the names held, then by name.
    func search(
        _ words: [SearchTerms.QueryWord], dateOfBirth: PartialDate?, within: Set<UUID>?, offset: Int, limit: Int
    ) -> (hits: [PersonSearch.Hit], total: Int)? {
        lock.withLock {
            guard built, !words.isEmpty else { return nil }
            let perWord = words.map { scores($0) }
            // The rarest word picks the candidates; the others are checked on the candidates' own words.
            let weights = perWord.map { $0.keys.reduce(0) { $0 + postings[Int($1)].count } }
            // A particle is not required, so it never picks the candidates.
            let first = weights.indices.filter { !words[$0].optional }.min { weights[$0] < weights[$1] }!
            var candidates: [Int32] = []
            candidates.reserveCapacity(weights[first])
            for w in perWord[first].keys {
                for slot in postings[Int(w)] where mark[Int(slot)] == 0 {
                    candidates.append(slot)
                    mark[Int(slot)] = 1
                }
            }
            let allowed: Set<Int32>? = within.map { Set($0.compactMap { slots[$0] }) }
            while dense.count < perWord.count { dense.append([]); denseDistance.append([]) }
            for (i, map) in perWord.enumerated() {
                if dense[i].count < self.words.count {
                    dense[i] += [UInt8](repeating: 0, count: self.words.count - dense[i].count)
                    denseDistance[i] += [UInt8](repeating: 0, count: self.words.count - denseDistance[i].count)
                }
                for (w, sc) in map { dense[i][Int(w)] = sc.score; denseDistance[i][Int(w)] = sc.distance }
            }
            defer {
                for (i, map) in perWord.enumerated() { for w in map.keys { dense[i][Int(w)] = 0 } }
            }
            var hits: [(score: Int, distance: Int, slot: Int32)] = []
            for slot in candidates {
                mark[Int(slot)] = 0
                if let allowed, !allowed.contains(slot) { continue }
                if let d = dateOfBirth, !born(slot, matching: d) { continue }
                var total = 0
                var distance = 0
                var ok = true
                let base = Int(slot) * Self.width
                let flat = flatWords[base + Self.width - 1] == -1
                for i in perWord.indices {
                    var best: UInt8 = 0
                    var nearest: UInt8 = 9
                    func consider(_ w: Int32) {
                        let sc = dense[i][Int(w)]
                        guard sc > 0, sc >= best else { return }
                        let d = denseDistance[i][Int(w)]
                        if sc > best { best = sc; nearest = d } else { nearest = min(nearest, d) }
                    }
                    if flat {
                        for k in base..<(base + Self.width) {
                            let w = flatWords[k]
                            if w < 0 { break }
                            consider(w)
                        }
                    } else {
                        for w in personWords[Int(slot)] { consider(w) }
                    }
                    if best == 0 {
                        if words[i].optional { continue }
                        ok = false
                        break
                    }
                    total += Int(best)
                    distance += Int(nearest)
                }
                if ok { hits.append((total, distance, slot)) }
            }
            let before: ((score: Int, distance: Int, slot: Int32), (score: Int, distance: Int, slot: Int32)) -> Bool = {
                a, b in
                if a.score != b.score { return a.score > b.score }
                if a.distance != b.distance { return a.distance < b.distance }
                let ka = self.sortKeys[Int(a.slot)]
                let kb = self.sortKeys[Int(b.slot)]
                if ka != kb { return ka < kb }
                let na = self.sortNames[Int(a.slot)]
                let nb = self.sortNames[Int(b.slot)]
                if na != nb { return Array(na.utf8).lexicographicallyPrecedes(Array(nb.utf8)) }
                return self.ids[Int(a.slot)].uuidString < self.ids[Int(b.slot)].uuidString
            }
            // Only the page and what comes before it are put in order: a common name can match tens of thousands.
            let wanted = max(0, offset) + max(1, min(limit, 500))
            let best = Self.first(wanted, of: hits, by: before)
            let page = best.dropFirst(max(0, offset)).map { PersonSearch.Hit(id: ids[Int($0.slot)], score: $0.score) }
            return (Array(page), hits.count)
        }
    }

    /// The first `k` items in the order `before` gives, in that order, without sorting all of them: a heap keeps
    /// the best `k` seen so far, its worst at the top.
    static func first<T>(_ k: Int, of items: [T], by before: (T, T) -> Bool) -> [T] {
        guard items.count > k * 4 else { return Array(items.sorted(by: before).prefix(k)) }
        var heap: [T] = []
        heap.reserveCapacity(k)
        func siftUp(_ i: Int) {
            var c = i
            while c > 0 {
                let p = (c - 1) / 2
                guard before(heap[p], heap[c]) else { return }
                heap.swapAt(p, c)
                c = p
            }
        }
        func siftDown() {
            var p = 0
            while true {
                let l = 2 * p + 1
                let r = l + 1
                var worst = p
                if l < heap.count && before(heap[worst], heap[l]) { worst = l }
                if r < heap.count && before(heap[worst], heap[r]) { worst = r }
                guard worst != p else { return }
                heap.swapAt(p, worst)
                p = worst
            }
        }
        for item in items {
            if heap.count < k {
                heap.append(item)
                siftUp(heap.count - 1)
            } else if before(item, heap[0]) {
                heap[0] = item
                siftDown()
            }
        }
        return heap.sorted(by: before)
    }

    /// As the database's filter: the dates agree, fit, have day and month swapped, or an estimated year is near.
    private func born(_ slot: Int32, matching d: PartialDate) -> Bool {
        let b = births[Int(slot)]
        return b.year != 0 && IdentityMatch.birthAgreement(IdentityMatch.birth(d), b) != .birthDiffers
    }
}

extension Application {
    private struct NameIndexKey: StorageKey { typealias Value = NameIndex }

    /// This server's name index.
    var nameIndex: NameIndex {
        guard let i = storage[NameIndexKey.self] else { fatalError("installNameIndex() runs in configure") }
        return i
    }

    func installNameIndex() {
        storage[NameIndexKey.self] = NameIndex()
        lifecycle.use(NameIndexWarmUp())
    }
}

/// Reads the persons into the name index when the server starts, so the first search does not wait.
struct NameIndexWarmUp: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        // Only a serving process reads it ahead (the demo does once its data is in); other commands
        // never search, and tests build it on their first search, inside the test's lifetime.
        guard app.isServing else { return }
        Self.start(app)
    }

    static func start(_ app: Application) {
        let started = Clock.now()
        Task {
            do {
                try await app.nameIndex.refresh(app.db)
                app.logger.info(
                    """
                    Name index ready: \(app.nameIndex.count) persons in \
                    \(Int(Clock.now().timeIntervalSince(started) * 1000)) ms
                    """
                )
            } catch {
                app.logger.warning("Name index not built yet (searches build it): \(String(describing: error))")
            }
        }
    }
}

extension UUID {
    /// A UUID from its 36-character text, without the general parser; nil for anything else.
    init?(hex text: String) {
        var bytes = [UInt8](repeating: 0, count: 16)
        var n = 0
        var high = true
        var count = 0
        for c in text.utf8 {
            count += 1
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
            case UInt8(ascii: "-") where [9, 14, 19, 24].contains(count): continue
            default: return nil
            }
            guard n < 16 else { return nil }
            if high { bytes[n] = v << 4 } else { bytes[n] |= v; n += 1 }
            high.toggle()
        }
        guard count == 36, n == 16 else { return nil }
        self.init(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
