import Vapor

/// Holds every answer of /api/v1 to the API document: a status the operation does not name, or a JSON body that
/// departs from its schema, is replaced by a 500 that says where. The test suite runs with it on
/// (`AppConfig.checkAPIAnswers`), so that every API test is also a test of the document.
struct APIConformance: AsyncMiddleware {
    let operations: [String: APIOperation]
    let components: [String: APISchema]

    init(modules: [any PassageModule]) {
        var index: [String: APIOperation] = [:]
        for op in OpenAPIController.operations + modules.flatMap(\.apiOperations) {
            index[op.method.uppercased() + " " + op.path] = op
        }
        operations = index
        components = OpenAPIController.components(modules)
    }

    /// The operation's key of a matched route: "GET /return/cases/{caseID}".
    static func key(_ req: Request) -> String? {
        guard let route = req.route else { return nil }
        let parts = route.path.map { component -> String in
            switch component {
            case .constant(let s): s
            case .parameter(let name): "{\(name)}"
            case .anything: "*"
            case .catchall: "**"
            }
        }
        guard parts.count > 2, parts[0] == "api", parts[1] == "v1" else { return nil }
        return req.method.rawValue + " /" + parts.dropFirst(2).joined(separator: "/")
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let res = try await next.respond(to: req)
        guard let key = Self.key(req) else { return res }
        let problems = check(res, key: key)
        guard !problems.isEmpty else { return res }
        let text =
            "The answer of \(key) (\(res.status.code)) does not match the API document:\n"
            + problems.prefix(20).joined(separator: "\n")
        req.logger.error("\(text)")
        return Response(status: .internalServerError, body: .init(string: text))
    }

    func check(_ res: Response, key: String) -> [String] {
        guard let op = operations[key] else { return ["the document has no operation \(key)"] }
        let code = Int(res.status.code)
        let schema: APISchema?
        if String(code) == op.status {
            schema = op.response.isEmpty ? nil : .ref(op.response)
        } else if op.failures.contains(code) {
            schema = .ref("Error")
        } else {
            return ["status \(code) is not among those the document names for it"]
        }
        guard let schema else { return [] }
        if let type = res.headers.contentType, type != .json {
            let name = type.type + "/" + type.subType
            let named = String(code) == op.status && op.files.contains(name)
            return named ? [] : ["the answer is \(name), which the document does not name for status \(code)"]
        }
        guard let body = res.body.data else {
            return ["the answer is not JSON"]
        }
        do {
            let value = try JSONDecoder().decode(JSONValue.self, from: body)
            return schema.violations(of: value, components: components)
        } catch {
            return ["the answer is not valid JSON"]
        }
    }
}
