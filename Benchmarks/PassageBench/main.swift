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
        return s.prefix(1).uppercased() + s.dropFirst()
    }
}

struct Sample {
    let given: String; let family: String; let givenOriginal: String; let document: String; let dob: String
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
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "passage-bench-\(UUID().uuidString.prefix(8))"
    ).path
    sqlitePath = dir + "/passage.sqlite"
    config = AppConfig(storage: .sqliteFile(path: sqlitePath!), bcryptCost: 4)
}

let app = try await PassageServices.open(config)
let db = app.db as! any SQLDatabase
var rng = SeededRandom(seed: 20_251_231)
var samples: [Sample] = []
let today = Calendar(identifier: .gregorian).component(.year, from: Date())

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
            SQLBind("[]"), SQLBind(Bool.random(using: &rng) ? "F" : "M"), SQLBind(year), SQLBind(precise ? month : nil),
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
                SQLBind(UUID()), SQLBind(id), SQLBind("passport"), SQLBind(number), SQLBind(g.2), SQLBind("2030-01-01"),
                SQLBind(Date()),
            ])
        }
        if samples.count < 5000 && Int.random(in: 0..<max(1, options.persons / 5000), using: &rng) == 0 {
            samples.append(
                Sample(
                    given: g.0, family: family, givenOriginal: g.1, document: k % 2 == 0 ? number : "",
                    dob: precise ? String(format: "%04d-%02d-%02d", year, month, day) : String(year)))
        }
    }
    let (personBatch, termBatch, docBatch) = (personRows, termRows, docRows)
    try await app.db.transaction { tx in
        let sql = tx as! any SQLDatabase
        func insert(_ table: String, _ columns: [String], _ rows: some Collection<[any SQLExpression]>) async throws {
            var builder = sql.insert(into: table).columns(columns)
            for r in rows { builder = builder.values(r) }
            try await builder.run()
        }
        try await insert(
            "persons",
            [
                "id", "reference", "family_name", "given_names", "family_name_original", "given_names_original",
                "aliases", "sex",
                "dob_year", "dob_month", "dob_day", "dob_estimated", "nationality", "languages", "phone", "location_id",
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
print("  load took \(String(format: "%.1f", ms(ContinuousClock.now - loadStart) / 1000)) s; \(termCount) search terms")

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
// The server reads its in-memory name index once at start-up.
let indexStart = ContinuousClock.now
let indexed = try await PassageServices.buildNameIndex(on: app)
print(String(format: "  name index: %d persons read in %.1f s", indexed, ms(ContinuousClock.now - indexStart) / 1000))

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
