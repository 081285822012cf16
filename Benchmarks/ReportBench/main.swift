import Foundation
import Vapor
import Fluent
import SQLKit
import PassageApp
import PassageDomain

// passage-report-bench: the period report and the dashboard on a large caseload.
//   .build/release/passage-report-bench [--cases 1000000] [--database sqlite|postgres] [--runs 5] [--year 2025]
// [--keep]
// Loads synthetic cases over ten years with what happens to them (sessions, travel documents, vulnerabilities,
// bookings with their flights and passengers, grants and payments, timeline events), then times:
//   - the period report for a calendar year (both periods), as the page and the API compute it;
//   - the same aggregates written as bare SQL on the same database (the baseline), and checks both agree;
//   - GET /dashboard for a manager over HTTP (authentication, queries and the HTML page).
// PostgreSQL uses DATABASE_URL and a schema of its own that is dropped afterwards.

struct Options {
    var cases = 1_000_000
    var database = "sqlite"
    var runs = 5
    var year = 2025
    var keep = false
    /// A SQLite file loaded by an earlier run (`--keep` prints its path): time it again without loading.
    var reuse: String?

    init(_ args: [String]) {
        var i = 1
        func next() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--cases": cases = Int(next()) ?? cases
            case "--database": database = next()
            case "--runs": runs = Int(next()) ?? runs
            case "--year": year = Int(next()) ?? year
            case "--keep": keep = true
            case "--reuse": reuse = next(); database = "sqlite"
            default: FileHandle.standardError.write(Data("unknown option \(args[i])\n".utf8)); exit(2)
            }
            i += 1
        }
    }
}

func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.isEmpty ? 0 : s[s.count / 2] }
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
        "passage-report-bench-\(UUID().uuidString.prefix(8))"
    ).path
    config = AppConfig(storage: .sqliteFile(path: options.reuse ?? (dir + "/passage.sqlite")), bcryptCost: 4)
}
let app = try await PassageServices.open(config)
let sql = app.db as! any SQLDatabase
var rng = SeededRandom(seed: 20_251_231)

// MARK: the synthetic caseload

/// Countries of return with their airport and weight (roughly the office's mix).
let destinations: [(country: String, airport: String, weight: Int)] = [
    ("IQ", "EBL", 9), ("GE", "TBS", 9), ("MA", "CMN", 7), ("DZ", "ALG", 6), ("TN", "TUN", 5), ("NG", "LOS", 6),
    ("AF", "KBL", 4),
    ("IR", "IKA", 4), ("SY", "DAM", 2), ("ER", "ASM", 2), ("ET", "ADD", 4), ("UA", "KBP", 5), ("AL", "TIA", 6),
    ("MN", "ULN", 5),
    ("CN", "PEK", 4), ("TR", "ESB", 6), ("BR", "GRU", 5), ("CO", "BOG", 4), ("LB", "BEY", 3), ("SO", "MGQ", 2),
    ("AM", "EVN", 4),
    ("RU", "SVO", 4), ("GH", "ACC", 3), ("EG", "CAI", 4), ("PK", "ISB", 3),
]
let weighted = destinations.flatMap { d in Array(repeating: d, count: d.weight) }
let hubs = ["IST", "CDG", "FRA", "DOH"]
let hub = "AMS"
/// The 2025 factor for international economy flights, as in the bundled table.
let factor = try EmissionFactorTable.parse(
    csv: "year,route,cabin,with_rf,without_rf,source\n2025,international,economy,0.10916,0.06449,bench\n"
).factors[0]
let years = (options.year - 9)...options.year

let coords = Dictionary(
    uniqueKeysWithValues: try await sql.raw("SELECT iata, latitude, longitude FROM airports").all().map {
        (
            try $0.decode(column: "iata", as: String.self),
            (try $0.decode(column: "latitude", as: Double.self), try $0.decode(column: "longitude", as: Double.self))
        )
    })
func km(_ a: String, _ b: String) -> Double {
    guard let x = coords[a], let y = coords[b] else { fatalError("airport \(a) or \(b) is missing") }
    return GreatCircle.distanceKm(lat1: x.0, lon1: x.1, lat2: y.0, lon2: y.1)
}

func insert(_ db: any SQLDatabase, _ table: String, _ columns: [String], _ rows: [[any Encodable & Sendable]])
    async throws
{
    // Below SQLite's limit of 32,766 bound values per statement (PostgreSQL allows 65,535).
    let perStatement = max(1, 30_000 / columns.count)
    var start = 0
    while start < rows.count {
        var b = db.insert(into: table).columns(columns)
        for r in rows[start..<min(rows.count, start + perStatement)] { b = b.values(r.map { SQLBind($0) }) }
        try await b.run()
        start += perStatement
    }
}

let now = Date()
func day(_ y: Int, _ dayOfYear: Int) -> String {
    var c = Calendar(identifier: .gregorian); c.timeZone = .gmt
    let d = c.date(byAdding: .day, value: dayOfYear, to: c.date(from: DateComponents(year: y, month: 1, day: 1))!)!
    let x = c.dateComponents([.year, .month, .day], from: d)
    return String(format: "%04d-%02d-%02d", x.year!, x.month!, x.day!)
}
func plusDays(_ iso: String, _ n: Int) -> String {
    let p = iso.split(separator: "-").map { Int($0)! }
    var c = Calendar(identifier: .gregorian); c.timeZone = .gmt
    let d = c.date(byAdding: .day, value: n, to: c.date(from: DateComponents(year: p[0], month: p[1], day: p[2]))!)!
    let x = c.dateComponents([.year, .month, .day], from: d)
    return String(format: "%04d-%02d-%02d", x.year!, x.month!, x.day!)
}
func instant(_ isoDay: String, _ minutes: Int) -> Date {
    ReportPeriod.date(PartialDate(parsing: isoDay)!).addingTimeInterval(Double(minutes * 60 - 3600))
}
func hhmm(_ minutes: Int) -> String { String(format: "%02d:%02d", (minutes / 60) % 24, minutes % 60) }

say(
    """
    Passage report benchmark: \(options.reuse.map { "the caseload in \($0)" } ?? "\(options.cases) cases") on \
    \(options.database), years \(years.lowerBound)–\(years.upperBound)
    """
)
let loadStart = ContinuousClock.now

// Staff, offices and partners.
let counsellors = (0..<40).map { _ in UUID() }
let offices = (0..<8).map { _ in UUID() }
let embassies = destinations.map { _ in UUID() }
let ngo = UUID()
if options.reuse == nil {
    try await insert(
        sql, "users",
        [
            "id", "username", "display_name", "password_hash", "roles", "locale", "active", "failed_logins",
            "created_at",
        ],
        counsellors.enumerated().map { i, id in
            [id, "counsellor\(i)", "Counsellor \(i + 1)", "!", "counsellor", "en", true, 0, now]
        })
    try await insert(
        sql, "partners", ["id", "name", "kind", "country", "created_at"],
        destinations.enumerated().map { i, d in
            [embassies[i], "Embassy of \(CountryCode.name(d.country))", "embassy", d.country, now]
                as [any Encodable & Sendable]
        }
            + [[ngo, "Reintegration NGO", "ngo", "NL", now]])
    try await insert(
        sql, "locations", ["id", "name", "kind", "city", "country", "created_at"],
        offices.enumerated().map { i, id in [id, "Office \(i + 1)", "office", "City \(i + 1)", "NL", now] })
}

var loaded = options.reuse == nil ? 0 : options.cases
var counts: [String: Int] = [:]
let chunk = 5000
while loaded < options.cases {
    let n = min(chunk, options.cases - loaded)
    var t: [String: [[any Encodable & Sendable]]] = [:]
    func add(_ table: String, _ row: [any Encodable & Sendable]) { t[table, default: []].append(row) }
    for k in 0..<n {
        let number = loaded + k + 1
        let d = weighted.randomElement(using: &rng)!
        let person = UUID()
        let caseID = UUID()
        let year = Int.random(in: years, using: &rng)
        let dayOfYear = Int.random(in: 0..<365, using: &rng)
        let opened = day(year, dayOfYear)
        let roll = Int.random(in: 0..<100, using: &rng)
        let programme =
            roll < 80 ? "return" : roll < 90 ? "resettlement" : roll < 95 ? "family_reunification" : "visa_application"
        // Cases opened in the last months are open or on hold; the others have ended.
        let recent = year == options.year && dayOfYear >= 250
        let status = recent ? (Int.random(in: 0..<10, using: &rng) < 8 ? "open" : "on_hold") : "closed"
        let owner = counsellors.randomElement(using: &rng)!
        let office = offices.randomElement(using: &rng)!
        let family = "Family\(number % 87_000)"
        let given = ["Amina", "Yonas", "Giorgi", "Fatima", "Omar", "Nino", "Wei", "Abdi"][number % 8]
        add(
            "persons",
            [
                person, String(format: "P-%08d", number), family, given, "[]", number % 2 == 0 ? "F" : "M",
                1950 + number % 55, false, d.country, "[]",
                offices[number % offices.count], (family + " " + given).lowercased(), now, now,
            ])
        add(
            "cases",
            [
                caseID, String(format: "C-%08d", number), programme, status, person, owner, office, opened,
                status == "closed" ? plusDays(opened, 200) : nil,
                "", now, now,
            ])
        add("case_events", [UUID(), caseID, instant(opened, 600), "Counsellor", "opened", "Case opened"])

        var departs: String?
        var hasGrant = false
        if programme == "return" {
            let departed = !recent && Int.random(in: 0..<100, using: &rng) < 60
            if departed { departs = plusDays(opened, Int.random(in: 20...150, using: &rng)) }
            let stage =
                departed
                ? "departed"
                : recent
                    ? ["intake", "counselling", "decided_to_return", "preparing_departure"].randomElement(using: &rng)!
                    : "closed"
            add(
                "return_cases",
                [
                    UUID(), caseID, stage, "self", offices[number % offices.count], "ar", false, d.country, "Capital",
                    "[]", departs, "", now, now,
                ])
            for s in 0..<Int.random(in: 1...2, using: &rng) {
                add(
                    "counselling_sessions",
                    [
                        UUID(), caseID, person, plusDays(opened, 3 + 10 * s), office, owner, "ar", false, 45, "",
                        departs != nil ? "decided_to_return" : "considering", now,
                    ])
            }
            if Int.random(in: 0..<100, using: &rng) < 35 {
                let requested = plusDays(opened, 5)
                let issued = departs != nil && Int.random(in: 0..<100, using: &rng) < 80
                add(
                    "travel_document_requests",
                    [
                        UUID(), caseID, embassies[destinations.firstIndex { $0.country == d.country }!],
                        "emergency_travel_document",
                        issued ? "issued" : recent ? "requested" : "refused", requested, nil as String?,
                        issued ? "ETD\(number)" : "",
                        issued ? plusDays(requested, 180) : nil, issued ? plusDays(requested, 12) : nil, now, now,
                    ])
            }
            let v = Int.random(in: 0..<1000, using: &rng)
            let vulnerability = v < 25 ? "unaccompanied_child" : v < 35 ? "trafficking" : v < 75 ? "medical" : nil
            if let kind = vulnerability {
                let details =
                    kind == "medical"
                    ? "{\"category\":\"\(MedicalCategory.allCases.randomElement(using: &rng)!.rawValue)\",\"fitToFlyRequired\":false}"
                    : "{}"
                add("vulnerabilities", [UUID(), caseID, kind, details, now, now])
            }
            if let dep = departs {
                add("case_events", [UUID(), caseID, instant(dep, 720), "Movements", "departed", "Departed"])
                if Int.random(in: 0..<100, using: &rng) < 55 {
                    let grant = UUID()
                    let type = v >= 35 && v < 75 ? "medical" : "economic"
                    let inKind = Int.random(in: 0..<100, using: &rng) < 70
                    hasGrant = true
                    add(
                        "grants",
                        [
                            grant, caseID, type, 150_000, 50_000, 100_000, inKind ? 150_000 : 50_000, nil as UUID?,
                            instant(dep, 300),
                        ])
                    add("grant_payments", [UUID(), grant, "cash", 50_000, dep, "", "Counsellor", now])
                    if inKind {
                        add(
                            "grant_payments",
                            [UUID(), grant, "in_kind", 100_000, plusDays(dep, 90), "INV\(number)", "Partner", now])
                    }
                }
            }
        } else if programme == "resettlement" && !recent && Int.random(in: 0..<100, using: &rng) < 50 {
            departs = plusDays(opened, Int.random(in: 60...300, using: &rng))  // an arrival at the hub
        }
        guard let dep = departs else { continue }
        // A booking cancelled before the one flown, now and then.
        let escorted = Int.random(in: 0..<100, using: &rng) < 4
        let bookings = Int.random(in: 0..<100, using: &rng) < 8 ? ["cancelled", "flown"] : ["flown"]
        for status in bookings {
            let booking = UUID()
            let minute = Int.random(in: 6 * 60...22 * 60, using: &rng)
            let via = Int.random(in: 0..<100, using: &rng) < 35 ? hubs.randomElement(using: &rng)! : nil
            // Returns leave from the hub; resettled refugees arrive at it, and some connect through it to a
            // neighbouring country.
            let onward = programme != "return" && Int.random(in: 0..<100, using: &rng) < 20 ? ["OSL"] : []
            let route =
                programme == "return"
                ? [hub] + (via.map { [$0] } ?? []) + [d.airport]
                : [d.airport] + (via.map { [$0] } ?? []) + [hub] + onward
            let flown = status == "flown"
            let cancelled = status == "cancelled"
            add("booking_passengers", [UUID(), booking, person, ""])
            var at = minute
            var total = (rf: 0, g: 0)
            let pairs = Array(zip(route, route.dropFirst()))
            for (i, pair) in pairs.enumerated() {
                let distance = (km(pair.0, pair.1) * 10).rounded() / 10
                let minutes = Int(distance / 12) + 40
                let g = LegEmission(distanceKm: distance, factor: factor)
                let travellers = 1 + (escorted ? 1 : 0)
                total.rf += g.gramsWithRF * travellers; total.g += g.gramsWithoutRF * travellers
                add(
                    "legs",
                    [
                        UUID(), booking, i + 1, false, "XX", "\(100 + i)", pair.0, pair.1, "\(dep)T\(hhmm(at))",
                        "\(dep)T\(hhmm(at + minutes))",
                        instant(dep, at), instant(dep, at + minutes), distance, flown ? g.gramsWithRF : nil,
                        flown ? g.gramsWithoutRF : nil, flown ? year : nil,
                        1, i > 0 ? pairs[i - 1].1 : nil, i + 1 < pairs.count ? pairs[i + 1].0 : nil, cancelled,
                    ])
                at += minutes + 90
                if at >= 23 * 60 { at = 23 * 60 }
            }
            if escorted {
                let back = route.count
                let distance = (km(route.last!, route.first!) * 10).rounded() / 10
                let g = LegEmission(distanceKm: distance, factor: factor)
                total.rf += g.gramsWithRF; total.g += g.gramsWithoutRF
                add(
                    "legs",
                    [
                        UUID(), booking, back, true, "XX", "900", route.last!, route.first!,
                        "\(plusDays(dep, 1))T10:00", "\(plusDays(dep, 1))T14:00",
                        instant(plusDays(dep, 1), 600), instant(plusDays(dep, 1), 840), distance,
                        flown ? g.gramsWithRF : nil, flown ? g.gramsWithoutRF : nil,
                        flown ? year : nil, nil as Int?, nil as String?, nil as String?, cancelled,
                    ])
            }
            add(
                "bookings",
                [
                    booking, caseID, "R\(number % 1_000_000)", status, 35_000, 20, escorted ? "operational" : "none",
                    escorted ? "Escort" : "", "",
                    nil as UUID?, instant(dep, minute), "Movements", now, now, dep, flown ? total.rf : nil,
                    flown ? total.g : nil,
                ])
            if flown {
                add(
                    "departures",
                    [
                        UUID(), booking, person, caseID, programme, dep, escorted,
                        programme == "return" ? d.country : nil, d.country, hasGrant, now,
                    ])
            }
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
                    "nationality", "languages",
                    "location_id", "sort_name", "created_at", "updated_at",
                ]
            ),
            (
                "cases",
                [
                    "id", "reference", "programme", "status", "person_id", "owner_id", "office_location_id",
                    "opened_on", "closed_on", "summary", "created_at", "updated_at",
                ]
            ),
            ("case_events", ["id", "case_id", "at", "actor_name", "kind", "text"]),
            (
                "return_cases",
                [
                    "id", "case_id", "stage", "referral_source", "stay_location_id", "preferred_language",
                    "interpreter_needed", "destination_country",
                    "destination_place", "companions", "departed_on", "receiving_office", "created_at", "updated_at",
                ]
            ),
            (
                "counselling_sessions",
                [
                    "id", "case_id", "person_id", "held_on", "location_id", "counsellor_id", "language", "interpreter",
                    "duration_minutes", "notes", "outcome", "created_at",
                ]
            ),
            (
                "travel_document_requests",
                [
                    "id", "case_id", "embassy_id", "kind", "status", "requested_on", "interview_on", "number",
                    "expires_on", "issued_on",
                    "created_at", "updated_at",
                ]
            ),
            ("vulnerabilities", ["id", "case_id", "kind", "details", "created_at", "updated_at"]),
            ("grants", ["id", "case_id", "type", "amount", "cash", "in_kind", "paid", "funder_id", "created_at"]),
            (
                "grant_payments",
                ["id", "grant_id", "kind", "amount", "paid_on", "proof_reference", "reported_by", "created_at"]
            ),
            (
                "bookings",
                [
                    "id", "case_id", "reference", "status", "fare_cents", "baggage_kg", "escort", "escort_staff",
                    "note", "rebooked_from_id", "departs_at",
                    "created_by", "created_at", "updated_at", "first_day", "co2_total_rf", "co2_total",
                ]
            ),
            ("booking_passengers", ["id", "booking_id", "person_id", "assistance"]),
            (
                "legs",
                [
                    "id", "booking_id", "seq", "escort_only", "carrier", "flight_number", "from_code", "to_code",
                    "departs_local", "arrives_local",
                    "departs_at", "arrives_at", "distance_km", "co2_grams_rf", "co2_grams", "factor_year", "passengers",
                    "prev_to", "next_from", "cancelled",
                ]
            ),
            (
                "departures",
                [
                    "id", "booking_id", "person_id", "case_id", "programme", "day", "escorted", "destination_country",
                    "nationality", "granted", "created_at",
                ]
            ),
        ]
        for (table, cols) in columns { if let rows = batch[table] { try await insert(db, table, cols, rows) } }
    }
    for (table, rows) in t { counts[table, default: 0] += rows.count }
    loaded += n
    if loaded % 100_000 == 0 || loaded == options.cases {
        say("  \(loaded) cases loaded (\(Int(ms(ContinuousClock.now - loadStart) / 1000)) s)")
    }
}
// Outreach and credits over the ten years.
if options.reuse == nil {
    var outreach: [[any Encodable & Sendable]] = []
    for y in years {
        for i in 0..<600 {
            outreach.append([
                UUID(), i % 3 == 0 ? "network_meeting" : "information_session", day(y, i % 365), offices[i % 8],
                "residents", 20, "", "Return", counsellors[i % 40], now,
            ])
        }
    }
    try await insert(
        sql, "outreach_activities",
        [
            "id", "kind", "held_on", "location_id", "audience", "attendees", "organisations", "topic", "counsellor_id",
            "created_at",
        ], outreach)
    try await insert(
        sql, "carbon_credits",
        ["id", "purchased_on", "kilograms", "vendor", "certificate", "recorded_by", "created_at"],
        years.map { [UUID(), "\($0)-06-01", 500_000, "Gold Standard", "GS-\($0)", "Manager", now] })
    _ = try await sql.raw("ANALYZE").run()
}
say(
    "Loaded in \(Int(ms(ContinuousClock.now - loadStart) / 1000)) s: "
        + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))

// MARK: the baseline: the same aggregates as bare SQL

let from = "\(options.year)-01-01"
let to = "\(options.year)-12-31"

/// The period's figures as bare SQL over the tables the report reads (the departures written when a booking is flown,
/// the person beside each session, the hub's columns on each flight, each booking's CO2e): the baseline.
func bareSQL(_ from: String, _ to: String, _ until: String) async throws -> [String: Double] {
    var out: [String: Double] = [:]
    func one(_ q: SQLQueryString) async throws -> SQLRow { try await sql.raw(q).first()! }
    func has(_ kind: String) -> SQLQueryString {
        "d.case_id IN (SELECT case_id FROM vulnerabilities WHERE kind = '\(unsafeRaw: kind)')"
    }
    let period: SQLQueryString =
        "FROM departures d WHERE d.programme = 'return' AND d.day BETWEEN \(bind: from) AND \(bind: to)"
    let row = try await one(
        """
        SELECT COUNT(DISTINCT d.person_id) AS departed, COUNT(DISTINCT CASE WHEN d.escorted = \(true) THEN \
        d.person_id END) AS escorted,
          COUNT(DISTINCT CASE WHEN \(has("unaccompanied_child")) THEN d.person_id END) AS children,
          COUNT(DISTINCT CASE WHEN \(has("trafficking")) THEN d.person_id END) AS trafficking,
          COUNT(DISTINCT CASE WHEN \(has("medical")) THEN d.person_id END) AS medical,
          COUNT(DISTINCT d.destination_country) AS countries \(period)
        """)
    for (k, c) in [
        ("departed", "departed"), ("escorted", "escorted"), ("unaccompanied_children_returned", "children"),
        ("trafficking_victims_assisted", "trafficking"), ("medical_needs_departed", "medical"),
        ("countries_of_return", "countries"),
    ] {
        out[k] = Double(try row.decode(column: c, as: Int.self))
    }
    out["counselled"] = Double(
        try await one(
            """
            SELECT COUNT(DISTINCT person_id) AS n FROM counselling_sessions WHERE held_on BETWEEN \(bind: from) \
            AND \(bind: to)
            """
        )
        .decode(column: "n", as: Int.self))
    for r in try await sql.raw(
        """
        SELECT kind, COUNT(*) AS n FROM outreach_activities WHERE held_on BETWEEN \(bind: from) AND \(bind: to) \
        GROUP BY kind
        """
    ).all() {
        out[try r.decode(column: "kind", as: String.self) + "s"] = Double(try r.decode(column: "n", as: Int.self))
    }
    out["grants"] = Double(
        try await one(
            """
            SELECT COUNT(*) AS n FROM grants WHERE created_at >= \
            \(bind: ReportPeriod.date(PartialDate(parsing: from)!)) AND created_at < \
            \(bind: ReportPeriod.date(PartialDate(parsing: until)!))
            """
        ).decode(column: "n", as: Int.self))
    out["travel_documents_obtained"] = Double(
        try await one(
            """
            SELECT COUNT(*) AS n FROM travel_document_requests WHERE issued_on BETWEEN \(bind: from) AND \(bind: to) \
            AND status = 'issued'
            """
        ).decode(column: "n", as: Int.self))
    let live: SQLQueryString = "escort_only = \(false) AND cancelled = \(false)"
    let hubRow = try await one(
        """
        SELECT
          (SELECT CAST(SUM(passengers) AS BIGINT) FROM legs WHERE from_code = 'AMS' AND departs_local >= \
        \(bind: from) AND departs_local < \(bind: until) AND \(live)
             AND (prev_to IS NULL OR prev_to <> 'AMS')) AS departures,
          (SELECT CAST(SUM(passengers) AS BIGINT) FROM legs WHERE to_code = 'AMS' AND arrives_local >= \(bind: from) \
        AND arrives_local < \(bind: until) AND \(live)
             AND next_from = 'AMS') AS transits,
          (SELECT CAST(SUM(passengers) AS BIGINT) FROM legs WHERE to_code = 'AMS' AND arrives_local >= \(bind: from) \
        AND arrives_local < \(bind: until) AND \(live)
             AND (next_from IS NULL OR next_from <> 'AMS')) AS arrivals
        """)
    for k in ["departures", "transits", "arrivals"] {
        out["airport_" + k] = Double(try hubRow.decode(column: k, as: Int?.self) ?? 0)
    }
    out["co2_tonnes_with_rf"] =
        Double(
            try await one(
                """
                SELECT CAST(SUM(co2_total_rf) AS BIGINT) AS g FROM bookings WHERE status = 'flown' AND first_day \
                BETWEEN \(bind: from) AND \(bind: to)
                """
            ).decode(column: "g", as: Int?.self) ?? 0) / 1_000_000
    out["carbon_credit_tonnes"] =
        Double(
            try await one(
                """
                SELECT CAST(SUM(kilograms) AS BIGINT) AS n FROM carbon_credits WHERE purchased_on BETWEEN \
                \(bind: from) AND \(bind: to)
                """
            ).decode(column: "n", as: Int?.self) ?? 0) / 1000
    return out
}

/// The same figures from the base tables alone (bookings, flights, passengers, cases, return cases): a check that the
/// facts the report reads say what the records say, and what counting without them costs.
func fromBaseTables(_ from: String, _ to: String, _ until: String) async throws -> [String: Double] {
    var out: [String: Double] = [:]
    func one(_ q: SQLQueryString) async throws -> SQLRow { try await sql.raw(q).first()! }
    let departed: SQLQueryString = """
        SELECT bp.person_id, b.case_id, b.escort FROM legs f JOIN bookings b ON b.id = f.booking_id JOIN cases c ON \
        c.id = b.case_id
        JOIN booking_passengers bp ON bp.booking_id = b.id
        WHERE f.seq = 1 AND f.departs_local >= \(bind: from) AND f.departs_local < \(bind: until) AND b.status = \
        'flown' AND c.programme = 'return'
        """
    func has(_ kind: String) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM vulnerabilities v WHERE v.case_id = d.case_id AND v.kind = '\(unsafeRaw: kind)')"
    }
    let row = try await one(
        """
        SELECT COUNT(DISTINCT d.person_id) AS departed, COUNT(DISTINCT CASE WHEN d.escort <> 'none' THEN d.person_id \
        END) AS escorted,
          COUNT(DISTINCT CASE WHEN \(has("unaccompanied_child")) THEN d.person_id END) AS children,
          COUNT(DISTINCT CASE WHEN \(has("trafficking")) THEN d.person_id END) AS trafficking,
          COUNT(DISTINCT CASE WHEN \(has("medical")) THEN d.person_id END) AS medical FROM (\(departed)) d
        """)
    for (k, c) in [
        ("departed", "departed"), ("escorted", "escorted"), ("unaccompanied_children_returned", "children"),
        ("trafficking_victims_assisted", "trafficking"), ("medical_needs_departed", "medical"),
    ] {
        out[k] = Double(try row.decode(column: c, as: Int.self))
    }
    out["countries_of_return"] = Double(
        try await one(
            """
            SELECT COUNT(DISTINCT rc.destination_country) AS n FROM (\(departed)) d JOIN return_cases rc ON \
            rc.case_id = d.case_id
            """
        ).decode(column: "n", as: Int.self))
    out["counselled"] = Double(
        try await one(
            """
            SELECT COUNT(DISTINCT c.person_id) AS n FROM counselling_sessions s JOIN cases c ON c.id = s.case_id
            WHERE s.held_on BETWEEN \(bind: from) AND \(bind: to) AND c.programme = 'return'
            """
        ).decode(column: "n", as: Int.self))
    for r in try await sql.raw(
        """
        SELECT kind, COUNT(*) AS n FROM outreach_activities WHERE held_on BETWEEN \(bind: from) AND \(bind: to) \
        GROUP BY kind
        """
    ).all() {
        out[try r.decode(column: "kind", as: String.self) + "s"] = Double(try r.decode(column: "n", as: Int.self))
    }
    out["grants"] = Double(
        try await one(
            """
            SELECT COUNT(*) AS n FROM grants WHERE created_at >= \
            \(bind: ReportPeriod.date(PartialDate(parsing: from)!)) AND created_at < \
            \(bind: ReportPeriod.date(PartialDate(parsing: until)!))
            """
        ).decode(column: "n", as: Int.self))
    out["travel_documents_obtained"] = Double(
        try await one(
            """
            SELECT COUNT(*) AS n FROM travel_document_requests WHERE status = 'issued' AND issued_on BETWEEN \
            \(bind: from) AND \(bind: to)
            """
        ).decode(column: "n", as: Int.self))
    let hubRow = try await one(
        """
        SELECT
          (SELECT COUNT(*) FROM legs l JOIN bookings b ON b.id = l.booking_id JOIN booking_passengers bp ON \
        bp.booking_id = b.id
            WHERE l.from_code = 'AMS' AND l.departs_local >= \(bind: from) AND l.departs_local < \(bind: until) AND \
        b.status <> 'cancelled' AND l.escort_only = \(false)
              AND NOT EXISTS (SELECT 1 FROM legs p WHERE p.booking_id = l.booking_id AND p.seq = l.seq - 1 AND \
        p.escort_only = \(false) AND p.to_code = 'AMS')) AS departures,
          (SELECT COUNT(*) FROM legs l JOIN bookings b ON b.id = l.booking_id JOIN booking_passengers bp ON \
        bp.booking_id = b.id
            WHERE l.to_code = 'AMS' AND l.arrives_local >= \(bind: from) AND l.arrives_local < \(bind: until) AND \
        b.status <> 'cancelled' AND l.escort_only = \(false)
              AND EXISTS (SELECT 1 FROM legs x WHERE x.booking_id = l.booking_id AND x.seq = l.seq + 1 AND \
        x.escort_only = \(false) AND x.from_code = 'AMS')) AS transits,
          (SELECT COUNT(*) FROM legs l JOIN bookings b ON b.id = l.booking_id JOIN booking_passengers bp ON \
        bp.booking_id = b.id
            WHERE l.to_code = 'AMS' AND l.arrives_local >= \(bind: from) AND l.arrives_local < \(bind: until) AND \
        b.status <> 'cancelled' AND l.escort_only = \(false)
              AND NOT EXISTS (SELECT 1 FROM legs x WHERE x.booking_id = l.booking_id AND x.seq = l.seq + 1 AND \
        x.escort_only = \(false) AND x.from_code = 'AMS')) AS arrivals
        """)
    out["airport_departures"] = Double(try hubRow.decode(column: "departures", as: Int.self))
    out["airport_transits"] = Double(try hubRow.decode(column: "transits", as: Int.self))
    out["airport_arrivals"] = Double(try hubRow.decode(column: "arrivals", as: Int.self))
    let co2 = try await one(
        """
        SELECT CAST(SUM(COALESCE(l.co2_grams_rf, 0) * CASE WHEN l.escort_only = \(true) THEN 1
          ELSE (SELECT COUNT(*) FROM booking_passengers bp WHERE bp.booking_id = b.id) + CASE WHEN b.escort <> 'none' \
        THEN 1 ELSE 0 END END) AS BIGINT) AS g
        FROM legs f JOIN bookings b ON b.id = f.booking_id JOIN legs l ON l.booking_id = b.id
        WHERE f.seq = 1 AND f.departs_local >= \(bind: from) AND f.departs_local < \(bind: until) AND b.status = 'flown'
        """)
    out["co2_tonnes_with_rf"] = Double(try co2.decode(column: "g", as: Int?.self) ?? 0) / 1_000_000
    out["carbon_credit_tonnes"] =
        Double(
            try await one(
                """
                SELECT CAST(SUM(kilograms) AS BIGINT) AS n FROM carbon_credits WHERE purchased_on BETWEEN \
                \(bind: from) AND \(bind: to)
                """
            ).decode(column: "n", as: Int?.self) ?? 0) / 1000
    return out
}

func bothPeriods(_ f: (String, String, String) async throws -> [String: Double]) async throws -> (
    now: [String: Double], before: [String: Double]
) {
    let p = try ReportPeriod.read(from: from, to: to, today: PartialDate(year: options.year, month: 12, day: 31)!)
    return (
        try await f(from, to, p.dayAfter),
        try await f(p.previous.from.isoText, p.previous.to.isoText, p.previous.dayAfter)
    )
}
func bareBothPeriods() async throws -> (now: [String: Double], before: [String: Double]) {
    try await bothPeriods(bareSQL)
}

// Warm both paths once, and check they agree on every figure the baseline computes.
let report = try await PassageServices.periodFigures(from: from, to: to, on: app)
let bare = try await bareBothPeriods()
let baseStart = ContinuousClock.now
let base = try await bothPeriods(fromBaseTables)
let baseMs = ms(ContinuousClock.now - baseStart)
var disagreements: [String] = []
for (name, other) in [("bare SQL", bare), ("the base tables", base)] {
    for (key, value) in other.now {
        guard let r = report[key] else { disagreements.append("\(key): not in the report"); continue }
        if abs(r.value - value) > 0.000_5 || abs(r.previous - (other.before[key] ?? 0)) > 0.000_5 {
            disagreements.append("\(key): report \(r.value)/\(r.previous), \(name) \(value)/\(other.before[key] ?? 0)")
        }
    }
}
say(
    "Figures for \(options.year) (previous year): "
        + [
            "counselled", "departed", "countries_of_return", "unaccompanied_children_returned",
            "medical_needs_departed",
            "grants", "travel_documents_obtained", "airport_departures", "airport_transits", "airport_arrivals",
            "co2_tonnes_with_rf",
        ]
        .map { k in
            "\(k) \(report[k].map { String(format: $0.value.rounded() == $0.value ? "%.0f (%.0f)" : "%.1f (%.1f)", $0.value, $0.previous) } ?? "?")"
        }.joined(separator: ", "))
say(
    disagreements.isEmpty
        ? "The report, the bare SQL and the base tables agree on all \(bare.now.count) figures."
        : "DISAGREE: " + disagreements.joined(separator: "; "))
say(String(format: "The same figures counted from the base tables (once, both periods): %.1f ms", baseMs))

// MARK: timing

var reportMs: [Double] = []
var bareMs: [Double] = []
for _ in 0..<options.runs {
    // Alternate, so that neither side profits from the other's warm cache more than its own.
    let a = ContinuousClock.now
    _ = try await PassageServices.periodFigures(from: from, to: to, on: app)
    reportMs.append(ms(ContinuousClock.now - a))
    let b = ContinuousClock.now
    _ = try await bareBothPeriods()
    bareMs.append(ms(ContinuousClock.now - b))
}

// The dashboard through HTTP, as a manager's browser asks for it.
let token = try await PassageServices.issueToken(
    username: "bench.manager.\(UInt32.random(in: 0...UInt32.max))", roles: [.manager], on: app)
/// Times pages over HTTP as a manager's browser asks for them; each page's first request warms up and is not counted.
func timePages(_ paths: [String], token: String) async throws -> [(path: String, ms: [Double], bytes: Int)] {
    let port = 58_190 + Int.random(in: 0..<100)
    try await app.server.start(address: .hostname("127.0.0.1", port: port))
    var out: [(path: String, ms: [Double], bytes: Int)] = []
    for path in paths {
        var times: [Double] = []
        var bytes = 0
        for i in 0...options.runs {
            let a = ContinuousClock.now
            let res = try await app.client.get(
                URI(string: "http://127.0.0.1:\(port)\(path)"), headers: ["Authorization": "Bearer \(token)"])
            guard res.status == .ok else { say("GET \(path) answered \(res.status)"); exit(1) }
            bytes = res.body?.readableBytes ?? 0
            if i > 0 { times.append(ms(ContinuousClock.now - a)) }
        }
        out.append((path, times, bytes))
    }
    await app.server.shutdown()
    return out
}
let pages = try await timePages(["/dashboard", "/reports/period?from=\(from)&to=\(to)"], token: token)

let ratio = median(reportMs) / median(bareMs)
say(
    String(
        format: "Period report %d (both periods), median of %d: %.1f ms; bare SQL %.1f ms; ratio %.2f", options.year,
        options.runs, median(reportMs), median(bareMs), ratio))
say(
    "  report runs: " + reportMs.map { String(format: "%.1f", $0) }.joined(separator: ", ") + " ms; SQL runs: "
        + bareMs.map { String(format: "%.1f", $0) }.joined(separator: ", ") + " ms")
for page in pages {
    say(
        String(
            format: "GET %@, median of %d: %.1f ms (%d bytes); runs: %@", page.path, page.ms.count, median(page.ms),
            page.bytes,
            page.ms.map { String(format: "%.1f", $0) }.joined(separator: ", ")))
}

if options.keep || options.reuse != nil {
    say(
        "Kept: "
            + (config.postgresSchema.map { "schema \($0)" }
                ?? (options.reuse ?? "the SQLite file under \(FileManager.default.temporaryDirectory.path)")))
} else if options.database == "postgres", let schema = config.postgresSchema {
    try await sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
}
try await app.asyncShutdown()
exit(disagreements.isEmpty ? 0 : 1)
