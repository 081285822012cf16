import Vapor
import PassageDomain

enum ReportPages {
    /// A chart with its numbers beside it as a table, for those who do not see the picture.
    static func chart(_ t: Translator, svg: String, caption: String, header: [String], rows: [[String]]) -> HTML {
        let head = header.map { HTML("<th>\($0)</th>") }
        let body = rows.map { r in HTML("<tr>\(r.map { HTML("<td>\($0)</td>") })</tr>") }
        return """
            <figure class="chart card">\(HTML(raw: svg))<figcaption>\(caption)</figcaption>
            <details><summary>\(t("report.numbers"))</summary><table><thead><tr>\(head)</tr></thead><tbody>\(body)\
            </tbody></table></details></figure>
            """
    }

    /// Horizontal bars and their table from the same items; the title is `key`, the description `key.desc`.
    static func bars(
        _ t: Translator, id: String, key: String, header: [String], items: [(label: String, value: Double)]
    ) -> HTML {
        chart(
            t, svg: SVGChart.bars(id: id, title: t(key), description: t(key + ".desc"), items: items), caption: t(key),
            header: header,
            rows: items.map { [$0.label, String(Int($0.value))] })
    }

    /// Grouped bars and their table from the same series; `labels` are the categories as drawn (shorter), if not as
    /// written.
    static func grouped(
        _ t: Translator, id: String, key: String, header: String, categories: [String], labels: [String]? = nil,
        series: [(name: String, values: [Double])]
    ) -> HTML {
        chart(
            t,
            svg: SVGChart.grouped(
                id: id, title: t(key), description: t(key + ".desc"), categories: labels ?? categories, series: series),
            caption: t(key), header: [header] + series.map(\.name),
            rows: categories.indices.map { i in [categories[i]] + series.map { String(Int($0.values[i])) } })
    }

    static func charts(_ t: Translator, _ c: ReportCharts) -> HTML {
        let months = c.byMonth.map { String($0.suffix(2)) + "/" + String($0.prefix(4).suffix(2)) }
        let departures = t("report.departures")
        let parts: [HTML] = [
            bars(
                t, id: "c-countries", key: "report.chart.countries",
                header: [t("return.destinationCountry"), departures], items: c.countries),
            grouped(
                t, id: "c-months", key: "report.chart.months", header: t("mv.month"), categories: c.byMonth,
                labels: months,
                series: [(departures, c.departuresByMonth)]),
            grouped(
                t, id: "c-years", key: "report.chart.years", header: t("report.year"), categories: c.years,
                series: [(departures, c.departuresByYear)]),
            grouped(
                t, id: "c-grants", key: "report.chart.grants", header: t("report.year"), categories: c.years,
                series: [(t("report.withGrant"), c.withGrant), (t("report.withoutGrant"), c.withoutGrant)]),
            c.medical.map { m in
                bars(
                    t, id: "c-medical", key: "report.chart.medical",
                    header: [t("report.condition"), t("report.cases")],
                    items: m.map { (label: t("medcat.\($0.label.rawValue)"), value: $0.value) })
            } ?? "<p class=\"hint\">\(t("report.chart.medical.restricted"))</p>",
            grouped(
                t, id: "c-hub", key: "report.chart.hub", header: t("mv.month"), categories: c.byMonth, labels: months,
                series: MovementType.allCases.map {
                    (t("mv.type.\($0.rawValue)"), c.hubByMonth[$0] ?? Array(repeating: 0, count: c.byMonth.count))
                }),
        ]
        let dnaName = t.own("figure.\(ReportFigure.dnaSamples.rawValue)") ?? ReportFigure.dnaSamples.label
        let vcName = t.own("figure.\(ReportFigure.interviewsHeld.rawValue)") ?? ReportFigure.interviewsHeld.label
        let reunification: [HTML] = [
            bars(
                t, id: "c-dna-nationalities", key: "report.chart.dnaNationalities",
                header: [t("report.nationality"), dnaName], items: c.dnaNationalities),
            grouped(
                t, id: "c-dna-locations", key: "report.chart.dnaLocations", header: t("report.location"),
                categories: c.reunification.map(\.label),
                series: [
                    (dnaName, c.reunification.map(\.dna)), (vcName, c.reunification.map(\.interviews)),
                ]),
        ]
        let resettledName = t.own("figure.\(ReportFigure.resettled.rawValue)") ?? ReportFigure.resettled.label
        let resettlement: [HTML] = [
            bars(
                t, id: "c-rs-arrivals", key: "report.chart.resettled",
                header: [t("report.countryOfDeparture"), resettledName], items: c.resettledByCountry)
        ]
        let visaName = t.own("figure.\(ReportFigure.visaApplications.rawValue)") ?? ReportFigure.visaApplications.label
        let visa: [HTML] = [
            grouped(
                t, id: "c-kv-months", key: "report.chart.visa", header: t("mv.month"), categories: c.byMonth,
                labels: months, series: [(visaName, c.visaByMonth)])
        ]
        let all = (parts + reunification + resettlement + visa).reduce(HTML.empty, +)
        return "<h2>\(t("report.charts"))</h2><div class=\"charts\">\(all)</div>"
    }

    static func dashboard(_ req: Request, _ id: Identity, _ d: Dashboard, blocks: [CaseBlock] = []) -> HTML {
        let t = req.t
        func list(_ title: String, _ items: [Dashboard.Count], label: (String) -> String = { $0 }) -> HTML {
            let rows = items.map {
                HTML(
                    "<tr><td>\(label($0.label))</td><td class=\"num\"><a href=\"\($0.link)\">\($0.count)</a></td></tr>")
            }
            return
                "<section class=\"card\"><h2>\(title)</h2>\(items.isEmpty ? HTML("<p class=\"empty\">\(t("report.none"))</p>") : HTML("<table class=\"report\"><tbody>\(rows)</tbody></table>"))</section>"
        }
        func departures(_ c: Dashboard.Count, _ label: String) -> HTML {
            """
            <div class=\"stat\"><a href=\"\(c.link)\"><span class=\"big\">\(c.count)</span></a><span>\(label) \
            (\(c.label))</span></div>
            """
        }
        let upcoming = d.upcoming.map { u -> HTML in
            """
            <tr><td class=\"nowrap\">\(u.departsLocal.replacingOccurrences(of: "T", with: " "))</td><td><a \
            href=\"\(MovementsPaths.booking(u.bookingID))\">\(u.route)</a></td><td \
            class=\"num\">\(u.passengers)</td><td>\(BookingPages.statusBadge(t, u.status))</td></tr>
            """
        }
        let tds = d.travelDocuments.map { e -> HTML in
            """
            <tr><td>\(e.embassy)</td><td class=\"num\"><a \
            href=\"/return/travel-documents#e-\(e.embassyID.uuidString)\">\(e.open)</a></td><td \
            class=\"num\(HTML(raw: e.oldestDays > 60 ? " late" : ""))\">\(e.oldestDays)</td></tr>
            """
        }
        let grants = d.grantsOutstanding.map { g -> HTML in
            "<tr><td><a href=\"\(ReturnPaths.file(g.caseID))#grants\">\(g.reference)</a></td><td>\(t("grant.\(g.type)"))</td><td class=\"num\">\(g.amount)</td><td class=\"num\">\(g.outstanding)</td></tr>"
        }
        return Layout.page(
            req: req, identity: id, title: t("dashboard.title"),
            body: """
                <h1>\(t("dashboard.title"))</h1>
                <div class="stats">
                \(departures(d.departuresThisMonth,
                    t("dashboard.departures.this")))\(departures(d.departuresLastMonth, t("dashboard.departures.last")))
                \(departures(d.departuresSameMonthLastYear, t("dashboard.departures.lastYear")))
                <div class="stat"><a href="/movements">\
                <span class="big\(d.smsFailures + d.webhookFailures > 0 ? " warn" : "")">\(d.smsFailures) / \
                \(d.webhookFailures)</span></a><span>\(t("dashboard.failures"))</span></div>
                </div>
                <div class="dash">
                \(list(t("dashboard.byProgramme"), d.byProgramme) { t("programme.\($0)") })
                \(list(t("dashboard.byStage"), d.byStage) { t("stage.\($0)") })
                \(list(t("dashboard.byOwner"), d.byOwner))
                \(list(t("dashboard.byOffice"), d.byOffice))
                </div>
                <h2>\(t("dashboard.upcoming"))</h2>
                \(upcoming.isEmpty ? HTML("<p class=\"empty\">\(t("mv.upcoming.none"))</p>") : HTML("<table><thead><tr><th>\(t("mv.leg.departs"))</th><th>\(t("mv.booking.route"))</th><th>\(t("mv.booking.passengers"))</th><th>\(t("mv.booking.status"))</th></tr></thead><tbody>\(upcoming)</tbody></table>"))
                <h2>\(t("dashboard.travelDocuments"))</h2>
                \(tds.isEmpty ? HTML("<p class=\"empty\">\(t("report.none"))</p>") : HTML("<table><thead><tr><th>\(t("dashboard.embassy"))</th><th>\(t("dashboard.open"))</th><th>\(t("dashboard.oldestDays"))</th></tr></thead><tbody>\(tds)</tbody></table>"))
                <h2>\(t("dashboard.grants"))</h2>
                \(d.grantsOutstandingCount > grants.count ? HTML("<p class=\"hint\">\(t("dashboard.grants.first", grants.count, d.grantsOutstandingCount))</p>") : .empty)
                \(grants.isEmpty ? HTML("<p class=\"empty\">\(t("report.none"))</p>") : HTML("<table><thead><tr><th>\(t("case.reference"))</th><th>\(t("dashboard.grantType"))</th><th>\(t("return.amount"))</th><th>\(t("dashboard.outstanding"))</th></tr></thead><tbody>\(grants)</tbody></table>"))
                \(blocks.map { HTML("<section id=\"\($0.anchor)\"><h2>\($0.title)</h2>\($0.html)</section>") })
                """)
    }

    static func monthly(_ req: Request, _ id: Identity, _ m: MonthlyStatistics, errors: ValidationErrors?) -> HTML {
        let t = req.t
        let e = t.localized(errors)
        let head = m.months.map { HTML("<th>\(String($0.suffix(2)))</th>") }
        let rows = m.rows.map { r -> HTML in
            "<tr><th scope=\"row\">\(r.name)</th>\(r.months.map { HTML("<td class=\"num\">\($0 == 0 ? "" : String($0))</td>") })<td class=\"num\"><strong>\(r.total)</strong></td></tr>"
        }
        return Layout.page(
            req: req, identity: id, title: t("report.monthly.title"),
            body: """
                <h1>\(t("report.monthly.title")) \(m.year)</h1>\(Layout.errorSummary(e, t))
                <form method="get" action="/reports/monthly" class="card filters" novalidate>
                \(Layout.field("year", label: t("report.year"), value: String(m.year), error: e?.message(for: "year"),
                    type: "number"))
                <button class="primary" type="submit">\(t("filter.apply"))</button>
                <a class="btn secondary" href="/reports/monthly?year=\(m.year)&amp;format=csv">\(t("report.csv"))</a>
                <a class="btn secondary" href="/reports/monthly?year=\(m.year)&amp;format=xlsx">\(t("report.xlsx"))</a>\
                </form>
                <p class="hint">\(m.definition)</p>
                \(m.rows.isEmpty ? HTML("<p class=\"empty\">\(t("report.none"))</p>") : HTML("""
                <div class="scroll"><table class="report monthly"><thead><tr><th>\(t("person.nationality"))</th>\(head)\
                <th>\(t("mv.total"))</th></tr></thead>
                <tbody>\(rows)</tbody><tfoot><tr><th>\(t("mv.total"))\
                </th>\(m.totals.map { HTML("<th class=\"num\">\($0)</th>") })<th class=\"num\">\(m.totals.reduce(0, +))\
                </th></tr></tfoot></table></div>
                """))
                """)
    }

    static func period(
        _ req: Request, _ id: Identity, _ r: PeriodReport, errors: ValidationErrors?, typed: (String?, String?)?,
        charts: ReportCharts? = nil
    ) -> HTML {
        let t = req.t
        let e = t.localized(errors)
        let q = "from=\(r.from)&amp;to=\(r.to)"
        return Layout.page(
            req: req, identity: id, title: t("report.title"),
            body: """
                <h1>\(t("report.title"))</h1>
                \(Layout.errorSummary(e, t))
                <form method="get" action="/reports/period" class="card filters" novalidate>
                \(Layout.field("from", label: t("report.from"), value: typed?.0 ?? r.from,
                    error: e?.message(for: "from"), type: "date"))
                \(Layout.field("to", label: t("report.to"), value: typed?.1 ?? r.to, error: e?.message(for: "to"),
                    type: "date"))
                <button class="primary" type="submit">\(t("filter.apply"))</button>
                <a class="btn secondary" href="/reports/period?\(q)&amp;format=csv">\(t("report.csv"))</a>
                <a class="btn secondary" href="/reports/period?\(q)&amp;format=xlsx">\(t("report.xlsx"))</a>
                <a class="btn secondary" \
                href="/reports/monthly?year=\(String(r.to.prefix(4)))">\(t("report.monthly.title"))</a></form>
                <p class="hint">\(t("report.hint", r.previousFrom + " – " + r.previousTo))</p>
                <p class="hint">\(t("report.shareable")) \
                <a href="/reports/period?\(q)&amp;format=csv&amp;small=suppress">CSV</a> · \
                <a href="/reports/period?\(q)&amp;format=xlsx&amp;small=suppress">XLSX</a></p>
                \(r.table(drillDown: id.hasAny(ReportAccess.drillDown), t: t))
                \(charts.map { Self.charts(t, $0) } ?? .empty)
                """)
    }

    static func drillDown(_ req: Request, _ id: Identity, _ d: ReportDrillDown.Result) -> HTML {
        let t = req.t
        let rows = d.items.map { i -> HTML in
            """
            <tr><td><a href="\(CorePaths.case(i.caseID))">\(i.reference)</a></td><td>\(i.person)</td>\
            <td>\(t("programme.\(i.programme)"))</td>\
            <td>\(i.stage.map { t("stage.\($0)") } ?? t("status.\(i.status)"))</td>\
            <td class="nowrap">\(i.openedOn)</td><td class="nowrap">\(i.departedOn ?? "—")</td></tr>
            """
        }
        var withheld: HTML = d.withheld == 0 ? .empty : "<p class=\"warning\">\(t("report.withheld", d.withheld))</p>"
        if d.total > d.items.count + d.withheld {
            withheld =
                withheld + HTML("<p class=\"hint\">\(t("report.firstOf", d.items.count + d.withheld, d.total))</p>")
        }
        let label = t.own("figure.\(d.figure)") ?? d.label
        let download = "/reports/period/\(d.figure)?from=\(d.from)&amp;to=\(d.to)&amp;format="
        let definition = t.own("figure.\(d.figure).definition") ?? d.definition
        return Layout.page(
            req: req, identity: id, title: label,
            body: """
                <h1>\(label)</h1><p>\(d.from) – \(d.to) · \(definition)</p>
                <p><a href="/reports/period?from=\(d.from)&amp;to=\(d.to)#fig-\(d.figure)">← \(t("report.title"))</a>\
                </p>\(withheld)
                \(rows.isEmpty ? HTML("<p class=\"empty\">\(t("report.none"))</p>") : HTML("""
                <p class="actions"><a class="btn secondary" href="\(download)csv">\(t("report.csv"))</a> \
                <a class="btn secondary" href="\(download)xlsx">\(t("report.xlsx"))</a></p>
                <div class="scroll"><table><thead><tr><th>\(t("case.reference"))</th><th>\(t("person.name"))</th>\
                <th>\(t("case.programme"))</th><th>\(t("report.drill.stage"))</th><th>\(t("case.openedOn"))</th>\
                <th>\(t("report.drill.departed"))</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """))
                """)
    }
}
