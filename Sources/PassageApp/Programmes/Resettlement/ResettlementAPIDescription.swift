import PassageDomain
import Vapor

/// The resettlement part of the OpenAPI document.
extension OpenAPIController {
    static let resettlementOperations: [Operation] = [
        .init(
            method: "get", path: "/resettlement/referrals",
            summary: "Referred households, newest first, of one stage when asked; UNHCR's account reads only its own",
            request: nil, response: "RSReferralPage", status: "200",
            query: [.integer("page", 1...Request.maxPage), .init("stage", .words(ResettlementStage.self))]),
        .init(
            method: "post", path: "/resettlement/referrals",
            summary:
                "Refer a refugee household: UNHCR's case number, the country of asylum, the submission category and "
                + "priority, the principal applicant and the other members (by personID, or their details)",
            request: "RSReferralForm", response: "RSReferral", status: "201"),
        .init(
            method: "get", path: "/resettlement/referrals/{referralID}",
            summary:
                "A household with its members, decision, documents, health checks (medical details for medical "
                + "officers only), movement, and what is still needed before it may travel",
            request: nil, response: "RSReferral", status: "200"),
        .init(
            method: "post", path: "/resettlement/referrals/{referralID}/decision",
            summary: "The IND's decision on the household: accepted, rejected, deferred or pending",
            request: "RSDecisionForm", response: "RSReferral", status: "200"),
        .init(
            method: "post", path: "/resettlement/referrals/{referralID}/documents",
            summary: "A visa or laissez-passer issued to a member", request: "RSDocumentForm",
            response: "RSReferral", status: "201"),
        .init(
            method: "post", path: "/resettlement/referrals/{referralID}/health-checks",
            summary:
                "A health check of a member by a medical officer: the finding on travel, its validity, the escort "
                + "and help the journey needs, and the medical details",
            request: "RSHealthCheckForm", response: "RSReferral", status: "201"),
        .init(
            method: "get", path: "/resettlement/missions",
            summary: "Selection missions, newest first, with the households interviewed", request: nil,
            response: "RSMissions", status: "200"),
        .init(
            method: "post", path: "/resettlement/missions", summary: "A selection mission: country, dates, team",
            request: "RSMissionForm", response: "RSMission", status: "201"),
        .init(
            method: "post", path: "/resettlement/missions/{missionID}/households",
            summary: "A household interviewed on the mission, with the IND's decision once taken",
            request: "RSInterviewForm", response: "RSMission", status: "201"),
        .init(
            method: "get", path: "/resettlement/orientation-sessions",
            summary: "Pre-departure orientation sessions, newest first", request: nil, response: "RSSessions",
            status: "200"),
        .init(
            method: "post", path: "/resettlement/orientation-sessions",
            summary: "A pre-departure orientation session: country, place, dates, language, facilitator",
            request: "RSSessionForm", response: "RSSession", status: "201"),
        .init(
            method: "post", path: "/resettlement/orientation-sessions/{sessionID}/attendance",
            summary: "Who attended (members of accepted households); recording someone twice changes nothing",
            request: "RSAttendanceForm", response: "RSAttendance", status: "200"),
        .init(
            method: "get", path: "/resettlement/movements",
            summary: "Group movements, latest departure first, with their households and what each traveller needs",
            request: nil, response: "RSMovements", status: "200"),
        .init(
            method: "post", path: "/resettlement/movements",
            summary:
                "Plan a group movement: the flights (as a booking's leg fields), charter or scheduled, and the "
                + "airports with transit assistance",
            request: "RSMovementForm", response: "RSMovement", status: "201"),
        .init(
            method: "get", path: "/resettlement/movements/{movementID}",
            summary: "A group movement with its households", request: nil, response: "RSMovement", status: "200"),
        .init(
            method: "post", path: "/resettlement/movements/{movementID}/households",
            summary:
                "Book a household on the movement's flights; refused with the reasons while it may not travel that "
                + "day, or when one of its persons is in another household of the movement",
            request: "RSAddHouseholdForm", response: "RSMovement", status: "201"),
        .init(
            method: "post", path: "/resettlement/movements/{movementID}/arrival",
            summary:
                "The group arrived (local time at the last airport) and was handed over; the reception agency is "
                + "told of each household (arrival.completed)",
            request: "RSArrivalForm", response: "RSMovement", status: "200"),
    ]

    static var resettlementSchemas: [String: APISchema] {
        let uuid = APISchema.uuid
        let personRef = APISchema.record(["personID": uuid, "reference": .text, "name": .text])
        let summary = APISchema.record([
            "id": uuid, "caseReference": .text, "unhcrCaseNumber": .text, "countryOfAsylum": .text,
            "category": .words(SubmissionCategory.self), "priority": .words(SubmissionPriority.self),
            "stage": .words(ResettlementStage.self), "persons": .int,
        ])
        let mission = APISchema.record([
            "id": uuid, "country": .text, "startsOn": .date, "endsOn": .date, "team": .text, "note": .text,
            "households": .array(
                .record(
                    [
                        "referralID": uuid, "unhcrCaseNumber": .text, "outcome": .words(SelectionOutcome.self),
                        "decidedOn": .date,
                    ], optional: ["decidedOn"])),
        ])
        let session = APISchema.record([
            "id": uuid, "country": .text, "place": .text, "startsOn": .date, "endsOn": .date, "language": .text,
            "facilitator": .text, "attendees": .int,
        ])
        let traveller = APISchema.record([
            "personID": uuid, "reference": .text, "name": .text, "escort": .words(EscortKind.self),
            "assistance": .array(.words(AssistanceKind.self)),
        ])
        let movement = APISchema.record(
            [
                "id": uuid, "reference": .text, "status": .words(GroupMovementStatus.self), "charter": .bool,
                "departsOn": .date, "fromCountry": .text, "flights": .array(.text), "transitAssistance": .array(.text),
                "arrivedAt": .dateTime, "arrivalNote": .text, "persons": .int,
                "households": .array(
                    .record([
                        "referralID": uuid, "unhcrCaseNumber": .text, "caseReference": .text, "municipality": .text,
                        "bookingID": uuid, "bookingStatus": .words(BookingStatus.self), "medicalEscort": .bool,
                        "travellers": .array(traveller),
                    ])),
            ], optional: ["arrivedAt"])
        let leg = APISchema.text.described("leg1_carrier … leg6_arrives, as for a booking")
        return [
            "RSReferralPage": .record(["items": .array(summary), "total": .int, "page": .int, "pageSize": .int]),
            "RSReferralForm": .form(
                [
                    "unhcrCaseNumber": APISchema.text.example("LEB-12C34567"),
                    "countryOfAsylum": APISchema.text.example("LB"), "category": .words(SubmissionCategory.self),
                    "priority": .words(SubmissionPriority.self), "municipality": .text, "note": .text,
                    "principalID": uuid, "principal": .ref("PersonForm"),
                    "principalDocuments": .array(.ref("IdentityDocumentForm")),
                    "members": .array(
                        .form(
                            [
                                "personID": uuid, "person": .ref("PersonForm"),
                                "documents": .array(.ref("IdentityDocumentForm")),
                                "relationship": .words(FamilyRelationship.self),
                            ], required: ["relationship"])),
                ], required: ["unhcrCaseNumber", "countryOfAsylum", "category"]),
            "RSReferral": .record(
                [
                    "id": uuid, "caseID": uuid, "caseReference": .text, "unhcrCaseNumber": .text,
                    "countryOfAsylum": .text, "category": .words(SubmissionCategory.self),
                    "priority": .words(SubmissionPriority.self), "decision": .words(SelectionOutcome.self),
                    "decidedOn": .date, "stage": .words(ResettlementStage.self), "municipality": .text,
                    "referredBy": .text, "note": .text, "createdAt": .dateTime,
                    "members": .array(
                        .record(
                            [
                                "person": personRef, "relationship": .text, "dateOfBirth": .text, "sex": .text,
                                "attendedOrientation": .bool, "documentValidUntil": .date,
                                "fitness": .words(TravelFitness.self), "fitnessValidUntil": .date,
                            ],
                            optional: [
                                "dateOfBirth", "attendedOrientation", "documentValidUntil", "fitness",
                                "fitnessValidUntil",
                            ])),
                    "healthChecks": .array(
                        .record(
                            [
                                "id": uuid, "personID": uuid, "kind": .words(HealthCheckKind.self),
                                "examinedOn": .date, "validUntil": .date, "fitness": .words(TravelFitness.self),
                                "escort": .words(EscortKind.self), "assistance": .array(.words(AssistanceKind.self)),
                                "medicalDetails": .text, "recordedBy": .text,
                            ], optional: ["validUntil", "medicalDetails"])),
                    "documents": .array(
                        .record([
                            "id": uuid, "personID": uuid, "kind": .words(ResettlementDocumentKind.self),
                            "number": .text, "issuedOn": .date, "validUntil": .date,
                        ])),
                    "missions": .array(
                        .record(
                            [
                                "missionID": uuid, "country": .text, "startsOn": .date,
                                "outcome": .words(SelectionOutcome.self), "decidedOn": .date,
                            ], optional: ["decidedOn"])),
                    "movement": .record([
                        "id": uuid, "reference": .text, "departsOn": .date,
                        "status": .words(GroupMovementStatus.self), "bookingID": uuid,
                        "bookingStatus": .words(BookingStatus.self),
                    ]),
                    "travelRefusals": .array(.text),
                ],
                optional: ["decidedOn", "createdAt", "healthChecks", "documents", "movement", "travelRefusals"]),
            "RSDecisionForm": .form(
                ["outcome": .words(SelectionOutcome.self), "decidedOn": .date, "note": .text], required: ["outcome"]),
            "RSDocumentForm": .form(
                [
                    "personID": uuid, "kind": .words(ResettlementDocumentKind.self), "number": .text,
                    "issuedOn": .date, "validUntil": .date,
                ], required: ["personID", "kind", "number", "issuedOn", "validUntil"]),
            "RSHealthCheckForm": .form(
                [
                    "personID": uuid, "kind": .words(HealthCheckKind.self), "examinedOn": .date,
                    "fitness": .words(TravelFitness.self), "validUntil": .date, "escort": .words(EscortKind.self),
                    "assistance": APISchema.text.described(
                        "comma-separated: " + AssistanceKind.allCases.map(\.rawValue).joined(separator: ", ")),
                    "medicalDetails": .text,
                ], required: ["personID", "kind", "examinedOn", "fitness"]),
            "RSMission": mission, "RSMissions": .array(mission),
            "RSMissionForm": .form(
                [
                    "country": APISchema.text.example("KE"), "startsOn": .date, "endsOn": .date, "team": .text,
                    "note": .text,
                ], required: ["country", "startsOn", "endsOn", "team"]),
            "RSInterviewForm": .form(
                [
                    "referralID": uuid, "unhcrCaseNumber": .text, "outcome": .words(SelectionOutcome.self),
                    "decidedOn": .date, "note": .text,
                ]),
            "RSSession": session, "RSSessions": .array(session),
            "RSSessionForm": .form(
                [
                    "country": APISchema.text.example("LB"), "place": .text, "startsOn": .date, "endsOn": .date,
                    "language": APISchema.text.example("ar"), "facilitator": .text,
                ], required: ["country", "place", "startsOn", "endsOn", "language", "facilitator"]),
            "RSAttendanceForm": .form(
                ["personIDs": APISchema.text.described("person ids, comma-separated")], required: ["personIDs"]),
            "RSAttendance": .record(["added": .int, "attendees": .int]),
            "RSMovement": movement, "RSMovements": .array(movement),
            "RSMovementForm": .form(
                [
                    "charter": .bool, "leg1_carrier": leg, "leg1_flight": .text, "leg1_from": .text,
                    "leg1_to": .text, "leg1_departs": .text, "leg1_arrives": .text,
                    "transitAssistance": APISchema.text.described("airport codes, comma-separated").example("IST"),
                ],
                required: ["leg1_carrier", "leg1_flight", "leg1_from", "leg1_to", "leg1_departs", "leg1_arrives"]),
            "RSAddHouseholdForm": .form(
                [
                    "referralID": uuid, "unhcrCaseNumber": .text, "reference": .text, "escortStaff": .text,
                    "status": .oneOf(["requested", "held", "ticketed"]),
                ]),
            "RSArrivalForm": .form(
                ["arrivedAt": APISchema.text.example("2026-05-02T14:30"), "note": .text], required: ["arrivedAt"]),
        ]
    }
}
