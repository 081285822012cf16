import Vapor
import PassageDomain

/// Who may use a route. Every route of Passage carries one; a test fails on any route without.
struct RouteAccess: Sendable, Hashable {
    /// Nil for routes anyone may reach (login, health, the stylesheet).
    let roles: Set<Role>?
    static let userInfoKey = "passage.access"
    static let anyone = RouteAccess(roles: nil)
}

/// A handler that knows who is asking.
typealias IdentifiedHandler<T> = @Sendable (Request, Identity) async throws -> T

extension RoutesBuilder {
    /// Registers a route open to the given roles; everyone else gets 403, and no one signed in gets 401 or the login
    /// page.
    @discardableResult
    func on<T: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: [PathComponent], body: HTTPBodyStreamStrategy = .collect, roles: Set<Role>,
        use handler: @escaping IdentifiedHandler<T>
    ) -> Route {
        let route = self.on(method, path, body: body) { req async throws -> Response in
            guard let identity = req.auth.get(Identity.self) else {
                if req.isAPI { throw Abort(.unauthorized, reason: "Sign in or send an API token.") }
                let next = req.url.path + (req.url.query.map { "?" + $0 } ?? "")
                return req.redirect(to: "/login?next=" + urlQuery(next))
            }
            guard identity.hasAny(roles) else {
                throw Abort(.forbidden, reason: "Your role does not allow this.")
            }
            if let scope = identity.scope,
                let refusal = scope.refusal(
                    method: req.method, routePath: req.route?.path.string ?? "", modules: req.application.modules)
            {
                throw Abort(.forbidden, reason: refusal)
            }
            return try await handler(req, identity).encodeResponse(for: req)
        }
        route.userInfo[RouteAccess.userInfoKey] = RouteAccess(roles: roles)
        return route
    }

    @discardableResult
    func get<T: AsyncResponseEncodable>(
        _ path: PathComponent..., roles: Set<Role>, use h: @escaping IdentifiedHandler<T>
    ) -> Route {
        on(.GET, path, roles: roles, use: h)
    }
    @discardableResult
    func post<T: AsyncResponseEncodable>(
        _ path: PathComponent..., roles: Set<Role>, use h: @escaping IdentifiedHandler<T>
    ) -> Route {
        on(.POST, path, roles: roles, use: h)
    }
    @discardableResult
    func patch<T: AsyncResponseEncodable>(
        _ path: PathComponent..., roles: Set<Role>, use h: @escaping IdentifiedHandler<T>
    ) -> Route {
        on(.PATCH, path, roles: roles, use: h)
    }
    @discardableResult
    func delete<T: AsyncResponseEncodable>(
        _ path: PathComponent..., roles: Set<Role>, use h: @escaping IdentifiedHandler<T>
    ) -> Route {
        on(.DELETE, path, roles: roles, use: h)
    }

    /// Registers a route anyone may use, and says so.
    @discardableResult
    func open<T: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent...,
        use handler: @Sendable @escaping (Request) async throws -> T
    ) -> Route {
        let route = self.on(method, path) { req async throws -> Response in
            try await handler(req).encodeResponse(for: req)
        }
        route.userInfo[RouteAccess.userInfoKey] = RouteAccess.anyone
        return route
    }
}

extension Request {
    var isAPI: Bool { url.path.hasPrefix("/api/") }

    /// A UUID path parameter; a malformed one is a 404, as an unknown one is.
    func uuid(_ name: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else {
            throw Abort(.notFound, reason: "No such record.")
        }
        return id
    }
}
