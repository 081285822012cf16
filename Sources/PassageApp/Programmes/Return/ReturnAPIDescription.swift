import PassageDomain
import Vapor

/// The return programme's part of the OpenAPI document.
extension OpenAPIController {
    static let returnOperations: [Operation] = [
        .init(
            method: "get", path: "/return/cases",
            summary: "The return worklist: open return cases by stage (owner=me by default, or all, or a user id)",
            request: nil, response: "ReturnWorklist", status: "200", query: ["stage", "owner"]),
        .init(
            method: "post", path: "/return/cases", summary: "Open a return case with its intake", request: "ReturnOpen",
            response: "ReturnFile", status: "201"),
        .init(
            method: "get", path: "/return/cases/{caseID}",
            summary: "A return case with every section the caller may see", request: nil, response: "ReturnFile",
            status: "200"),
        .init(
            method: "put", path: "/return/cases/{caseID}/intake", summary: "Record or correct the intake",
            request: "ReturnIntake", response: "ReturnFile", status: "200"),
        .init(
            method: "post", path: "/return/cases/{caseID}/sessions", summary: "Record a counselling session",
            request: "CounsellingSession", response: "ReturnFile", status: "201"),
        .init(
            method: "post", path: "/return/cases/{caseID}/eligibility",
            summary: "Decide eligibility under the current rule set, for a day (today by default)",
            request: "EligibilityRequest", response: "ReturnFile", status: "201"),
        .init(
            method: "put", path: "/return/cases/{caseID}/vulnerabilities/{kind}",
            summary: "Record a vulnerability: unaccompanied_child, trafficking or medical", request: "Vulnerability",
            response: "ReturnFile", status: "200"),
        .init(
            method: "delete", path: "/return/cases/{caseID}/vulnerabilities/{kind}",
            summary: "Remove a vulnerability recorded by mistake (the audit trail keeps it)", request: nil,
            response: "ReturnFile", status: "200"),
        .init(
            method: "post", path: "/return/cases/{caseID}/travel-documents",
            summary: "Request a travel document from an embassy", request: "TravelDocumentRequest",
            response: "ReturnFile", status: "201"),
        .init(
            method: "patch", path: "/return/cases/{caseID}/travel-documents/{requestID}",
            summary: "Change a travel document request (interview, issued, refused)", request: "TravelDocumentRequest",
            response: "ReturnFile", status: "200"),
        .init(
            method: "put", path: "/return/cases/{caseID}/plan", summary: "Write the reintegration plan",
            request: "ReintegrationPlan", response: "ReturnFile", status: "200"),
        .init(
            method: "post", path: "/return/cases/{caseID}/grants",
            summary: "Grant reintegration support (within the decision and the cap)", request: "Grant",
            response: "ReturnFile", status: "201"),
        .init(
            method: "post", path: "/return/cases/{caseID}/grants/{grantID}/payments",
            summary: "Record a payment against a grant; payments never exceed it", request: "Payment",
            response: "ReturnFile", status: "201"),
        .init(
            method: "post", path: "/return/cases/{caseID}/cargo", summary: "Add in-kind cargo", request: "Cargo",
            response: "ReturnFile", status: "201"),
        .init(
            method: "patch", path: "/return/cases/{caseID}/cargo/{cargoID}",
            summary: "Change cargo (its clearance status)", request: "Cargo", response: "ReturnFile", status: "200"),
        .init(
            method: "post", path: "/return/cases/{caseID}/monitoring",
            summary: "Record a monitoring visit after return (and the receiving office)", request: "MonitoringVisit",
            response: "ReturnFile", status: "201"),
        .init(
            method: "put", path: "/return/cases/{caseID}/consent",
            summary: "Record or withdraw consent to share with the EU reintegration programme", request: "Consent",
            response: "ReturnFile", status: "200"),
        .init(
            method: "post", path: "/return/cases/{caseID}/transitions",
            summary: "Move the case to another stage; guards refuse with 409 and the reasons", request: "Transition",
            response: "ReturnFile", status: "200"),
        .init(
            method: "get", path: "/return/cases/{caseID}/eu-export",
            summary: "The reintegration application for the EU programme (needs recorded consent; audited)",
            request: nil, response: "EUExport", status: "200"),
        .init(
            method: "get", path: "/return/rules", summary: "Every version of the eligibility rules, newest first",
            request: nil, response: "RuleSets", status: "200"),
        .init(
            method: "post", path: "/return/rules",
            summary: "Make a new version of the eligibility rules (administrators)", request: "RulesEdit", response: "",
            status: "201"),
        .init(
            method: "get", path: "/return/rules/flagged",
            summary: "Open cases whose decision the current rules would now decide differently", request: nil,
            response: "FlaggedCases", status: "200"),
        .init(
            method: "get", path: "/return/travel-documents",
            summary: "Open travel document requests by embassy, with their age in days", request: nil,
            response: "OpenRequests", status: "200"),
        .init(
            method: "get", path: "/return/outreach",
            summary: "Information sessions, network meetings and embassy meetings", request: nil,
            response: "OutreachList", status: "200"),
        .init(
            method: "post", path: "/return/outreach",
            summary: "Log an information session, network meeting or embassy meeting", request: "Outreach",
            response: "", status: "201"),
        .init(
            method: "get", path: "/return/workload",
            summary: "Counselling sessions per location and counsellor in a period (last 30 days by default)",
            request: nil, response: "Workload", status: "200", query: ["from", "to"]),
    ]

    static var returnSchemas: [String: Any] {
        let uuid = str(["format": "uuid"])
        let date = str(["format": "date"])
        let money = str(["description": "euros, like 1500.00"])
        let bool: [String: Any] = ["type": "boolean"]
        func words<T: CaseIterable & RawRepresentable>(_ t: T.Type) -> [String: Any] where T.RawValue == String {
            str(["enum": T.allCases.map(\.rawValue)])
        }
        let intake: [String: Any] = [
            "referralSource": words(ReferralSource.self), "stayLocationID": uuid,
            "preferredLanguage": str(["description": "ISO 639"]),
            "interpreterNeeded": bool, "destinationCountry": str(["description": "ISO 3166-1 alpha-2"]),
            "destinationPlace": str(),
            "companionIDs": array(uuid),
        ]
        let any: [String: Any] = ["type": "object", "additionalProperties": true]
        return [
            "ReturnIntake": obj(intake, required: ["referralSource", "destinationCountry"]),
            "ReturnOpen": obj(
                intake.merging([
                    "personID": uuid, "ownerID": uuid, "officeLocationID": uuid, "openedOn": date, "summary": str(),
                ]) { a, _ in a },
                required: ["personID", "referralSource", "destinationCountry"]),
            "CounsellingSession": obj(
                [
                    "heldOn": date, "locationID": uuid, "counsellorID": uuid, "language": str(), "interpreter": bool,
                    "durationMinutes": ["type": "integer"], "notes": str(), "outcome": words(CounsellingOutcome.self),
                ],
                required: ["heldOn", "locationID", "language", "durationMinutes", "outcome"]),
            "EligibilityRequest": obj(["decidedFor": date]),
            "Vulnerability": obj([
                "familyAssessment": words(FamilyAssessmentStatus.self),
                "assessmentOutcome": words(FamilyAssessmentOutcome.self),
                "guardianHostConfirmed": bool, "guardianHostName": str(), "guardianReturnConfirmed": bool,
                "guardianReturnName": str(),
                "referralSource": str(), "exploitation": words(Exploitation.self), "returnPlan": str(),
                "postReturnPartner": str(), "grantedUserIDs": array(uuid),
                "category": words(MedicalCategory.self), "chronic": bool,
                "treatmentAvailability": words(TreatmentAvailability.self),
                "recordsTranslated": bool, "fitToFlyRequired": bool, "fitToFly": words(FitToFly.self),
                "fitToFlyOn": date, "fitToFlyValidUntil": date,
                "escort": words(Escort.self), "postReturnBudget": money,
            ]),
            "TravelDocumentRequest": obj([
                "embassyID": uuid, "kind": words(TravelDocumentKind.self), "status": words(TravelDocumentStatus.self),
                "requestedOn": date, "interviewOn": date, "number": str(), "expiresOn": date,
                "issuedOn": str([
                    "format": "date",
                    "description": "the day the embassy issued it (default today); only with status issued",
                ]),
            ]),
            "ReintegrationPlan": obj(
                [
                    "purpose": words(PlanPurpose.self), "description": str(),
                    "budget": str(["description": "one line per item: 'Carpentry tools; 650.00'"]),
                ],
                required: ["purpose", "description"]),
            "Grant": obj(
                ["type": words(GrantType.self), "amount": money, "cash": money, "inKind": money, "funderID": uuid],
                required: ["type", "amount"]),
            "Payment": obj(
                [
                    "kind": words(PaymentKind.self), "amount": money, "paidOn": date, "proofReference": str(),
                    "reportedBy": str(),
                ], required: ["kind", "amount", "paidOn"]),
            "Cargo": obj([
                "description": str(), "volume": str(["description": "cubic metres"]),
                "clearance": words(CargoClearance.self),
            ]),
            "MonitoringVisit": obj(
                [
                    "visitedOn": date, "visitor": str(), "findings": str(),
                    "progress": words(ReintegrationProgress.self), "receivingOffice": str(),
                ],
                required: ["visitedOn", "visitor", "findings", "progress"]),
            "Consent": obj(["consent": bool, "consentOn": date]),
            "Transition": obj(["to": words(ReturnStage.self), "reason": str(), "on": date], required: ["to"]),
            "ReturnFile": any, "EUExport": any,
            "ReturnWorklist": array(
                obj([
                    "caseID": uuid, "reference": str(), "person": str(), "stage": words(ReturnStage.self),
                    "owner": str(), "destination": str(), "openedOn": date,
                ])),
            "RuleSets": array(
                obj([
                    "version": ["type": "integer"], "note": str(), "createdBy": str(),
                    "createdAt": str(["format": "date-time"]), "rules": array(any), "caps": any,
                ])),
            "RulesEdit": obj(
                [
                    "rules": str([
                        "description": "one rule per line: country (or *); from; until; outcome; grant types; note"
                    ]),
                    "caps": obj(["economic": money, "medical": money]), "note": str(),
                ], required: ["rules", "caps", "note"]),
            "FlaggedCases": array(obj(["caseID": uuid, "reference": str(), "decided": str(), "wouldNowBe": str()])),
            "OpenRequests": array(
                obj([
                    "id": uuid, "caseID": uuid, "reference": str(), "person": str(), "embassy": str(),
                    "embassyID": uuid,
                    "status": str(), "requestedOn": date, "ageDays": ["type": "integer"],
                ])),
            "Outreach": obj(
                [
                    "kind": words(OutreachKind.self), "heldOn": date, "locationID": uuid, "audience": str(),
                    "attendees": ["type": "integer"],
                    "organisations": str(), "topic": str(),
                ], required: ["kind", "heldOn", "topic"]),
            "OutreachList": array(any),
            "Workload": array(
                obj([
                    "location": str(), "counsellor": str(), "sessions": ["type": "integer"],
                    "minutes": ["type": "integer"], "cases": ["type": "integer"],
                ])),
        ]
    }
}
