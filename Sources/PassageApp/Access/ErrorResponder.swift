import AsyncKit
import Vapor
import PassageDomain

/// Turns every error into a 4xx a person can act on (or a 500 that reveals nothing), as JSON
/// under /api and as a page elsewhere.
struct ErrorResponder: AsyncMiddleware {
    struct Body: Content {
        var error: String
        var fields: [ValidationErrors.Item]?
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            let (status, body) = describe(error, req: req)
            // What the error asks the client to do (Retry-After) goes with the answer, page or JSON.
            var extra = (error as? any AbortError)?.headers ?? [:]
            if error is ConnectionPoolTimeoutError { extra.replaceOrAdd(name: "Retry-After", value: "2") }
            // Vapor's media-type equality lets `*/*` match JSON, and browsers send `*/*`: ask for JSON by name.
            if req.isAPI
                || req.headers.accept.contains(where: {
                    $0.mediaType.type == "application" && $0.mediaType.subType == "json"
                })
            {
                let res = Response(status: status)
                try res.content.encode(body, as: .json)
                return Self.adding(extra, to: res)
            }
            let t = req.t
            let fields = (body.fields ?? []).map { "<li>\(HTML.escape($0.field)): \(HTML.escape($0.message))</li>" }
                .joined()
            let page = Layout.page(
                req: req, identity: req.auth.get(Identity.self), title: t("error.title"),
                body: """
                    <section class="error"><h1>\(t("error.title")) (\(Int(status.code)))</h1>
                    <p>\(body.error)</p>\(fields.isEmpty ? HTML.empty : HTML(raw: "<ul>\(fields)</ul>"))
                    <p><a href="/">\(t("error.home"))</a></p></section>
                    """)
            return Self.adding(extra, to: page.response(status: status))
        }
    }

    private static func adding(_ headers: HTTPHeaders, to res: Response) -> Response {
        for (name, value) in headers where name.lowercased() != "content-type" {
            res.headers.replaceOrAdd(name: name, value: value)
        }
        return res
    }

    private func describe(_ error: any Error, req: Request) -> (HTTPResponseStatus, Body) {
        switch error {
        case let v as ValidationErrors:
            return (.unprocessableEntity, Body(error: "Some fields need correcting.", fields: v.items))
        case let d as DomainError:
            switch d.kind {
            case .notAllowed: return (.forbidden, Body(error: d.message))
            case .conflict: return (.conflict, Body(error: d.message))
            case .invalid: return (.unprocessableEntity, Body(error: d.message))
            }
        case is DecodingError:
            return (.badRequest, Body(error: "The request body could not be read: \(Self.decodingReason(error))"))
        case is ConnectionPoolTimeoutError:
            // Every database connection stayed busy for the whole wait: nothing was done; the client may try again.
            return (
                .serviceUnavailable, Body(error: "The server is busy. Nothing was saved; please try again shortly.")
            )
        case let abort as any AbortError:
            if abort.status == .notFound && abort.reason == HTTPResponseStatus.notFound.reasonPhrase {
                return (.notFound, Body(error: "No such page or record."))
            }
            return (abort.status, Body(error: abort.reason))
        default:
            req.logger.report(error: error)
            return (
                .internalServerError,
                Body(error: "Something went wrong on our side. Nothing was saved; please try again.")
            )
        }
    }

    static func decodingReason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "malformed JSON" : "field '\(path)' has the wrong type"
        case .keyNotFound(let k, _):
            return "field '\(k.stringValue)' is missing"
        default:
            return "malformed body"
        }
    }
}
