import Foundation

/// A JSON Schema, in the subset OpenAPI 3.0 uses, from which the API document is built. A module describes each
/// request and answer with it; `validate` checks a JSON value against it (the tests hold every answer to it).
indirect enum APISchema: Sendable {
    case string(format: String?, values: [String]?)
    case integer(minimum: Int?, maximum: Int?)
    case number
    case boolean
    case array(APISchema)
    /// An object with known properties; `closed` ones carry no other (answers are closed, requests open).
    case object([String: APISchema], required: [String], closed: Bool)
    /// An object whose keys are data (counts by kind), every value of one schema.
    case map(APISchema)
    /// A schema of the document's components, by name.
    case ref(String)
    case nullable(APISchema)
    case described(APISchema, String)
    /// A value that is accepted, shown in the document (and sent by tools that try the API).
    case example(APISchema, String)

    static let text = APISchema.string(format: nil, values: nil)
    static let uuid = APISchema.string(format: "uuid", values: nil)
    static let date = APISchema.string(format: "date", values: nil)
    static let dateTime = APISchema.string(format: "date-time", values: nil)
    static let int = APISchema.integer(minimum: nil, maximum: nil)
    static let bool = APISchema.boolean

    /// One of the values of a domain enum.
    static func words<T: CaseIterable & RawRepresentable>(_: T.Type) -> APISchema where T.RawValue == String {
        .string(format: nil, values: T.allCases.map(\.rawValue))
    }
    static func oneOf(_ values: [String]) -> APISchema { .string(format: nil, values: values) }
    static func integer(_ range: ClosedRange<Int>) -> APISchema {
        .integer(minimum: range.lowerBound, maximum: range.upperBound)
    }

    /// A request body or part of one: unknown properties are ignored by the server.
    static func form(_ properties: [String: APISchema], required: [String] = []) -> APISchema {
        .object(properties, required: required, closed: false)
    }
    /// An answer: exactly these properties, each present unless named in `optional` (absent when it has no value).
    static func record(_ properties: [String: APISchema], optional: [String] = []) -> APISchema {
        let absent = Set(optional)
        return .object(properties, required: properties.keys.filter { !absent.contains($0) }.sorted(), closed: true)
    }

    func described(_ text: String) -> APISchema { .described(self, text) }
    func example(_ value: String) -> APISchema { .example(self, value) }
    var orNull: APISchema { .nullable(self) }

    /// The schema as the JSON object the OpenAPI document holds.
    var json: [String: Any] {
        switch self {
        case .string(let format, let values):
            var o: [String: Any] = ["type": "string"]
            if let format { o["format"] = format }
            if let values { o["enum"] = values }
            return o
        case .integer(let minimum, let maximum):
            var o: [String: Any] = ["type": "integer"]
            if let minimum { o["minimum"] = minimum }
            if let maximum { o["maximum"] = maximum }
            return o
        case .number: return ["type": "number"]
        case .boolean: return ["type": "boolean"]
        case .array(let item): return ["type": "array", "items": item.json]
        case .object(let properties, let required, let closed):
            var o: [String: Any] = ["type": "object", "properties": properties.mapValues(\.json)]
            if !required.isEmpty { o["required"] = required.sorted() }
            if closed { o["additionalProperties"] = false }
            return o
        case .map(let value): return ["type": "object", "additionalProperties": value.json]
        case .ref(let name): return ["$ref": "#/components/schemas/\(name)"]
        case .nullable(let inner):
            if case .ref = inner { return ["allOf": [inner.json], "nullable": true] }
            return inner.json.merging(["nullable": true]) { $1 }
        case .described(let inner, let text):
            if case .ref = inner { return ["allOf": [inner.json], "description": text] }
            return inner.json.merging(["description": text]) { $1 }
        case .example(let inner, let value):
            var o = inner.json
            if case .array = inner { o["example"] = [value] } else { o["example"] = value }
            return o
        }
    }

    /// The names of the components this schema refers to.
    var references: Set<String> {
        switch self {
        case .ref(let name): return [name]
        case .array(let s), .map(let s), .nullable(let s), .described(let s, _), .example(let s, _):
            return s.references
        case .object(let properties, _, _): return properties.values.reduce(into: []) { $0.formUnion($1.references) }
        default: return []
        }
    }

    /// Where `value` departs from the schema, one line per place, like "$.grants[0].cash: expected an integer";
    /// empty when it conforms.
    func violations(of value: JSONValue, components: [String: APISchema], at path: String = "$") -> [String] {
        if case .null = value {
            switch self {
            case .nullable: return []
            case .described(let inner, _), .example(let inner, _):
                return inner.violations(of: value, components: components, at: path)
            case .ref(let name): return components[name]?.violations(of: value, components: components, at: path) ?? []
            default: return ["\(path): null where a value is required"]
            }
        }
        switch (self, value) {
        case (.string(let format, let values), .string(let s)):
            if let values, !values.contains(s) { return ["\(path): '\(s)' is not one of \(values)"] }
            if let format, !Self.matches(s, format: format) { return ["\(path): '\(s)' is not a \(format)"] }
            return []
        case (.integer(let minimum, let maximum), .number(let n)):
            guard n == n.rounded() else { return ["\(path): expected an integer, got \(n)"] }
            if let minimum, n < Double(minimum) { return ["\(path): below \(minimum)"] }
            if let maximum, n > Double(maximum) { return ["\(path): above \(maximum)"] }
            return []
        case (.number, .number), (.boolean, .bool): return []
        case (.array(let item), .array(let a)):
            return a.enumerated().flatMap { item.violations(of: $1, components: components, at: "\(path)[\($0)]") }
        case (.object(let properties, let required, let closed), .object(let o)):
            var found = required.filter { o[$0] == nil }.map { "\(path).\($0): missing" }
            for (key, v) in o.sorted(by: { $0.key < $1.key }) {
                if let s = properties[key] {
                    found += s.violations(of: v, components: components, at: "\(path).\(key)")
                } else if closed {
                    found.append("\(path).\(key): not in the schema")
                }
            }
            return found
        case (.map(let schema), .object(let o)):
            return o.sorted { $0.key < $1.key }.flatMap {
                schema.violations(of: $0.value, components: components, at: "\(path).\($0.key)")
            }
        case (.ref(let name), _):
            guard let s = components[name] else { return ["\(path): no schema named \(name)"] }
            return s.violations(of: value, components: components, at: path)
        case (.nullable(let inner), _), (.described(let inner, _), _), (.example(let inner, _), _):
            return inner.violations(of: value, components: components, at: path)
        default:
            return ["\(path): expected \(kindName), got \(value.kindName)"]
        }
    }

    private var kindName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "true or false"
        case .array: "an array"
        case .object, .map: "an object"
        case .ref(let name): name
        case .nullable(let s), .described(let s, _), .example(let s, _): s.kindName
        }
    }

    private static func matches(_ s: String, format: String) -> Bool {
        switch format {
        case "uuid": return UUID(uuidString: s) != nil
        case "date": return s.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil
        case "date-time":
            let withFraction = ISO8601DateFormatter()
            withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return ISO8601DateFormatter().date(from: s) != nil || withFraction.date(from: s) != nil
        default: return true
        }
    }
}

/// One operation of the API: its method and path, what it does, its query parameters, the body it takes, the answer
/// it gives on success and the failures it can answer with.
struct APIOperation: Sendable {
    let method: String
    let path: String
    let summary: String
    /// The name of the component schema of the body, if it takes one.
    let request: String?
    /// The name of the component schema of the successful answer; empty for an answer without a body.
    let response: String
    let status: String
    var query: [APIParameter] = []
    /// The body of a successful answer that is not JSON (a CSV or XLSX export), by media type.
    var files: [String] = []

    init(
        method: String, path: String, summary: String, request: String?, response: String, status: String,
        query: [APIParameter] = [], files: [String] = []
    ) {
        self.method = method
        self.path = path
        self.summary = summary
        self.request = request
        self.response = response
        self.status = status
        self.query = query
        self.files = files
    }

    /// The failures: a malformed request, no or a bad token, a role that may not, no such record, a refused field,
    /// a state that does not allow it; a body that is not JSON or too large where there is a body.
    var failures: [Int] {
        var codes = [400, 401, 403, 404, 409, 422]
        if method != "get" { codes += [413, 415] }
        return codes
    }
}

/// A query parameter and the values it takes.
struct APIParameter: Sendable, ExpressibleByStringLiteral {
    let name: String
    let schema: APISchema

    init(_ name: String, _ schema: APISchema) {
        self.name = name
        self.schema = schema
    }
    /// A text parameter.
    init(stringLiteral name: String) { self.init(name, .text) }

    /// A whole number from a range (paging).
    static func integer(_ name: String, _ range: ClosedRange<Int>) -> APIParameter { .init(name, .integer(range)) }
}

/// A JSON value as read from an answer, for checking it against a schema.
enum JSONValue: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "true or false"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
