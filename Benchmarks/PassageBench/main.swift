import Foundation
import Vapor
import Fluent
import SQLKit
import PassageApp
import PassageDomain

// passage-bench: person search latency and registration throughput on realistic data sizes.
//   swift run -c release passage-bench [--persons 100000] [--queries 1000] [--registrations 1000] [--database
// sqlite|postgres]
//                                      [--database-search] [--candidate-limits 300,1000]
// PostgreSQL uses DATABASE_URL and a schema of its own that is dropped afterwards.

struct Options {
    var persons = 100_000
    var queries = 1000
    var registrations = 1000
    var database = "sqlite"
    var keep = false
    /// Candidate limits to compare on the same data; empty: the server's own.
    var candidateLimits: [Int] = []
    /// Also time the database-only name match (the fallback while the index is being read).
    var databaseSearch = false
    /// A SQLite file to load into, or to reuse when it already holds persons (kept afterwards).
    var sqliteFile: String?
    /// Searches spelt as other agencies spell the names, for recall@1 and recall@10.
    var recallQueries = 5000
    /// Print this many of those searches that did not put the person among the first ten.
    var misses = 0

    init(_ args: [String]) {
        var i = 1
        func next() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--persons": persons = Int(next()) ?? persons
            case "--queries": queries = Int(next()) ?? queries
            case "--registrations": registrations = Int(next()) ?? registrations
            case "--database": database = next()
            case "--keep": keep = true
            case "--candidate-limits":
                candidateLimits = next().split(separator: ",").compactMap { Int($0) }; databaseSearch = true
            case "--database-search": databaseSearch = true
            case "--sqlite-file": sqliteFile = next(); keep = true
            case "--recall-queries": recallQueries = Int(next()) ?? recallQueries
            case "--misses": misses = Int(next()) ?? 0
            default: FileHandle.standardError.write(Data("unknown option \(args[i])\n".utf8)); exit(2)
            }
            i += 1
        }
    }
}

/// Names: common given names with their original script, and family names from a large
/// syllable space so that, as in real caseloads, given names repeat far more than family names.
enum Names {
    static let given: [(String, String, String)] = [  // Latin, original, nationality
        ("Mohammed", "محمد", "SY"), ("Ahmad", "أحمد", "IQ"), ("Fatima", "فاطمة", "MA"), ("Omar", "عمر", "DZ"),
        ("Layla", "ليلى", "LB"),
        ("Hassan", "حسن", "SD"), ("Youssef", "يوسف", "TN"), ("Maryam", "مريم", "EG"), ("Yonas", "ዮናስ", "ER"),
        ("Semhar", "ሰምሃር", "ER"),
        ("Tesfay", "ተስፋይ", "ER"), ("Selam", "ሰላም", "ET"), ("Farid", "فرید", "AF"), ("Zahra", "زهرا", "AF"),
        ("Reza", "رضا", "IR"),
        ("Sara", "سارا", "IR"), ("Ivan", "Иван", "RU"), ("Olga", "Ольга", "BY"), ("Giorgi", "გიორგი", "GE"),
        ("Nino", "ნინო", "GE"),
        ("Mehmet", "Mehmet", "TR"), ("Ayşe", "Ayşe", "TR"), ("Chinedu", "Chinedu", "NG"), ("Kwame", "Kwame", "GH"),
        ("José", "José", "CO"), ("Lucía", "Lucía", "VE"), ("Abdi", "Abdi", "SO"), ("Amina", "Amina", "SO"),
        ("Wei", "伟", "CN"),
        ("Bolormaa", "Болормаа", "MN"), ("Karim", "كريم", "SY"), ("Noor", "نور", "IQ"), ("Daniel", "ዳኒኤል", "ER"),
        ("Helen", "ሄለን", "ET"),
    ]
    static let syllables = [
        "ab", "al", "ba", "ber", "da", "del", "el", "fa", "ga", "geb", "ha", "hai", "ja", "ka", "kha", "la",
        "ma", "med", "na", "nas", "o", "ra", "re", "sa", "se", "sha", "ta", "te", "tek", "u", "wa", "wol",
        "ya", "yo", "za", "zi", "dor", "gan", "ov", "ani", "ski", "dze", "ian", "ouni",
    ]

    static func family(_ rng: inout SeededRandom) -> String {
        let n = Int.random(in: 2...3, using: &rng)
        let s = (0..<n).map { _ in syllables.randomElement(using: &rng)! }.joined()
        let name = s.prefix(1).uppercased() + s.dropFirst()
        // Some family names carry a particle.
        return Int.random(in: 0..<100, using: &rng) < 8 ? "Al-" + name : name
    }

    /// The same given names as other agencies spell them.
    static let otherSpellings: [String: [String]] = [
        "Mohammed": ["Muhammad", "Mohamed", "Mohammad", "Mohamad", "Muhammed"], "Ahmad": ["Ahmed", "Achmed"],
        "Fatima": ["Fatma", "Fatimah", "Fatemeh"], "Omar": ["Umar"], "Layla": ["Leila", "Laila", "Leyla"],
        "Hassan": ["Hasan"], "Youssef": ["Yusuf", "Yousef", "Jusuf", "Yousif"], "Maryam": ["Mariam", "Meryem"],
        "Yonas": ["Jonas", "Yonnas"], "Tesfay": ["Tesfaye", "Tesfai"], "Farid": ["Fareed"],
        "Zahra": ["Zehra", "Sahra"], "Reza": ["Resa", "Riza"], "Sara": ["Sarah"], "Ivan": ["Iwan"],
        "Olga": ["Olha"], "Giorgi": ["Georgi"], "Mehmet": ["Mehmed"], "Ayşe": ["Ayse", "Aise"],
        "Kwame": ["Kwami"], "José": ["Jose"], "Lucía": ["Lucia"], "Abdi": ["Abdee"], "Amina": ["Aminah", "Ameena"],
        "Bolormaa": ["Bolorma"], "Karim": ["Kareem", "Karem"], "Noor": ["Nour", "Nur"], "Daniel": ["Danyel"],
        "Selam": ["Salam"], "Semhar": ["Semhare"], "Helen": ["Hellen"], "Nino": ["Ninno"], "Wei": ["Wey"],
        "Chinedu": ["Chinedou"],
    ]

    /// A family name as another transliteration tradition writes it (nil when no rule applies).
    static func respelled(_ name: String, _ rng: inout SeededRandom) -> String? {
        let swaps: [(String, String)] = [
            ("ou", "u"), ("u", "ou"), ("kh", "h"), ("sh", "ch"), ("w", "v"), ("y", "i"), ("ie", "i"), ("ss", "s"),
            ("ov", "ow"), ("ani", "any"), ("dze", "dse"), ("j", "dj"), ("Al-", "El-"), ("Al-", "Al "), ("Al-", "Al"),
            ("ia", "iya"), ("ee", "i"),
        ]
        for (from, to) in swaps.shuffled(using: &rng) where name.contains(from) {
            let out = name.replacingOccurrences(of: from, with: to)
            return out.prefix(1).uppercased() + out.dropFirst()
        }
        return nil
    }

    /// One typing error: a letter replaced, dropped, doubled, or two swapped.
    static func typo(_ word: String, _ rng: inout SeededRandom) -> String {
        var c = Array(word)
        guard c.count > 3 else { return word }
        let i = Int.random(in: 1..<(c.count - 1), using: &rng)
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: c[i] = Array("aeioulnrst").filter { $0 != c[i] }.randomElement(using: &rng)!
        case 1: c.remove(at: i)
        case 2: c.insert(c[i], at: i)
        default: c.swapAt(i, i + 1)
        }
        return String(c)
    }
}

struct Sample {
    let id: UUID; let given: String; let family: String; let givenOriginal: String; let document: String
    let dob: String
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((p / 100) * Double(sorted.count - 1) + 0.5))]
}

func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

let options = Options(CommandLine.arguments)
var config: AppConfig
var sqlitePath: String?
switch options.database {
case "postgres":
    guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
        print("--database postgres needs DATABASE_URL"); exit(2)
    }
    config = AppConfig(
        storage: .postgres(url: url), bcryptCost: 4, postgresSchema: "bench_\(UInt32.random(in: 0...UInt32.max))")
default:
    if let file = options.sqliteFile {
        sqlitePath = file
    } else {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "passage-bench-\(UUID().uuidString.prefix(8))"
        ).path
        sqlitePath = dir + "/passage.sqlite"
    }
    config = AppConfig(storage: .sqliteFile(path: sqlitePath!), bcryptCost: 4)
}

let app = try await PassageServices.open(config)
let db = app.db as! any SQLDatabase
var rng = SeededRandom(seed: 20_251_231)
var samples: [Sample] = []
let today = Calendar(identifier: .gregorian).component(.year, from: Date())

let wanted = max(5000, options.recallQueries)
let held = try await db.raw("SELECT COUNT(*) AS n FROM persons").first()!.decode(column: "n", as: Int.self)
if held > 0 {
    // A file kept from an earlier run: search it as it is, with persons drawn from it.
    print("Passage search benchmark: \(held) persons already in \(sqlitePath ?? "the database")")
    samples = try await drawSamples(count: wanted, from: held)
} else {
    try await load()
}

/// Persons picked at random from those held, with a document number where they have one.
@MainActor func drawSamples(count: Int, from held: Int) async throws -> [Sample] {
    var picked = Set<Int>()
    while picked.count < min(count, held) { picked.insert(Int.random(in: 1...held, using: &rng)) }
    let references = picked.sorted().map { CaseValidation.personReference(number: $0) }
    var out: [Sample] = []
    for start in stride(from: 0, to: references.count, by: 500) {
        let chunk = references[start..<min(start + 500, references.count)]
        let rows = try await db.raw(
            """
            SELECT p.id, p.family_name, p.given_names, p.given_names_original, p.dob_year, p.dob_month, p.dob_day, \
            (SELECT MIN(number) FROM identity_documents d WHERE d.person_id = p.id) AS document FROM persons p \
            WHERE p.reference IN (\(SQLList(chunk.map { SQLBind($0) as any SQLExpression }))) ORDER BY p.reference
            """
        ).all()
        for r in rows {
            let year = try r.decode(column: "dob_year", as: Int?.self) ?? 0
            let month = try r.decode(column: "dob_month", as: Int?.self)
            let day = try r.decode(column: "dob_day", as: Int?.self)
            let given = try r.decode(column: "given_names", as: String.self)
            out.append(
                Sample(
                    id: try r.decode(column: "id", as: UUID.self), given: given,
                    family: try r.decode(column: "family_name", as: String.self),
                    givenOriginal: try r.decode(column: "given_names_original", as: String?.self) ?? given,
                    document: try r.decode(column: "document", as: String?.self) ?? "",
                    dob: month.map { String(format: "%04d-%02d-%02d", year, $0, day ?? 1) } ?? String(year)))
        }
    }
    return out
}

@MainActor func load() async throws {
    print("Passage search benchmark: \(options.persons) persons on \(options.database)")
    let loadStart = ContinuousClock.now
    let chunk = 500
    var loaded = 0
    while loaded < options.persons {
        let n = min(chunk, options.persons - loaded)
        var personRows: [[any SQLExpression]] = []
        var termRows: [[any SQLExpression]] = []
        var docRows: [[any SQLExpression]] = []
        for k in 0..<n {
            let g = Names.given.randomElement(using: &rng)!
            let family = Names.family(&rng)
            let id = UUID()
            let year = today - Int.random(in: 1...70, using: &rng)
            let month = Int.random(in: 1...12, using: &rng)
            let day = Int.random(in: 1...28, using: &rng)
            let precise = Int.random(in: 0..<10, using: &rng) < 7
            let reference = CaseValidation.personReference(number: loaded + k + 1)
            personRows.append([
                SQLBind(id), SQLBind(reference), SQLBind(family), SQLBind(g.0), SQLBind(nil as String?),
                SQLBind(g.1 == g.0 ? nil : g.1),
                SQLBind("[]"), SQLBind(Bool.random(using: &rng) ? "F" : "M"), SQLBind(year),
                SQLBind(precise ? month : nil),
                SQLBind(precise ? day : nil), SQLBind(!precise), SQLBind(g.2), SQLBind("ar"), SQLBind(nil as String?),
                SQLBind(nil as UUID?), SQLBind(NameNormaliser.normalise(family + " " + g.0)), SQLBind(Date()),
                SQLBind(Date()),
            ])
            for t in SearchTerms.stored(names: [family, g.0, g.1]) {
                termRows.append([SQLBind(t.text), SQLBind(t.kind.rawValue), SQLBind(id)])
            }
            let number = "N" + String(Int.random(in: 10_000_000...99_999_999, using: &rng))
            if k % 2 == 0 {
                docRows.append([
                    SQLBind(UUID()), SQLBind(id), SQLBind("passport"), SQLBind(number), SQLBind(g.2),
                    SQLBind("2030-01-01"),
                    SQLBind(Date()),
                ])
            }
            if samples.count < wanted && Int.random(in: 0..<max(1, options.persons / wanted), using: &rng) == 0 {
                samples.append(
                    Sample(
                        id: id, given: g.0, family: family, givenOriginal: g.1, document: k % 2 == 0 ? number : "",
                        dob: precise ? String(format: "%04d-%02d-%02d", year, month, day) : String(year)))
            }
        }
        let (personBatch, termBatch, docBatch) = (personRows, termRows, docRows)
        try await app.db.transaction { tx in
            let sql = tx as! any SQLDatabase
            func insert(_ table: String, _ columns: [String], _ rows: some Collection<[any SQLExpression]>) async throws
            {
                var builder = sql.insert(into: table).columns(columns)
                for r in rows { builder = builder.values(r) }
                try await builder.run()
            }
            try await insert(
                "persons",
                [
                    "id", "reference", "family_name", "given_names", "family_name_original", "given_names_original",
                    "aliases", "sex",
                    "dob_year", "dob_month", "dob_day", "dob_estimated", "nationality", "languages", "phone",
                    "location_id",
                    "sort_name", "created_at", "updated_at",
                ], personBatch)
            for start in stride(from: 0, to: termBatch.count, by: 5000) {
                let slice = termBatch[start..<min(start + 5000, termBatch.count)]
                try await insert("person_search_terms", ["term", "kind", "person_id"], slice)
            }
            if !docBatch.isEmpty {
                try await insert(
                    "identity_documents",
                    ["id", "person_id", "type", "number", "issuing_country", "expires_on", "created_at"], docBatch)
            }
        }
        loaded += n
        if loaded % 50_000 == 0 || loaded == options.persons { print("  loaded \(loaded)") }
    }
    try await db.raw("INSERT INTO reference_counters (key, last_value) VALUES ('P', \(bind: options.persons))").run()
    if options.database == "postgres" { try await db.raw("ANALYZE").run() } else { try await db.raw("ANALYZE").run() }
    let termCount = try await db.raw("SELECT COUNT(*) AS n FROM person_search_terms").first()!.decode(
        column: "n", as: Int.self)
    print(
        "  load took \(String(format: "%.1f", ms(ContinuousClock.now - loadStart) / 1000)) s; \(termCount) search terms"
    )
}

// Queries a counsellor types: full names, misspellings, partial names, original script, document numbers, dates of
// birth.
func misspell(_ s: String, _ rng: inout SeededRandom) -> String {
    var chars = Array(s.lowercased())
    guard chars.count > 4 else { return s }
    let i = Int.random(in: 1..<(chars.count - 1), using: &rng)
    switch Int.random(in: 0..<3, using: &rng) {
    case 0: chars.remove(at: i)
    case 1: chars.insert(chars[i], at: i)
    default: chars[i] = chars[i] == "e" ? "a" : "e"
    }
    return String(chars)
}

enum Kind: String, CaseIterable {
    case fullName = "full name", misspelt = "misspelt", partial = "partial", original = "original script", document,
        dateOfBirth = "date of birth"
}
var queries: [(Kind, String, String, PartialDate?)] = []
for i in 0..<options.queries {
    let s = samples[i % samples.count]
    switch i % 20 {
    case 0..<8: queries.append((.fullName, "\(s.given) \(s.family)", "", nil))
    case 8..<12: queries.append((.misspelt, "\(misspell(s.given, &rng)) \(misspell(s.family, &rng))", "", nil))
    case 12..<15: queries.append((.partial, "\(s.family.prefix(4)) \(s.given.prefix(3))", "", nil))
    case 15..<17: queries.append((.original, "\(s.givenOriginal) \(s.family)", "", nil))
    case 17..<19 where !s.document.isEmpty: queries.append((.document, "", s.document, nil))
    default: queries.append((.dateOfBirth, s.family, "", PartialDate(parsing: s.dob)))
    }
}
/// The resident memory of this process, in MiB (from /proc).
func residentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kib / 1024
}

// The server reads its in-memory name index once at start-up.
let residentBefore = residentMiB()
let indexStart = ContinuousClock.now
let indexed = try await PassageServices.buildNameIndex(on: app)
print(
    String(
        format: "  name index: %d persons read in %.1f s; resident memory %.0f MiB before, %.0f MiB after", indexed,
        ms(ContinuousClock.now - indexStart) / 1000, residentBefore, residentMiB()))

var runs: [(label: String, inMemory: Bool, candidateLimit: Int?)] = [
    ("in-memory name index (as the server searches)", true, nil)
]
if options.databaseSearch {
    runs += (options.candidateLimits.isEmpty ? [nil] : options.candidateLimits.map(Optional.some)).map {
        ("database name match" + ($0.map { ", candidate limit \($0)" } ?? ""), false, $0)
    }
}
for run in runs {
    let candidateLimit = run.candidateLimit
    // Warm caches as a running server would have them.
    for q in queries.prefix(50) {
        _ = try await PassageServices.search(
            name: q.1, document: q.2, dateOfBirth: q.3, candidateLimit: candidateLimit, inMemory: run.inMemory, on: app)
    }
    var latencies: [Kind: [Double]] = [:]
    var all: [Double] = []
    var found = 0
    for q in queries {
        let start = ContinuousClock.now
        let ids = try await PassageServices.search(
            name: q.1, document: q.2, dateOfBirth: q.3, candidateLimit: candidateLimit, inMemory: run.inMemory, on: app)
        let t = ms(ContinuousClock.now - start)
        if !ids.isEmpty { found += 1 }
        latencies[q.0, default: []].append(t)
        all.append(t)
    }
    all.sort()
    print("\nSearch over \(queries.count) queries (limit 25, persons loaded with their documents), \(run.label):")
    print(
        String(
            format: "  all           p50 %7.2f ms   p95 %7.2f ms   p99 %7.2f ms   max %7.2f ms", percentile(all, 50),
            percentile(all, 95), percentile(all, 99), all.last ?? 0))
    for k in Kind.allCases {
        let l = (latencies[k] ?? []).sorted()
        guard !l.isEmpty else { continue }
        print(
            "  " + k.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "p50 %7.2f ms   p95 %7.2f ms   (n=%d)", percentile(l, 50), percentile(l, 95), l.count))
    }
    print("  queries that found someone: \(found) of \(queries.count)")
}

// Recall: each search names one person held, spelt as another agency spells the name. Is that person the first
// result, or among the first ten?
enum Spelling: String, CaseIterable {
    case transliteration = "another spelling", script = "original script", typing = "typing error",
        both = "spelling and typing error", order = "family name first", particle = "particle written otherwise"
    /// Kinds where the name is transliterated rather than mistyped.
    var isTransliteration: Bool { self == .transliteration || self == .script || self == .both }
}
func spelt(_ s: Sample, _ kind: Spelling, _ rng: inout SeededRandom) -> String {
    let other = Names.otherSpellings[s.given]?.randomElement(using: &rng) ?? s.given
    let family = Names.respelled(s.family, &rng) ?? s.family
    switch kind {
    case .transliteration:
        return Bool.random(using: &rng) ? "\(other) \(family)" : "\(other) \(s.family)"
    case .script: return "\(s.givenOriginal) \(Bool.random(using: &rng) ? family : s.family)"
    case .typing:
        let long = s.family.count >= 8
        return Bool.random(using: &rng)
            ? "\(s.given) \(long ? Names.typo(Names.typo(s.family, &rng), &rng) : Names.typo(s.family, &rng))"
            : "\(Names.typo(s.given, &rng)) \(s.family)"
    case .both: return "\(other) \(Names.typo(family, &rng))"
    case .order: return "\(s.family) \(other)"
    case .particle:
        let bare = s.family.hasPrefix("Al-") ? String(s.family.dropFirst(3)) : s.family
        let forms = ["Al \(bare)", "Al\(bare.lowercased())", "El-\(bare)", "al-\(bare)"]
        return "\(s.given) \(forms.randomElement(using: &rng)!)"
    }
}
if options.recallQueries > 0 {
    // The same searches twice: by name alone, and with the date of birth as the other agency recorded it (a quarter
    // of those with day and month swapped). By name alone, a common name can have more namesakes than ten.
    var planned: [(sample: Sample, kind: Spelling, name: String, birth: PartialDate?)] = []
    for (i, s) in samples.prefix(options.recallQueries).enumerated() {
        let kinds: [Spelling] = [
            .transliteration, .transliteration, .transliteration, .script, .typing, .typing, .both, .order, .particle,
            .transliteration,
        ]
        var kind = kinds[i % kinds.count]
        if kind == .script && s.givenOriginal == s.given { kind = .transliteration }
        if kind == .particle && !s.family.hasPrefix("Al-") { kind = .order }
        var birth = PartialDate(parsing: s.dob)
        if let d = birth, let m = d.month, let day = d.day, day <= 12, i % 4 == 0 {
            birth = PartialDate(year: d.year, month: day, day: m)
        }
        planned.append((s, kind, spelt(s, kind, &rng), birth))
    }
    for withBirth in [false, true] {
        var counts: [Spelling: (n: Int, at1: Int, at10: Int)] = [:]
        var latencies: [Double] = []
        var shown = 0
        for (s, kind, query, birth) in planned {
            let start = ContinuousClock.now
            let ids = try await PassageServices.search(name: query, dateOfBirth: withBirth ? birth : nil, on: app)
            latencies.append(ms(ContinuousClock.now - start))
            let rank = ids.firstIndex(of: s.id)
            if rank.map({ $0 >= 10 }) ?? true, shown < options.misses {
                shown += 1
                let names = try await db.raw(
                    """
                    SELECT id, given_names, family_name FROM persons WHERE id IN \
                    (\(SQLList(([s.id] + ids.prefix(3)).map { SQLBind($0) as any SQLExpression })))
                    """
                ).all().reduce(into: [UUID: String]()) {
                    $0[try $1.decode(column: "id", as: UUID.self)] =
                        "\(try $1.decode(column: "given_names", as: String.self)) "
                        + (try $1.decode(column: "family_name", as: String.self))
                }
                print(
                    "missed (\(kind.rawValue)): '\(query)'\(withBirth ? " born \(birth?.description ?? "-")" : "") "
                        + "for \(names[s.id] ?? "?"), rank \(rank.map(String.init) ?? "-") of \(ids.count); first: "
                        + ids.prefix(3).map { names[$0] ?? "?" }.joined(separator: "; "))
            }
            var c = counts[kind] ?? (0, 0, 0)
            c.n += 1
            if rank == 0 { c.at1 += 1 }
            if let rank, rank < 10 { c.at10 += 1 }
            counts[kind] = c
        }
        func line(_ label: String, _ c: (n: Int, at1: Int, at10: Int)) {
            print(
                "  " + label.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + String(
                        format: "recall@1 %.4f   recall@10 %.4f   (n=%d)", Double(c.at1) / Double(max(1, c.n)),
                        Double(c.at10) / Double(max(1, c.n)), c.n))
        }
        let sum: ([Spelling]) -> (n: Int, at1: Int, at10: Int) = { kinds in
            kinds.reduce((0, 0, 0)) { a, k in
                let c = counts[k] ?? (0, 0, 0)
                return (a.0 + c.n, a.1 + c.at1, a.2 + c.at10)
            }
        }
        latencies.sort()
        print(
            "\nRecall over \(latencies.count) searches spelt as other agencies spell the names, "
                + (withBirth ? "with the date of birth as they recorded it:" : "by name alone:"))
        line("all", sum(Spelling.allCases))
        line("transliterations", sum(Spelling.allCases.filter(\.isTransliteration)))
        for k in Spelling.allCases where counts[k] != nil { line(k.rawValue, counts[k]!) }
        print(
            String(
                format: "  latency       p50 %7.2f ms   p95 %7.2f ms   p99 %7.2f ms", percentile(latencies, 50),
                percentile(latencies, 95), percentile(latencies, 99)))
    }
}

// Registration through the real path: validation, transaction, search terms, audit entry.
let regStart = ContinuousClock.now
for i in 0..<options.registrations {
    let g = Names.given[i % Names.given.count]
    _ = try await PassageServices.register(
        PersonForm(
            familyName: Names.family(&rng), givenNames: g.0, givenNamesOriginal: g.1, sex: "F", dateOfBirth: "1990-05",
            nationality: g.2, languages: ["ar"], phone: "+31612345678"),
        documents: [
            IdentityDocumentForm(
                type: "passport", number: "R\(i)X\(Int.random(in: 1000...9999, using: &rng))", issuingCountry: g.2)
        ],
        actor: "benchmark", on: app)
}
let regSeconds = ms(ContinuousClock.now - regStart) / 1000
print(
    String(
        format: "\nRegistration: %d persons in %.2f s = %.0f per second (one at a time, each with its audit entries)",
        options.registrations, regSeconds, Double(options.registrations) / regSeconds))

if options.database == "postgres", !options.keep, let schema = config.postgresSchema {
    try await db.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
}
try await app.asyncShutdown()
if let path = sqlitePath, !options.keep {
    try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
}
