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
        .init(method: "get", path: "/persons", summary: "Search persons by name (any script, partial, misspelt), document number or date of birth",
              request: nil, response: "PersonPage", status: "200", query: ["name", "document", "dob", "limit", "offset"]),
        .init(method: "post", path: "/persons", summary: "Register a person", request: "PersonCreate", response: "Person", status: "201"),
        .init(method: "get", path: "/persons/{personID}", summary: "A person's record, household and cases (the read is audited)", request: nil, response: "PersonDetail", status: "200"),
        .init(method: "patch", path: "/persons/{personID}", summary: "Change fields of a person's record", request: "PersonForm", response: "Person", status: "200"),
        .init(method: "post", path: "/persons/{personID}/documents", summary: "Add an identity document", request: "IdentityDocumentForm", response: "Person", status: "201"),
        .init(method: "delete", path: "/persons/{personID}/documents/{documentID}", summary: "Remove an identity document", request: nil, response: "", status: "204"),
        .init(method: "post", path: "/persons/{personID}/household", summary: "Link a family member", request: "HouseholdLink", response: "HouseholdMembers", status: "201"),
        .init(method: "get", path: "/cases", summary: "List cases with filters and paging", request: nil, response: "CaseListing", status: "200",
              query: ["programme", "status", "location", "owner", "person", "page", "pageSize"]),
        .init(method: "get", path: "/cases/export", summary: "The filtered case list as CSV or XLSX, with the columns the caller's roles may read (audited)", request: nil,
              response: "", status: "200", query: ["format", "programme", "status", "location", "owner", "stage"]),
        .init(method: "post", path: "/cases", summary: "Open a case", request: "CaseForm", response: "CaseDetail", status: "201"),
        .init(method: "get", path: "/cases/{caseID}", summary: "A case with its timeline", request: nil, response: "CaseDetail", status: "200"),
        .init(method: "patch", path: "/cases/{caseID}", summary: "Change status, owner, office or summary; the reason goes on the timeline", request: "CaseChange", response: "CaseDetail", status: "200"),
        .init(method: "get", path: "/locations", summary: "The location registry", request: nil, response: "Locations", status: "200"),
        .init(method: "post", path: "/locations", summary: "Add a location (administrators)", request: "LocationForm", response: "Location", status: "201"),
        .init(method: "get", path: "/partners", summary: "The partner registry", request: nil, response: "Partners", status: "200"),
        .init(method: "post", path: "/partners", summary: "Add a partner organisation (administrators)", request: "PartnerForm", response: "Partner", status: "201"),
        .init(method: "get", path: "/me", summary: "Who the token or session belongs to", request: nil, response: "Me", status: "200"),
        .init(method: "get", path: "/return/cases", summary: "The return worklist: open return cases by stage (owner=me by default, or all, or a user id)", request: nil, response: "ReturnWorklist", status: "200", query: ["stage", "owner"]),
        .init(method: "post", path: "/return/cases", summary: "Open a return case with its intake", request: "ReturnOpen", response: "ReturnFile", status: "201"),
        .init(method: "get", path: "/return/cases/{caseID}", summary: "A return case with every section the caller may see", request: nil, response: "ReturnFile", status: "200"),
        .init(method: "put", path: "/return/cases/{caseID}/intake", summary: "Record or correct the intake", request: "ReturnIntake", response: "ReturnFile", status: "200"),
        .init(method: "post", path: "/return/cases/{caseID}/sessions", summary: "Record a counselling session", request: "CounsellingSession", response: "ReturnFile", status: "201"),
        .init(method: "post", path: "/return/cases/{caseID}/eligibility", summary: "Decide eligibility under the current rule set, for a day (today by default)", request: "EligibilityRequest", response: "ReturnFile", status: "201"),
        .init(method: "put", path: "/return/cases/{caseID}/vulnerabilities/{kind}", summary: "Record a vulnerability: unaccompanied_child, trafficking or medical", request: "Vulnerability", response: "ReturnFile", status: "200"),
        .init(method: "delete", path: "/return/cases/{caseID}/vulnerabilities/{kind}", summary: "Remove a vulnerability recorded by mistake (the audit trail keeps it)", request: nil, response: "ReturnFile", status: "200"),
        .init(method: "post", path: "/return/cases/{caseID}/travel-documents", summary: "Request a travel document from an embassy", request: "TravelDocumentRequest", response: "ReturnFile", status: "201"),
        .init(method: "patch", path: "/return/cases/{caseID}/travel-documents/{requestID}", summary: "Change a travel document request (interview, issued, refused)", request: "TravelDocumentRequest", response: "ReturnFile", status: "200"),
        .init(method: "put", path: "/return/cases/{caseID}/plan", summary: "Write the reintegration plan", request: "ReintegrationPlan", response: "ReturnFile", status: "200"),
        .init(method: "post", path: "/return/cases/{caseID}/grants", summary: "Grant reintegration support (within the decision and the cap)", request: "Grant", response: "ReturnFile", status: "201"),
        .init(method: "post", path: "/return/cases/{caseID}/grants/{grantID}/payments", summary: "Record a payment against a grant; payments never exceed it", request: "Payment", response: "ReturnFile", status: "201"),
        .init(method: "post", path: "/return/cases/{caseID}/cargo", summary: "Add in-kind cargo", request: "Cargo", response: "ReturnFile", status: "201"),
        .init(method: "patch", path: "/return/cases/{caseID}/cargo/{cargoID}", summary: "Change cargo (its clearance status)", request: "Cargo", response: "ReturnFile", status: "200"),
        .init(method: "post", path: "/return/cases/{caseID}/monitoring", summary: "Record a monitoring visit after return (and the receiving office)", request: "MonitoringVisit", response: "ReturnFile", status: "201"),
        .init(method: "put", path: "/return/cases/{caseID}/consent", summary: "Record or withdraw consent to share with the EU reintegration programme", request: "Consent", response: "ReturnFile", status: "200"),
        .init(method: "post", path: "/return/cases/{caseID}/transitions", summary: "Move the case to another stage; guards refuse with 409 and the reasons", request: "Transition", response: "ReturnFile", status: "200"),
        .init(method: "get", path: "/return/cases/{caseID}/eu-export", summary: "The reintegration application for the EU programme (needs recorded consent; audited)", request: nil, response: "EUExport", status: "200"),
        .init(method: "get", path: "/return/rules", summary: "Every version of the eligibility rules, newest first", request: nil, response: "RuleSets", status: "200"),
        .init(method: "post", path: "/return/rules", summary: "Make a new version of the eligibility rules (administrators)", request: "RulesEdit", response: "", status: "201"),
        .init(method: "get", path: "/return/rules/flagged", summary: "Open cases whose decision the current rules would now decide differently", request: nil, response: "FlaggedCases", status: "200"),
        .init(method: "get", path: "/return/travel-documents", summary: "Open travel document requests by embassy, with their age in days", request: nil, response: "OpenRequests", status: "200"),
        .init(method: "get", path: "/return/outreach", summary: "Information sessions, network meetings and embassy meetings", request: nil, response: "OutreachList", status: "200"),
        .init(method: "post", path: "/return/outreach", summary: "Log an information session, network meeting or embassy meeting", request: "Outreach", response: "", status: "201"),
        .init(method: "get", path: "/return/workload", summary: "Counselling sessions per location and counsellor in a period (last 30 days by default)", request: nil, response: "Workload", status: "200", query: ["from", "to"]),
        .init(method: "get", path: "/openapi.json", summary: "This document", request: nil, response: "", status: "200"),
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
            "dateOfBirthEstimated": ["type": "boolean"], "nationality": str(["description": "ISO 3166-1 alpha-2, XX for unknown"]),
            "languages": array(str(["description": "ISO 639"])), "phone": str(["description": "E.164"]), "locationID": uuid,
        ])
        let docForm = obj(["type": str(["enum": IdentityDocumentType.allCases.map(\.rawValue)]), "number": str(),
                           "issuingCountry": str(), "expiresOn": str(["format": "date"])], required: ["type", "number", "issuingCountry"])
        let document = obj(["id": uuid, "type": str(), "number": str(), "issuingCountry": str(), "expiresOn": str()])
        let person = obj([
            "id": uuid, "reference": str(), "familyName": str(), "givenNames": str(), "familyNameOriginal": str(), "givenNamesOriginal": str(),
            "aliases": array(str()), "sex": str(), "dateOfBirth": str(), "nationality": str(), "nationalityName": str(),
            "languages": array(str()), "phone": str(), "locationID": uuid, "locationName": str(), "documents": array(document),
        ])
        let member = obj(["linkID": uuid, "personID": uuid, "name": str(), "relationship": str()])
        let caseSummary = obj([
            "id": uuid, "reference": str(), "programme": str(["enum": Programme.allCases.map(\.rawValue)]),
            "status": str(["enum": CaseStatus.allCases.map(\.rawValue)]), "personID": uuid, "personName": str(),
            "ownerID": uuid, "ownerName": str(), "officeLocationID": uuid, "officeName": str(), "openedOn": str(), "closedOn": str(), "summary": str(),
        ])
        let location = obj(["id": uuid, "name": str(), "kind": str(["enum": LocationKind.allCases.map(\.rawValue)]), "city": str(), "country": str(), "partnerID": uuid])
        let partner = obj(["id": uuid, "name": str(), "kind": str(["enum": PartnerKind.allCases.map(\.rawValue)]), "country": str(), "contactEmail": str()])
        return [
            "PersonForm": personForm,
            "PersonCreate": obj(["person": ref("PersonForm"), "documents": array(ref("IdentityDocumentForm"))], required: ["person"]),
            "IdentityDocumentForm": docForm,
            "Person": person,
            "PersonPage": obj(["items": array(ref("Person")), "limit": ["type": "integer"], "offset": ["type": "integer"]]),
            "PersonDetail": obj(["person": ref("Person"), "household": array(member), "cases": array(ref("CaseSummary"))]),
            "HouseholdLink": obj(["relatedPersonID": uuid, "relationship": str(["enum": Relationship.allCases.map(\.rawValue)])], required: ["relatedPersonID", "relationship"]),
            "HouseholdMembers": array(member),
            "CaseSummary": caseSummary,
            "CaseForm": obj(["programme": str(["enum": Programme.allCases.map(\.rawValue)]), "personID": uuid, "ownerID": uuid,
                             "officeLocationID": uuid, "openedOn": str(["format": "date"]), "summary": str()], required: ["programme", "personID"]),
            "CaseChange": obj(["status": str(["enum": CaseStatus.allCases.map(\.rawValue)]), "ownerID": uuid, "officeLocationID": uuid, "summary": str(), "reason": str()]),
            "CaseListing": obj(["items": array(ref("CaseSummary")), "total": ["type": "integer"], "page": ["type": "integer"], "pageSize": ["type": "integer"]]),
            "CaseDetail": obj(["case": ref("CaseSummary"), "timeline": array(obj(["at": str(["format": "date-time"]), "actor": str(), "kind": str(), "text": str()]))]),
            "Location": location, "Locations": array(ref("Location")),
            "LocationForm": obj(["name": str(), "kind": str(), "city": str(), "country": str(), "partnerID": uuid], required: ["name", "kind", "city", "country"]),
            "Partner": partner, "Partners": array(ref("Partner")),
            "PartnerForm": obj(["name": str(), "kind": str(), "country": str(), "contactEmail": str()], required: ["name", "kind"]),
            "Me": obj(["id": uuid, "username": str(), "name": str(), "roles": str()]),
            "Error": obj(["error": str(), "fields": array(obj(["field": str(), "message": str()]))], required: ["error"]),
        ].merging(returnSchemas) { a, _ in a }.merging(movementsSchemas) { a, _ in a }
    }

    static var returnSchemas: [String: Any] {
        let uuid = str(["format": "uuid"])
        let date = str(["format": "date"])
        let money = str(["description": "euros, like 1500.00"])
        let bool: [String: Any] = ["type": "boolean"]
        func words<T: CaseIterable & RawRepresentable>(_ t: T.Type) -> [String: Any] where T.RawValue == String { str(["enum": T.allCases.map(\.rawValue)]) }
        let intake: [String: Any] = ["referralSource": words(ReferralSource.self), "stayLocationID": uuid, "preferredLanguage": str(["description": "ISO 639"]),
                                     "interpreterNeeded": bool, "destinationCountry": str(["description": "ISO 3166-1 alpha-2"]), "destinationPlace": str(),
                                     "companionIDs": array(uuid)]
        let any: [String: Any] = ["type": "object", "additionalProperties": true]
        return [
            "ReturnIntake": obj(intake, required: ["referralSource", "destinationCountry"]),
            "ReturnOpen": obj(intake.merging(["personID": uuid, "ownerID": uuid, "officeLocationID": uuid, "openedOn": date, "summary": str()]) { a, _ in a },
                              required: ["personID", "referralSource", "destinationCountry"]),
            "CounsellingSession": obj(["heldOn": date, "locationID": uuid, "counsellorID": uuid, "language": str(), "interpreter": bool,
                                       "durationMinutes": ["type": "integer"], "notes": str(), "outcome": words(CounsellingOutcome.self)],
                                      required: ["heldOn", "locationID", "language", "durationMinutes", "outcome"]),
            "EligibilityRequest": obj(["decidedFor": date]),
            "Vulnerability": obj([
                "familyAssessment": words(FamilyAssessmentStatus.self), "assessmentOutcome": words(FamilyAssessmentOutcome.self),
                "guardianHostConfirmed": bool, "guardianHostName": str(), "guardianReturnConfirmed": bool, "guardianReturnName": str(),
                "referralSource": str(), "exploitation": words(Exploitation.self), "returnPlan": str(), "postReturnPartner": str(), "grantedUserIDs": array(uuid),
                "category": words(MedicalCategory.self), "chronic": bool, "treatmentAvailability": words(TreatmentAvailability.self),
                "recordsTranslated": bool, "fitToFlyRequired": bool, "fitToFly": words(FitToFly.self), "fitToFlyOn": date, "fitToFlyValidUntil": date,
                "escort": words(Escort.self), "postReturnBudget": money]),
            "TravelDocumentRequest": obj(["embassyID": uuid, "kind": words(TravelDocumentKind.self), "status": words(TravelDocumentStatus.self),
                                          "requestedOn": date, "interviewOn": date, "number": str(), "expiresOn": date, "issuedOn": str(["format": "date", "description": "the day the embassy issued it (default today); only with status issued"])]),
            "ReintegrationPlan": obj(["purpose": words(PlanPurpose.self), "description": str(), "budget": str(["description": "one line per item: 'Carpentry tools; 650.00'"])],
                                     required: ["purpose", "description"]),
            "Grant": obj(["type": words(GrantType.self), "amount": money, "cash": money, "inKind": money, "funderID": uuid], required: ["type", "amount"]),
            "Payment": obj(["kind": words(PaymentKind.self), "amount": money, "paidOn": date, "proofReference": str(), "reportedBy": str()], required: ["kind", "amount", "paidOn"]),
            "Cargo": obj(["description": str(), "volume": str(["description": "cubic metres"]), "clearance": words(CargoClearance.self)]),
            "MonitoringVisit": obj(["visitedOn": date, "visitor": str(), "findings": str(), "progress": words(ReintegrationProgress.self), "receivingOffice": str()],
                                   required: ["visitedOn", "visitor", "findings", "progress"]),
            "Consent": obj(["consent": bool, "consentOn": date]),
            "Transition": obj(["to": words(ReturnStage.self), "reason": str(), "on": date], required: ["to"]),
            "ReturnFile": any, "EUExport": any,
            "ReturnWorklist": array(obj(["caseID": uuid, "reference": str(), "person": str(), "stage": words(ReturnStage.self), "owner": str(), "destination": str(), "openedOn": date])),
            "RuleSets": array(obj(["version": ["type": "integer"], "note": str(), "createdBy": str(), "createdAt": str(["format": "date-time"]), "rules": array(any), "caps": any])),
            "RulesEdit": obj(["rules": str(["description": "one rule per line: country (or *); from; until; outcome; grant types; note"]),
                              "caps": obj(["economic": money, "medical": money]), "note": str()], required: ["rules", "caps", "note"]),
            "FlaggedCases": array(obj(["caseID": uuid, "reference": str(), "decided": str(), "wouldNowBe": str()])),
            "OpenRequests": array(obj(["id": uuid, "caseID": uuid, "reference": str(), "person": str(), "embassy": str(), "embassyID": uuid,
                                       "status": str(), "requestedOn": date, "ageDays": ["type": "integer"]])),
            "Outreach": obj(["kind": words(OutreachKind.self), "heldOn": date, "locationID": uuid, "audience": str(), "attendees": ["type": "integer"],
                             "organisations": str(), "topic": str()], required: ["kind", "heldOn", "topic"]),
            "OutreachList": array(any),
            "Workload": array(obj(["location": str(), "counsellor": str(), "sessions": ["type": "integer"], "minutes": ["type": "integer"], "cases": ["type": "integer"]])),
        ]
    }

    static func document() -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        let errorContent: [String: Any] = ["application/json": ["schema": ref("Error")]]
        for op in operations + movementsOperations {
            var o: [String: Any] = ["summary": op.summary, "operationId": op.method + op.path.replacingOccurrences(of: "/", with: "_")]
            var params: [[String: Any]] = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                let name = String($0.dropFirst().dropLast())
                return ["name": name, "in": "path", "required": true,
                        "schema": name.hasSuffix("ID") ? ["type": "string", "format": "uuid"] : ["type": "string"]] as [String: Any]
            }
            params += op.query.map { ["name": $0, "in": "query", "required": false, "schema": ["type": "string"]] }
            if !params.isEmpty { o["parameters"] = params }
            if let r = op.request { o["requestBody"] = ["required": true, "content": ["application/json": ["schema": ref(r)]]] }
            var responses: [String: Any] = [
                "400": ["description": "Malformed request", "content": errorContent],
                "401": ["description": "Not signed in", "content": errorContent],
                "403": ["description": "The role does not allow this", "content": errorContent],
                "404": ["description": "No such record", "content": errorContent],
                "422": ["description": "Field-by-field reasons the input was refused", "content": errorContent],
                "409": ["description": "The record's state does not allow this (a workflow guard, a duplicate, a case whose intake is missing)",
                        "content": errorContent],
            ]
            if op.method != "get" {
                responses["415"] = ["description": "The body is not JSON (send Content-Type: application/json)", "content": errorContent]
            }
            responses[op.status] = op.response.isEmpty ? ["description": "OK"]
                : ["description": "OK", "content": ["application/json": ["schema": ref(op.response)]]]
            o["responses"] = responses
            paths[op.path, default: [:]][op.method] = o
        }
        return [
            "openapi": "3.0.3",
            "info": ["title": "Passage API", "version": "1.0.0",
                     "description": "Case management of the office. Authenticate with `Authorization: Bearer <token>` (tokens are issued by an administrator)."],
            "servers": [["url": "/api/v1"]],
            "security": [["bearer": [String]()]],
            "paths": paths,
            "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]], "schemas": schemas],
        ]
    }

    func boot(_ api: any RoutesBuilder) {
        api.get("openapi.json", roles: Set(Role.allCases)) { _, _ -> Response in
            let data = try JSONSerialization.data(withJSONObject: Self.document(), options: [.sortedKeys, .prettyPrinted])
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(data: data))
        }
    }
}
