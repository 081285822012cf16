import Foundation
import PassageApp
import PassageDomain
import SQLKit
import Vapor

// passage-reunification-bench: a centre's day sheet and a sample's chain of custody at the size of the programme.
//   .build/release/passage-reunification-bench [--samples-per-year 50000] [--years 5] [--database sqlite|postgres]
//   [--requests 200]
// Loads five years of family reunification (referrals with their sponsor and family members, cases, DNA and
// interview appointments at five centres, samples with a four-step chain of custody each), then asks over HTTP, as
// a family-reunification officer's browser does, for random day sheets and random custody timelines and reports
// the median and the 95th percentile. PostgreSQL uses DATABASE_URL and a schema of its own, dropped afterwards.

struct Options {
    var samplesPerYear = 50_000
    var years = 5
    var database = "sqlite"
    var requests = 200

    init(_ args: [String]) {
        var i = 1
        func next() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--samples-per-year": samplesPerYear = Int(next()) ?? samplesPerYear
            case "--years": years = Int(next()) ?? years
            case "--database": database = next()
            case "--requests": requests = Int(next()) ?? requests
            default: FileHandle.standardError.write(Data("unknown option \(args[i])\n".utf8)); exit(2)
            }
            i += 1
        }
    }
}

func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s[min(s.count - 1, Int((Double(s.count) * p).rounded(.up)) - 1)]
}
func say(_ s: String) { FileHandle.standardOutput.write(Data((s + "\n").utf8)) }

let options = Options(CommandLine.arguments)
var config: AppConfig
switch options.database {
case "postgres":
    guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
        print("--database postgres needs DATABASE_URL"); exit(2)
    }
    config = AppConfig(
        storage: .postgres(url: url), bcryptCost: 4, postgresSchema: "bench_\(UInt32.random(in: 0...UInt32.max))")
default:
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "passage-reunification-bench-\(UUID().uuidString.prefix(8))"
    ).path
    config = AppConfig(storage: .sqliteFile(path: dir + "/passage.sqlite"), bcryptCost: 4)
}
let app = try await PassageServices.open(config)
let sql = app.db as! any SQLDatabase
var rng = SeededRandom(seed: 20_261_207)

func insert(_ db: any SQLDatabase, _ table: String, _ columns: [String], _ rows: [[any Encodable & Sendable]])
    async throws
{
    let perStatement = max(1, 30_000 / columns.count)
    var start = 0
    while start < rows.count {
        var b = db.insert(into: table).columns(columns)
        for r in rows[start..<min(rows.count, start + perStatement)] { b = b.values(r.map { SQLBind($0) }) }
        try await b.run()
        start += perStatement
    }
}

let centres: [(name: String, city: String, country: String, zone: String)] = [
    ("Office Addis Ababa", "Addis Ababa", "ET", "Africa/Addis_Ababa"), ("Office Beirut", "Beirut", "LB", "Asia/Beirut"),
    ("Office Nairobi", "Nairobi", "KE", "Africa/Nairobi"), ("Office Istanbul", "Istanbul", "TR", "Europe/Istanbul"),
    ("Office Amman", "Amman", "JO", "Asia/Amman"),
]
let nationalities = ["SY", "ER", "ET", "SO", "YE", "AF", "IQ", "SD"]
let lastYear = OfficeCalendar.day(Date()).year
let firstYear = lastYear - options.years + 1
let total = options.samplesPerYear * options.years
say(
    "Passage reunification benchmark: \(total) DNA samples (\(options.samplesPerYear) a year, \(firstYear)–"
        + "\(lastYear)) on \(options.database), \(centres.count) centres")
let loadStart = ContinuousClock.now
let now = Date()

var centreIDs: [UUID] = []
for c in centres {
    let location = UUID()
    let centre = UUID()
    try await insert(
        sql, "locations", ["id", "name", "kind", "city", "country", "created_at"],
        [[location, c.name, "office_abroad", c.city, c.country, now]])
    try await insert(
        sql, "fr_centres",
        [
            "id", "location_id", "time_zone", "open_days", "opens", "closes", "slot_minutes", "dna_capacity",
            "interview_capacity", "holidays", "updated_by", "created_at", "updated_at",
        ], [[centre, location, c.zone, "1,2,3,4,5", 510, 960, 30, 4, 1, "", "bench", now, now]])
    centreIDs.append(centre)
}

/// Working days of the years, for appointments.
var workingDays: [(String, Date)] = []
do {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = .gmt
    var d = cal.date(from: DateComponents(year: firstYear, month: 1, day: 1))!
    let end = cal.date(from: DateComponents(year: lastYear, month: 12, day: 31))!
    while d <= end {
        let w = cal.component(.weekday, from: d)
        if w != 1 && w != 7 {
            let p = cal.dateComponents([.year, .month, .day], from: d)
            workingDays.append((String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!), d))
        }
        d = d.addingTimeInterval(86_400)
    }
}

// Referrals of 1 to 4 family members, each sampled once; one referral in four has an interview too.
var made = 0
var number = 0
var sampleIDs: [UUID] = []
var sheets: Set<String> = []
while made < total {
    var t: [String: [[any Encodable & Sendable]]] = [:]
    func add(_ table: String, _ row: [any Encodable & Sendable]) { t[table, default: []].append(row) }
    var inBatch = 0
    while inBatch < 4000 && made < total {
        number += 1
        let members = min(Int.random(in: 1...4, using: &rng), total - made)
        let centreIndex = Int.random(in: 0..<centres.count, using: &rng)
        let centre = centreIDs[centreIndex]
        let (day, dayStart) = workingDays[Int.random(in: 0..<workingDays.count, using: &rng)]
        sheets.insert("\(centreIndex) \(day)")
        let nationality = nationalities[number % nationalities.count]
        let sponsor = UUID()
        let caseID = UUID()
        let referral = UUID()
        add(
            "persons",
            [
                sponsor, String(format: "P-S%08d", number), "Family\(number % 50_000)", "Sponsor", "[]", "M",
                1980 + number % 20, false, nationality, "[]", "family\(number % 50_000) sponsor", now, now,
            ])
        add(
            "cases",
            [caseID, String(format: "FR-%08d", number), "family_reunification", "open", sponsor, day, "", now, now])
        add(
            "fr_referrals",
            [referral, caseID, String(format: "IND-%08d", number), sponsor, day, centre, "", "bench", now])
        for m in 0..<members {
            let person = UUID()
            let member = UUID()
            let appointment = UUID()
            let sample = UUID()
            let minute = 510 + 30 * Int.random(in: 0..<14, using: &rng)
            let at = dayStart.addingTimeInterval(Double(minute * 60 - 3 * 3600))
            add(
                "persons",
                [
                    person, String(format: "P-M%08d-%d", number, m), "Family\(number % 50_000)", "Member\(m)", "[]",
                    m % 2 == 0 ? "F" : "M", 2005 + m, false, nationality, "[]", "family\(number % 50_000) member", now,
                    now,
                ])
            add("fr_members", [member, referral, person, m == 0 ? "spouse" : "child", m == 0 ? "both" : "dna"])
            add(
                "fr_appointments",
                [
                    appointment, referral, member, centre, "dna_sampling", day, minute, at, "attended", "", "bench",
                    now,
                    now,
                ])
            let status = ["resulted", "resulted", "resulted", "at_laboratory", "in_transit"][made % 5]
            add(
                "fr_samples",
                [
                    sample, String(format: "DNA-%08d", made + 1), referral, member, appointment, status, "Collector",
                    at, "Office", "passport", true, "Witness", "SL-\(made)", "laboratory", "Lab", at, now,
                ])
            sampleIDs.append(sample)
            let steps: [(String, String, String, TimeInterval)] = [
                ("collected", "collector", "Collector", 0), ("handover", "courier", "Courier", 3600),
                ("handover", "embassy", "Embassy", 86_400), ("handover", "laboratory", "Lab", 3 * 86_400),
            ]
            for (seq, step) in steps.enumerated() {
                add(
                    "fr_custody_events",
                    [
                        UUID(), sample, seq + 1, step.0, step.1, step.2, seq == 0 ? "" : steps[seq - 1].2,
                        at.addingTimeInterval(step.3), "SL-\(made)", true, "", "bench", at.addingTimeInterval(step.3),
                    ])
            }
            if m == 0 && number % 4 == 0 {
                add(
                    "fr_appointments",
                    [
                        UUID(), referral, member, centre, "interview", day, minute, at, "attended", "", "bench", now,
                        now,
                    ])
            }
            made += 1
            inBatch += 1
        }
    }
    let batch = t
    try await app.db.transaction { tx in
        let db = tx as! any SQLDatabase
        let columns: [(String, [String])] = [
            (
                "persons",
                [
                    "id", "reference", "family_name", "given_names", "aliases", "sex", "dob_year", "dob_estimated",
                    "nationality", "languages", "sort_name", "created_at", "updated_at",
                ]
            ),
            (
                "cases",
                [
                    "id", "reference", "programme", "status", "person_id", "opened_on", "summary", "created_at",
                    "updated_at",
                ]
            ),
            (
                "fr_referrals",
                [
                    "id", "case_id", "ind_file_number", "sponsor_id", "deadline", "centre_id", "note", "created_by",
                    "created_at",
                ]
            ),
            ("fr_members", ["id", "referral_id", "person_id", "relationship", "verification"]),
            (
                "fr_appointments",
                [
                    "id", "referral_id", "member_id", "centre_id", "service", "day", "minute", "starts_at", "status",
                    "note", "created_by", "created_at", "updated_at",
                ]
            ),
            (
                "fr_samples",
                [
                    "id", "identifier", "referral_id", "member_id", "appointment_id", "status", "collected_by",
                    "collected_at", "place", "document_seen", "photo_taken", "witness", "seal_number", "holder_kind",
                    "holder_name", "holder_since", "created_at",
                ]
            ),
            (
                "fr_custody_events",
                [
                    "id", "sample_id", "seq", "kind", "custodian", "holder_name", "from_name", "received_at",
                    "seal_number", "seal_intact", "note", "recorded_by", "recorded_at",
                ]
            ),
        ]
        for (table, cols) in columns { try await insert(db, table, cols, batch[table] ?? []) }
    }
    FileHandle.standardError.write(Data("\rloaded \(made) of \(total) samples".utf8))
}
FileHandle.standardError.write(Data("\n".utf8))
if options.database == "postgres" { try await sql.raw("ANALYZE").run() } else { try await sql.raw("ANALYZE").run() }
say(String(format: "Loaded in %.1f s", ms(ContinuousClock.now - loadStart) / 1000))

let token = try await PassageServices.issueToken(
    username: "bench.reunification.\(UInt32.random(in: 0...UInt32.max))", roles: [.familyReunificationOfficer],
    on: app)
let port = 58_290 + Int.random(in: 0..<100)
func serve() async throws { try await app.server.start(address: .hostname("127.0.0.1", port: port)) }
func stop() async { await app.server.shutdown() }
try await serve()
func time(_ path: String) async throws -> (Double, Int) {
    let a = ContinuousClock.now
    let res = try await app.client.get(
        URI(string: "http://127.0.0.1:\(port)\(path)"), headers: ["Authorization": "Bearer \(token)"])
    guard res.status == .ok else { say("GET \(path) answered \(res.status)"); exit(1) }
    return (ms(ContinuousClock.now - a), res.body?.readableBytes ?? 0)
}
let sheetList = Array(sheets)
var dayMs: [Double] = []
var dayBytes = 0
var custodyMs: [Double] = []
var custodyBytes = 0
var apiMs: [Double] = []
for i in 0...options.requests {
    let s = sheetList[Int.random(in: 0..<sheetList.count, using: &rng)].split(separator: " ")
    let (d, db) = try await time("/reunification/centres/\(centreIDs[Int(s[0])!].uuidString)?day=\(s[1])")
    let sample = sampleIDs[Int.random(in: 0..<sampleIDs.count, using: &rng)]
    let (c, cb) = try await time("/reunification/samples/\(sample.uuidString)")
    let (a, _) = try await time("/api/v1/reunification/samples/\(sample.uuidString)")
    if i > 0 {  // the first of each warms up
        dayMs.append(d); custodyMs.append(c); apiMs.append(a)
        dayBytes = max(dayBytes, db); custodyBytes = max(custodyBytes, cb)
    }
}
await stop()
for (name, xs, bytes) in [
    ("day sheet page (GET /reunification/centres/:id?day=)", dayMs, dayBytes),
    ("custody timeline page (GET /reunification/samples/:id)", custodyMs, custodyBytes),
    ("custody timeline API (GET /api/v1/reunification/samples/:id)", apiMs, 0),
] {
    say(
        String(
            format: "%@: %d requests, median %.1f ms, p95 %.1f ms%@", name, xs.count, percentile(xs, 0.5),
            percentile(xs, 0.95), bytes > 0 ? ", largest page \(bytes) bytes" : ""))
}
if options.database == "postgres", let schema = config.postgresSchema {
    try await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
}
try await app.asyncShutdown()
