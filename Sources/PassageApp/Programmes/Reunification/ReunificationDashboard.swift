import Fluent
import PassageDomain
import Vapor

/// The family reunification block of the dashboard: this week's appointments per centre, samples on their way and
/// for how long, results awaited from the laboratory, and compromised samples waiting for a new collection.
struct ReunificationDashboard: Content, Sendable {
    struct CentreWeek: Content, Sendable {
        var centreID: UUID
        var centre: String
        var dna: Int
        var interviews: Int
    }
    struct Waiting: Content, Sendable {
        var sampleID: UUID
        var identifier: String
        var status: SampleStatus
        var holder: String
        var days: Int
    }
    var week: [CentreWeek]
    var inTransit: [Waiting]
    var awaitingResult: [Waiting]
    var compromised: [Waiting]

    /// Samples listed per group, oldest first.
    static let listed = 20

    static func load(on db: any Database) async throws -> ReunificationDashboard {
        let from = Clock.today().isoText
        let to = Clock.today(plus: 6).isoText
        let appointments = try await FRAppointment.query(on: db).filter(\.$day >= from).filter(\.$day <= to)
            .filter(\.$status ~~ [.booked, .attended]).all()
        var week: [CentreWeek] = []
        for c in try await FRCentre.query(on: db).with(\.$location).all() {
            let here = appointments.filter { $0.$centre.id == c.id }
            week.append(
                CentreWeek(
                    centreID: c.id!, centre: c.location.name, dna: here.filter { $0.service == .dnaSampling }.count,
                    interviews: here.filter { $0.service == .interview }.count))
        }
        func waiting(_ statuses: [SampleStatus], since: KeyPath<FRSample, Date>) async throws -> [Waiting] {
            let now = Clock.now()
            return try await FRSample.query(on: db).filter(\.$status ~~ statuses).sort(\.$holderSince)
                .limit(listed).all().map {
                    Waiting(
                        sampleID: $0.id!, identifier: $0.identifier, status: $0.status,
                        holder: "\($0.holderKind.rawValue): \($0.holderName)",
                        days: max(0, Int(now.timeIntervalSince($0[keyPath: since]) / 86_400)))
                }
        }
        let compromisedSamples = try await FRSample.query(on: db).filter(\.$status == .compromised).all()
        // A compromised sample waits while its family member has given no sample since.
        let sampledAgain = Set(
            try await FRSample.query(on: db).filter(\.$member.$id ~~ Set(compromisedSamples.map(\.$member.id)))
                .filter(\.$status != .compromised).all().map(\.$member.id))
        var compromised: [Waiting] = []
        for s in compromisedSamples.sorted(by: { $0.collectedAt < $1.collectedAt }) {
            guard !sampledAgain.contains(s.$member.id), compromised.count < listed else { continue }
            compromised.append(
                Waiting(
                    sampleID: s.id!, identifier: s.identifier, status: s.status, holder: s.compromisedReason ?? "",
                    days: max(0, Int(Clock.now().timeIntervalSince(s.holderSince) / 86_400))))
        }
        return ReunificationDashboard(
            week: week.sorted { $0.centre < $1.centre },
            inTransit: try await waiting([.collected, .inTransit], since: \.collectedAt),
            awaitingResult: try await waiting([.atLaboratory], since: \.holderSince), compromised: compromised)
    }

    func html(_ t: Translator) -> HTML {
        let weekRows = week.map { w -> HTML in
            """
            <tr><td><a href="\(ReunificationPaths.centre(w.centreID))">\(w.centre)</a></td><td class="num">\(w.dna)\
            </td><td class="num">\(w.interviews)</td></tr>
            """
        }
        func samples(_ title: String, _ rows: [Waiting], _ since: String) -> HTML {
            let body = rows.map { w -> HTML in
                """
                <tr><td><a href="\(ReunificationPaths.sample(w.sampleID))">\(w.identifier)</a></td><td>\(w.holder)</td>\
                <td class="num\(HTML(raw: w.days > 14 ? " late" : ""))">\(w.days)</td></tr>
                """
            }
            return """
                <section class="card"><h3>\(title)</h3>\
                \(ReunificationPages.table([t("fr.sample"), t("fr.holder"), since], body, empty: t("report.none")))\
                </section>
                """
        }
        return """
            <div class="dash"><section class="card"><h3>\(t("fr.dash.week"))</h3>\
            \(ReunificationPages.table(
                [t("fr.centre"), t("fr.dash.dna"), t("fr.dash.interviews")], weekRows,
                empty: t("fr.centres.none")))</section>\
            \(samples(t("fr.dash.transit"), inTransit, t("fr.dash.daysSinceCollection")))\
            \(samples(t("fr.dash.awaiting"), awaitingResult, t("fr.dash.daysAtLaboratory")))\
            \(samples(t("fr.dash.compromised"), compromised, t("fr.dash.daysSince")))</div>
            """
    }
}
