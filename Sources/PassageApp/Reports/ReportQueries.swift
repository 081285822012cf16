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
    /// The period's first and the day after's first instant, on the office's calendar.
    let fromInstant: Date
    let untilInstant: Date

    init(_ p: ReportPeriod, hub: String, on db: any Database) {
        sql = db.sql
        from = p.from.isoText; to = p.to.isoText; until = p.dayAfter; self.hub = hub
        func instant(_ d: PartialDate) -> Date {
            OfficeCalendar.calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day))!
        }
        fromInstant = instant(p.from)
        untilInstant = instant(PartialDate(parsing: p.dayAfter)!)
    }

    static let returnProgramme = Programme.voluntaryReturn.rawValue

    /// Return migrants who left on a day of the period: passengers of flown bookings (the `departures` written when
    /// a booking is flown, by the local day of the first flight; one row per person and booking) and those whose
    /// departure was recorded by hand with how they left (`departures_without_flight`).
    var departedRows: SQLQueryString {
        """
        SELECT d.person_id AS person_id, d.case_id AS case_id, d.escorted AS escorted, d.day AS day,
          d.destination_country AS destination_country, d.nationality AS nationality, d.granted AS granted
        FROM departures d WHERE d.programme = \(bind: Self.returnProgramme) AND d.day >= \(bind: from) AND d.day <= \
        \(bind: to)
        UNION ALL
        SELECT w.person_id AS person_id, w.case_id AS case_id, \(false) AS escorted, w.day AS day,
          w.destination_country AS destination_country, w.nationality AS nationality, w.granted AS granted
        FROM departures_without_flight w
        WHERE w.programme = \(bind: Self.returnProgramme) AND w.day >= \(bind: from) AND w.day <= \(bind: to)
        """
    }

    /// Which of the departed a figure counts (`d` is a row of `departedRows`); nil for the figures that are not about
    /// them.
    static func departedPredicate(_ f: ReportFigure) -> SQLQueryString? {
        func has(_ kind: VulnerabilityKind) -> SQLQueryString {
            "d.case_id IN (SELECT v.case_id FROM vulnerabilities v WHERE v.kind = \(bind: kind.rawValue))"
        }
        switch f {
        case .departed: return "1 = 1"
        case .escorted: return "d.escorted = \(true)"
        case .childrenReturned: return has(.unaccompaniedChild)
        case .traffickingAssisted: return has(.trafficking)
        case .medicalDeparted: return has(.medical)
        default: return nil
        }
    }

    static let departedFigures: [ReportFigure] = [
        .departed, .escorted, .childrenReturned, .traffickingAssisted, .medicalDeparted,
    ]

    /// The (person, case) rows behind a figure that counts distinct persons; nil for the other figures.
    func population(_ f: ReportFigure) -> SQLQueryString? {
        if let p = Self.departedPredicate(f) {
            return "SELECT d.person_id, d.case_id FROM (\(departedRows)) d WHERE \(p)"
        }
        switch f {
        case .counselled:
            return
                """
                SELECT s.person_id AS person_id, s.case_id AS case_id FROM counselling_sessions s WHERE s.held_on \
                >= \(bind: from) AND s.held_on <= \(bind: to)
                """
        case .grants: return "SELECT NULL AS person_id, g.case_id AS case_id FROM grants g WHERE \(grantsInPeriod)"
        case .dnaSamples:
            return
                """
                SELECT m.person_id AS person_id, r.case_id AS case_id FROM fr_samples s JOIN fr_members m ON m.id = \
                s.member_id JOIN fr_referrals r ON r.id = s.referral_id WHERE \(samplesInPeriod)
                """
        case .interviewsHeld:
            return
                """
                SELECT m.person_id AS person_id, r.case_id AS case_id FROM fr_interviews i JOIN fr_appointments a ON \
                a.id = i.appointment_id JOIN fr_members m ON m.id = a.member_id JOIN fr_referrals r ON r.id = \
                a.referral_id WHERE \(interviewsInPeriod)
                """
        case .resettled:
            return
                """
                SELECT bp.person_id AS person_id, r.case_id AS case_id FROM rs_movement_households h JOIN rs_movements \
                mv ON mv.id = h.movement_id JOIN rs_referrals r ON r.id = h.referral_id JOIN booking_passengers bp ON \
                bp.booking_id = h.booking_id WHERE \(arrivedInPeriod)
                """
        default: return nil
        }
    }

    var arrivedInPeriod: SQLQueryString {
        "mv.arrived_at >= \(bind: fromInstant) AND mv.arrived_at < \(bind: untilInstant)"
    }

    var samplesInPeriod: SQLQueryString {
        "s.collected_at >= \(bind: fromInstant) AND s.collected_at < \(bind: untilInstant)"
    }

    var interviewsInPeriod: SQLQueryString {
        """
        i.outcome = \(bind: InterviewOutcome.held.rawValue) AND a.starts_at >= \(bind: fromInstant) AND a.starts_at < \
        \(bind: untilInstant)
        """
    }

    /// DNA samples collected and interviews held in the period, by the centre's name.
    func reunificationByLocation() async throws -> [(label: String, dna: Double, interviews: Double)] {
        let dna = try await groups(
            """
            SELECT l.name AS label, COUNT(*) AS n FROM fr_samples s JOIN fr_referrals r ON r.id = s.referral_id \
            JOIN fr_centres c ON c.id = r.centre_id JOIN locations l ON l.id = c.location_id WHERE \
            \(samplesInPeriod) GROUP BY l.name
            """)
        let vc = try await groups(
            """
            SELECT l.name AS label, COUNT(*) AS n FROM fr_interviews i JOIN fr_appointments a ON a.id = \
            i.appointment_id JOIN fr_centres c ON c.id = a.centre_id JOIN locations l ON l.id = c.location_id \
            WHERE \(interviewsInPeriod) GROUP BY l.name
            """)
        return Set(dna.keys).union(vc.keys).sorted().map { (label: $0, dna: dna[$0] ?? 0, interviews: vc[$0] ?? 0) }
    }

    var grantsInPeriod: SQLQueryString {
        "g.granted_on >= \(bind: from) AND g.granted_on <= \(bind: to)"
    }

    func count(_ q: SQLQueryString) async throws -> Int {
        try await sql.raw("SELECT COUNT(DISTINCT p.person_id) AS n FROM (\(q)) p").first()?.decode(
            column: "n", as: Int.self) ?? 0
    }

    /// The cases behind a figure in the order of their references, at most `limit`, and how many there are.
    func cases(_ f: ReportFigure, limit: Int) async throws -> (ids: [UUID], total: Int) {
        guard let q = population(f) else { return ([], 0) }
        let total = try await number("SELECT COUNT(DISTINCT p.case_id) AS n FROM (\(q)) p")
        let ids = try await sql.raw(
            """
            SELECT c.id AS id FROM cases c WHERE c.id IN (SELECT p.case_id FROM (\(q)) p) ORDER BY c.reference \
            LIMIT \(literal: limit)
            """
        )
        .all().map { try $0.decode(column: "id", as: UUID.self) }
        return (ids, total)
    }

    /// `(label, count)` rows of a grouped aggregate.
    func groups(_ q: SQLQueryString) async throws -> [String: Double] {
        var out: [String: Double] = [:]
        for row in try await sql.raw(q).all() {
            out[try row.decode(column: "label", as: String?.self) ?? "", default: 0] += Double(
                try row.decode(column: "n", as: Int.self))
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
        try await hubPassengersByMonth(type, grouped: false)[""] ?? 0
    }

    /// The same by the hub's local month (`2025-03`), or in all under `""`.
    func hubPassengersByMonth(_ type: MovementType, grouped: Bool = true) async throws -> [String: Int] {
        let live: SQLQueryString = "l.escort_only = \(false) AND l.cancelled = \(false)"
        let q: SQLQueryString
        switch type {
        case .departure:
            q = """
                FROM legs l WHERE l.from_code = \(bind: hub) AND l.departs_local >= \(bind: from) AND l.departs_local \
                < \(bind: until) AND \(live)
                  AND (l.prev_to IS NULL OR l.prev_to <> \(bind: hub))
                """
        case .transit:
            q = """
                FROM legs l WHERE l.to_code = \(bind: hub) AND l.arrives_local >= \(bind: from) AND l.arrives_local < \
                \(bind: until) AND \(live)
                  AND l.next_from = \(bind: hub)
                """
        case .arrival:
            q = """
                FROM legs l WHERE l.to_code = \(bind: hub) AND l.arrives_local >= \(bind: from) AND l.arrives_local < \
                \(bind: until) AND \(live)
                  AND (l.next_from IS NULL OR l.next_from <> \(bind: hub))
                """
        }
        let day: SQLQueryString = type == .departure ? "l.departs_local" : "l.arrives_local"
        var out: [String: Int] = [:]
        let month: SQLQueryString = grouped ? "SUBSTR(\(day), 1, 7)" : "''"
        let groups: SQLQueryString = grouped ? "GROUP BY \(month)" : ""
        for row in try await sql.raw(
            "SELECT \(month) AS month, CAST(COALESCE(SUM(l.passengers), 0) AS BIGINT) AS n \(q) \(groups)"
        ).all() {
            out[try row.decode(column: "month", as: String.self), default: 0] += try row.decode(
                column: "n", as: Int.self)
        }
        return out
    }

    /// Grams of CO2e of every booking flown in the period (all programmes), with and without the uplift,
    /// as fixed on each booking when it was flown.
    func co2Grams() async throws -> (withRF: Int, withoutRF: Int) {
        let row = try await sql.raw(
            """
            SELECT CAST(COALESCE(SUM(b.co2_total_rf), 0) AS BIGINT) AS rf, CAST(COALESCE(SUM(b.co2_total), 0) AS \
            BIGINT) AS g FROM bookings b
            WHERE b.status = \(bind: BookingStatus.flown.rawValue) AND b.first_day >= \(bind: from) AND b.first_day <= \
            \(bind: to)
            """
        ).first()
        return (try row?.decode(column: "rf", as: Int.self) ?? 0, try row?.decode(column: "g", as: Int.self) ?? 0)
    }

    // MARK: tables and charts

    /// Return departures (every passenger of every flown booking: one who left twice counts twice)
    /// by the local month of the first flight (`2025-03`) and the passenger's nationality.
    func departuresByMonth() async throws -> [(month: String, nationality: String, n: Int)] {
        try await sql.raw(
            """
            SELECT t.month AS month, t.nationality AS nationality, COUNT(*) AS n FROM (
              SELECT SUBSTR(d.day, 1, 7) AS month, d.nationality AS nationality FROM (\(departedRows)) d
            ) t GROUP BY t.month, t.nationality
            """
        ).all().map {
            (
                try $0.decode(column: "month", as: String.self), try $0.decode(column: "nationality", as: String.self),
                try $0.decode(column: "n", as: Int.self)
            )
        }
    }

    /// Return departures (every passenger of every flown booking) by local month of the first flight, those whose case
    /// has
    /// a reintegration grant and those without.
    func departuresByMonthAndGrant() async throws -> [(month: String, granted: Bool, n: Int)] {
        try await sql.raw(
            """
            SELECT t.month AS month, t.granted AS granted, COUNT(*) AS n FROM (
              SELECT SUBSTR(d.day, 1, 7) AS month, CASE WHEN d.granted = \(true) THEN 1 ELSE 0 END AS granted FROM \
            (\(departedRows)) d
            ) t GROUP BY t.month, t.granted
            """
        ).all().map {
            (
                try $0.decode(column: "month", as: String.self), try $0.decode(column: "granted", as: Int.self) == 1,
                try $0.decode(column: "n", as: Int.self)
            )
        }
    }

    /// Cases departed in the period with medical needs, by the condition's category.
    func medicalByCategory() async throws -> [MedicalCategory: Int] {
        var out: [MedicalCategory: Int] = [:]
        for row in try await sql.raw(
            """
            SELECT v.details AS details FROM vulnerabilities v
            WHERE v.kind = \(bind: VulnerabilityKind.medical.rawValue) AND v.case_id IN (SELECT d.case_id FROM \
            (\(departedRows)) d)
            """
        ).all() {
            let record = try? JSONDecoder().decode(
                MedicalRecord.self,
                from: Data(FieldCipher.open(try row.decode(column: "details", as: String.self)).utf8))
            out[record?.category ?? .other, default: 0] += 1
        }
        return out
    }

    /// Every figure of the period.
    func figures() async throws -> PeriodReport.Figures {
        var r = PeriodReport.Figures()
        r.values[.counselled] = Double(try await count(population(.counselled)!))
        // The figures about the departed in one pass over them, each with its own predicate.
        let columns = Self.departedFigures.enumerated().map { i, f -> SQLQueryString in
            "COUNT(DISTINCT CASE WHEN \(Self.departedPredicate(f)!) THEN d.person_id END) AS \(ident: "f\(i)")"
        }.joined(separator: ", ")
        if let row = try await sql.raw("SELECT \(columns) FROM (\(departedRows)) d").first() {
            for (i, f) in Self.departedFigures.enumerated() {
                r.values[f] = Double(try row.decode(column: "f\(i)", as: Int.self))
            }
        }
        let outreach = try await groups(
            """
            SELECT o.kind AS label, COUNT(*) AS n FROM outreach_activities o WHERE o.held_on >= \(bind: from) AND \
            o.held_on <= \(bind: to) GROUP BY o.kind
            """
        )
        r.values[.informationSessions] = outreach[OutreachKind.informationSession.rawValue] ?? 0
        r.values[.networkMeetings] = outreach[OutreachKind.networkMeeting.rawValue] ?? 0

        let countries = try await groups(
            """
            SELECT d.destination_country AS label, COUNT(DISTINCT d.person_id) AS n FROM (\(departedRows)) d GROUP BY \
            d.destination_country
            """)
        r.values[.countriesOfReturn] = Double(countries.count)
        r.parts[.countriesOfReturn] = Dictionary(
            countries.map { (CountryCode.name($0.key), $0.value) }, uniquingKeysWith: +)

        let grants = try await groups(
            "SELECT g.type AS label, COUNT(*) AS n FROM grants g WHERE \(grantsInPeriod) GROUP BY g.type")
        r.values[.grants] = grants.values.reduce(0, +)
        r.parts[.grants] = grants

        let documents = try await groups(
            """
            SELECT e.country AS label, COUNT(*) AS n FROM travel_document_requests t JOIN partners e ON e.id = \
            t.embassy_id
            WHERE t.issued_on >= \(bind: from) AND t.issued_on <= \(bind: to) AND t.status = \
            \(bind: TravelDocumentStatus.issued.rawValue)
            GROUP BY e.country
            """)
        r.values[.travelDocuments] = documents.values.reduce(0, +)
        r.parts[.travelDocuments] = Dictionary(
            documents.map { (CountryCode.name($0.key), $0.value) }, uniquingKeysWith: +)

        r.values[.airportDepartures] = Double(try await hubPassengers(.departure))
        r.values[.airportTransits] = Double(try await hubPassengers(.transit))
        r.values[.airportArrivals] = Double(try await hubPassengers(.arrival))

        let co2 = try await co2Grams()
        r.values[.co2WithRF] = Double(co2.withRF) / 1_000_000
        r.values[.co2WithoutRF] = Double(co2.withoutRF) / 1_000_000
        r.values[.credits] =
            Double(
                try await number(
                    """
                    SELECT CAST(SUM(k.kilograms) AS BIGINT) AS n FROM carbon_credits k WHERE k.purchased_on >= \
                    \(bind: from) AND k.purchased_on <= \(bind: to)
                    """
                )) / 1000
        try await reunification(&r)
        return r
    }

    /// The family reunification figures.
    func reunification(_ r: inout PeriodReport.Figures) async throws {
        for (figure, q) in [
            (ReportFigure.dnaSamples, population(.dnaSamples)!), (.interviewsHeld, population(.interviewsHeld)!),
        ] {
            let byNationality = try await groups(
                """
                SELECT p.nationality AS label, COUNT(*) AS n FROM (\(q)) x JOIN persons p ON p.id = x.person_id \
                GROUP BY p.nationality
                """)
            r.values[figure] = byNationality.values.reduce(0, +)
            r.parts[figure] = Dictionary(
                byNationality.map { (CountryCode.name($0.key), $0.value) }, uniquingKeysWith: +)
        }
        if let row = try await sql.raw(
            """
            SELECT COUNT(*) AS families, CAST(SUM(v.persons) AS BIGINT) AS persons FROM fr_visa_assistance v \
            WHERE v.day >= \
            \(bind: from) AND v.day <= \(bind: to)
            """
        ).first() {
            r.values[.visaFamilies] = Double(try row.decode(column: "families", as: Int.self))
            r.values[.visaPersons] = Double(try row.decode(column: "persons", as: Int?.self) ?? 0)
        }
        try await resettlement(&r)
        try await visaCentre(&r)
        try await diaspora(&r)
        try await projects(&r)
        r.values[.mileageTravellers] = Double(
            try await number(
                """
                SELECT COUNT(DISTINCT e.person_id) AS n FROM fr_mileage_entries e WHERE e.kind = \
                \(bind: MileageEntryKind.ticket.rawValue) AND e.day >= \(bind: from) AND e.day <= \(bind: to)
                """))
    }

    /// The resettlement figures: arrivals by the country the movement left from, missions and orientation.
    func resettlement(_ r: inout PeriodReport.Figures) async throws {
        let byCountry = try await groups(
            """
            SELECT x.country AS label, COUNT(DISTINCT x.person_id) AS n FROM (SELECT mv.from_country AS country, \
            bp.person_id AS person_id FROM rs_movement_households h JOIN rs_movements mv ON mv.id = h.movement_id \
            JOIN booking_passengers bp ON bp.booking_id = h.booking_id WHERE \(arrivedInPeriod)) x GROUP BY x.country
            """)
        r.values[.resettled] = Double(try await count(population(.resettled)!))
        r.parts[.resettled] = Dictionary(byCountry.map { (CountryCode.name($0.key), $0.value) }, uniquingKeysWith: +)
        let households: SQLQueryString =
            "FROM rs_movement_households h JOIN rs_movements mv ON mv.id = h.movement_id WHERE \(arrivedInPeriod)"
        r.values[.resettledHouseholds] = Double(try await number("SELECT COUNT(*) AS n \(households)"))
        r.values[.medicalEscorts] = Double(
            try await number("SELECT COUNT(*) AS n \(households) AND h.medical_escort = \(true)"))
        r.values[.selectionMissions] = Double(
            try await number(
                """
                SELECT COUNT(*) AS n FROM rs_missions m WHERE m.starts_on >= \(bind: from) AND m.starts_on <= \
                \(bind: to)
                """
            ))
        let sessions: SQLQueryString = "s.starts_on >= \(bind: from) AND s.starts_on <= \(bind: to)"
        r.values[.orientationSessions] = Double(
            try await number("SELECT COUNT(*) AS n FROM rs_pdo_sessions s WHERE \(sessions)"))
        r.values[.orientationParticipants] = Double(
            try await number(
                """
                SELECT COUNT(DISTINCT a.person_id) AS n FROM rs_pdo_attendance a JOIN rs_pdo_sessions s ON s.id = \
                a.session_id WHERE \(sessions)
                """))
    }

    /// The visa centre's figures: applications by visa type, passports returned, and how long that took.
    func visaCentre(_ r: inout PeriodReport.Figures) async throws {
        let byType = try await groups(
            """
            SELECT a.visa_type AS label, COUNT(*) AS n FROM kv_applications a WHERE a.received_on >= \(bind: from) \
            AND a.received_on <= \(bind: to) GROUP BY a.visa_type
            """)
        r.values[.visaApplications] = byType.reduce(0) { $0 + $1.value }
        r.parts[.visaApplications] = Dictionary(
            byType.map { (KoreanVisaType(rawValue: $0.key).map(\.label) ?? $0.key, $0.value) }, uniquingKeysWith: +)
        let returned = try await sql.raw(
            """
            SELECT a.received_on AS received, a.returned_on AS returned FROM kv_applications a WHERE \
            a.returned_on >= \(bind: from) AND a.returned_on <= \(bind: to)
            """
        ).all()
        var days: [Int] = []
        for row in returned {
            guard let a = PartialDate(parsing: try row.decode(column: "received", as: String.self)),
                let b = PartialDate(parsing: try row.decode(column: "returned", as: String.self))
            else { continue }
            days.append(PartialDate.days(from: a, to: b))
        }
        r.values[.visaPassportsReturned] = Double(days.count)
        r.values[.visaProcessingDays] = Double(VisaCentreRules.median(days))
    }

    /// Visa applications taken in, by month.
    func visaApplicationsByMonth() async throws -> [String: Double] {
        try await groups(
            """
            SELECT SUBSTR(a.received_on, 1, 7) AS label, COUNT(*) AS n FROM kv_applications a WHERE \
            a.received_on >= \(bind: from) AND a.received_on <= \(bind: to) GROUP BY SUBSTR(a.received_on, 1, 7)
            """)
    }

    /// The diaspora figures: assignments that began in the period by where they were done, their experts and hosts.
    func diaspora(_ r: inout PeriodReport.Figures) async throws {
        let began: SQLQueryString = """
            FROM dp_assignments a WHERE a.status <> \(bind: AssignmentStatus.cancelled.rawValue) AND a.starts_on >= \
            \(bind: from) AND a.starts_on <= \(bind: to)
            """
        let byMode = try await groups("SELECT a.mode AS label, COUNT(*) AS n \(began) GROUP BY a.mode")
        r.values[.diasporaAssignments] = byMode.reduce(0) { $0 + $1.value }
        r.parts[.diasporaAssignments] = Dictionary(
            byMode.map { ($0.key == AssignmentMode.online.rawValue ? "online" : "in the country", $0.value) },
            uniquingKeysWith: +)
        r.values[.diasporaExperts] = Double(try await number("SELECT COUNT(DISTINCT a.expert_id) AS n \(began)"))
        r.values[.diasporaHosts] = Double(try await number("SELECT COUNT(DISTINCT a.institution_id) AS n \(began)"))
    }

    /// Project events held in the period by kind, and their participants by group.
    func projects(_ r: inout PeriodReport.Figures) async throws {
        let held: SQLQueryString = "e.day >= \(bind: from) AND e.day <= \(bind: to)"
        let byKind = try await groups(
            "SELECT e.kind AS label, COUNT(*) AS n FROM pj_events e WHERE \(held) GROUP BY e.kind")
        r.values[.projectEvents] = byKind.reduce(0) { $0 + $1.value }
        r.parts[.projectEvents] = Dictionary(
            byKind.map { ($0.key.replacingOccurrences(of: "_", with: " "), $0.value) }, uniquingKeysWith: +)
        let byGroup = try await groups(
            """
            SELECT c.participant_group AS label, CAST(SUM(c.count) AS BIGINT) AS n FROM pj_event_participants c JOIN \
            pj_events e ON e.id = c.event_id WHERE \(held) GROUP BY c.participant_group
            """)
        r.values[.projectParticipants] = byGroup.reduce(0) { $0 + $1.value }
        r.parts[.projectParticipants] = Dictionary(
            byGroup.map { ($0.key.replacingOccurrences(of: "_", with: " "), $0.value) }, uniquingKeysWith: +)
    }
}
