import Vapor
import PassageDomain

/// The OpenAPI 3 description of /api/v1. A test checks it names exactly the registered routes.
struct OpenAPIController {
    struct Operation {
        let method: String
        let path: String
        let summary: String
        let request: String?
        let response: String
        let status: String
        var query: [String] = []
    }

    static let operations: [Operation] = [
        .init(
            method: "get", path: "/persons",
            summary: "Search persons by name (any script, partial, misspelt), document number or date of birth",
            request: nil, response: "PersonPage", status: "200", query: ["name", "document", "dob", "limit", "offset"]),
        .init(
            method: "post", path: "/persons", summary: "Register a person", request: "PersonCreate", response: "Person",
            status: "201"),
        .init(
            method: "get", path: "/persons/{personID}",
            summary: "A person's record, household and cases (the read is audited)", request: nil,
            response: "PersonDetail", status: "200"),
        .init(
            method: "patch", path: "/persons/{personID}", summary: "Change fields of a person's record",
            request: "PersonForm", response: "Person", status: "200"),
        .init(
            method: "post", path: "/persons/{personID}/documents", summary: "Add an identity document",
            request: "IdentityDocumentForm", response: "Person", status: "201"),
        .init(
            method: "delete", path: "/persons/{personID}/documents/{documentID}",
            summary: "Remove an identity document", request: nil, response: "", status: "204"),
        .init(
            method: "post", path: "/persons/{personID}/household", summary: "Link a family member",
            request: "HouseholdLink", response: "HouseholdMembers", status: "201"),
        .init(
            method: "get", path: "/cases", summary: "List cases with filters and paging", request: nil,
            response: "CaseListing", status: "200",
            query: ["programme", "status", "location", "owner", "person", "page", "pageSize"]),
        .init(
            method: "get", path: "/cases/export",
            summary: "The filtered case list as CSV or XLSX, with the columns the caller's roles may read (audited)",
            request: nil,
            response: "", status: "200", query: ["format", "programme", "status", "location", "owner", "stage"]),
        .init(
            method: "post", path: "/cases", summary: "Open a case", request: "CaseForm", response: "CaseDetail",
            status: "201"),
        .init(
            method: "get", path: "/cases/{caseID}", summary: "A case with its timeline", request: nil,
            response: "CaseDetail", status: "200"),
        .init(
            method: "patch", path: "/cases/{caseID}",
            summary: "Change status, owner, office or summary; the reason goes on the timeline", request: "CaseChange",
            response: "CaseDetail", status: "200"),
        .init(
            method: "get", path: "/locations", summary: "The location registry", request: nil, response: "Locations",
            status: "200"),
        .init(
            method: "post", path: "/locations", summary: "Add a location (administrators)", request: "LocationForm",
            response: "Location", status: "201"),
        .init(
            method: "get", path: "/partners", summary: "The partner registry", request: nil, response: "Partners",
            status: "200"),
        .init(
            method: "post", path: "/partners", summary: "Add a partner organisation (administrators)",
            request: "PartnerForm", response: "Partner", status: "201"),
        .init(
            method: "get", path: "/me", summary: "Who the token or session belongs to", request: nil, response: "Me",
            status: "200"),
        .init(
            method: "get", path: "/openapi.json", summary: "This document", request: nil, response: "", status: "200"),
    ]

    static func str(_ extra: [String: Any] = [:]) -> [String: Any] { ["type": "string"].merging(extra) { $1 } }
    static func obj(_ props: [String: Any], required: [String] = []) -> [String: Any] {
        var o: [String: Any] = ["type": "object", "properties": props]
        if !required.isEmpty { o["required"] = required }
        return o
    }
    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    static func array(_ item: [String: Any]) -> [String: Any] { ["type": "array", "items": item] }

    static var schemas: [String: Any] {
        let uuid = str(["format": "uuid"])
        let personForm = obj([
            "familyName": str(), "givenNames": str(), "familyNameOriginal": str(), "givenNamesOriginal": str(),
            "aliases": array(str()), "sex": str(["enum": Sex.allCases.map(\.rawValue)]),
            "dateOfBirth": str(["description": "YYYY, YYYY-MM or YYYY-MM-DD; ~ in front for an estimate"]),
            "dateOfBirthEstimated": ["type": "boolean"],
            "nationality": str(["description": "ISO 3166-1 alpha-2, XX for unknown"]),
            "languages": array(str(["description": "ISO 639"])), "phone": str(["description": "E.164"]),
            "locationID": uuid,
        ])
        let docForm = obj(
            [
                "type": str(["enum": IdentityDocumentType.allCases.map(\.rawValue)]), "number": str(),
                "issuingCountry": str(), "expiresOn": str(["format": "date"]),
            ], required: ["type", "number", "issuingCountry"])
        let document = obj(["id": uuid, "type": str(), "number": str(), "issuingCountry": str(), "expiresOn": str()])
        let person = obj([
            "id": uuid, "reference": str(), "familyName": str(), "givenNames": str(), "familyNameOriginal": str(),
            "givenNamesOriginal": str(),
            "aliases": array(str()), "sex": str(), "dateOfBirth": str(), "nationality": str(), "nationalityName": str(),
            "languages": array(str()), "phone": str(), "locationID": uuid, "locationName": str(),
            "documents": array(document),
        ])
        let member = obj(["linkID": uuid, "personID": uuid, "name": str(), "relationship": str()])
        let caseSummary = obj([
            "id": uuid, "reference": str(), "programme": str(["enum": Programme.allCases.map(\.rawValue)]),
            "status": str(["enum": CaseStatus.allCases.map(\.rawValue)]), "personID": uuid, "personName": str(),
            "ownerID": uuid, "ownerName": str(), "officeLocationID": uuid, "officeName": str(), "openedOn": str(),
            "closedOn": str(), "summary": str(),
        ])
        let location = obj([
            "id": uuid, "name": str(), "kind": str(["enum": LocationKind.allCases.map(\.rawValue)]), "city": str(),
            "country": str(), "partnerID": uuid,
        ])
        let partner = obj([
            "id": uuid, "name": str(), "kind": str(["enum": PartnerKind.allCases.map(\.rawValue)]), "country": str(),
            "contactEmail": str(),
        ])
        return [
            "PersonForm": personForm,
            "PersonCreate": obj(
                ["person": ref("PersonForm"), "documents": array(ref("IdentityDocumentForm"))], required: ["person"]),
            "IdentityDocumentForm": docForm,
            "Person": person,
            "PersonPage": obj([
                "items": array(ref("Person")), "limit": ["type": "integer"], "offset": ["type": "integer"],
            ]),
            "PersonDetail": obj([
                "person": ref("Person"), "household": array(member), "cases": array(ref("CaseSummary")),
            ]),
            "HouseholdLink": obj(
                ["relatedPersonID": uuid, "relationship": str(["enum": Relationship.allCases.map(\.rawValue)])],
                required: ["relatedPersonID", "relationship"]),
            "HouseholdMembers": array(member),
            "CaseSummary": caseSummary,
            "CaseForm": obj(
                [
                    "programme": str(["enum": Programme.allCases.map(\.rawValue)]), "personID": uuid, "ownerID": uuid,
                    "officeLocationID": uuid, "openedOn": str(["format": "date"]), "summary": str(),
                ], required: ["programme", "personID"]),
            "CaseChange": obj([
                "status": str(["enum": CaseStatus.allCases.map(\.rawValue)]), "ownerID": uuid, "officeLocationID": uuid,
                "summary": str(), "reason": str(),
            ]),
            "CaseListing": obj([
                "items": array(ref("CaseSummary")), "total": ["type": "integer"], "page": ["type": "integer"],
                "pageSize": ["type": "integer"],
            ]),
            "CaseDetail": obj([
                "case": ref("CaseSummary"),
                "timeline": array(
                    obj(["at": str(["format": "date-time"]), "actor": str(), "kind": str(), "text": str()])),
            ]),
            "Location": location, "Locations": array(ref("Location")),
            "LocationForm": obj(
                ["name": str(), "kind": str(), "city": str(), "country": str(), "partnerID": uuid],
                required: ["name", "kind", "city", "country"]),
            "Partner": partner, "Partners": array(ref("Partner")),
            "PartnerForm": obj(
                ["name": str(), "kind": str(), "country": str(), "contactEmail": str()], required: ["name", "kind"]),
            "Me": obj(["id": uuid, "username": str(), "name": str(), "roles": str()]),
            "Error": obj(
                ["error": str(), "fields": array(obj(["field": str(), "message": str()]))], required: ["error"]),
        ]
    }

    /// The document for the shared operations and those of `modules`.
    static func document(_ modules: [any PassageModule] = Modules.registered) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        let errorContent: [String: Any] = ["application/json": ["schema": ref("Error")]]
        var schemas = Self.schemas
        for module in modules { schemas.merge(module.apiSchemas) { a, _ in a } }
        for op in operations + modules.flatMap(\.apiOperations) {
            var o: [String: Any] = [
                "summary": op.summary, "operationId": op.method + op.path.replacingOccurrences(of: "/", with: "_"),
            ]
            var params: [[String: Any]] = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                let name = String($0.dropFirst().dropLast())
                return [
                    "name": name, "in": "path", "required": true,
                    "schema": name.hasSuffix("ID") ? ["type": "string", "format": "uuid"] : ["type": "string"],
                ] as [String: Any]
            }
            params += op.query.map { ["name": $0, "in": "query", "required": false, "schema": ["type": "string"]] }
            if !params.isEmpty { o["parameters"] = params }
            if let r = op.request {
                o["requestBody"] = ["required": true, "content": ["application/json": ["schema": ref(r)]]]
            }
            var responses: [String: Any] = [
                "400": ["description": "Malformed request", "content": errorContent],
                "401": ["description": "Not signed in", "content": errorContent],
                "403": ["description": "The role does not allow this", "content": errorContent],
                "404": ["description": "No such record", "content": errorContent],
                "422": ["description": "Field-by-field reasons the input was refused", "content": errorContent],
                "409": [
                    "description":
                        "The record's state does not allow this (a workflow guard, a duplicate, a case whose intake is missing)",
                    "content": errorContent,
                ],
            ]
            if op.method != "get" {
                responses["415"] = [
                    "description": "The body is not JSON (send Content-Type: application/json)",
                    "content": errorContent,
                ]
            }
            responses[op.status] =
                op.response.isEmpty
                ? ["description": "OK"]
                : ["description": "OK", "content": ["application/json": ["schema": ref(op.response)]]]
            o["responses"] = responses
            paths[op.path, default: [:]][op.method] = o
        }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "Passage API", "version": "1.0.0",
                "description":
                    "Case management of the office. Authenticate with `Authorization: Bearer <token>` (tokens are issued by an administrator).",
            ],
            "servers": [["url": "/api/v1"]],
            "security": [["bearer": [String]()]],
            "paths": paths,
            "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]], "schemas": schemas],
        ]
    }

    func boot(_ api: any RoutesBuilder) {
        api.get("openapi.json", roles: Set(Role.allCases)) { req, _ -> Response in
            let document = Self.document(req.application.modules)
            let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(data: data))
        }
    }
}
