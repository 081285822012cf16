import Vapor
import Fluent
import PassageDomain

/// Departures by month and nationality, as the office publishes them every month.
struct MonthlyStatistics: Content {
    struct Row: Content { var nationality: String; var name: String; var months: [Int]; var total: Int }
    var year: Int
    var months: [String]
    var rows: [Row]
    var totals: [Int]
    var definition: String

    static let definition =
        "departures: passengers of return bookings flown, by the month of the first flight's local departure day and the passenger's nationality as recorded when the booking was flown"

    static func compute(year: Int, on db: any Database) async throws -> MonthlyStatistics {
        let months = (1...12).map { String(format: "%04d-%02d", year, $0) }
        let p = ReportPeriod(
            from: PartialDate(year: year, month: 1, day: 1)!, to: PartialDate(year: year, month: 12, day: 31)!)
        var grid: [String: [Int]] = [:]
        for d in try await ReportQueries(p, hub: "", on: db).departuresByMonth() {
            guard let m = Int(d.month.suffix(2)), (1...12).contains(m) else { continue }
            grid[d.nationality, default: Array(repeating: 0, count: 12)][m - 1] += d.n
        }
        let rows = grid.map {
            Row(nationality: $0.key, name: CountryCode.name($0.key), months: $0.value, total: $0.value.reduce(0, +))
        }
        .sorted { ($1.total, $0.name) < ($0.total, $1.name) }
        let totals = (0..<12).map { m in rows.reduce(0) { $0 + $1.months[m] } }
        return MonthlyStatistics(year: year, months: months, rows: rows, totals: totals, definition: definition)
    }

    /// The grid as a file: a row per nationality and a row of totals.
    var table: ReportTable {
        var t = ReportTable(
            sheet: "Departures \(year)", rows: [.texts(["nationality", "country"] + months + ["total"])])
        for r in rows { t.add(.texts([r.nationality, r.name]) + .counts(r.months + [r.total])) }
        t.add(.texts(["", "total"]) + .counts(totals + [totals.reduce(0, +)]))
        return t
    }

    static func year(_ raw: String?) throws -> Int {
        guard let raw, !raw.isEmpty else { return Clock.today().year }
        guard let y = Int(raw), (1990...2100).contains(y) else {
            throw ValidationErrors("year", "must be a year like 2025")
        }
        return y
    }
}

/// What the charts of the period report draw.
struct ReportCharts {
    /// Years drawn in the charts by year: the period's last year and those before it.
    static let years = 10

    var countries: [(label: String, value: Double)]
    var byMonth: [String]
    var departuresByMonth: [Double]
    var hubByMonth: [MovementType: [Double]]
    var years: [String]
    var departuresByYear: [Double]
    var withGrant: [Double]
    var withoutGrant: [Double]
    /// Nil when the viewer may not read medical records.
    var medical: [(label: MedicalCategory, value: Double)]?
    /// DNA samples collected and interviews held by centre, and the three nationalities sampled most.
    var reunification: [(label: String, dna: Double, interviews: Double)] = []
    var dnaNationalities: [(label: String, value: Double)] = []
    /// Refugees resettled by the country their movement left from, most first.
    var resettledByCountry: [(label: String, value: Double)] = []
    /// Visa applications taken in, by month of the period.
    var visaByMonth: [Double] = []

    static func load(_ r: PeriodReport, hub: String, medical: Bool, on db: any Database) async throws -> ReportCharts {
        let countries = (r.rows.first { $0.key == ReportFigure.countriesOfReturn.rawValue }?.breakdown ?? [])
            .filter { $0.value > 0 }.sorted { ($1.value, $0.label) < ($0.value, $1.label) }.prefix(15).map {
                (label: $0.label, value: $0.value)
            }
        var months: [String] = []
        var m = String(r.from.prefix(7))
        while m <= String(r.to.prefix(7)) && months.count < 240 { months.append(m); m = nextSpan(m) }
        let period = ReportPeriod(from: PartialDate(parsing: r.from)!, to: PartialDate(parsing: r.to)!)
        let queries = ReportQueries(period, hub: hub, on: db)
        var perMonth = Array(repeating: 0.0, count: months.count)
        for d in try await queries.departuresByMonth() {
            if let i = months.firstIndex(of: d.month) { perMonth[i] += Double(d.n) }
        }
        // One pass over the departures of the ten years up to the period's last: by year, with and without a grant.
        let last = period.to.year
        let years = (last - Self.years + 1...last).map(String.init)
        let span = ReportQueries(
            ReportPeriod(from: PartialDate(year: last - Self.years + 1, month: 1, day: 1)!, to: period.to), hub: hub,
            on: db)
        var byYear = Array(repeating: 0.0, count: years.count)
        var with = byYear
        var without = byYear
        for d in try await span.departuresByMonthAndGrant() {
            guard let y = years.firstIndex(of: String(d.month.prefix(4))) else { continue }
            byYear[y] += Double(d.n)
            if d.granted { with[y] += Double(d.n) } else { without[y] += Double(d.n) }
        }
        var hubMonths: [MovementType: [Double]] = [:]
        for t in MovementType.allCases { hubMonths[t] = Array(repeating: 0, count: months.count) }
        for t in MovementType.allCases {
            for (month, n) in try await queries.hubPassengersByMonth(t) {
                if let i = months.firstIndex(of: month) { hubMonths[t]![i] += Double(n) }
            }
        }
        let conditions = medical ? try await queries.medicalByCategory() : nil
        let dna = (r.rows.first { $0.key == ReportFigure.dnaSamples.rawValue }?.breakdown ?? [])
            .filter { $0.value > 0 }.sorted { ($1.value, $0.label) < ($0.value, $1.label) }.prefix(3)
            .map { (label: $0.label, value: $0.value) }
        var charts = ReportCharts(
            countries: Array(countries), byMonth: months, departuresByMonth: perMonth, hubByMonth: hubMonths,
            years: years, departuresByYear: byYear, withGrant: with, withoutGrant: without,
            medical: conditions.map { c in MedicalCategory.allCases.map { (label: $0, value: Double(c[$0] ?? 0)) } })
        charts.reunification = try await queries.reunificationByLocation()
        charts.dnaNationalities = Array(dna)
        let visa = try await queries.visaApplicationsByMonth()
        charts.visaByMonth = months.map { visa[$0] ?? 0 }
        charts.resettledByCountry = (r.rows.first { $0.key == ReportFigure.resettled.rawValue }?.breakdown ?? [])
            .filter { $0.value > 0 }.sorted { ($1.value, $0.label) < ($0.value, $1.label) }
            .map { (label: $0.label, value: $0.value) }
        return charts
    }
}
