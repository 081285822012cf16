import Vapor

/// Markup whose interpolated strings are escaped unless they are themselves `HTML`.
struct HTML: Sendable, ExpressibleByStringInterpolation, AsyncResponseEncodable {
    var raw: String

    init(raw: String) { self.raw = raw }
    init(stringLiteral value: String) { raw = value }
    init(stringInterpolation: Interpolation) { raw = stringInterpolation.out }

    struct Interpolation: StringInterpolationProtocol {
        var out = ""
        init(literalCapacity: Int, interpolationCount: Int) { out.reserveCapacity(literalCapacity * 2) }
        mutating func appendLiteral(_ literal: String) { out += literal }
        mutating func appendInterpolation(_ text: String) { out += HTML.escape(text) }
        mutating func appendInterpolation(_ text: String?) { out += HTML.escape(text ?? "") }
        mutating func appendInterpolation(_ n: Int) { out += String(n) }
        mutating func appendInterpolation(_ html: HTML) { out += html.raw }
        mutating func appendInterpolation(_ parts: [HTML]) { for p in parts { out += p.raw } }
    }

    static func escape(_ s: String) -> String {
        var r = ""
        r.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": r += "&amp;"
            case "<": r += "&lt;"
            case ">": r += "&gt;"
            case "\"": r += "&quot;"
            case "'": r += "&#39;"
            default: r.append(ch)
            }
        }
        return r
    }

    static let empty = HTML(raw: "")

    static func + (a: HTML, b: HTML) -> HTML { HTML(raw: a.raw + b.raw) }

    func encodeResponse(for request: Request) async throws -> Response {
        response(status: .ok)
    }

    func response(status: HTTPResponseStatus) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: raw))
    }
}

/// Percent-encodes a query value.
func urlQuery(_ s: String) -> String {
    s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? ""
}
