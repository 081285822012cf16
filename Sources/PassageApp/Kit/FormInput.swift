import PassageDomain
import Vapor

/// The fields of a form or a JSON object, as text. JSON numbers and booleans become their text,
/// arrays become comma-separated lists.
enum FormInput {
    enum Value: Codable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case text(String)
        var string: String { if case .text(let s) = self { return s }; return "" }
        init(stringLiteral value: String) { self = .text(value) }
        init(integerLiteral value: Int) { self = .text(String(value)) }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(string)
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .text(""); return }
            if let s = try? c.decode(String.self) { self = .text(s); return }
            if let b = try? c.decode(Bool.self) { self = .text(b ? "true" : "false"); return }
            if let i = try? c.decode(Int.self) { self = .text(String(i)); return }
            if let d = try? c.decode(Double.self) { self = .text(String(d)); return }
            if let a = try? c.decode([String].self) { self = .text(a.joined(separator: ",")); return }
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "expected text, a number, true/false or a list of text")
        }
    }

    static func fields(_ req: Request) throws -> FormFields {
        if req.headers.contentType == .json {
            return try req.content.decode([String: Value].self).mapValues(\.string)
        }
        guard req.body.data != nil || req.body.string != nil else { return [:] }
        return (try? req.content.decode([String: String].self)) ?? [:]
    }
}
