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

    static let definition = "departures: passengers of return bookings flown, by the month of the first flight's local departure day and the passenger's nationality"

    /// Return departures in a span of local days: (local day, person) for each passenger of each flown booking.
    static func departures(from: String, until: String, on db: any Database) async throws -> [(day: String, person: UUID)] {
        var out: [(String, UUID)] = []
        for b in try await Booking.flown(from: from, until: until, on: db) where b.caseRecord.programme == Programme.voluntaryReturn.rawValue {
            let day = String(b.passengerLegs[0].departsLocal.prefix(10))
            for p in b.passengers { out.append((day, p.$person.id)) }
        }
        return out
    }

    static func compute(year: Int, on db: any Database) async throws -> MonthlyStatistics {
        let months = (1...12).map { String(format: "%04d-%02d", year, $0) }
        let deps = try await departures(from: "\(year)-01-01", until: "\(year + 1)-01-01", on: db)
        let persons = try await Person.query(on: db).filter(\.$id ~~ Array(Set(deps.map(\.person)))).all()
        let nationality = Dictionary(uniqueKeysWithValues: persons.map { ($0.id!, $0.nationality) })
        var grid: [String: [Int]] = [:]
        for d in deps {
            let n = nationality[d.person] ?? CountryCode.unknown
            guard let m = Int(d.day.dropFirst(5).prefix(2)) else { continue }
            grid[n, default: Array(repeating: 0, count: 12)][m - 1] += 1
        }
        let rows = grid.map { Row(nationality: $0.key, name: CountryCode.name($0.key), months: $0.value, total: $0.value.reduce(0, +)) }
            .sorted { ($1.total, $0.name) < ($0.total, $1.name) }
        let totals = (0..<12).map { m in rows.reduce(0) { $0 + $1.months[m] } }
        return MonthlyStatistics(year: year, months: months, rows: rows, totals: totals, definition: definition)
    }

    var csv: String {
        var lines = [(["nationality", "country"] + months + ["total"]).joined(separator: ",")]
        for r in rows { lines.append(([r.nationality, CSVLine.field(r.name)] + r.months.map(String.init) + [String(r.total)]).joined(separator: ",")) }
        lines.append((["", "total"] + totals.map(String.init) + [String(totals.reduce(0, +))]).joined(separator: ","))
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    var xlsx: [UInt8] {
        var out: [[XLSX.Cell]] = [([XLSX.Cell.text("nationality"), .text("country")] + months.map { .text($0) } + [.text("total")])]
        for r in rows { out.append([.text(r.nationality), .text(r.name)] + r.months.map { .number(Double($0)) } + [.number(Double(r.total))]) }
        out.append([.text(""), .text("total")] + totals.map { .number(Double($0)) } + [.number(Double(totals.reduce(0, +)))])
        return XLSX.workbook(sheet: "Departures \(year)", rows: out)
    }

    static func year(_ raw: String?) throws -> Int {
        guard let raw, !raw.isEmpty else { return ReturnRecords.today().year }
        guard let y = Int(raw), (1990...2100).contains(y) else {
            throw ValidationErrors("year", "must be a year like 2025")
        }
        return y
    }
}

/// What the charts of the period report draw.
struct ReportCharts {
    var countries: [(label: String, value: Double)]
    var byMonth: [String]
    var departuresByMonth: [Double]
    var hubByMonth: [MovementType: [Double]]

    static func load(_ r: PeriodReport, hub: String, on db: any Database) async throws -> ReportCharts {
        let countries = (r.rows.first { $0.key == ReportFigure.countriesOfReturn.rawValue }?.breakdown ?? [])
            .filter { $0.value > 0 }.sorted { ($1.value, $0.label) < ($0.value, $1.label) }.prefix(15).map { (label: $0.label, value: $0.value) }
        var months: [String] = []
        var m = String(r.from.prefix(7))
        while m <= String(r.to.prefix(7)) && months.count < 240 { months.append(m); m = nextSpan(m) }
        let dayAfter = ReportPeriod(from: PartialDate(parsing: r.from)!, to: PartialDate(parsing: r.to)!).dayAfter
        let deps = try await MonthlyStatistics.departures(from: r.from, until: dayAfter, on: db)
        var perMonth = Array(repeating: 0.0, count: months.count)
        for d in deps { if let i = months.firstIndex(of: String(d.day.prefix(7))) { perMonth[i] += 1 } }
        var hubMonths: [MovementType: [Double]] = [:]
        for t in MovementType.allCases { hubMonths[t] = Array(repeating: 0, count: months.count) }
        for b in try await Booking.touching(hub, from: r.from, until: dayAfter, on: db) {
            for mv in b.movements(at: hub) where mv.day >= r.from && mv.day <= r.to {
                if let i = months.firstIndex(of: String(mv.day.prefix(7))) { hubMonths[mv.type]![i] += Double(b.passengers.count) }
            }
        }
        return ReportCharts(countries: Array(countries), byMonth: months, departuresByMonth: perMonth, hubByMonth: hubMonths)
    }
}
