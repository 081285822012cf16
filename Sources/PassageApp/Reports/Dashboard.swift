import Vapor
import Fluent
import SQLKit
import PassageDomain

/// The managers' live view of the caseload: every number links to the records behind it.
struct Dashboard: Content {
    struct Count: Content { var label: String; var count: Int; var link: String }
    struct Upcoming: Content {
        var bookingID: UUID; var departsLocal: String; var route: String; var passengers: Int; var status: String
    }
    struct EmbassyRequests: Content { var embassyID: UUID; var embassy: String; var open: Int; var oldestDays: Int }
    struct OpenGrant: Content {
        var caseID: UUID; var reference: String; var type: String; var amount: String; var outstanding: String
    }

    var byProgramme: [Count]
    var byStage: [Count]
    var byOwner: [Count]
    var byOffice: [Count]
    var departuresThisMonth: Count
    var departuresLastMonth: Count
    var departuresSameMonthLastYear: Count
    var upcoming: [Upcoming]
    var travelDocuments: [EmbassyRequests]
    /// The oldest grants with payments outstanding.
    var grantsOutstanding: [OpenGrant]
    var grantsOutstandingCount: Int
    var smsFailures: Int
    var webhookFailures: Int

    /// A calendar month as a report period (a month before January is December of the year before).
    static func month(_ year: Int, _ month: Int) -> ReportPeriod {
        var y = year
        var m = month
        while m < 1 { m += 12; y -= 1 }
        let first = PartialDate(year: y, month: m, day: 1)!
        let next = PartialDate(parsing: nextSpan(String(first.isoText.prefix(7))) + "-01")!
        return ReportPeriod(from: first, to: ReportPeriod.day(ReportPeriod.date(next).addingTimeInterval(-86_400)))
    }

    /// Grants listed on the dashboard, oldest first; the count says how many there are in all.
    static let grantsListed = 50

    static func load(on db: any Database) async throws -> Dashboard {
        let sql = db.sql
        let openStatus: SQLQueryString =
            "c.status IN (\(bind: CaseStatus.open.rawValue), \(bind: CaseStatus.onHold.rawValue))"
        /// `(key, label, n)` rows, largest first.
        func counts(_ q: SQLQueryString, link: (String?) -> String) async throws -> [Count] {
            try await sql.raw(q).all().map { row in
                let key = try row.decode(column: "k", as: String?.self)
                return Count(
                    label: try row.decode(column: "label", as: String?.self) ?? "—",
                    count: try row.decode(column: "n", as: Int.self), link: link(key))
            }.sorted { ($1.count, $0.label) < ($0.count, $1.label) }
        }
        let byProgramme = try await counts(
            """
            SELECT c.programme AS k, c.programme AS label, COUNT(*) AS n FROM cases c WHERE \(openStatus) GROUP BY \
            c.programme
            """
        ) {
            "/cases?programme=\($0 ?? "")&status=open"
        }
        /// Open cases by a column naming another record, labelled with that record's name, linking to the filtered case
        /// list.
        func byRecord(_ column: String, _ table: String, _ name: String, filter: String) async throws -> [Count] {
            try await counts(
                """
                SELECT t.k AS k, x.\(ident: name) AS label, t.n AS n FROM (SELECT c.\(ident: column) AS k, COUNT(*) AS \
                n FROM cases c WHERE \(openStatus) GROUP BY c.\(ident: column)) t
                LEFT JOIN \(ident: table) x ON x.id = t.k
                """
            ) { $0.map { "/cases?\(filter)=\($0.uppercased())&status=open" } ?? "/cases?status=open" }
        }
        let byOwner = try await byRecord("owner_id", "users", "display_name", filter: "owner")
        let byOffice = try await byRecord("office_location_id", "locations", "name", filter: "location")
        // From the open return cases to their stage, one lookup each: the other way round reads every return case.
        let stages = try await counts(
            """
            SELECT t.stage AS k, t.stage AS label, COUNT(*) AS n FROM (
              SELECT (SELECT r.stage FROM return_cases r WHERE r.case_id = c.id) AS stage FROM cases c
              WHERE \(openStatus) AND c.programme = \(bind: Programme.voluntaryReturn.rawValue)
            ) t WHERE t.stage IS NOT NULL GROUP BY t.stage
            """
        ) { "/return?owner=all&stage=\($0 ?? "")" }
        let byStage = ReturnStage.allCases.compactMap { s in stages.first { $0.label == s.rawValue } }

        let today = Clock.today()
        func departures(_ p: ReportPeriod) async throws -> Count {
            let q = ReportQueries(p, hub: "", on: db)
            return Count(
                label: String(p.from.isoText.prefix(7)), count: try await q.count(q.population(.departed)!),
                link: "/reports/period?from=\(p.from.isoText)&to=\(p.to.isoText)#fig-departed")
        }
        let thisMonth = try await departures(month(today.year, today.month ?? 1))
        let lastMonth = try await departures(month(today.year, (today.month ?? 1) - 1))
        let lastYear = try await departures(month(today.year - 1, today.month ?? 1))

        let soon = try await Booking.query(on: db).filter(\.$status ~~ [BookingStatus.requested, .held, .ticketed])
            .filter(\.$departsAt >= Clock.now()).filter(\.$departsAt <= Clock.now().addingTimeInterval(14 * 86_400))
            .with(\.$legs).with(\.$passengers).sort(\.$departsAt).all()
        let upcoming = soon.map { b -> Upcoming in
            let legs = b.passengerLegs
            return Upcoming(
                bookingID: b.id!, departsLocal: legs.first?.departsLocal ?? "",
                route: ([legs.first?.fromCode ?? ""] + legs.map(\.toCode)).joined(separator: " → "),
                passengers: b.passengers.count, status: b.status.rawValue)
        }
        // One status at a time: each reads its part of the (status, embassy, requested) index in embassy order.
        var requests: [UUID: (name: String, open: Int, oldest: String)] = [:]
        for status in [TravelDocumentStatus.requested, .interviewScheduled] {
            for row in try await sql.raw(
                """
                SELECT t.embassy_id AS id, e.name AS name, t.n AS n, t.oldest AS oldest FROM (
                  SELECT r.embassy_id AS embassy_id, COUNT(*) AS n, MIN(r.requested_on) AS oldest FROM \
                travel_document_requests r
                  WHERE r.status = \(bind: status.rawValue) GROUP BY r.embassy_id
                ) t JOIN partners e ON e.id = t.embassy_id
                """
            ).all() {
                let id = try row.decode(column: "id", as: UUID.self)
                let oldest = try row.decode(column: "oldest", as: String.self)
                let before = requests[id]
                requests[id] = (
                    try row.decode(column: "name", as: String.self),
                    (before?.open ?? 0) + (try row.decode(column: "n", as: Int.self)),
                    min(before?.oldest ?? oldest, oldest)
                )
            }
        }
        let documents = requests.map {
            EmbassyRequests(
                embassyID: $0.key, embassy: $0.value.name, open: $0.value.open,
                oldestDays: ReturnReports.daysBetween($0.value.oldest, today))
        }.sorted { $0.embassy < $1.embassy }
        let grantsOwing =
            try await sql.raw("SELECT COUNT(*) AS n FROM grants g WHERE g.amount > g.paid").first()?.decode(
                column: "n", as: Int.self) ?? 0
        let outstanding = try await sql.raw(
            """
            SELECT g.case_id AS case_id, c.reference AS reference, g.type AS type, g.amount AS amount, g.paid AS paid
            FROM (SELECT * FROM grants g WHERE g.amount > g.paid ORDER BY g.created_at LIMIT \(literal: grantsListed)) \
            g JOIN cases c ON c.id = g.case_id
            ORDER BY g.created_at
            """
        ).all().map { row in
            let amount = try row.decode(column: "amount", as: Int.self)
            let paid = try row.decode(column: "paid", as: Int.self)
            return OpenGrant(
                caseID: try row.decode(column: "case_id", as: UUID.self),
                reference: try row.decode(column: "reference", as: String.self),
                type: try row.decode(column: "type", as: String.self), amount: Money.format(amount),
                outstanding: Money.format(amount - paid))
        }
        var stuck: [String: Int] = [:]
        for row in try await sql.raw(
            """
            SELECT o.kind AS kind, COUNT(*) AS n FROM outbox_messages o
            WHERE o.status = \(bind: OutboxMessage.Status.failed.rawValue) OR (o.status = \
            \(bind: OutboxMessage.Status.pending.rawValue) AND o.last_error IS NOT NULL)
            GROUP BY o.kind
            """
        ).all() {
            stuck[try row.decode(column: "kind", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return Dashboard(
            byProgramme: byProgramme, byStage: byStage, byOwner: byOwner, byOffice: byOffice,
            departuresThisMonth: thisMonth, departuresLastMonth: lastMonth, departuresSameMonthLastYear: lastYear,
            upcoming: upcoming, travelDocuments: documents, grantsOutstanding: outstanding,
            grantsOutstandingCount: grantsOwing,
            smsFailures: stuck[OutboxMessage.Kind.sms.rawValue] ?? 0,
            webhookFailures: stuck[OutboxMessage.Kind.webhook.rawValue] ?? 0)
    }
}
