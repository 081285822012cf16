import Foundation
import PassageApp
import PassageDomain
import SQLKit
import Vapor

// passage-retention-bench: the retention job over an office's closed cases.
//   .build/release/passage-retention-bench [--cases 1000000] [--database sqlite|postgres] [--keep]
// Writes N persons, each with one closed return-programme case (closed between 2014 and 2025), one counselling
// session with notes, search terms and, for every second person, a passport; then, as on 2030-07-01 with the
// schedule's five years, times the dry run (who is due), the anonymisation of everyone due (in batches of 500, each
// an audit entry), and checks that the period report over a year wholly anonymised is the same before and after.
// PostgreSQL uses DATABASE_URL and a schema of its own that is dropped afterwards.

struct Options {
    var cases = 1_000_000
    var database = "sqlite"
    var keep = false

    init(_ args: [String]) {
        var i = 1
        func next() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--cases": cases = Int(next()) ?? cases
            case "--database": database = next()
            case "--keep": keep = true
            default: FileHandle.standardError.write(Data("unknown option \(args[i])\n".utf8)); exit(2)
            }
            i += 1
        }
    }
}

func say(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }
func seconds(_ d: Duration) -> String {
    String(format: "%.1f", Double(d.components.attoseconds) / 1e18 + Double(d.components.seconds))
}
func peakMiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss / 1024)
}

let options = Options(CommandLine.arguments)
var config: AppConfig
if options.database == "postgres" {
    guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
        say("--database postgres needs DATABASE_URL"); exit(2)
    }
    config = AppConfig(
        storage: .postgres(url: url), bcryptCost: 4, postgresSchema: "retention_\(UInt32.random(in: 0...UInt32.max))")
} else {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "passage-retention-bench-\(UUID().uuidString.prefix(8))")
    config = AppConfig(storage: .sqliteFile(path: dir.path + "/passage.sqlite"), bcryptCost: 4)
}
let app = try await PassageServices.open(config)
let sql = app.db as! any SQLDatabase
try await PassageServices.ensureReferenceNames(locations: ["AZC Budel"], embassies: [], on: app)
_ = try await PassageServices.issueToken(username: "officer", roles: [.administrator, .counsellor], on: app)
let location = try await sql.raw("SELECT id FROM locations LIMIT 1").first()!.decode(column: "id", as: UUID.self)
let officer = try await sql.raw("SELECT id FROM users WHERE username = 'officer'").first()!.decode(
    column: "id", as: UUID.self)
say("passage-retention-bench: \(options.cases) closed cases on \(options.database)")

// MARK: the office's records

var rng = SeededRandom(seed: 2031_0301)
let given = ["Ali", "Omar", "Sara", "Yusuf", "Olga", "Mekdes", "Giorgi", "Nino", "Fatima", "Karim", "Amina"]
let syllables = ["al", "ba", "ha", "ka", "ma", "na", "ra", "sa", "ta", "za", "der", "mir", "lo", "vi", "shi"]
let loadStart = ContinuousClock.now
let chunk = 500
var loaded = 0
func insert(_ db: any SQLDatabase, _ table: String, _ columns: [String], _ rows: [[any SQLExpression]]) async throws {
    for start in stride(from: 0, to: rows.count, by: 200) {
        var builder = db.insert(into: table).columns(columns)
        for r in rows[start..<min(start + 200, rows.count)] { builder = builder.values(r) }
        try await builder.run()
    }
}
while loaded < options.cases {
    let n = min(chunk, options.cases - loaded)
    var persons: [[any SQLExpression]] = []
    var terms: [[any SQLExpression]] = []
    var docs: [[any SQLExpression]] = []
    var cases: [[any SQLExpression]] = []
    var sessions: [[any SQLExpression]] = []
    for k in 0..<n {
        let i = loaded + k + 1
        let id = UUID()
        let caseID = UUID()
        let family = (0..<3).map { _ in syllables[Int(rng.next() % UInt64(syllables.count))] }.joined().capitalized
        let first = given[Int(rng.next() % UInt64(given.count))]
        let year = 2014 + Int(rng.next() % 12)
        let month = 1 + Int(rng.next() % 12)
        let day = 1 + Int(rng.next() % 28)
        let opened = String(format: "%04d-%02d-%02d", year, max(1, month - 1), day)
        let closed = String(format: "%04d-%02d-%02d", year, month, day)
        persons.append([
            SQLBind(id), SQLBind(String(format: "P-%07d", i)), SQLBind(family), SQLBind(first),
            SQLBind(nil as String?), SQLBind(nil as String?), SQLBind("[]"), SQLBind(k % 2 == 0 ? "F" : "M"),
            SQLBind(1960 + Int(rng.next() % 45)), SQLBind(month), SQLBind(day), SQLBind(false), SQLBind("IQ"),
            SQLBind("ar"), SQLBind("+3161\(100_000 + Int(rng.next() % 899_999))"), SQLBind(location),
            SQLBind(NameNormaliser.normalise(family + " " + first)), SQLBind(Date()), SQLBind(Date()),
        ])
        for t in SearchTerms.stored(names: [family, first]) {
            terms.append([SQLBind(t.text), SQLBind(t.kind.rawValue), SQLBind(id)])
        }
        if k % 2 == 0 {
            docs.append([
                SQLBind(UUID()), SQLBind(id), SQLBind("passport"), SQLBind("A\(10_000_000 + i)"), SQLBind("IQ"),
                SQLBind("2030-01-01"), SQLBind(Date()),
            ])
        }
        cases.append([
            SQLBind(caseID), SQLBind(String(format: "R-%04d-%07d", year, i)), SQLBind("voluntary_return"),
            SQLBind("closed"), SQLBind(id), SQLBind(officer), SQLBind(location), SQLBind(opened), SQLBind(closed),
            SQLBind("Returned to Erbil"), SQLBind(Date()), SQLBind(Date()),
        ])
        sessions.append([
            SQLBind(UUID()), SQLBind(caseID), SQLBind(id), SQLBind(opened), SQLBind(location), SQLBind(officer),
            SQLBind("ar"), SQLBind(false), SQLBind(45), SQLBind("Talked about the family in Erbil"),
            SQLBind("decided_to_return"), SQLBind(Date()),
        ])
    }
    let batch = (persons: persons, terms: terms, docs: docs, cases: cases, sessions: sessions)
    try await app.db.transaction { tx in
        let db = tx as! any SQLDatabase
        try await insert(
            db, "persons",
            [
                "id", "reference", "family_name", "given_names", "family_name_original", "given_names_original",
                "aliases", "sex", "dob_year", "dob_month", "dob_day", "dob_estimated", "nationality", "languages",
                "phone", "location_id", "sort_name", "created_at", "updated_at",
            ], batch.persons)
        try await insert(db, "person_search_terms", ["term", "kind", "person_id"], batch.terms)
        try await insert(
            db, "identity_documents",
            ["id", "person_id", "type", "number", "issuing_country", "expires_on", "created_at"], batch.docs)
        try await insert(
            db, "cases",
            [
                "id", "reference", "programme", "status", "person_id", "owner_id", "office_location_id", "opened_on",
                "closed_on", "summary", "created_at", "updated_at",
            ], batch.cases)
        try await insert(
            db, "counselling_sessions",
            [
                "id", "case_id", "person_id", "held_on", "location_id", "counsellor_id", "language", "interpreter",
                "duration_minutes", "notes", "outcome", "created_at",
            ], batch.sessions)
    }
    loaded += n
    if loaded % 100_000 == 0 || loaded == options.cases { say("  loaded \(loaded)") }
}
try await sql.raw("ANALYZE").run()
say("  load took \(seconds(ContinuousClock.now - loadStart)) s")

// MARK: the job

let later = PartialDate(year: 2030, month: 7, day: 1)!
let figuresBefore = try await PassageServices.periodFigures(from: "2018-01-01", to: "2018-12-31", on: app)
let dryStart = ContinuousClock.now
let due = try await PassageServices.retentionDue(today: later, on: app)
let dryTime = ContinuousClock.now - dryStart
say("  dry run: \(due.persons) persons (\(due.cases) cases) due, closed on or before \(due.cutoff)")
say("    in \(seconds(dryTime)) s")
let runStart = ContinuousClock.now
let done = try await PassageServices.runRetention(today: later, actor: "officer", on: app) { n in
    if n % 100_000 == 0 { say("    \(n) anonymised") }
}
let runTime = ContinuousClock.now - runStart
let rate = Double(done) / max(0.001, Double(runTime.components.seconds) + Double(runTime.components.attoseconds) / 1e18)
say("  anonymised \(done) persons in \(seconds(runTime)) s (\(Int(rate)) persons/s); peak memory \(peakMiB()) MiB")
let figuresAfter = try await PassageServices.periodFigures(from: "2018-01-01", to: "2018-12-31", on: app)
let same = figuresBefore.allSatisfy { figuresAfter[$0.key]?.value == $0.value.value }
let counselled = (Int(figuresBefore["counselled"]?.value ?? 0), Int(figuresAfter["counselled"]?.value ?? 0))
say("  period report 2018: \(figuresBefore.count) figures, \(same ? "identical" : "CHANGED") after the job")
say("    (counselled \(counselled.0) before, \(counselled.1) after)")
let left = try await sql.raw("SELECT COUNT(*) AS n FROM persons WHERE family_name <> 'Anonymised'").first()!.decode(
    column: "n", as: Int.self)
say("  persons not anonymised: \(left) (cases closed after \(due.cutoff))")
if options.database == "postgres", !options.keep, let schema = config.postgresSchema {
    try await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
}
try await app.asyncShutdown()
if !same { exit(1) }
