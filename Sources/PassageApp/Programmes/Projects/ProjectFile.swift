import Fluent
import PassageDomain
import Vapor

/// A project as a manager sends it to the donor: budget, events with their participants, indicators against their
/// targets. The same in JSON, on the printable page and as CSV or XLSX.
struct ProjectFile: Content, Sendable {
    struct BudgetLine: Content, Sendable {
        var line: String
        var budgetCents: Int
        var spentCents: Int
    }
    struct Event: Content, Sendable {
        var id: UUID
        var kind: ProjectEventKind
        var title: String
        var day: String
        var place: String
        var stakeholders: String
        var participants: [String: Int]
        var total: Int
    }
    struct Value: Content, Sendable {
        var period: String
        var target: Int
        var actual: Int?
        /// Whole percent of the target reached, once there is an actual.
        var achieved: Int?
        var note: String
    }
    struct Indicator: Content, Sendable {
        var id: UUID
        var name: String
        var unit: String
        var values: [Value]
    }
    var id: UUID
    var code: String
    var name: String
    var donor: String
    var startsOn: String
    var endsOn: String
    var summary: String
    var budget: [BudgetLine]
    var budgetCents: Int
    var spentCents: Int
    var events: [Event]
    var participants: Int
    var participantsByGroup: [String: Int]
    var indicators: [Indicator]

    static func load(_ id: UUID, on db: any Database) async throws -> ProjectFile {
        let p = try await ProjectRecords.project(id, on: db)
        let lines = try await PJBudgetLine.query(on: db).filter(\.$project.$id == id).sort(\.$line).all()
        let events = try await PJEvent.query(on: db).filter(\.$project.$id == id).with(\.$participants)
            .sort(\.$day).all()
        let indicators = try await PJIndicator.query(on: db).filter(\.$project.$id == id).with(\.$values)
            .sort(\.$name).all()
        let evs = events.map { ev in
            let counts = Dictionary(ev.participants.map { ($0.group.rawValue, $0.count) }, uniquingKeysWith: +)
            return Event(
                id: ev.id!, kind: ev.kind, title: ev.title, day: ev.day, place: ev.place,
                stakeholders: ev.stakeholders, participants: counts, total: counts.values.reduce(0, +))
        }
        var byGroup: [String: Int] = [:]
        for ev in evs { for (g, n) in ev.participants { byGroup[g, default: 0] += n } }
        return ProjectFile(
            id: id, code: p.code, name: p.name, donor: p.donor, startsOn: p.startsOn, endsOn: p.endsOn,
            summary: p.summary,
            budget: lines.map { BudgetLine(line: $0.line, budgetCents: $0.budgetCents, spentCents: $0.spentCents) },
            budgetCents: lines.reduce(0) { $0 + $1.budgetCents }, spentCents: lines.reduce(0) { $0 + $1.spentCents },
            events: evs, participants: evs.reduce(0) { $0 + $1.total }, participantsByGroup: byGroup,
            indicators: indicators.map { i in
                Indicator(
                    id: i.id!, name: i.name, unit: i.unit,
                    values: i.values.sorted { $0.period < $1.period }.map {
                        Value(
                            period: $0.period, target: $0.target, actual: $0.actual,
                            achieved: ProjectRules.achieved(target: $0.target, actual: $0.actual), note: $0.note)
                    })
            })
    }

    /// One sheet: the project, its budget, its events and its indicators, each part under its heading row.
    var table: ReportTable {
        var t = ReportTable(sheet: String(code.prefix(31)))
        t.add(.texts(["project", code, name]))
        t.add(.texts(["donor", donor]))
        t.add(.texts(["period", startsOn, endsOn]))
        t.add([])
        t.add(.texts(["budget line", "budget (EUR)", "spent (EUR)", "remaining (EUR)"]))
        func euros(_ cents: Int) -> ReportTable.Cell { .number(Double(cents) / 100, decimals: 2) }
        for b in budget {
            t.add([.text(b.line), euros(b.budgetCents), euros(b.spentCents), euros(b.budgetCents - b.spentCents)])
        }
        t.add([.text("total"), euros(budgetCents), euros(spentCents), euros(budgetCents - spentCents)])
        t.add([])
        let groups = ParticipantGroup.allCases.map(\.rawValue)
        t.add(.texts(["event day", "kind", "title", "place", "stakeholders"] + groups + ["participants"]))
        for ev in events {
            t.add(
                .texts([ev.day, ev.kind.rawValue, ev.title, ev.place, ev.stakeholders])
                    + .counts(groups.map { ev.participants[$0] ?? 0 } + [ev.total]))
        }
        t.add(
            .texts(["total", "", "", "", ""]) + .counts(groups.map { participantsByGroup[$0] ?? 0 } + [participants]))
        t.add([])
        t.add(.texts(["indicator", "unit", "period", "target", "actual", "achieved (%)", "note"]))
        for i in indicators {
            for v in i.values {
                t.add(
                    .texts([i.name, i.unit, v.period]) + [
                        .number(Double(v.target)), v.actual.map { .number(Double($0)) } ?? .text(""),
                        v.achieved.map { .number(Double($0)) } ?? .text(""), .text(v.note),
                    ])
            }
        }
        return t
    }
}
