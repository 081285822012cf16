import Fluent
import PassageDomain
import Vapor

/// The movements team's queue: the cases whose departure is being prepared and that have no booking under way
/// (requested, held or ticketed), with what each journey needs.
enum BookingQueue {
    static let sorts = ["reference", "person", "destination"]

    struct Row: Sendable, Codable {
        var caseID: UUID
        var caseReference: String
        var personID: UUID
        var person: String
        var destinationCountry: String?
        var preferredLanguage: String?
        var needs: TravelNeeds
    }

    struct Answer: Content {
        var items: [Row]
        var total: Int
        var page: Int
        var pageSize: Int
    }

    /// One page of the queue in the chosen order, and how many cases wait in all.
    static func page(_ app: Application, _ p: ListPaging, on db: any Database) async throws
        -> (rows: [Row], total: Int)
    {
        let preparing = try await app.preparingTravellers(on: db)
        let busy = Set(
            try await Booking.query(on: db).filter(\.$caseRecord.$id ~~ preparing.map(\.caseID))
                .filter(\.$status ~~ [BookingStatus.requested, .held, .ticketed]).all().map(\.$caseRecord.id))
        let waiting = preparing.filter { !busy.contains($0.caseID) }.map { t in
            Row(
                caseID: t.caseID, caseReference: t.caseReference, personID: t.personID, person: t.personName,
                destinationCountry: t.travel.destinationCountry, preferredLanguage: t.travel.preferredLanguage,
                needs: t.travel.needs)
        }
        let sorted = waiting.sorted { a, b in
            let (x, y) = p.descending ? (b, a) : (a, b)
            switch p.sort {
            case "person": return (x.person, x.caseReference) < (y.person, y.caseReference)
            case "destination":
                return (x.destinationCountry ?? "", x.caseReference) < (y.destinationCountry ?? "", y.caseReference)
            default: return x.caseReference < y.caseReference
            }
        }
        return (Array(sorted.dropFirst(min(sorted.count, p.range.lowerBound)).prefix(p.pageSize)), sorted.count)
    }

    /// What a journey needs, in the reader's words: an escort, the fit-to-fly assessment, help at the airport.
    static func needs(_ n: TravelNeeds, _ t: Translator, departing day: PartialDate? = nil) -> [HTML] {
        var out: [HTML] = []
        if n.escort != .none { out.append("<span class=\"badge warn\">\(t("mv.needs.escort.\(n.escort)"))</span>") }
        if n.fitToFlyRequired {
            switch (n.fitToFly, n.fitToFlyValidUntil) {
            case (.fit, let until?):
                let lapses = day.map { n.fitToFlyLapses(before: $0) } ?? (until < Clock.today())
                out.append(
                    """
                    <span class="badge\(HTML(raw: lapses ? " warn" : ""))">\
                    \(t("mv.needs.fitUntil", t.day(until)))</span>
                    """)
            case (.unfit, _): out.append("<span class=\"badge warn\">\(t("mv.needs.unfit"))</span>")
            default: out.append("<span class=\"badge warn\">\(t("mv.needs.fitMissing"))</span>")
            }
        }
        for a in n.assistance { out.append("<span class=\"badge\">\(t("mv.assist.\(a.rawValue)"))</span>") }
        return out
    }
}

extension BookingQueue {
    static let path = "/movements/ready"

    static func pageHTML(_ req: Request, _ id: Identity, rows: [Row], total: Int, paging p: ListPaging) -> HTML {
        let t = req.t
        func th(_ key: String, _ label: String) -> HTML { p.heading(t(label), key: key, path, query: [], t) }
        let trs = rows.map { r -> HTML in
            let needs = needs(r.needs, t)
            return """
                <tr><td class="nowrap"><a href="\(CorePaths.case(r.caseID))">\(r.caseReference)</a></td><td>\(r.person)</td>\
                <td>\(r.destinationCountry.map { t.country($0) } ?? "—")</td>\
                <td>\(r.preferredLanguage.map { t.language($0) } ?? "—")</td>\
                <td>\(needs.isEmpty ? HTML("—") : HTML(raw: needs.map(\.raw).joined(separator: " ")))</td>\
                <td><a class="btn" href="\(CorePaths.case(r.caseID))/bookings/new">\(t("mv.ready.book"))</a></td></tr>
                """
        }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(t("mv.ready.none"))</p>"
            : """
            <div class="scroll"><table><thead><tr>\(th("reference", "mv.case"))\(th("person", "person.name"))\
            \(th("destination", "mv.ready.destination"))<th>\(t("mv.ready.language"))</th>\
            <th>\(t("mv.ready.needs"))</th><th><span class="sr-only">\(t("mv.ready.book"))</span></th></tr></thead>\
            <tbody>\(trs)</tbody></table></div>
            """
        return Layout.page(
            req: req, identity: id, title: t("mv.ready.title"),
            body: """
                <h1>\(t("mv.ready.title")) <span class="muted">(\(t.number(total)))</span></h1>
                <p class="hint">\(t("mv.ready.hint"))</p>
                \(table)
                \(p.pager(total: total, countText: t("cases.count", total), path, query: [], t))
                """)
    }
}
