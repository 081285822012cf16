import Vapor
import Fluent
import SQLKit
import PassageDomain

/// The period figures as SQL aggregates: each figure is counted by the database, so a report over a caseload of
/// any size reads a handful of numbers, not the records. The same statements give the records behind a figure.
struct ReportQueries {
    let sql: any SQLDatabase
    /// First day, last day and the day after, as `YYYY-MM-DD`: local date-times (`2025-12-31T23:30`) sort inside.
    let from: String
    let to: String
    let until: String
    let hub: String

    init(_ p: ReportPeriod, hub: String, on db: any Database) {
        sql = db as! any SQLDatabase
        from = p.from.isoText; to = p.to.isoText; until = p.dayAfter; self.hub = hub
    }

    static let returnProgramme = Programme.voluntaryReturn.rawValue

    /// Passengers of return bookings flown whose first flight left on a local day of the period:
    /// one row per (person, case, booking), with the booking's escort.
    var departedRows: SQLQueryString {
        """
        SELECT bp.person_id AS person_id, b.case_id AS case_id, b.escort AS escort, f.departs_local AS departs_local
        FROM legs f JOIN bookings b ON b.id = f.booking_id JOIN cases c ON c.id = b.case_id JOIN booking_passengers bp ON bp.booking_id = b.id
        WHERE f.seq = 1 AND f.departs_local >= \(bind: from) AND f.departs_local < \(bind: until)
          AND b.status = \(bind: BookingStatus.flown.rawValue) AND c.programme = \(bind: Self.returnProgramme)
        """
    }

    static func hasVulnerability(_ kind: VulnerabilityKind) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM vulnerabilities v WHERE v.case_id = d.case_id AND v.kind = \(bind: kind.rawValue))"
    }

    /// The (person, case) rows behind a figure that counts distinct persons; nil for the other figures.
    func population(_ f: ReportFigure) -> SQLQueryString? {
        switch f {
        case .counselled:
            return """
                SELECT c.person_id AS person_id, s.case_id AS case_id FROM counselling_sessions s JOIN cases c ON c.id = s.case_id
                WHERE s.held_on >= \(bind: from) AND s.held_on <= \(bind: to) AND c.programme = \(bind: Self.returnProgramme)
                """
        case .departed: return "SELECT d.person_id, d.case_id FROM (\(departedRows)) d"
        case .escorted: return "SELECT d.person_id, d.case_id FROM (\(departedRows)) d WHERE d.escort <> \(bind: EscortKind.none.rawValue)"
        case .childrenReturned: return "SELECT d.person_id, d.case_id FROM (\(departedRows)) d WHERE \(Self.hasVulnerability(.unaccompaniedChild))"
        case .traffickingAssisted: return "SELECT d.person_id, d.case_id FROM (\(departedRows)) d WHERE \(Self.hasVulnerability(.trafficking))"
        case .medicalDeparted: return "SELECT d.person_id, d.case_id FROM (\(departedRows)) d WHERE \(Self.hasVulnerability(.medical))"
        case .grants: return "SELECT NULL AS person_id, g.case_id AS case_id FROM grants g WHERE \(grantsInPeriod)"
        default: return nil
        }
    }

    var grantsInPeriod: SQLQueryString {
        "g.created_at >= \(bind: ReportPeriod.date(PartialDate(parsing: from)!)) AND g.created_at < \(bind: ReportPeriod.date(PartialDate(parsing: until)!))"
    }

    func count(_ q: SQLQueryString) async throws -> Int {
        try await sql.raw("SELECT COUNT(DISTINCT p.person_id) AS n FROM (\(q)) p").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The cases behind a figure in the order of their references, at most `limit`, and how many there are.
    func cases(_ f: ReportFigure, limit: Int) async throws -> (ids: [UUID], total: Int) {
        guard let q = population(f) else { return ([], 0) }
        let total = try await number("SELECT COUNT(DISTINCT p.case_id) AS n FROM (\(q)) p")
        let ids = try await sql.raw("SELECT c.id AS id FROM cases c WHERE c.id IN (SELECT p.case_id FROM (\(q)) p) ORDER BY c.reference LIMIT \(literal: limit)")
            .all().map { try $0.decode(column: "id", as: UUID.self) }
        return (ids, total)
    }

    /// `(label, count)` rows of a grouped aggregate.
    func groups(_ q: SQLQueryString) async throws -> [String: Double] {
        var out: [String: Double] = [:]
        for row in try await sql.raw(q).all() {
            out[try row.decode(column: "label", as: String?.self) ?? "", default: 0] += Double(try row.decode(column: "n", as: Int.self))
        }
        return out
    }

    func number(_ q: SQLQueryString) async throws -> Int {
        try await sql.raw(q).first()?.decode(column: "n", as: Int?.self) ?? 0
    }

    /// Passengers of bookings not cancelled by how their itinerary passes the hub, on the hub's local days:
    /// leaving from it (no connection into it just before), connecting (arrival followed by a departure from it),
    /// ending at it (no departure from it next). Escorts' flights home are not the passengers' itinerary.
    func hubPassengers(_ type: MovementType) async throws -> Int {
        let passengers: SQLQueryString = "(SELECT COUNT(*) FROM booking_passengers x WHERE x.booking_id = l.booking_id)"
        func leg(_ rel: String, _ end: String) -> SQLQueryString {
            "EXISTS (SELECT 1 FROM legs o WHERE o.booking_id = l.booking_id AND o.seq = l.seq \(unsafeRaw: rel) 1 AND o.escort_only = \(false) AND o.\(unsafeRaw: end) = \(bind: hub))"
        }
        let live: SQLQueryString = "b.status <> \(bind: BookingStatus.cancelled.rawValue) AND l.escort_only = \(false)"
        let q: SQLQueryString
        switch type {
        case .departure:
            q = """
                SELECT \(passengers) AS n FROM legs l JOIN bookings b ON b.id = l.booking_id
                WHERE l.from_code = \(bind: hub) AND l.departs_local >= \(bind: from) AND l.departs_local < \(bind: until) AND \(live) AND NOT \(leg("-", "to_code"))
                """
        case .transit, .arrival:
            q = """
                SELECT \(passengers) AS n FROM legs l JOIN bookings b ON b.id = l.booking_id
                WHERE l.to_code = \(bind: hub) AND l.arrives_local >= \(bind: from) AND l.arrives_local < \(bind: until) AND \(live)
                  AND \(unsafeRaw: type == .transit ? "" : "NOT") \(leg("+", "from_code"))
                """
        }
        return try await number("SELECT CAST(COALESCE(SUM(t.n), 0) AS BIGINT) AS n FROM (\(q)) t")
    }

    /// Grams of CO2e of every booking flown in the period (all programmes), with and without the uplift:
    /// the passengers' flights for every passenger and the escort, the escort's flight home for the escort.
    func co2Grams() async throws -> (withRF: Int, withoutRF: Int) {
        let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(t.rf * t.travellers), 0) AS BIGINT) AS rf, CAST(COALESCE(SUM(t.g * t.travellers), 0) AS BIGINT) AS g FROM (
              SELECT COALESCE(l.co2_grams_rf, 0) AS rf, COALESCE(l.co2_grams, 0) AS g,
                CASE WHEN l.escort_only = \(true) THEN 1 ELSE (SELECT COUNT(*) FROM booking_passengers x WHERE x.booking_id = b.id)
                  + CASE WHEN b.escort <> \(bind: EscortKind.none.rawValue) THEN 1 ELSE 0 END END AS travellers
              FROM legs f JOIN bookings b ON b.id = f.booking_id JOIN legs l ON l.booking_id = b.id
              WHERE f.seq = 1 AND f.departs_local >= \(bind: from) AND f.departs_local < \(bind: until) AND b.status = \(bind: BookingStatus.flown.rawValue)
            ) t
            """).first()
        return (try row?.decode(column: "rf", as: Int.self) ?? 0, try row?.decode(column: "g", as: Int.self) ?? 0)
    }

    // MARK: tables and charts

    /// Return departures (every passenger of every flown booking: one who left twice counts twice)
    /// by the local month of the first flight (`2025-03`) and the passenger's nationality.
    func departuresByMonth() async throws -> [(month: String, nationality: String, n: Int)] {
        try await sql.raw("""
            SELECT t.month AS month, t.nationality AS nationality, COUNT(*) AS n FROM (
              SELECT SUBSTR(d.departs_local, 1, 7) AS month, p.nationality AS nationality FROM (\(departedRows)) d JOIN persons p ON p.id = d.person_id
            ) t GROUP BY t.month, t.nationality
            """).all().map { (try $0.decode(column: "month", as: String.self), try $0.decode(column: "nationality", as: String.self), try $0.decode(column: "n", as: Int.self)) }
    }

    /// Distinct persons departed per year of the period, those whose case has a reintegration grant and those without.
    func departedByYearAndGrant() async throws -> [(year: String, granted: Bool, n: Int)] {
        try await sql.raw("""
            SELECT t.year AS year, t.granted AS granted, COUNT(DISTINCT t.person_id) AS n FROM (
              SELECT SUBSTR(d.departs_local, 1, 4) AS year, d.person_id AS person_id,
                CASE WHEN EXISTS (SELECT 1 FROM grants g WHERE g.case_id = d.case_id) THEN 1 ELSE 0 END AS granted FROM (\(departedRows)) d
            ) t GROUP BY t.year, t.granted
            """).all().map { (try $0.decode(column: "year", as: String.self), try $0.decode(column: "granted", as: Int.self) == 1, try $0.decode(column: "n", as: Int.self)) }
    }

    /// Cases departed in the period with medical needs, by the condition's category.
    func medicalByCategory() async throws -> [MedicalCategory: Int] {
        var out: [MedicalCategory: Int] = [:]
        for row in try await sql.raw("""
            SELECT v.details AS details FROM vulnerabilities v
            WHERE v.kind = \(bind: VulnerabilityKind.medical.rawValue) AND v.case_id IN (SELECT d.case_id FROM (\(departedRows)) d)
            """).all() {
            let record = try? JSONDecoder().decode(MedicalRecord.self, from: Data(try row.decode(column: "details", as: String.self).utf8))
            out[record?.category ?? .other, default: 0] += 1
        }
        return out
    }

    /// Every figure of the period.
    func figures() async throws -> PeriodReport.Figures {
        var r = PeriodReport.Figures()
        for f in [ReportFigure.counselled, .departed, .escorted, .childrenReturned, .traffickingAssisted, .medicalDeparted] {
            r.values[f] = Double(try await count(population(f)!))
        }
        let outreach = try await groups("SELECT o.kind AS label, COUNT(*) AS n FROM outreach_activities o WHERE o.held_on >= \(bind: from) AND o.held_on <= \(bind: to) GROUP BY o.kind")
        r.values[.informationSessions] = outreach[OutreachKind.informationSession.rawValue] ?? 0
        r.values[.networkMeetings] = outreach[OutreachKind.networkMeeting.rawValue] ?? 0

        let countries = try await groups("""
            SELECT rc.destination_country AS label, COUNT(DISTINCT d.person_id) AS n FROM (\(departedRows)) d JOIN return_cases rc ON rc.case_id = d.case_id
            GROUP BY rc.destination_country
            """)
        r.values[.countriesOfReturn] = Double(countries.count)
        r.parts[.countriesOfReturn] = Dictionary(countries.map { (CountryCode.name($0.key), $0.value) }, uniquingKeysWith: +)

        let grants = try await groups("SELECT g.type AS label, COUNT(*) AS n FROM grants g WHERE \(grantsInPeriod) GROUP BY g.type")
        r.values[.grants] = grants.values.reduce(0, +)
        r.parts[.grants] = grants

        let documents = try await groups("""
            SELECT COALESCE(e.country, rc.destination_country) AS label, COUNT(*) AS n FROM travel_document_requests t
            JOIN partners e ON e.id = t.embassy_id LEFT JOIN return_cases rc ON rc.case_id = t.case_id
            WHERE t.status = \(bind: TravelDocumentStatus.issued.rawValue) AND t.issued_on >= \(bind: from) AND t.issued_on <= \(bind: to)
            GROUP BY COALESCE(e.country, rc.destination_country)
            """)
        r.values[.travelDocuments] = documents.values.reduce(0, +)
        r.parts[.travelDocuments] = Dictionary(documents.map { (CountryCode.name($0.key), $0.value) }, uniquingKeysWith: +)

        r.values[.airportDepartures] = Double(try await hubPassengers(.departure))
        r.values[.airportTransits] = Double(try await hubPassengers(.transit))
        r.values[.airportArrivals] = Double(try await hubPassengers(.arrival))

        let co2 = try await co2Grams()
        r.values[.co2WithRF] = Double(co2.withRF) / 1_000_000
        r.values[.co2WithoutRF] = Double(co2.withoutRF) / 1_000_000
        r.values[.credits] = Double(try await number(
            "SELECT CAST(SUM(k.kilograms) AS BIGINT) AS n FROM carbon_credits k WHERE k.purchased_on >= \(bind: from) AND k.purchased_on <= \(bind: to)")) / 1000
        return r
    }
}
