import PassageDomain
import Vapor

/// The visa centre's part of the OpenAPI document.
extension OpenAPIController {
    static let visaCentreOperations: [Operation] = [
        .init(
            method: "get", path: "/visa/appointments",
            summary: "A day's appointments (today when no day is given), by time and counter", request: nil,
            response: "KVAppointments", status: "200", query: [.init("day", .date)]),
        .init(
            method: "post", path: "/visa/appointments",
            summary:
                "Book an appointment (day, time, counter), or with walkIn give a walk-in the next free counter today",
            request: "KVAppointmentForm", response: "KVAppointment", status: "201"),
        .init(
            method: "post", path: "/visa/appointments/{appointmentID}/status",
            summary: "Mark a booked appointment cancelled or missed (no_show)", request: "KVAppointmentStatusForm",
            response: "KVAppointment", status: "200"),
        .init(
            method: "post", path: "/visa/applications",
            summary:
                "Take an application in: the visa type, the passport's machine-readable zone (checked digit by digit), "
                + "the applicant (personID, or registered from the zone with nationality and phone), the payment",
            request: "KVIntakeForm", response: "KVApplication", status: "201"),
        .init(
            method: "get", path: "/visa/applications",
            summary: "Applications, newest first, 50 a page, of one status when asked", request: nil,
            response: "KVApplicationPage", status: "200",
            query: [.integer("page", 1...Request.maxPage), .init("status", .words(VisaApplicationStatus.self))]),
        .init(
            method: "get", path: "/visa/applications/{applicationID}",
            summary: "An application with its checklist and where it stands", request: nil,
            response: "KVApplication", status: "200"),
        .init(
            method: "post", path: "/visa/applications/{applicationID}/verification",
            summary:
                "What the clerk found of each document: doc_<kind> is seen, original, copy or refused, with "
                + "reason_<kind> when refused",
            request: "KVVerificationForm", response: "KVApplication", status: "200"),
        .init(
            method: "post", path: "/visa/applications/{applicationID}/decision",
            summary: "The embassy's decision on a forwarded application", request: "KVDecisionForm",
            response: "KVApplication", status: "200"),
        .init(
            method: "post", path: "/visa/applications/{applicationID}/return",
            summary: "The passport returned: collected against a signature, or sent by courier (once only)",
            request: "KVReturnForm", response: "KVApplication", status: "200"),
        .init(
            method: "post", path: "/visa/batches",
            summary: "Forward verified applications to the embassy in one numbered batch", request: "KVBatchForm",
            response: "KVBatch", status: "201"),
    ]

    static var visaCentreSchemas: [String: APISchema] {
        let uuid = APISchema.uuid
        let appointment = APISchema.record(
            [
                "id": uuid, "day": .date, "time": .text, "counter": .int, "name": .text, "contact": .text,
                "visaType": .words(KoreanVisaType.self), "walkIn": .bool, "status": .words(AppointmentStatus.self),
                "applicationID": uuid,
            ], optional: ["applicationID"])
        let checks = VisaDocumentKind.allCases.reduce(into: [String: APISchema]()) {
            $0["doc_\($1.rawValue)"] = .words(VerificationOutcome.self)
            $0["reason_\($1.rawValue)"] = .text
        }
        return [
            "KVAppointment": appointment, "KVAppointments": .array(appointment),
            "KVAppointmentForm": .form(
                [
                    "day": .date, "time": APISchema.text.example("09:20"), "counter": APISchema.integer(1...3),
                    "name": .text, "contact": .text, "visaType": .words(KoreanVisaType.self), "walkIn": .bool,
                ], required: ["name", "visaType"]),
            "KVAppointmentStatusForm": .form(["status": .oneOf(["cancelled", "no_show"])], required: ["status"]),
            "KVIntakeForm": .form(
                [
                    "visaType": .words(KoreanVisaType.self),
                    "mrz": APISchema.text.described("the two lines of 44 characters, as one or two lines"),
                    "personID": uuid, "nationality": APISchema.text.example("NL"), "phone": .text,
                    "paymentMethod": .words(VisaPaymentMethod.self), "appointmentID": uuid,
                ], required: ["visaType", "mrz", "paymentMethod"]),
            "KVApplication": .record(
                [
                    "id": uuid, "number": .text, "receiptNumber": .text, "caseID": uuid, "caseReference": .text,
                    "personID": uuid, "personReference": .text, "name": .text,
                    "visaType": .words(KoreanVisaType.self), "status": .words(VisaApplicationStatus.self),
                    "receivedOn": .date, "passportNumber": .text, "passportExpiresOn": .date, "feeCents": .int,
                    "serviceFeeCents": .int, "paymentMethod": .words(VisaPaymentMethod.self), "batch": .text,
                    "decision": .words(VisaDecision.self), "decidedOn": .date, "returnedOn": .date,
                    "returnedHow": .words(PassportReturn.self), "collectedBy": .text, "courierReference": .text,
                    "documents": .array(
                        .record(
                            [
                                "kind": .words(VisaDocumentKind.self), "required": .bool,
                                "outcome": .words(VerificationOutcome.self), "reason": .text, "checkedBy": .text,
                            ], optional: ["outcome", "checkedBy"])),
                ],
                optional: [
                    "batch", "decision", "decidedOn", "returnedOn", "returnedHow", "collectedBy", "courierReference",
                ]),
            "KVVerificationForm": .form(checks),
            "KVApplicationPage": .record([
                "items": .array(
                    .record([
                        "id": uuid, "number": .text, "caseReference": .text, "name": .text,
                        "visaType": .words(KoreanVisaType.self), "status": .words(VisaApplicationStatus.self),
                        "receivedOn": .date,
                    ])),
                "total": .int, "page": .int, "pageSize": .int,
            ]),
            "KVDecisionForm": .form(
                ["decision": .words(VisaDecision.self), "decidedOn": .date], required: ["decision", "decidedOn"]),
            "KVReturnForm": .form(
                [
                    "how": .words(PassportReturn.self), "collectedBy": .text, "signed": .bool,
                    "courierReference": .text, "returnedOn": .date,
                ], required: ["how"]),
            "KVBatchForm": .form(
                ["applicationIDs": APISchema.text.described("application ids, comma-separated"), "note": .text],
                required: ["applicationIDs"]),
            "KVBatch": .record([
                "id": uuid, "number": .text, "forwardedOn": .date, "note": .text, "applications": .array(.text),
            ]),
        ]
    }
}
