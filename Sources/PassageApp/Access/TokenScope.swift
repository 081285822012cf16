import Vapor
import PassageDomain

/// What an API token may do beyond what its account's roles allow: only read, only one programme's API routes, or
/// both. A token without a scope may use every route its account may.
struct TokenScope: Sendable, Hashable {
    var readOnly = false
    /// The name of a registered module ("return", "movements"); its API operations are the routes the token may use.
    var programme: String?

    /// The stored text: `read`, `programme:return`, `read,programme:return`; nil for no restriction.
    var text: String? {
        let parts = (readOnly ? ["read"] : []) + (programme.map { ["programme:" + $0] } ?? [])
        return parts.isEmpty ? nil : parts.joined(separator: ",")
    }

    /// Reads a scope as typed on the command line or chosen on the form; blank or `all` is no restriction.
    static func parse(_ raw: String?, modules: [any PassageModule]) throws -> TokenScope? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if text.isEmpty || text == "all" { return nil }
        var scope = TokenScope()
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if part == "read" {
                scope.readOnly = true
            } else if part.hasPrefix("programme:"), scope.programme == nil,
                let m = modules.first(where: { $0.name == part.dropFirst("programme:".count) })
            {
                scope.programme = m.name
            } else {
                let names = modules.filter { !$0.apiOperations.isEmpty }.map { "programme:" + $0.name }
                throw ValidationErrors(
                    "scope",
                    "'\(part)' is not a scope: use all, read, one of \(names.joined(separator: ", ")), "
                        + "or read with one programme (read,programme:return)")
            }
        }
        return scope
    }

    /// Why a request with this token is refused, or nil when it may go on to the role check's answer.
    func refusal(method: HTTPMethod, routePath: String, modules: [any PassageModule]) -> String? {
        if readOnly, method != .GET, method != .HEAD {
            return "This API token may only read."
        }
        if let programme {
            let allowed = Self.operations(of: programme, modules: modules)
            if !allowed.contains(Self.key(method.rawValue, routePath)) {
                return "This API token may only use the \(programme) programme's API routes."
            }
        }
        return nil
    }

    /// "GET api/v1/return/cases/:caseID" for each API operation of the module.
    static func operations(of programme: String, modules: [any PassageModule]) -> Set<String> {
        guard let m = modules.first(where: { $0.name == programme }) else { return [] }
        return Set(
            m.apiOperations.map { op in
                let path = op.path.split(separator: "/").map { part in
                    part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
                }
                return key(op.method, (["api", "v1"] + path).joined(separator: "/"))
            })
    }

    static func key(_ method: String, _ path: String) -> String {
        method.uppercased() + " " + path.split(separator: "/").joined(separator: "/")
    }
}

extension ApiToken {
    /// Nil while the token may be used; otherwise why not.
    func unusableReason(today: PartialDate) -> String? {
        if revokedAt != nil { return "The API token is unknown or revoked." }
        if let last = expiresOn, last < today.isoText {
            return "The API token expired at the end of \(last)."
        }
        return nil
    }
}
