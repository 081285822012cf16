import Fluent
import Foundation
import PassageDomain
import Vapor

/// Every emergency access (managers), or those on the viewer's own cases (a case's owner), with the review each
/// one needs.
struct EmergencyPages {
    func boot(_ app: Application) {
        let e = app.grouped("protection", "emergency")
        e.get(roles: BreakGlass.roles) { req, id in try await Self.page(req, id, failure: nil) }
        e.post(":accessID", "review", roles: BreakGlass.roles) { req, id -> Response in
            let f = try FormInput.fields(req)
            let aid = try req.uuid("accessID")
            return try await SectionForms.attempt(
                "review-\(aid.uuidString)", f, to: "/protection/emergency?notice=reviewed",
                { try await BreakGlass.review(aid, f, by: id, on: req.application) },
                failed: { try await Self.page(req, id, failure: $0) })
        }
    }

    static func page(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        var all = try await EmergencyAccess.query(on: req.db).sort(\.$openedAt, .descending).limit(500).all()
        let cases = try await Case.query(on: req.db).filter(\.$id ~~ Set(all.map(\.caseID))).all()
        let byID = Dictionary(uniqueKeysWithValues: cases.map { ($0.id!, $0) })
        let manager = id.hasAny(BreakGlass.reviewers)
        if !manager {
            all = all.filter { byID[$0.caseID]?.$owner.id == id.userID || $0.userID == id.userID }
        }
        let rows = all.map { a -> HTML in
            let c = byID[a.caseID]
            let mayReview =
                a.reviewedAt == nil && a.userID != id.userID && (manager || c?.$owner.id == id.userID)
            let section = "review-\(a.id!.uuidString)"
            let review: HTML =
                a.reviewedBy.map { by in
                    HTML("\(t("emergency.reviewedBy", by, a.reviewedAt.map(Layout.dateTime) ?? "")): ")
                        + HTML("\(a.reviewNote ?? "")")
                }
                ?? (mayReview
                    ? f.form(
                        "/protection/emergency/\(a.id!.uuidString)/review", section, button: "emergency.review",
                        "\(f.field(section, "note", "emergency.review.note"))")
                    : HTML("<span class=\"badge warn\">\(t("emergency.unreviewed"))</span>"))
            let link: HTML = c.map { "<a href=\"\(CorePaths.case($0.id!))\">\($0.reference)</a>" } ?? .empty
            return """
                <tr><td>\(Layout.dateTime(a.openedAt))</td><td>\(a.userName)</td>\
                <td>\(link)</td><td>\(t("category.\(a.category)"))</td>\
                <td>\(a.reason)</td><td>\(review)</td></tr>
                """
        }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(t("emergency.none"))</p>"
            : """
            <table><thead><tr><th>\(t("emergency.when"))</th><th>\(t("emergency.who"))</th>\
            <th>\(t("emergency.case"))</th><th>\(t("emergency.category"))</th><th>\(t("emergency.reason"))</th>\
            <th>\(t("emergency.review"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let notice: HTML =
            req.query[String.self, at: "notice"] == "reviewed"
            ? "<div class=\"notice\" role=\"status\">\(t("emergency.notice.reviewed"))</div>" : .empty
        let body: HTML = """
            \(notice)<h1>\(t("emergency.title"))</h1>
            <p>\(t(manager ? "emergency.intro.manager" : "emergency.intro.owner", String(BreakGlass.minutes)))</p>
            \(table)
            """
        return Layout.page(req: req, identity: id, title: t("emergency.title"), body: body)
    }

    /// Above the viewer's own cases: the emergency accesses waiting for their review.
    static func banner(_ req: Request, _ id: Identity) async throws -> HTML {
        let waiting = try await BreakGlass.toReview(for: id, on: req.db)
        guard !waiting.isEmpty else { return .empty }
        return """
            <p class="warning" role="status"><a href="/protection/emergency">\
            \(req.t("emergency.banner", req.t.number(waiting.count)))</a></p>
            """
    }
}
