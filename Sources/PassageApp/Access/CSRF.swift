import Vapor

/// Every state-changing browser request must carry a CSRF token, as the form field `_csrf` or the
/// `X-CSRF-Token` header. A signed-in session keeps its token in the session; a visitor who is not signed in
/// (the sign-in page) gets it in a cookie of its own and sends it back in the form (double submit), so that an
/// anonymous page stores nothing on the server. Requests with an API token carry no cookie and are exempt, and
/// an API request that is not signed in at all is left to its route, which answers 401.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"
    static let cookie = "passage_csrf"
    struct Pending: StorageKey { typealias Value = String }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let unsafe = ![.GET, .HEAD, .OPTIONS].contains(req.method)
        let signedIn = req.auth.has(Identity.self)
        if unsafe && req.headers.bearerAuthorization == nil && (signedIn || !req.isAPI) {
            let expected = req.hasSession ? req.session.data["csrf"] : nil
            let anonymous = signedIn ? nil : req.cookies[Self.cookie]?.string
            var given = req.headers.first(name: "X-CSRF-Token")
            if given == nil, req.headers.contentType == .urlEncodedForm {
                // A body that arrives in several pieces is still streaming when this runs: gather it first.
                if req.body.data == nil {
                    _ = try await req.body.collect(max: req.application.routes.defaultMaxBodySize.value).get()
                }
                given = try? req.content.get(String.self, at: CSRFMiddleware.field)
            } else if given == nil, req.headers.contentType?.type == "multipart", signedIn {
                // An upload (the import page) carries the token as one of its parts.
                if req.body.data == nil { _ = try await req.body.collect(max: ImportRuns.maxUpload).get() }
                given = try? req.content.get(String.self, at: CSRFMiddleware.field)
            }
            let matches =
                given.map { g in
                    [expected, anonymous].contains { $0.map { constantTimeEqual($0, g) } ?? false }
                } ?? false
            // The session has just ended, and this is a form one of its pages gave: kept for its owner.
            if let ended = req.storage[HeldForms.Ended.self], !signedIn, !req.isAPI, let given,
                constantTimeEqual(ended.csrf, given), req.headers.contentType == .urlEncodedForm
            {
                return try await HeldForms.hold(req, for: ended.userID)
            }
            guard matches else {
                throw Abort(
                    .forbidden,
                    reason: "The form had expired or did not come from Passage. Reload the page and try again.")
            }
        }
        let res = try await next.respond(to: req)
        if let token = req.storage[Pending.self] {
            res.cookies[Self.cookie] = HTTPCookies.Value(
                string: token, maxAge: 24 * 3600, path: "/", isSecure: req.application.passageConfig.secureCookies,
                isHTTPOnly: true, sameSite: .strict)
        }
        return res
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

extension Request {
    /// The CSRF token for the forms of this page: the session's when signed in, else the visitor's cookie's.
    var csrfToken: String {
        if hasSession, let t = session.data["csrf"] { return t }
        if auth.has(Identity.self) {
            let t = ApiTokens.generate()
            session.data["csrf"] = t
            return t
        }
        if let t = storage[CSRFMiddleware.Pending.self] { return t }
        if let t = cookies[CSRFMiddleware.cookie]?.string, t.hasPrefix("psg_"), t.count == 47 { return t }
        let t = ApiTokens.generate()
        storage[CSRFMiddleware.Pending.self] = t
        return t
    }
}
