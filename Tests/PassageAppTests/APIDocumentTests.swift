import Foundation
import PassageDomain
import Testing
import VaporTesting

@testable import PassageApp

/// A module whose answers have drifted from what it documents.
private struct DriftTestModule: PassageModule {
    var name: String { "drift-test" }

    func routes(_ app: Application, api: any RoutesBuilder) {
        api.get("drift-test", roles: [.manager]) { req, _ -> Response in
            let body = req.query[String.self, at: "body"] ?? #"{"count": 3}"#
            let status = HTTPStatus(statusCode: (try? req.query.get(Int.self, at: "status")) ?? 200)
            return Response(status: status, headers: ["Content-Type": "application/json"], body: .init(string: body))
        }
    }

    var apiOperations: [OpenAPIController.Operation] {
        [
            .init(
                method: "get", path: "/drift-test", summary: "Answers what it is told to", request: nil,
                response: "Drift", status: "200", query: ["body", .integer("status", 100...599)])
        ]
    }

    var apiSchemas: [String: APISchema] {
        ["Drift": .record(["count": .int, "kind": .words(Programme.self)], optional: ["kind"])]
    }
}

@Suite struct APIDocumentTests {
    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test func a_schema_names_each_place_an_answer_departs_from_it() throws {
        let components: [String: APISchema] = [
            "Item": .record(["id": .uuid, "on": .date, "at": .dateTime, "n": .int], optional: ["at"])
        ]
        let list = APISchema.record(
            [
                "items": .array(.ref("Item")), "kind": .words(Programme.self), "counts": .map(.int),
                "note": APISchema.text.orNull, "ok": .bool,
            ], optional: ["note"])
        let good = try Self.json(
            #"{"items": [{"id": "6F9619FF-8B86-D011-B42D-00C04FC964FF", "on": "2026-01-31", "n": 2,"#
                + #" "at": "2026-01-31T10:00:00.125Z"}], "kind": "resettlement", "counts": {"a": 1}, "note": null,"#
                + #" "ok": true}"#)
        #expect(list.violations(of: good, components: components).isEmpty)

        let bad = try Self.json(
            #"{"items": [{"id": "nope", "on": "31-01-2026", "n": 2.5, "extra": 1}], "kind": "outreach","#
                + #" "counts": {"a": "one"}, "ok": 1}"#)
        let found = Set(list.violations(of: bad, components: components))
        #expect(found.contains("$.items[0].id: 'nope' is not a uuid"))
        #expect(found.contains("$.items[0].on: '31-01-2026' is not a date"))
        #expect(found.contains("$.items[0].n: expected an integer, got 2.5"))
        #expect(found.contains("$.items[0].extra: not in the schema"))
        #expect(found.contains { $0.hasPrefix("$.kind: 'outreach' is not one of") })
        #expect(found.contains("$.counts.a: expected an integer, got a string"))
        #expect(found.contains("$.ok: expected true or false, got a number"))
        #expect(found.count == 7)
        #expect(
            list.violations(of: try Self.json("{}"), components: components).sorted() == [
                "$.counts: missing", "$.items: missing", "$.kind: missing", "$.ok: missing",
            ])
    }

    /// With the check on (as in every test), an answer that drifts from the document is a 500 that says where.
    @Test(arguments: TestDatabase.available)
    func an_answer_that_drifts_from_the_document_is_refused(_ db: TestDatabase) async throws {
        try await withHarness(db, adjust: { $0.modules = Modules.registered + [DriftTestModule()] }) { h in
            #expect(try await h.send(.GET, "/api/v1/drift-test", as: .manager).status == .ok)
            let extra = try await h.send(.GET, "/api/v1/drift-test?body=%7B%22count%22:1,%22x%22:2%7D", as: .manager)
            #expect(extra.status == .internalServerError)
            #expect(extra.body.string.contains("$.x: not in the schema"))
            let missing = try await h.send(.GET, "/api/v1/drift-test?body=%7B%7D", as: .manager)
            #expect(missing.body.string.contains("$.count: missing"))
            let teapot = try await h.send(.GET, "/api/v1/drift-test?status=418", as: .manager)
            #expect(teapot.status == .internalServerError)
            #expect(teapot.body.string.contains("status 418 is not among those the document names"))
            // A documented refusal carries the error body.
            let refused = try await h.send(
                .GET, "/api/v1/drift-test?status=409&body=%7B%22error%22:%22no%22%7D", as: .manager)
            #expect(refused.status == .conflict)
            // Refusals the server makes itself are documented too.
            #expect(try await h.send(.GET, "/api/v1/drift-test", as: .counsellor).status == .forbidden)
            #expect(try await h.send(.GET, "/api/v1/drift-test", as: nil).status == .unauthorized)
        }
    }
}
