import Vapor
import Fluent
import PassageDomain

/// The managers' live view of the caseload: every number links to the records behind it.
struct Dashboard: Content {
    struct Count: Content { var label: String; var count: Int; var link: String }
    struct Upcoming: Content { var bookingID: UUID; var departsLocal: String; var route: String; var passengers: Int; var status: String }
    struct OpenGrant: Content { var caseID: UUID; var reference: String; var type: String; var amount: String; var outstanding: String }

    var byProgramme: [Count]
    var byStage: [Count]
    var byOwner: [Count]
    var byOffice: [Count]
    var departuresThisMonth: Count
    var departuresLastMonth: Count
    var departuresSameMonthLastYear: Count
    var upcoming: [Upcoming]
    var travelDocuments: [ReturnAPIController.OpenRequest]
    var grantsOutstanding: [OpenGrant]
    var smsFailures: Int
    var webhookFailures: Int

    static func month(_ year: Int, _ month: Int) -> (from: String, until: String, label: String) {
        var y = year, m = month
        while m < 1 { m += 12; y -= 1 }
        let from = String(format: "%04d-%02d-01", y, m)
        return (from, nextSpan(String(from.prefix(7))) + "-01", String(from.prefix(7)))
    }

    static func load(on db: any Database) async throws -> Dashboard {
        let open = try await Case.query(on: db).filter(\.$status ~~ [CaseStatus.open.rawValue, CaseStatus.onHold.rawValue])
            .with(\.$owner).with(\.$officeLocation).all()
        func counts(_ key: (Case) -> (String, String)?) -> [Count] {
            var c: [String: (String, Int)] = [:]
            for x in open { if let (label, link) = key(x) { c[label] = (link, (c[label]?.1 ?? 0) + 1) } }
            return c.map { Count(label: $0.key, count: $0.value.1, link: $0.value.0) }.sorted { ($1.count, $0.label) < ($0.count, $1.label) }
        }
        let byProgramme = counts { ($0.programme, "/cases?programme=\($0.programme)&status=open") }
        let byOwner = counts { c in c.owner.map { ($0.displayName, "/cases?owner=\($0.id!.uuidString)&status=open") } ?? ("—", "/cases?status=open") }
        let byOffice = counts { c in c.officeLocation.map { ($0.name, "/cases?location=\($0.id!.uuidString)&status=open") } ?? ("—", "/cases?status=open") }
        let stages = try await ReturnCase.query(on: db).filter(\.$caseRecord.$id ~~ open.map { $0.id! }).all()
        var stageCounts: [String: Int] = [:]
        for r in stages { stageCounts[r.stage, default: 0] += 1 }
        let byStage = ReturnStage.allCases.compactMap { s in stageCounts[s.rawValue].map { Count(label: s.rawValue, count: $0, link: "/return?owner=all&stage=\(s.rawValue)") } }

        let today = ReturnRecords.today()
        func departures(_ m: (from: String, until: String, label: String)) async throws -> Count {
            let n = try await MonthlyStatistics.departures(from: m.from, until: m.until, on: db).count
            let last = ReportPeriod.day(ReportPeriod.date(PartialDate(parsing: m.until)!).addingTimeInterval(-86_400)).isoText
            return Count(label: m.label, count: n, link: "/reports/period?from=\(m.from)&to=\(last)#fig-departed")
        }
        let thisMonth = try await departures(month(today.year, today.month ?? 1))
        let lastMonth = try await departures(month(today.year, (today.month ?? 1) - 1))
        let lastYear = try await departures(month(today.year - 1, today.month ?? 1))

        let soon = try await Booking.query(on: db).filter(\.$status ~~ ["requested", "held", "ticketed"])
            .filter(\.$departsAt >= Date()).filter(\.$departsAt <= Date().addingTimeInterval(14 * 86_400))
            .with(\.$legs).with(\.$passengers).sort(\.$departsAt).all()
        let upcoming = soon.map { b -> Upcoming in
            let legs = b.passengerLegs
            return Upcoming(bookingID: b.id!, departsLocal: legs.first?.departsLocal ?? "", route: ([legs.first?.fromCode ?? ""] + legs.map(\.toCode)).joined(separator: " → "),
                            passengers: b.passengers.count, status: b.status)
        }
        let grants = try await GrantRecord.query(on: db).with(\.$payments).with(\.$caseRecord).all()
        let outstanding = grants.compactMap { g -> OpenGrant? in
            let paid = g.payments.reduce(0) { $0 + $1.amount }
            guard paid < g.amount else { return nil }
            return OpenGrant(caseID: g.$caseRecord.id, reference: g.caseRecord.reference, type: g.type, amount: Money.format(g.amount), outstanding: Money.format(g.amount - paid))
        }.sorted { $0.reference < $1.reference }
        let stuck = try await OutboxMessage.query(on: db).group(.or) {
            $0.filter(\.$status == OutboxMessage.Status.failed.rawValue)
              .group(.and) { $0.filter(\.$status == OutboxMessage.Status.pending.rawValue).filter(\.$lastError != nil) }
        }.all()
        return Dashboard(byProgramme: byProgramme, byStage: byStage, byOwner: byOwner, byOffice: byOffice,
                         departuresThisMonth: thisMonth, departuresLastMonth: lastMonth, departuresSameMonthLastYear: lastYear,
                         upcoming: upcoming, travelDocuments: try await ReturnReports.openRequests(embassyID: nil, on: db), grantsOutstanding: outstanding,
                         smsFailures: stuck.filter { $0.kind == OutboxMessage.Kind.sms.rawValue }.count,
                         webhookFailures: stuck.filter { $0.kind == OutboxMessage.Kind.webhook.rawValue }.count)
    }
}
