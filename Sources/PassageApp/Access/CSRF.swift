import Vapor

/// Every state-changing browser request must carry the session's CSRF token, as the form field
/// `_csrf` or the `X-CSRF-Token` header. Requests with an API token carry no cookie and are exempt.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let unsafe = ![.GET, .HEAD, .OPTIONS].contains(req.method)
        if unsafe && req.headers.bearerAuthorization == nil {
            let expected = req.hasSession ? req.session.data["csrf"] : nil
            var given = req.headers.first(name: "X-CSRF-Token")
            if given == nil, req.headers.contentType == .urlEncodedForm {
                // A body that arrives in several pieces is still streaming when this runs: gather it first.
                if req.body.data == nil {
                    _ = try await req.body.collect(max: req.application.routes.defaultMaxBodySize.value).get()
                }
                given = try? req.content.get(String.self, at: CSRFMiddleware.field)
            }
            guard let expected, let given, constantTimeEqual(expected, given) else {
                throw Abort(.forbidden, reason: "The form had expired or did not come from Passage. Reload the page and try again.")
            }
        }
        return try await next.respond(to: req)
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

extension Request {
    /// The session's CSRF token, created on first use.
    var csrfToken: String {
        if let t = session.data["csrf"] { return t }
        let t = ApiTokens.generate()
        session.data["csrf"] = t
        return t
    }
}
