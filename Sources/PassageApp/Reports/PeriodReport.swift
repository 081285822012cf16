import Vapor
import Fluent
import PassageDomain

/// The period report: each figure of `ReportFigure` for the period and the one before it, computed from the records.
struct PeriodReport: Content {
    struct Part: Content { var label: String; var value: Double; var previous: Double }
    struct Row: Content {
        var key: String; var label: String; var definition: String; var value: Double; var previous: Double
        var tonnes: Bool; var breakdown: [Part]
    }
    var from: String
    var to: String
    var previousFrom: String
    var previousTo: String
    var hub: String
    var rows: [Row]

    /// One period's figures, with the breakdown of those that have one.
    struct Figures {
        var values: [ReportFigure: Double] = [:]
        var parts: [ReportFigure: [String: Double]] = [:]
    }

    static func compute(_ p: ReportPeriod, hub: String, on db: any Database) async throws -> PeriodReport {
        let now = try await figures(p, hub: hub, on: db)
        let before = try await figures(p.previous, hub: hub, on: db)
        let rows = ReportFigure.allCases.map { f -> Row in
            let labels = Set((now.parts[f] ?? [:]).keys).union((before.parts[f] ?? [:]).keys).sorted()
            return Row(
                key: f.rawValue, label: f.label, definition: f.definition, value: now.values[f] ?? 0,
                previous: before.values[f] ?? 0,
                tonnes: f.isTonnes,
                breakdown: labels.map {
                    Part(label: $0, value: now.parts[f]?[$0] ?? 0, previous: before.parts[f]?[$0] ?? 0)
                })
        }
        return PeriodReport(
            from: p.from.isoText, to: p.to.isoText, previousFrom: p.previous.from.isoText,
            previousTo: p.previous.to.isoText, hub: hub, rows: rows)
    }

    static func figures(_ p: ReportPeriod, hub: String, on db: any Database) async throws -> Figures {
        try await ReportQueries(p, hub: hub, on: db).figures()
    }

    /// The counts from 1 to 4 the report holds (this period's and the previous one's, figures and their parts):
    /// small enough for a reader to recognise a person behind them.
    var smallCounts: Int {
        var values: [Double] = []
        for r in rows where !r.tonnes {
            values += [r.value, r.previous]
            for part in r.breakdown { values += [part.value, part.previous] }
        }
        return values.filter { $0 >= 1 && $0 < 5 }.count
    }

    // MARK: output

    static func number(_ v: Double, tonnes: Bool) -> String { DecimalInput.format(v, decimals: tonnes ? 3 : 0) }

    /// The figures as a file: a row per figure and one per part of its breakdown (indented); counts from 1 to 4
    /// shown as "<5" when suppressed, and a last line saying so.
    func table(_ small: SmallCounts = .keep) -> ReportTable {
        var t = ReportTable(
            sheet: "Period \(from) \(to)",
            rows: [.texts(["figure", "label", "definition", "\(from) to \(to)", "\(previousFrom) to \(previousTo)"])])
        for r in rows {
            let decimals = r.tonnes ? 3 : 0
            t.add(
                .texts([r.key, r.label, r.definition]) + [
                    small.cell(r.value, decimals: decimals), small.cell(r.previous, decimals: decimals),
                ])
            for p in r.breakdown {
                t.add(
                    .texts([r.key + ":" + p.label, "  " + p.label, ""]) + [
                        small.cell(p.value, decimals: decimals), small.cell(p.previous, decimals: decimals),
                    ])
            }
        }
        if small == .suppress {
            t.add(
                .texts(["note", "Counts from 1 to 4 are shown as <5, so that no one is recognised behind them.", ""]))
        }
        return t
    }

    var table: ReportTable { table(.keep) }

    /// The table alone, for the page and for the command line's standalone HTML.
    func table(drillDown: Bool, t: Translator = Translator(locale: "en")) -> HTML {
        let body = rows.map { r -> HTML in
            let label = t.own("figure.\(r.key)") ?? r.label
            let definition = t.own("figure.\(r.key).definition") ?? r.definition
            let link: HTML =
                drillDown && ReportDrillDown.figures.contains(r.key)
                ? "<a href=\"/reports/period/\(r.key)?from=\(from)&amp;to=\(to)\">\(Self.number(r.value, tonnes: r.tonnes))</a>"
                : "\(Self.number(r.value, tonnes: r.tonnes))"
            let change = r.previous == 0 ? "—" : String(format: "%+.0f %%", (r.value - r.previous) / r.previous * 100)
            let parts = r.breakdown.map { p -> HTML in
                "<tr class=\"part\"><td>\(r.key == ReportFigure.grants.rawValue ? t("grant.\(p.label)") : p.label)</td><td></td><td class=\"num\">\(Self.number(p.value, tonnes: r.tonnes))</td><td class=\"num\">\(Self.number(p.previous, tonnes: r.tonnes))</td><td></td></tr>"
            }
            return
                """
                <tr id=\"fig-\(r.key)\"><th scope=\"row\">\(label)</th><td \
                class=\"definition\">\(definition)</td><td class=\"num\">\(link)</td><td \
                class=\"num\">\(Self.number(r.previous, tonnes: r.tonnes))</td><td \
                class=\"num\">\(change)</td></tr>\(parts)
                """
        }
        return """
            <table class="report"><thead><tr><th>\(t("report.figure"))</th><th>\(t("report.definition"))</th>\
            <th>\(from) – \(to)</th><th>\(previousFrom) – \(previousTo)</th><th>±</th></tr></thead>
            <tbody>\(body)</tbody></table>
            """
    }

    /// A page of its own, for `passage report --format html`.
    var standaloneHTML: String {
        """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Passage period report \(from) – \(to)</title>
        <style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}th,td{border-bottom:1px solid \
        #ccc;padding:.3rem \
        .6rem;text-align:start;vertical-align:top}td.num{text-align:end}td.definition{color:#555;font-size:.9rem}tr.part td{color:#555}</style>
        </head><body><h1>Period report \(from) – \(to)</h1><p>Beside each figure: the period of the same length before \
        (\(previousFrom) – \(previousTo)). Hub airport \(hub).</p>
        \(table(drillDown: false).raw)</body></html>
        """
    }
}

/// The records behind a figure, as far as the viewer may see them.
enum ReportDrillDown {
    static let figures: Set<String> = [
        ReportFigure.counselled, .departed, .childrenReturned, .traffickingAssisted, .medicalDeparted, .escorted,
        .grants, .dnaSamples, .interviewsHeld, .resettled,
    ].map(\.rawValue).reduce(into: []) { $0.insert($1) }

    struct Item: Content {
        var caseID: UUID; var reference: String; var person: String; var programme: String
        var status: String
        var openedOn: String
        /// The return stage, and the day the person left, for a return case.
        var stage: String?
        var departedOn: String?
    }
    /// A list longer than this shows its first cases and says how many there are.
    static let listed = 1000

    struct Result: Content {
        var figure: String; var label: String; var definition: String; var from: String; var to: String;
        var items: [Item]; var withheld: Int
        /// Cases behind the figure, the listed and the withheld included.
        var total: Int

        /// The list as a file, with the columns of the page.
        var table: ReportTable {
            var t = ReportTable(
                sheet: "\(figure) \(from) \(to)",
                rows: [.texts(["reference", "person", "programme", "status", "stage", "opened", "departed"])])
            for i in items {
                t.add(
                    .texts([
                        i.reference, i.person, i.programme, i.status, i.stage ?? "", i.openedOn, i.departedOn ?? "",
                    ]))
            }
            return t
        }
    }

    static func load(_ figure: ReportFigure, _ p: ReportPeriod, hub: String, for id: Identity, on db: any Database)
        async throws -> Result
    {
        guard figures.contains(figure.rawValue) else {
            throw Abort(.notFound, reason: "This figure has no list of records behind it.")
        }
        let (ids, total) = try await ReportQueries(p, hub: hub, on: db).cases(figure, limit: listed)
        let cases = try await Case.query(on: db).filter(\.$id ~~ ids).with(\.$person).sort(\.$reference).all()
        var returns: [UUID: ReturnCase] = [:]
        for r in try await ReturnCase.query(on: db).filter(\.$caseRecord.$id ~~ ids).all() {
            returns[r.$caseRecord.id] = r
        }
        var items: [Item] = []
        var withheld = 0
        let trafficking =
            figure == .traffickingAssisted
            ? try await VulnerabilityRecord.query(on: db).filter(\.$caseRecord.$id ~~ ids).filter(
                \.$kind == VulnerabilityKind.trafficking
            ).all() : []
        for c in cases {
            // Being on this list says what the record is: only those who may read it see the case.
            if figure == .medicalDeparted && !ReturnAccess.seesMedical(id) { withheld += 1; continue }
            if figure == .dnaSamples && !id.reads(.genetic) { withheld += 1; continue }
            if figure == .interviewsHeld && !id.hasAny(ReunificationAccess.read) { withheld += 1; continue }
            if figure == .resettled && !id.hasAny(ResettlementAccess.read) { withheld += 1; continue }
            if trafficking.count > 0, let v = trafficking.first(where: { $0.$caseRecord.id == c.id }),
                !ReturnAccess.seesTrafficking(id, ownerID: c.$owner.id, record: v.decode(TraffickingRecord.self))
            {
                withheld += 1; continue
            }
            items.append(
                Item(
                    caseID: c.id!, reference: c.reference, person: "\(c.person.familyName), \(c.person.givenNames)",
                    programme: c.programme.rawValue, status: c.status.rawValue, openedOn: c.openedOn,
                    stage: returns[c.id!]?.stage.rawValue, departedOn: returns[c.id!]?.departedOn))
        }
        // Those who left first, then by reference.
        items.sort { ($0.departedOn ?? "~", $0.reference) < ($1.departedOn ?? "~", $1.reference) }
        return Result(
            figure: figure.rawValue, label: figure.label, definition: figure.definition, from: p.from.isoText,
            to: p.to.isoText, items: items, withheld: withheld, total: total)
    }
}
