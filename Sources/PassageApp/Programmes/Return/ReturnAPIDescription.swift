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
            method: "post", path: "/return/cases/{caseID}/exceptions/{exceptionID}/review",
            summary: "Review a departure whose checks were not met (managers); the note says what was concluded",
            request: "ExceptionReview", response: "ReturnFile", status: "200"),
        .init(
            method: "get", path: "/return/exceptions",
            summary: "Departures with checks not met, open first (state=all for the reviewed too; managers)",
            request: nil, response: "Exceptions", status: "200", query: [.init("state", .oneOf(["open", "all"]))]),
        .init(
            method: "get", path: "/return/medical-worklist",
            summary:
                "Open cases whose medical record asks for work, with the tasks (medical staff; audited)",
            request: nil, response: "MedicalWorklist", status: "200",
            query: [.init("task", .words(ReturnQueues.MedicalTask.self))]
                + ListPaging.apiQuery(ReturnQueues.medicalSorts)),
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

    static var returnSchemas: [String: APISchema] {
        let uuid = APISchema.uuid
        let date = APISchema.date
        let money = APISchema.text.described("euros, like 1500.00")
        let cents = APISchema.int.described("euro cents")
        let intake: [String: APISchema] = [
            "referralSource": .words(ReferralSource.self), "stayLocationID": uuid,
            "preferredLanguage": .text.described("ISO 639"),
            "interpreterNeeded": .bool, "destinationCountry": .text.described("ISO 3166-1 alpha-2"),
            "destinationPlace": .text,
            "companionIDs": .array(uuid),
        ]
        return requestSchemas(intake: intake, money: money).merging(answerSchemas(cents: cents)) { a, _ in a }
    }

    private static func requestSchemas(intake: [String: APISchema], money: APISchema) -> [String: APISchema] {
        let uuid = APISchema.uuid
        let date = APISchema.date
        return [
            "ReturnIntake": .form(intake, required: ["referralSource", "destinationCountry"]),
            "ReturnOpen": .form(
                intake.merging([
                    "personID": uuid, "ownerID": uuid, "officeLocationID": uuid, "openedOn": date, "summary": .text,
                ]) { a, _ in a },
                required: ["personID", "referralSource", "destinationCountry"]),
            "CounsellingSession": .form(
                [
                    "heldOn": date, "locationID": uuid, "counsellorID": uuid, "language": .text, "interpreter": .bool,
                    "durationMinutes": .int, "notes": .text, "outcome": .words(CounsellingOutcome.self),
                ],
                required: ["heldOn", "locationID", "language", "durationMinutes", "outcome"]),
            "EligibilityRequest": .form(["decidedFor": date]),
            "Vulnerability": .form([
                "familyAssessment": .words(FamilyAssessmentStatus.self),
                "assessmentOutcome": .words(FamilyAssessmentOutcome.self),
                "guardianHostConfirmed": .bool, "guardianHostName": .text, "guardianReturnConfirmed": .bool,
                "guardianReturnName": .text,
                "referralSource": .text, "exploitation": .words(Exploitation.self), "returnPlan": .text,
                "postReturnPartner": .text, "grantedUserIDs": .array(uuid),
                "category": .words(MedicalCategory.self), "chronic": .bool,
                "treatmentAvailability": .words(TreatmentAvailability.self),
                "recordsTranslated": .bool, "fitToFlyRequired": .bool, "fitToFly": .words(FitToFly.self),
                "fitToFlyOn": date, "fitToFlyValidUntil": date,
                "escort": .words(Escort.self), "postReturnBudget": money,
            ]),
            "TravelDocumentRequest": .form([
                "embassyID": uuid, "kind": .words(TravelDocumentKind.self),
                "status": .words(TravelDocumentStatus.self), "requestedOn": date, "interviewOn": date,
                "number": .text, "expiresOn": date,
                "issuedOn": date.described("the day the embassy issued it (default today); only with status issued"),
            ]),
            "ReintegrationPlan": .form(
                [
                    "purpose": .words(PlanPurpose.self), "description": .text,
                    "budget": .text.described("one line per item: 'Carpentry tools; 650.00'"),
                ],
                required: ["purpose", "description"]),
            "Grant": .form(
                [
                    "type": .words(GrantType.self), "amount": money, "cash": money, "inKind": money, "funderID": uuid,
                    "grantedOn": date.described("the day it was granted (default today); the period it counts in"),
                ],
                required: ["type", "amount"]),
            "Payment": .form(
                [
                    "kind": .words(PaymentKind.self), "amount": money, "paidOn": date, "proofReference": .text,
                    "reportedBy": .text,
                ], required: ["kind", "amount", "paidOn"]),
            "Cargo": .form([
                "description": .text, "volume": .text.described("cubic metres"),
                "clearance": .words(CargoClearance.self),
            ]),
            "MonitoringVisit": .form(
                [
                    "visitedOn": date, "visitor": .text, "findings": .text,
                    "progress": .words(ReintegrationProgress.self), "receivingOffice": .text,
                ],
                required: ["visitedOn", "visitor", "findings", "progress"]),
            "Consent": .form(["consent": .bool, "consentOn": date]),
            "ExceptionReview": .form(["note": .text], required: ["note"]),
            "Transition": .form(["to": .words(ReturnStage.self), "reason": .text, "on": date], required: ["to"]),
            "RulesEdit": .form(
                [
                    "rules": .text.described(
                        "one rule per line: country (or *); from; until; outcome; grant types; note"),
                    "caps": .form(["economic": money, "medical": money]), "note": .text,
                ], required: ["rules", "caps", "note"]),
            "Outreach": .form(
                [
                    "kind": .words(OutreachKind.self), "heldOn": date, "locationID": uuid, "audience": .text,
                    "attendees": .int, "organisations": .text, "topic": .text,
                ], required: ["kind", "heldOn", "topic"]),
        ]
    }

    private static func answerSchemas(cents: APISchema) -> [String: APISchema] {
        let uuid = APISchema.uuid
        let date = APISchema.date
        return [
            "ReturnFile": returnFileSchema(cents: cents),
            "EUExport": .record([
                "caseReference": .text, "consentSignedOn": date, "exportedAt": .dateTime,
                "identity": .record([
                    "reference": .text, "familyName": .text, "givenNames": .text, "sex": .text,
                    "dateOfBirth": .text, "nationality": .text, "documents": .array(.text),
                ]),
                "family": .array(
                    .record([
                        "relationship": .text, "familyName": .text, "givenNames": .text, "dateOfBirth": .text,
                        "travelling": .bool,
                    ])),
                "vulnerabilityCategories": .array(.words(VulnerabilityKind.self)), "destination": .text,
                "assistanceRequested": .record(
                    ["purpose": .words(PlanPurpose.self), "grants": .array(.text), "budgetTotal": .text],
                    optional: ["purpose", "budgetTotal"]),
            ]),
            "ReturnWorklist": .array(
                .record(
                    [
                        "caseID": uuid, "reference": .text, "person": .text, "stage": .words(ReturnStage.self),
                        "owner": .text, "destination": .text, "openedOn": date,
                    ], optional: ["owner"])),
            "RuleSets": .array(
                .record(
                    [
                        "version": .int, "note": .text, "createdBy": .text, "createdAt": .dateTime,
                        "rules": .array(
                            .record(
                                [
                                    "nationality": .text.described("ISO 3166-1 alpha-2, or * for every country"),
                                    "from": date, "until": date, "outcome": .words(EligibilityOutcome.self),
                                    "grantTypes": .array(.words(GrantType.self)), "note": .text,
                                ], optional: ["from", "until"])),
                        "caps": .map(cents),
                    ], optional: ["createdAt"])),
            "FlaggedCases": .array(
                .record([
                    "caseID": uuid, "reference": .text, "decided": .text.described("the decision, explained"),
                    "wouldNowBe": .text.described("what the current rules would decide, explained"),
                ])),
            "OpenRequests": .array(
                .record([
                    "id": uuid, "caseID": uuid, "reference": .text, "person": .text, "embassy": .text,
                    "embassyID": uuid, "status": .words(TravelDocumentStatus.self), "requestedOn": date,
                    "ageDays": .int,
                ])),
            "OutreachList": .array(
                .record(
                    [
                        "id": uuid, "kind": .words(OutreachKind.self), "heldOn": date, "location": .text,
                        "audience": .text, "attendees": .int, "organisations": .text, "topic": .text,
                        "counsellor": .text,
                    ], optional: ["location"])),
            "Exceptions": .array(
                .record(
                    [
                        "id": uuid, "caseID": uuid, "reference": .text, "person": .text, "raisedOn": date,
                        "summary": .text, "reviewedBy": .text, "reviewedAt": .dateTime, "reviewNote": .text,
                    ], optional: ["reviewedBy", "reviewedAt", "reviewNote"])),
            "MedicalWorklist": .record([
                "items": .array(
                    .record(
                        [
                            "caseID": uuid, "reference": .text, "personID": uuid, "person": .text,
                            "stage": .words(ReturnStage.self), "destinationCountry": .text,
                            "fitToFly": .words(FitToFly.self), "fitToFlyRequired": .bool, "fitToFlyValidUntil": date,
                            "escort": .words(Escort.self), "tasks": .array(.words(ReturnQueues.MedicalTask.self)),
                        ], optional: ["fitToFlyValidUntil"])),
                "total": .int, "page": .int, "pageSize": .int,
                "byTask": .map(.int).described("open cases per task, whatever the filter"),
            ]),
            "Workload": .array(
                .record([
                    "location": .text, "counsellor": .text, "sessions": .int, "minutes": .int, "cases": .int,
                ])),
        ]
    }

    /// A return case as its reader may see it: sections the reader may not read are absent or marked not visible.
    private static func returnFileSchema(cents: APISchema) -> APISchema {
        let uuid = APISchema.uuid
        let date = APISchema.date
        let child = APISchema.record([
            "familyAssessment": .words(FamilyAssessmentStatus.self),
            "assessmentOutcome": .words(FamilyAssessmentOutcome.self), "guardianHostConfirmed": .bool,
            "guardianHostName": .text, "guardianReturnConfirmed": .bool, "guardianReturnName": .text,
        ])
        let trafficking = APISchema.record([
            "referralSource": .text, "exploitation": .words(Exploitation.self), "returnPlan": .text,
            "postReturnPartner": .text, "grantedUserIDs": .array(.text),
        ])
        let medical = APISchema.record(
            [
                "category": .words(MedicalCategory.self), "chronic": .bool,
                "treatmentAvailability": .words(TreatmentAvailability.self), "recordsTranslated": .bool,
                "fitToFlyRequired": .bool, "fitToFly": .words(FitToFly.self), "fitToFlyOn": date,
                "fitToFlyValidUntil": date, "escort": .words(Escort.self), "postReturnBudget": cents,
            ], optional: ["fitToFlyOn", "fitToFlyValidUntil"])
        return .record(
            [
                "case": .ref("CaseSummary"), "person": .ref("Person"), "stage": .words(ReturnStage.self),
                "nextStages": .array(.words(ReturnStage.self)), "departureBlockers": .array(.text),
                "intake": .record(
                    [
                        "referralSource": .words(ReferralSource.self), "stayLocationID": uuid, "stayLocation": .text,
                        "preferredLanguage": .text, "interpreterNeeded": .bool, "destinationCountry": .text,
                        "destinationPlace": .text, "companionIDs": .array(uuid),
                    ], optional: ["stayLocationID", "stayLocation", "preferredLanguage"]),
                "sessions": .array(
                    .record(
                        [
                            "id": uuid, "heldOn": date, "locationID": uuid, "location": .text, "counsellor": .text,
                            "language": .text, "interpreter": .bool, "durationMinutes": .int,
                            "outcome": .words(CounsellingOutcome.self),
                            "notes": .text.described("absent for a reader who may not read counselling notes"),
                        ], optional: ["notes"])),
                "decision": .record(
                    [
                        "decidedFor": date, "outcome": .words(EligibilityOutcome.self),
                        "grantTypes": .array(.words(GrantType.self)), "ruleSetVersion": .int, "explanation": .text,
                        "decidedBy": .text,
                        "wouldNowBe": .text.described("what the current rules would decide, when it differs"),
                    ], optional: ["wouldNowBe"]),
                "vulnerabilities": .array(
                    .record(
                        [
                            "kind": .oneOf(VulnerabilityKind.allCases.map(\.rawValue) + ["restricted"])
                                .described("restricted: a record the reader may not know the kind of"),
                            "visible": .bool.described("false when the reader may not see the details"),
                            "child": child, "trafficking": trafficking, "medical": medical,
                        ], optional: ["child", "trafficking", "medical"])),
                "travelDocuments": .array(
                    .record(
                        [
                            "id": uuid, "embassyID": uuid, "embassy": .text, "kind": .words(TravelDocumentKind.self),
                            "status": .words(TravelDocumentStatus.self), "requestedOn": date, "interviewOn": date,
                            "number": .text, "expiresOn": date, "issuedOn": date,
                        ], optional: ["interviewOn", "expiresOn", "issuedOn"])),
                "plan": .record([
                    "purpose": .words(PlanPurpose.self), "description": .text,
                    "budget": .array(.record(["item": .text, "amount": cents])), "total": cents,
                ]),
                "grants": .array(
                    .record(
                        [
                            "id": uuid, "type": .words(GrantType.self), "amount": cents, "cash": cents,
                            "inKind": cents, "funderID": uuid, "funder": .text, "grantedOn": date, "cashPaid": cents,
                            "inKindPaid": cents,
                            "payments": .array(
                                .record([
                                    "kind": .words(PaymentKind.self), "amount": cents, "paidOn": date,
                                    "proofReference": .text, "reportedBy": .text,
                                ])),
                        ], optional: ["funderID", "funder", "grantedOn"])),
                "cargo": .array(
                    .record([
                        "id": uuid, "description": .text, "volumeLitres": .int,
                        "clearance": .words(CargoClearance.self),
                    ])),
                "monitoring": .array(
                    .record([
                        "visitedOn": date, "visitor": .text, "findings": .text,
                        "progress": .words(ReintegrationProgress.self),
                    ])),
                "departedOn": date, "receivingOffice": .text, "euConsentOn": date,
                "exceptions": .array(
                    .record(
                        [
                            "id": uuid, "kind": .oneOf(["departure_checks"]), "raisedOn": date, "raisedBy": .text,
                            "summary": .text, "reviewedBy": .text, "reviewedAt": .dateTime, "reviewNote": .text,
                        ], optional: ["reviewedBy", "reviewedAt", "reviewNote"])),
                "timeline": .array(.ref("TimelineLine")),
            ], optional: ["decision", "plan", "departedOn", "euConsentOn"])
    }
}
