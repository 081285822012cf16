import Fluent
import PassageDomain
import Vapor

/// `/protection/access`: who reads each category of data (the office's matrix, which administrators change) and
/// which fields each category holds. `GET /api/v1/protection/access` answers the same.
struct AccessPages {
    struct Answer: Content {
        struct Category: Content {
            var category: String
            var roles: [String]
            var fields: [String]
        }
        var categories: [Category]
    }

    func boot(_ app: Application, api: any RoutesBuilder) {
        let p = app.grouped("protection", "access")
        p.get(roles: FieldAccess.readers) { req, id in try await Self.page(req, id, failure: nil) }
        p.post(roles: FieldAccess.editors) { req, id -> Response in
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt(
                "access", f, to: "/protection/access?notice=access-saved",
                { try await FieldAccess.change(f, by: id, on: req.application) },
                failed: { try await Self.page(req, id, failure: $0) })
        }
        api.grouped("protection").get("access", roles: FieldAccess.readers) { req, _ -> Answer in
            let m = try await FieldAccess.matrix(req.application, on: req.db)
            return Answer(
                categories: DataCategory.allCases.map {
                    .init(
                        category: $0.rawValue, roles: (m.readers[$0] ?? []).sorted().map(\.rawValue),
                        fields: FieldTags.fields(of: $0))
                })
        }
    }

    static func page(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let m = try await FieldAccess.matrix(req.application, on: req.db)
        let edit = id.hasAny(FieldAccess.editors)
        let roles = Role.allCases
        let head = roles.map { "<th scope=\"col\">\(t("role.\($0.rawValue)"))</th>" as HTML }
        let rows = DataCategory.allCases.map { c -> HTML in
            let ticked: (Role) -> Bool = { r in
                if let failure, failure.section == "access" {
                    return Input.flag(failure.fields["c.\(c.rawValue).\(r.rawValue)"])
                }
                return m.readers[c]?.contains(r) ?? false
            }
            let cells = roles.map { r -> HTML in
                let label = t("protection.access.cell", t("category.\(c.rawValue)"), t("role.\(r.rawValue)"))
                guard edit else {
                    return ticked(r)
                        ? "<td class=\"yes\"><span aria-label=\"\(label)\">✓</span></td>" : "<td>—</td>"
                }
                return """
                    <td><input type="checkbox" name="c.\(c.rawValue).\(r.rawValue)" value="true" \
                    aria-label="\(label)"\(HTML(raw: ticked(r) ? " checked" : ""))></td>
                    """
            }
            let fields = FieldTags.fields(of: c).map { key -> HTML in
                key.contains(".") ? "<code>\(key)</code>" : "<code>\(key)</code> (\(t("protection.access.every")))"
            }
            let error: HTML =
                f.error("access", "c.\(c.rawValue)").map {
                    "<br><span class=\"field-error\" id=\"\(f.id("access", "c.\(c.rawValue)"))-error\">\($0)</span>"
                } ?? .empty
            return """
                <tr id="\(f.id("access", "c.\(c.rawValue)"))">\
                <th scope="row">\(t("category.\(c.rawValue)"))\(error)<br>\
                <span class="hint">\(HTML(raw: fields.map(\.raw).joined(separator: ", ")))</span></th>\(cells)</tr>
                """
        }
        let table: HTML = """
            <div class="scroll"><table class="matrix"><thead><tr><th scope="col">\
            \(t("protection.access.category"))</th>\(head)</tr></thead><tbody>\(rows)</tbody></table></div>
            """
        let body: HTML =
            edit
            ? f.form("/protection/access", "access", button: "protection.access.save", table)
            : table
        let notice: HTML =
            req.query[String.self, at: "notice"] == "access-saved"
            ? "<div class=\"notice\" role=\"status\">\(t("protection.notice.access-saved"))</div>" : .empty
        return Layout.page(
            req: req, identity: id, title: t("protection.access"),
            body: """
                \(notice)<h1>\(t("protection.access"))</h1>\(ProtectionPages.tabs(req, id, "/protection/access"))
                <p>\(t("protection.access.intro"))</p><p class="hint">\(t("protection.access.record"))</p>
                \(body)
                """)
    }
}
