import Vapor
import Fluent
import PassageDomain

/// The signed-in member of staff or partner token behind a request.
struct Identity: Authenticatable, Sendable {
    let userID: UUID
    let username: String
    let name: String
    let roles: Set<Role>
    let partnerID: UUID?
    let locale: String
    /// True when the request came with an API token rather than a browser session.
    let viaToken: Bool
    /// What the token is limited to, when it is a token with a scope.
    var scope: TokenScope? = nil
    /// The categories of restricted data the roles read, by the office's matrix (`FieldAccess`); the starting
    /// matrix's until the authenticator sets the office's.
    var categories: Set<DataCategory> = []

    var actor: Actor { Actor(id: userID.uuidString, name: username) }
    /// Whether the roles read a category of data (what one record grants is `FieldAccess.readable`).
    func reads(_ category: DataCategory) -> Bool { categories.contains(category) }
    func has(_ role: Role) -> Bool { roles.contains(role) }
    func hasAny(_ set: Set<Role>) -> Bool { !roles.isDisjoint(with: set) }
}

extension Identity {
    init(user: User, viaToken: Bool, scope: TokenScope? = nil) {
        self.init(
            userID: user.id!, username: user.username, name: user.displayName, roles: user.roles,
            partnerID: user.$partner.id, locale: user.locale, viaToken: viaToken, scope: scope,
            categories: CategoryMatrix.standard.categories(for: user.roles))
    }

    /// The identity with the categories the office's matrix gives its roles.
    func reading(_ matrix: CategoryMatrix) -> Identity {
        var copy = self
        copy.categories = matrix.categories(for: roles)
        return copy
    }
}

/// Restores the identity from the session cookie or an `Authorization: Bearer` API token.
struct IdentityAuthenticator: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = req.headers.bearerAuthorization {
            let digest = ApiTokens.hash(bearer.token)
            let found = try await ApiToken.query(on: req.db).filter(\ApiToken.$tokenHash == digest)
                .with(\.$user).first()
            if let token = found, token.user.active, token.unusableReason(today: Clock.today()) == nil {
                // A scope that no longer reads (its programme is not running here) admits nothing: fail closed.
                let scope: TokenScope?
                do { scope = try TokenScope.parse(token.scope, modules: req.application.modules) } catch {
                    throw Abort(.unauthorized, reason: "The API token's scope names a programme not running here.")
                }
                let matrix = try await FieldAccess.matrix(req.application, on: req.db)
                req.auth.login(Identity(user: token.user, viaToken: true, scope: scope).reading(matrix))
                // Note the use at most once a minute, so that a busy script does not write on every call.
                if (token.lastUsedAt ?? .distantPast) < Date(timeIntervalSinceNow: -60) {
                    let id = try token.requireID()
                    try? await req.writeTransaction { db in
                        try await ApiToken.query(on: db).filter(\.$id == id).set(\.$lastUsedAt, to: Clock.now())
                            .update()
                    }
                }
            } else {
                throw Abort(
                    .unauthorized,
                    reason: found?.unusableReason(today: Clock.today()) ?? "The API token is unknown or revoked.")
            }
        } else if req.hasSession, let raw = req.session.data["uid"], let id = UUID(uuidString: raw) {
            // A session ends after its lifetime even if its cookie is kept: the server decides.
            let since = Double(req.session.data["since"] ?? "") ?? 0
            let lifetime = Double(req.application.passageConfig.sessionMinutes) * 60
            if Clock.now().timeIntervalSince1970 - since > lifetime {
                // A form sent now is kept for its owner (see `HeldForms`), who signs in again to send it.
                if let csrf = req.session.data["csrf"] { req.storage[HeldForms.Ended.self] = (id, csrf) }
                req.session.destroy()
            } else if let user = try await User.find(id, on: req.db), user.active {
                let matrix = try await FieldAccess.matrix(req.application, on: req.db)
                req.auth.login(Identity(user: user, viaToken: false).reading(matrix))
            } else {
                req.session.destroy()
            }
        }
        return try await next.respond(to: req)
    }
}

enum ApiTokens {
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new token: 32 random bytes, URL-safe, prefixed so that it is recognisable in a leak scan.
    static func generate() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        let b64 = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "psg_" + b64
    }
}
