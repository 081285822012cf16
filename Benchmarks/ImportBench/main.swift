import Foundation
import PassageApp
import PassageDomain
import SQLKit
import Vapor

// passage-import-bench: one year of an office's return operations brought in with `passage import`.
//   .build/release/passage-import-bench [--database sqlite|postgres] [--scale 1.0] [--keep]
// Writes a seeded year of records in the import layout (8,235 persons, 16,539 counselling sessions, 5,363 return
// cases with documents, decisions, travel documents, grants and payments), then times on a fresh database:
//   - the whole import (checking every row, then writing it with its audit entries, timeline and search terms);
//   - the same files again (nothing changes);
//   - persons alone, beside the database's own bulk loader on the same rows (`sqlite3 .import`, or psql's `\copy`);
// and compares the period report over that year with what the files say.
// PostgreSQL uses DATABASE_URL and schemas of its own that are dropped afterwards.

struct Options {
    var database = "sqlite"
    var scale = 1.0
    var keep = false

    init(_ args: [String]) {
        var i = 1
        func next() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--database": database = next()
            case "--scale": scale = Double(next()) ?? scale
            case "--keep": keep = true
            default: FileHandle.standardError.write(Data("unknown option \(args[i])\n".utf8)); exit(2)
            }
            i += 1
        }
    }
}

func say(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

let options = Options(CommandLine.arguments)
let year = 2025
let locations = ["AZC Budel", "AZC Gilze", "AZC Den Helder", "AZC Musselkanaal", "Office The Hague"]
let embassies = ["Embassy of Iraq", "Embassy of Georgia", "Embassy of Morocco", "Embassy of Nigeria"]

// MARK: the year in the import layout

struct Year {
    var files: [String: [[String]]] = [:]
    var departed = 0
    var counselled = Set<String>()
    var grants = 0
}

func generate(scale: Double) -> Year {
    var rng = SeededRandom(seed: 2025_1231)
    func n(_ x: Int) -> Int { max(1, Int(Double(x) * scale)) }
    func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
    func chance(_ p: Double) -> Bool { Double(rng.next() % 10_000) / 10_000 < p }
    func day(_ from: Int, _ to: Int) -> String {
        let d = from + Int(rng.next() % UInt64(max(1, to - from + 1)))
        var c = DateComponents(year: year, month: 1, day: 1)
        c.day = d
        let date = Calendar(identifier: .gregorian).date(from: c)!
        let p = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!)
    }
    let syllables = ["al", "ba", "ha", "ka", "ma", "na", "ra", "sa", "ta", "za", "der", "mir", "lo", "vi", "shi"]
    let given = ["Ali", "Omar", "Sara", "Yusuf", "Olga", "Mekdes", "Giorgi", "Nino", "Fatima", "Karim", "Amina"]
    let countries = ["IQ", "GE", "MA", "NG", "DZ", "AL", "ET", "UA", "MN", "TR"]
    var y = Year()
    let persons = n(8_235)
    let cases = n(5_363)
    var p: [[String]] = [
        ["ref", "familyName", "givenNames", "sex", "dateOfBirth", "nationality", "languages", "phone", "location"]
    ]
    var docs: [[String]] = [["personRef", "type", "number", "issuingCountry", "expiresOn"]]
    var links: [[String]] = [["personRef", "relatedRef", "relationship"]]
    var nationality: [String] = []
    for i in 1...persons {
        let fam = (0..<3).map { _ in pick(syllables) }.joined().capitalized
        let nat = pick(countries)
        nationality.append(nat)
        p.append([
            "P\(i)", fam, pick(given), chance(0.6) ? "M" : "F",
            String(
                format: "%04d-%02d-%02d", 1960 + Int(rng.next() % 45), 1 + Int(rng.next() % 12),
                1 + Int(rng.next() % 28)),
            nat, pick(["ar", "ka", "ru", "en", "fr"]), chance(0.5) ? "+31 6 \(10_000_000 + i)" : "", pick(locations),
        ])
        if chance(0.7) {
            docs.append(["P\(i)", "passport", "X\(nat)\(100_000 + i)", nat, "20\(28 + Int(rng.next() % 5))-06-30"])
        }
        if i > 1, chance(0.18) { links.append(["P\(i)", "P\(i - 1)", pick(["spouse", "child", "sibling"])]) }
    }
    var c: [[String]] = [
        [
            "ref", "personRef", "openedOn", "referralSource", "destinationCountry", "destinationPlace", "stage",
            "departedOn", "office",
        ]
    ]
    var stages: [String] = []
    for i in 1...cases {
        let stage = pick([
            "departed", "departed", "departed", "closed", "counselling", "preparing_departure", "withdrawn",
            "eligibility_decided",
        ])
        stages.append(stage)
        let opened = day(1, 120)
        let departed = stage == "departed" ? day(150, 330) : ""
        if !departed.isEmpty { y.departed += 1 }
        c.append([
            "C\(i)", "P\(i)", opened, pick(["self", "reception_agency", "departure_service", "ngo"]),
            nationality[i - 1], "Capital", stage, departed, pick(locations),
        ])
    }
    // Each departed case left on a flown booking: Amsterdam to the capital of its country.
    let airports = [
        "IQ": "EBL", "GE": "TBS", "MA": "CMN", "NG": "LOS", "DZ": "ALG", "AL": "TIA", "ET": "ADD", "UA": "KBP",
        "MN": "ULN", "TR": "ESB",
    ]
    var b: [[String]] = [
        [
            "ref", "caseRef", "status", "reference", "leg1_carrier", "leg1_flight", "leg1_from", "leg1_to",
            "leg1_departs", "leg1_arrives",
        ]
    ]
    for (i, row) in c.enumerated().dropFirst() where !row[7].isEmpty {
        b.append([
            "B\(i)", row[0], "flown", "PNR\(i)", "KL", String(1000 + i % 8000), "AMS", airports[row[4]] ?? "IST",
            row[7] + "T10:00", row[7] + "T23:30",
        ])
    }
    var s: [[String]] = [["ref", "caseRef", "heldOn", "location", "language", "durationMinutes", "outcome", "notes"]]
    for i in 1...n(16_539) {
        let k = 1 + Int(rng.next() % UInt64(cases))
        y.counselled.insert("P\(k)")
        s.append([
            "S\(i)", "C\(k)", day(125, 140), pick(locations), "ar", String(30 + 15 * Int(rng.next() % 5)),
            pick(["informed", "considering", "decided_to_return", "declined"]), chance(0.3) ? "Follow-up agreed" : "",
        ])
    }
    var d: [[String]] = [["ref", "caseRef", "decidedFor", "outcome", "grantTypes"]]
    var g: [[String]] = [["ref", "caseRef", "type", "amount", "cash", "grantedOn", "funder"]]
    var pay: [[String]] = [["ref", "grantRef", "kind", "amount", "paidOn", "proofReference", "reportedBy"]]
    var t: [[String]] = [
        ["ref", "caseRef", "embassy", "kind", "status", "requestedOn", "number", "issuedOn", "expiresOn"]
    ]
    for i in 1...cases where stages[i - 1] != "counselling" && stages[i - 1] != "withdrawn" {
        d.append(["D\(i)", "C\(i)", day(121, 124), "reintegration", "economic"])
        if chance(0.7) {
            y.grants += 1
            g.append(["G\(i)", "C\(i)", "economic", "1500", "300", day(141, 145), ""])
            pay.append(["Y\(i)", "G\(i)", "cash", "300", day(146, 149), "", ""])
            if chance(0.4) {
                pay.append(["Z\(i)", "G\(i)", "in_kind", "1200", day(150, 160), "INV-\(i)", "Partner office"])
            }
        }
        if chance(0.45) {
            let issued = chance(0.6)
            t.append([
                "T\(i)", "C\(i)", pick(embassies), "emergency_travel_document", issued ? "issued" : "requested",
                day(121, 125),
                issued ? "LP\(i)" : "", issued ? day(126, 140) : "", issued ? day(300, 360) : "",
            ])
        }
    }
    var o: [[String]] = [["ref", "kind", "heldOn", "topic", "audience", "attendees", "location"]]
    for i in 1...n(250) {
        o.append(["O\(i)", "information_session", day(1, 330), "Return options", "Residents", "20", pick(locations)])
    }
    y.files = [
        "persons": p, "documents": docs, "households": links, "return_cases": c, "bookings": b, "sessions": s,
        "decisions": d,
        "grants": g, "payments": pay, "travel_documents": t, "outreach": o,
    ]
    return y
}

func csv(_ rows: [[String]]) -> String {
    rows.map { row in
        row.map { cell in
            cell.contains(",") || cell.contains("\"")
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }.joined(separator: ",")
    }.joined(separator: "\n") + "\n"
}

func write(_ y: Year, only: [String]? = nil) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "passage-import-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, rows) in y.files where only == nil || only!.contains(name) {
        try csv(rows).write(to: dir.appendingPathComponent(name + ".csv"), atomically: true, encoding: .utf8)
    }
    return dir.path
}

func shell(_ command: String) throws -> (seconds: Double, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    let t = Date()
    try p.run()
    p.waitUntilExit()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (Date().timeIntervalSince(t), out)
}

// MARK: the runs

func config(_ label: String) -> AppConfig {
    if options.database == "postgres" {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            print("--database postgres needs DATABASE_URL"); exit(2)
        }
        return AppConfig(
            storage: .postgres(url: url), bcryptCost: 4,
            postgresSchema: "import_\(label)_\(UInt32.random(in: 0...UInt32.max))")
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "passage-import-bench-\(label)-\(UUID().uuidString.prefix(8))")
    return AppConfig(storage: .sqliteFile(path: dir.path + "/passage.sqlite"), bcryptCost: 4)
}

func fresh(_ label: String) async throws -> (Application, AppConfig) {
    let c = config(label)
    let app = try await PassageServices.open(c)
    try await PassageServices.ensureReferenceNames(locations: locations, embassies: embassies, on: app)
    _ = try await PassageServices.issueToken(username: "importer", roles: [.manager], on: app)
    return (app, c)
}

func close(_ app: Application, _ c: AppConfig) async throws {
    if options.database == "postgres", !options.keep, let schema = c.postgresSchema {
        try await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(ident: schema) CASCADE").run()
    }
    try await app.asyncShutdown()
}

let y = generate(scale: options.scale)
let all = try write(y)
let rows = y.files.values.reduce(0) { $0 + $1.count - 1 }
say("passage-import-bench: \(options.database), \(rows) rows of \(year) in \(y.files.count) files (\(all))")

let (app, appConfig) = try await fresh("year")
let first = try await PassageServices.importDirectory(all, username: "importer", on: app)
guard first.written else {
    for p in first.problems.prefix(20) { say(p) }
    say("refused: nothing written"); exit(1)
}
for (kind, c) in first.counts.sorted(by: { $0.key < $1.key }) {
    say("  \(kind): \(c[0]) rows, \(c[1]) new, \(c[4]) refused")
}
say(String(format: "whole year: %d rows in %.1f s (%.0f rows/s)", rows, first.seconds, Double(rows) / first.seconds))
let again = try await PassageServices.importDirectory(all, username: "importer", on: app)
let changed = again.counts.values.reduce(0) { $0 + $1[1] + $1[2] }
say(String(format: "same files again: %.1f s, %d records changed", again.seconds, changed))
let figures = try await PassageServices.periodFigures(from: "\(year)-01-01", to: "\(year)-12-31", on: app)
say(
    "report for \(year): departed \(Int(figures["departed"]?.value ?? -1)) (files: \(y.departed)), counselled "
        + "\(Int(figures["counselled"]?.value ?? -1)) (files: \(y.counselled.count)), grants "
        + "\(Int(figures["grants"]?.value ?? -1)) (files: \(y.grants))")
try await close(app, appConfig)

// Persons alone, beside the database's own loader on the same file.
let personsDir = try write(y, only: ["persons"])
let personsFile = personsDir + "/persons.csv"
let personRows = y.files["persons"]!.count - 1
let (solo, soloConfig) = try await fresh("persons")
let persons = try await PassageServices.importDirectory(personsDir, username: "importer", on: solo)
try await close(solo, soloConfig)
let columns = y.files["persons"]![0].map { "\"\($0)\" TEXT" }.joined(separator: ", ")
var loader: (seconds: Double, output: String)
var loaderName: String
if options.database == "postgres" {
    let url = ProcessInfo.processInfo.environment["DATABASE_URL"]!
    loaderName = "psql \\copy"
    _ = try shell(
        "psql '\(url)' -q -c 'DROP TABLE IF EXISTS import_bench_persons; "
            + "CREATE TABLE import_bench_persons (\(columns))'"
    )
    loader = try shell(
        "psql '\(url)' -q -c \"\\copy import_bench_persons FROM '\(personsFile)' WITH (FORMAT csv, HEADER true)\"")
    _ = try shell("psql '\(url)' -q -c 'DROP TABLE import_bench_persons'")
} else {
    loaderName = "sqlite3 .import"
    let db = personsDir + "/loader.sqlite"
    loader = try shell("sqlite3 '\(db)' '.import --csv \(personsFile) persons_raw'")
}
if !loader.output.isEmpty { say("  loader said: \(loader.output.prefix(200))") }
say(
    String(
        format: "persons alone: %d rows in %.2f s (%.0f rows/s); %@ %.2f s (%.0f rows/s): %.0f%% of the loader's rate",
        personRows, persons.seconds, Double(personRows) / persons.seconds, loaderName, loader.seconds,
        Double(personRows) / loader.seconds, 100 * loader.seconds / persons.seconds))
