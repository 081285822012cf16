import Vapor
import Fluent
import PassageDomain

/// A form that arrives after its session ended is kept rather than lost. The request must carry the ended session's
/// own CSRF token, so only a page Passage gave that person is kept. The person signs in again and is offered the
/// form to send once more, as typed; nobody else can see it, it is shown once, and a day later it is gone.
final class HeldForm: Model, @unchecked Sendable {
    static let schema = "held_forms"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "path") var path: String
    /// The form's fields in order, as a JSON array of `[name, value]` pairs (a name may repeat).
    @Field(key: "fields") var fields: String
    @Field(key: "held_at") var heldAt: Date

    init() {}
    init(userID: UUID, path: String, fields: String, heldAt: Date) {
        self.userID = userID; self.path = path; self.fields = fields; self.heldAt = heldAt
    }
}

enum HeldForms {
    /// How long a kept form waits for its owner.
    static let keptSeconds: Double = 24 * 3600
    static let prefix = "/forms/held/"

    /// The session that had just ended when this request came: whose it was and the CSRF token its pages carried.
    struct Ended: StorageKey { typealias Value = (userID: UUID, csrf: String) }

    /// The name/value pairs of a URL-encoded body, in order, without the CSRF token.
    static func pairs(_ body: String) -> [[String]] {
        body.split(separator: "&", omittingEmptySubsequences: true).compactMap { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in
                s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(kv[0])
            guard !name.isEmpty, name != CSRFMiddleware.field else { return nil }
            return [name, kv.count > 1 ? decode(kv[1]) : ""]
        }
    }

    /// Keeps the form of a request whose session ended, and sends the browser to sign in and then to the form.
    static func hold(_ req: Request, for userID: UUID) async throws -> Response {
        let path = req.url.path + (req.url.query.map { "?" + $0 } ?? "")
        guard AuthController.safeLocalPath(path) != nil, var body = req.body.data,
            let text = body.readString(length: body.readableBytes)
        else { throw Abort(.forbidden, reason: "The form had expired. Reload the page and try again.") }
        let json = String(decoding: try JSONEncoder().encode(pairs(text)), as: UTF8.self)
        let held = HeldForm(userID: userID, path: path, fields: json, heldAt: Clock.now())
        try await req.writeTransaction { db in
            try await held.create(on: db)
            let username = try await User.find(userID, on: db)?.username ?? ""
            try await AuditLog.record(
                on: db, actor: Actor(id: userID.uuidString, name: username), action: .other, entity: "held_form",
                entityID: held.id!.uuidString, personID: nil,
                note: "a form for \(req.url.path) arrived after the session ended and was kept")
        }
        return req.redirect(to: "/login?next=" + urlQuery(prefix + held.id!.uuidString))
    }

    /// Removes kept forms older than a day.
    @discardableResult
    static func purge(on app: Application, now: Date = Clock.now()) async throws -> Int {
        let oldest = now.addingTimeInterval(-keptSeconds)
        return try await app.writeTransaction { db in
            let n = try await HeldForm.query(on: db).filter(\.$heldAt < oldest).count()
            if n > 0 { try await HeldForm.query(on: db).filter(\.$heldAt < oldest).delete() }
            return n
        }
    }
}

/// The page that offers a kept form to its owner, once.
struct HeldFormsController {
    func boot(_ app: Application) {
        app.get("forms", "held", ":heldID", roles: Set(Role.allCases)) { req, id -> HTML in
            let hid = try req.uuid("heldID")
            let oldest = Clock.now().addingTimeInterval(-HeldForms.keptSeconds)
            let held: HeldForm? = try await req.writeTransaction { db in
                guard let h = try await HeldForm.find(hid, on: db), h.userID == id.userID, h.heldAt >= oldest
                else { return nil }
                try await h.delete(on: db)
                try await AuditLog.record(
                    on: db, actor: id.actor, action: .view, entity: "held_form", entityID: hid.uuidString,
                    personID: nil, note: "the kept form for \(h.path) was offered again")
                return h
            }
            guard let held else {
                throw Abort(
                    .notFound,
                    reason:
                        "Nothing is kept under this address: a kept form is shown once, to the person who typed it, "
                        + "for a day.")
            }
            return page(req, id, held)
        }
    }

    func page(_ req: Request, _ id: Identity, _ held: HeldForm) -> HTML {
        let t = req.t
        let pairs = (try? JSONDecoder().decode([[String]].self, from: Data(held.fields.utf8))) ?? []
        let hidden = pairs.filter { $0.count == 2 }.map {
            "<input type=\"hidden\" name=\"\($0[0])\" value=\"\($0[1])\">" as HTML
        }
        let typed = pairs.filter { $0.count == 2 && !$0[1].isEmpty }.count
        let at = Layout.dateTime(held.heldAt)
        return Layout.page(
            req: req, identity: id, title: t("held.title"),
            body: """
                <h1>\(t("held.title"))</h1>
                <p class="notice" role="status">\(t("held.explain", at, String(typed)))</p>
                <form method="post" action="\(held.path)" class="card">\(Layout.csrfField(req))\(hidden)
                <button class="primary" type="submit">\(t("held.send"))</button>
                <a href="\(held.path)">\(t("held.leave"))</a></form>
                """)
    }
}
