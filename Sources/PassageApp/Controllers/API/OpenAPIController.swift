import Vapor
import PassageDomain

/// The OpenAPI 3 description of /api/v1. A test checks it names exactly the registered routes.
struct OpenAPIController {
    typealias Operation = APIOperation

    static let operations: [Operation] = [
        .init(
            method: "get", path: "/persons",
            summary: "Search persons by name (any script, partial, misspelt), document number or date of birth",
            request: nil, response: "PersonPage", status: "200",
            query: [
                "name", "document", "dob", .integer("limit", 1...200), .integer("offset", 0...10_000_000),
            ]),
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
            method: "get", path: "/persons/duplicate-reviews",
            summary: "The review queue: pairs the registry check took for one person, best first (reads audited)",
            request: nil, response: "DuplicateReviews", status: "200",
            query: [.integer("limit", 1...200), .integer("offset", 0...10_000_000)]),
        .init(
            method: "post", path: "/persons/duplicate-reviews/check",
            summary:
                "Start a check of the whole registry for records of one person, run in the background, that refills "
                + "the review queue (managers); while one runs, that one is answered",
            request: nil, response: "RegistryCheck", status: "202"),
        .init(
            method: "get", path: "/persons/duplicate-reviews/check",
            summary: "The latest registry check: waiting, running (its step and how far), done or failed",
            request: nil, response: "RegistryCheck", status: "200"),
        .init(
            method: "get", path: "/persons/{personID}/duplicates",
            summary: "Other records that may be this person, with score and reasons (each is a read, audited)",
            request: nil, response: "DuplicateCandidates", status: "200"),
        .init(
            method: "post", path: "/persons/{personID}/merge",
            summary: "Merge another record of this person into this one: its rows move here, it leads here, audited",
            request: "MergeRequest", response: "PersonMerge", status: "200"),
        .init(
            method: "post", path: "/persons/merges/{mergeID}/undo",
            summary: "Undo a merge (by whoever merged, or a manager); refused when what it moved changed since",
            request: nil, response: "PersonMerge", status: "200"),
        .init(
            method: "post", path: "/persons/{personID}/distinct",
            summary: "Record that another record is not this person: never offered as a duplicate again",
            request: "DistinctRequest", response: "", status: "204"),
        .init(
            method: "post", path: "/persons/{personID}/household", summary: "Link a family member",
            request: "HouseholdLink", response: "HouseholdMembers", status: "201"),
        .init(
            method: "get", path: "/persons/{personID}/consents",
            summary: "The person's consents per purpose, with their state (the read is audited)", request: nil,
            response: "Consents", status: "200"),
        .init(
            method: "post", path: "/persons/{personID}/consents",
            summary: "Record a consent the person gave for a purpose", request: "ConsentForm", response: "Consent",
            status: "201"),
        .init(
            method: "post", path: "/persons/{personID}/consents/{consentID}/withdraw",
            summary: "Record the withdrawal of a consent: what rests on it stops", request: "ConsentWithdrawal",
            response: "Consent", status: "200"),
        .init(
            method: "get", path: "/protection/access",
            summary: "Who reads each category of data (the office's matrix) and the fields each category holds",
            request: nil, response: "CategoryAccess", status: "200"),
        .init(
            method: "get", path: "/cases", summary: "List cases with filters and paging", request: nil,
            response: "CaseListing", status: "200",
            query: [
                .init("programme", .words(Programme.self)), .init("status", .words(CaseStatus.self)), "location",
                "owner", "person", .integer("page", 1...Request.maxPage), .integer("pageSize", 1...200),
            ]),
        .init(
            method: "get", path: "/cases/export",
            summary: "The filtered case list as CSV or XLSX, with the columns the caller's roles may read (audited)",
            request: nil,
            response: "", status: "200",
            query: [
                .init("format", .oneOf(["csv", "xlsx"])), .init("programme", .words(Programme.self)),
                .init("status", .words(CaseStatus.self)), "location", "owner", "stage",
            ],
            files: ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]),
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
            method: "post", path: "/partners/proposals",
            summary: "Propose an embassy missing from the registry (usable at once, confirmed by an administrator)",
            request: "EmbassyProposal", response: "Partner", status: "201"),
        .init(
            method: "get", path: "/me", summary: "Who the token or session belongs to", request: nil, response: "Me",
            status: "200"),
        .init(
            method: "get", path: "/openapi.json", summary: "This document", request: nil, response: "", status: "200"),
    ]

    static var schemas: [String: APISchema] {
        let uuid = APISchema.uuid
        let personForm = APISchema.form([
            "familyName": APISchema.text.example("Haddad"), "givenNames": APISchema.text.example("Omar"),
            "familyNameOriginal": .text, "givenNamesOriginal": .text, "aliases": .array(.text), "sex": .words(Sex.self),
            "dateOfBirth": APISchema.text.described("YYYY, YYYY-MM or YYYY-MM-DD; ~ in front for an estimate")
                .example("1990-05-17"),
            "dateOfBirthEstimated": .bool,
            "nationality": APISchema.text.described("ISO 3166-1 alpha-2, XX for unknown").example("SY"),
            "languages": APISchema.array(.text.described("ISO 639")).example("ar"),
            "phone": APISchema.text.described("E.164").example("+31612345678"),
            "locationID": uuid,
        ])
        let docForm = APISchema.form(
            [
                "type": .words(IdentityDocumentType.self), "number": APISchema.text.example("N0123456"),
                "issuingCountry": APISchema.text.example("SY"), "expiresOn": APISchema.date.example("2031-03-31"),
            ], required: ["type", "number", "issuingCountry"])
        let document = APISchema.record(
            ["id": uuid, "type": .text, "number": .text, "issuingCountry": .text, "expiresOn": .text],
            optional: ["expiresOn"])
        let person = APISchema.record(
            [
                "id": uuid, "reference": .text, "familyName": .text, "givenNames": .text, "familyNameOriginal": .text,
                "givenNamesOriginal": .text, "aliases": .array(.text), "sex": .text, "dateOfBirth": .text,
                "nationality": .text, "nationalityName": .text, "languages": .array(.text), "phone": .text,
                "locationID": uuid, "locationName": .text, "documents": .array(document),
                "matches": .array(
                    APISchema.record([
                        "kind": .words(SearchTerms.Match.Kind.self), "queried": .text, "stored": .text,
                    ])
                ).described("in search results: how each word sought met the person's names"),
                "dateOfBirthMatch": APISchema.words(IdentityMatch.Reason.Code.self).described(
                    "in search results by date of birth: how the date sought met the person's"),
            ],
            optional: [
                "familyNameOriginal", "givenNamesOriginal", "dateOfBirth", "phone", "locationID", "locationName",
                "matches", "dateOfBirthMatch",
            ])
        let member = APISchema.record(["linkID": uuid, "personID": uuid, "name": .text, "relationship": .text])
        let caseSummary = APISchema.record(
            [
                "id": uuid, "reference": .text, "programme": .words(Programme.self),
                "status": .words(CaseStatus.self), "personID": uuid, "personName": .text,
                "ownerID": uuid, "ownerName": .text, "officeLocationID": uuid, "officeName": .text, "openedOn": .date,
                "closedOn": .date, "summary": .text,
            ], optional: ["personName", "ownerID", "ownerName", "officeLocationID", "officeName", "closedOn"])
        let location = APISchema.record(
            [
                "id": uuid, "name": .text, "kind": .words(LocationKind.self), "city": .text,
                "country": .text, "partnerID": uuid,
            ], optional: ["partnerID"])
        let partner = APISchema.record(
            [
                "id": uuid, "name": .text, "kind": .words(PartnerKind.self), "country": .text,
                "contactEmail": .text, "proposedBy": .text,
            ], optional: ["country", "contactEmail", "proposedBy"])
        return [
            "PersonForm": personForm,
            "PersonCreate": .form(
                [
                    "person": .ref("PersonForm"), "documents": .array(.ref("IdentityDocumentForm")),
                    "notSameAs": APISchema.array(uuid).described(
                        "ids of the possible duplicates a 409 named that the caller checked and found to be someone else"
                    ),
                ], required: ["person"]),
            "DuplicateCandidates": .array(.ref("DuplicateCandidate")),
            "DuplicateReviews": .record([
                "items": .array(
                    .record(["id": uuid, "score": .int, "personA": .ref("Person"), "personB": .ref("Person")])),
                "total": .int, "limit": .int, "offset": .int,
            ]),
            "RegistryCheck": .record(
                [
                    "id": uuid, "status": .words(RegistryCheck.Status.self),
                    "step": .words(RegistryDuplicates.Step.self), "done": .int, "total": .int,
                    "percent": APISchema.int.described("how far the whole check is, 0 to 100"),
                    "requestedAt": APISchema.dateTime, "finishedAt": APISchema.dateTime, "persons": .int, "pairs": .int,
                    "seconds": .number,
                    "error": .text,
                ], optional: ["finishedAt", "persons", "pairs", "seconds", "error"]),
            "MergeRequest": .form(
                ["mergedID": uuid, "reason": APISchema.text.example("Registered twice at two centres")],
                required: ["mergedID", "reason"]),
            "DistinctRequest": .form(["otherID": uuid], required: ["otherID"]),
            "ConsentForm": .form(
                [
                    "purpose": .words(ProcessingPurpose.self), "givenOn": APISchema.date.example("2026-03-14"),
                    "scope": APISchema.text.example("DNA test of the sponsor and two children"),
                    "expiresOn": .date,
                ], required: ["purpose", "givenOn", "scope"]),
            "ConsentWithdrawal": .form(
                ["withdrawnOn": APISchema.date.described("today when left out"), "note": .text]),
            "Consent": .record(
                [
                    "id": uuid, "purpose": .words(ProcessingPurpose.self), "givenOn": .date, "scope": .text,
                    "expiresOn": .date, "recordedBy": .text, "withdrawnOn": .date, "withdrawnBy": .text,
                    "withdrawalNote": .text, "status": .oneOf(["live", "lapsed", "withdrawn", "future"]),
                ], optional: ["expiresOn", "withdrawnOn", "withdrawnBy", "withdrawalNote"]),
            "Consents": .array(.ref("Consent")),
            "CategoryAccess": .record([
                "categories": .array(
                    .record([
                        "category": .words(DataCategory.self), "roles": .array(.words(Role.self)),
                        "fields": .array(APISchema.text.described("entity, or entity.field")),
                    ]))
            ]),
            "PersonMerge": .record(
                [
                    "id": uuid, "survivorID": uuid, "mergedID": uuid, "reason": .text, "mergedBy": .text,
                    "mergedAt": .dateTime, "moved": APISchema.map(.int).described("rows moved, by table"),
                    "undoneAt": .dateTime,
                ], optional: ["undoneAt"]),
            "DuplicateCandidate": .record([
                "person": .ref("Person"), "score": .integer(0...100),
                "reasons": .array(
                    APISchema.record(
                        ["code": .words(IdentityMatch.Reason.Code.self), "queried": .text, "stored": .text],
                        optional: ["queried", "stored"])),
            ]),
            "IdentityDocumentForm": docForm,
            "Person": person,
            "PersonPage": .record(
                [
                    "items": .array(.ref("Person")), "limit": .int, "offset": .int,
                    "total": APISchema.int.described("how many persons match in all, where known"),
                ], optional: ["total"]),
            "PersonDetail": .record([
                "person": .ref("Person"), "household": .array(member), "cases": .array(.ref("CaseSummary")),
            ]),
            "HouseholdLink": .form(
                ["relatedPersonID": uuid, "relationship": .words(Relationship.self)],
                required: ["relatedPersonID", "relationship"]),
            "HouseholdMembers": .array(member),
            "CaseSummary": caseSummary,
            "CaseForm": .form(
                [
                    "programme": .words(Programme.self), "personID": uuid, "ownerID": uuid,
                    "officeLocationID": uuid, "openedOn": .date, "summary": .text,
                ], required: ["programme", "personID"]),
            "CaseChange": .form([
                "status": .words(CaseStatus.self), "ownerID": uuid, "officeLocationID": uuid,
                "summary": .text, "reason": .text,
            ]),
            "CaseListing": .record([
                "items": .array(.ref("CaseSummary")), "total": .int, "page": .int, "pageSize": .int,
            ]),
            "TimelineLine": .record(["at": .dateTime, "actor": .text, "kind": .text, "text": .text]),
            "CaseDetail": .record(["case": .ref("CaseSummary"), "timeline": .array(.ref("TimelineLine"))]),
            "Location": location, "Locations": .array(.ref("Location")),
            "LocationForm": .form(
                ["name": .text, "kind": .words(LocationKind.self), "city": .text, "country": .text, "partnerID": uuid],
                required: ["name", "kind", "city", "country"]),
            "Partner": partner, "Partners": .array(.ref("Partner")),
            "PartnerForm": .form(
                ["name": .text, "kind": .words(PartnerKind.self), "country": .text, "contactEmail": .text],
                required: ["name", "kind"]),
            "EmbassyProposal": .form(
                ["name": .text, "country": .text, "contactEmail": .text], required: ["name", "country"]),
            "Me": .record([
                "id": uuid, "username": .text, "name": .text, "roles": .text.described("comma-separated"),
            ]),
            "Error": .record(
                [
                    "error": .text,
                    "fields": .array(.record(["field": .text, "message": .text])),
                    "candidates": APISchema.array(.ref("DuplicateCandidate")).described(
                        "on a 409 to a registration: the persons already held who may be the one registered"),
                ], optional: ["fields", "candidates"]),
        ]
    }

    /// Every schema of the document: the shared ones and those of `modules`.
    static func components(_ modules: [any PassageModule] = Modules.registered) -> [String: APISchema] {
        var all = schemas
        for module in modules { all.merge(module.apiSchemas) { a, _ in a } }
        return all
    }

    static let failureText: [Int: String] = [
        400: "Malformed request (a path or query value that cannot be read)",
        401: "Not signed in, or the token is not valid",
        403: "The role does not allow this",
        404: "No such record, or not one the caller may see",
        409: "The record's state does not allow this (a workflow guard, a duplicate, a case whose intake is missing)",
        413: "The body is larger than the server accepts",
        415: "The body is not JSON (send Content-Type: application/json)",
        422: "Field-by-field reasons the input was refused",
    ]

    /// The document for the shared operations and those of `modules`.
    static func document(_ modules: [any PassageModule] = Modules.registered) -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        let errorContent: [String: Any] = ["application/json": ["schema": APISchema.ref("Error").json]]
        for op in operations + modules.flatMap(\.apiOperations) {
            var o: [String: Any] = [
                "summary": op.summary, "operationId": op.method + op.path.replacingOccurrences(of: "/", with: "_"),
            ]
            var params: [[String: Any]] = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                let name = String($0.dropFirst().dropLast())
                return [
                    "name": name, "in": "path", "required": true,
                    "schema": name.hasSuffix("ID") ? APISchema.uuid.json : APISchema.text.json,
                ] as [String: Any]
            }
            params += op.query.map { ["name": $0.name, "in": "query", "required": false, "schema": $0.schema.json] }
            if !params.isEmpty { o["parameters"] = params }
            if let r = op.request {
                o["requestBody"] = [
                    "required": true, "content": ["application/json": ["schema": APISchema.ref(r).json]],
                ]
            }
            var responses: [String: Any] = [:]
            for code in op.failures {
                responses[String(code)] = ["description": failureText[code] ?? "Refused", "content": errorContent]
            }
            var content: [String: Any] = [:]
            if !op.response.isEmpty { content["application/json"] = ["schema": APISchema.ref(op.response).json] }
            for type in op.files { content[type] = ["schema": ["type": "string", "format": "binary"]] }
            responses[op.status] = content.isEmpty ? ["description": "OK"] : ["description": "OK", "content": content]
            o["responses"] = responses
            paths[op.path, default: [:]][op.method] = o
        }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "Passage API", "version": "1.0.0",
                "description":
                    "Case management of the office. Authenticate with `Authorization: Bearer <token>` "
                    + "(an administrator issues tokens: on a user's page, or `passage users token`).",
            ],
            "servers": [["url": "/api/v1"]],
            "security": [["bearer": [String]()]],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": components(modules).mapValues(\.json),
            ],
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
