import PassageDomain
import Vapor

/// The family reunification part of the OpenAPI document.
extension OpenAPIController {
    static let reunificationOperations: [Operation] = [
        .init(
            method: "get", path: "/reunification/centres",
            summary: "The centres abroad with their time zone, opening days and hours, holidays, slots and capacity",
            request: nil, response: "FRCentres", status: "200"),
        .init(
            method: "put", path: "/reunification/centres/{locationID}",
            summary: "Set the schedule of an office abroad (it becomes a centre the first time)",
            request: "FRCentreForm", response: "FRCentre", status: "200"),
        .init(
            method: "get", path: "/reunification/referrals",
            summary: "Referrals, newest first; the immigration service's account reads only its own", request: nil,
            response: "FRReferralPage", status: "200", query: [.integer("page", 1...Request.maxPage)]),
        .init(
            method: "post", path: "/reunification/referrals",
            summary:
                "Refer a family for verification: the sponsor and the family members (by personID, or their details "
                + "for a new record), what is to be verified for each, the IND file number, the deadline and the "
                + "centre",
            request: "FRReferralForm", response: "FRReferral", status: "201"),
        .init(
            method: "get", path: "/reunification/referrals/{referralID}",
            summary: "A referral with its family members, appointments, samples, chains of custody and results",
            request: nil, response: "FRReferral", status: "200"),
        .init(
            method: "post", path: "/reunification/referrals/{referralID}/appointments",
            summary:
                "Book a family member at the referral's centre; a full slot is refused unless waitingList is true",
            request: "FRAppointmentForm", response: "FRAppointment", status: "201"),
        .init(
            method: "post", path: "/reunification/appointments/{appointmentID}/transitions",
            summary:
                "Mark an appointment attended, no_show or cancelled, or reschedule it (with day and time); a place "
                + "freed goes to the first family member waiting for that day",
            request: "FRAppointmentTransition", response: "FRAppointment", status: "200"),
        .init(
            method: "get", path: "/reunification/appointments/{appointmentID}/calendar.ics",
            summary: "The appointment as an iCalendar (RFC 5545) invitation", request: nil, response: "",
            status: "200", files: ["text/calendar"]),
        .init(
            method: "put", path: "/reunification/appointments/{appointmentID}/interview",
            summary: "Arrange a videoconference interview: the IND caseworker, the language, the interpreter, the room",
            request: "FRInterviewForm", response: "FRInterview", status: "200"),
        .init(
            method: "post", path: "/reunification/appointments/{appointmentID}/interview/outcome",
            summary:
                "How the interview went: held, no_show, technical_failure (after it began), or rescheduled (day, time)",
            request: "FRInterviewOutcome", response: "FRInterview", status: "200"),
        .init(
            method: "get", path: "/reunification/visa-assistance",
            summary: "Families helped with visa applications at a consulate, newest first, with the totals",
            request: nil, response: "FRVisaAssistancePage", status: "200",
            query: [.integer("page", 1...Request.maxPage)]),
        .init(
            method: "post", path: "/reunification/visa-assistance",
            summary: "Record a family helped at a consulate: the day, the services given and the problems found",
            request: "FRVisaAssistanceForm", response: "FRVisaAssistance", status: "201"),
        .init(
            method: "get", path: "/reunification/mileage-fund",
            summary: "The Mileage Fund: its balance, donations, tickets paid and the ledger", request: nil,
            response: "FRMileageFund", status: "200"),
        .init(
            method: "post", path: "/reunification/mileage-fund",
            summary: "Record a donation, or a ticket paid for an eligible traveller; never beyond the balance",
            request: "FRMileageForm", response: "FRMileageEntry", status: "201"),
        .init(
            method: "post", path: "/reunification/referrals/{referralID}/samples",
            summary: "Record a DNA sample's collection, with the identity check, the witness and the seal",
            request: "FRSampleForm", response: "FRSample", status: "201"),
        .init(
            method: "get", path: "/reunification/samples/{sampleID}",
            summary: "A sample with its chain of custody", request: nil, response: "FRSample", status: "200"),
        .init(
            method: "post", path: "/reunification/samples/{sampleID}/handovers",
            summary:
                "Record a hand-over, by its receiver; a broken seal, another seal number (confirmed) or a gap marks "
                + "the sample compromised",
            request: "FRHandOverForm", response: "FRSample", status: "201"),
        .init(
            method: "post", path: "/reunification/samples/{sampleID}/result",
            summary: "Record the laboratory's result and report it to the IND; refused for a compromised sample",
            request: "FRResultForm", response: "FRSample", status: "200"),
    ]

    static var reunificationSchemas: [String: APISchema] {
        let uuid = APISchema.uuid
        let localTime = APISchema.text.described("the centre's local time, like 2026-12-07 09:30 (now when absent)")
        let personRef = APISchema.record(["personID": uuid, "reference": .text, "name": .text])
        let appointment = APISchema.record(
            [
                "id": uuid, "memberID": uuid, "service": .words(AppointmentService.self),
                "status": .words(AppointmentStatus.self), "day": .date, "time": .text, "startsAt": .dateTime,
                "centreTime": .text, "netherlandsTime": .text, "replacedBy": uuid, "note": .text,
                "interview": .ref("FRInterview"),
            ], optional: ["replacedBy", "interview"])
        let interview = APISchema.record(
            [
                "caseworker": .text, "language": .text, "interpreter": .text, "room": .text,
                "outcome": .words(InterviewOutcome.self), "note": .text,
            ], optional: ["outcome"])
        let visa = APISchema.record(
            [
                "id": uuid, "day": .date, "place": .text, "family": .text, "personID": uuid, "persons": .int,
                "nationality": .text, "services": .array(.words(VisaService.self)), "problems": .text,
                "recordedBy": .text,
            ], optional: ["personID"])
        let mileage = APISchema.record(
            [
                "id": uuid, "kind": .words(MileageEntryKind.self), "day": .date, "amount": .text, "donor": .text,
                "personID": uuid, "referralID": uuid, "eligibility": .words(MileageEligibility.self),
                "reason": .text, "bookingID": uuid, "recordedBy": .text,
            ], optional: ["personID", "referralID", "eligibility", "bookingID"])
        let event = APISchema.record(
            [
                "seq": .int, "kind": .oneOf(["collected", "handover", "compromised", "result"]),
                "custodian": .words(CustodianKind.self), "holder": .text, "from": .text,
                "handedOverAt": .dateTime, "receivedAt": .dateTime, "sealNumber": .text, "sealIntact": .bool,
                "note": .text, "recordedBy": .text, "recordedAt": .dateTime,
            ], optional: ["handedOverAt"])
        let sample = APISchema.record(
            [
                "id": uuid, "identifier": .text, "memberID": uuid, "status": .words(SampleStatus.self),
                "collectedBy": .text, "collectedAt": .dateTime, "place": .text, "documentSeen": .text,
                "photoTaken": .bool, "witness": .text, "sealNumber": .text, "holder": .text,
                "holderKind": .words(CustodianKind.self), "holderSince": .dateTime, "compromisedReason": .text,
                "outcome": .words(LabOutcome.self), "reportReference": .text, "resultAt": .dateTime,
                "custody": .array(event),
            ], optional: ["compromisedReason", "outcome", "reportReference", "resultAt"])
        let centre = APISchema.record([
            "id": uuid, "locationID": uuid, "name": .text, "city": .text, "country": .text, "timeZone": .text,
            "openDays": .array(.integer(1...7)), "opens": .text, "closes": .text, "slotMinutes": .int,
            "dnaCapacity": .int, "interviewCapacity": .int, "holidays": .array(.date),
        ])
        return [
            "FRInterview": interview, "FRVisaAssistance": visa, "FRMileageEntry": mileage,
            "FRInterviewForm": .form(
                [
                    "caseworker": .text, "language": APISchema.text.example("ar"), "interpreter": .text,
                    "room": .text,
                ], required: ["caseworker", "language", "room"]),
            "FRInterviewOutcome": .form(
                [
                    "outcome": .words(InterviewOutcome.self), "note": .text,
                    "day": APISchema.date.described("for rescheduled"), "time": .text,
                ], required: ["outcome"]),
            "FRVisaAssistancePage": .record([
                "items": .array(visa), "total": .int, "families": .int, "persons": .int, "page": .int,
                "pageSize": .int,
            ]),
            "FRVisaAssistanceForm": .form(
                [
                    "day": .date, "place": .text, "family": .text, "personID": uuid, "persons": .integer(1...40),
                    "nationality": APISchema.text.example("SY"),
                    "services": APISchema.text.described(
                        "comma-separated: " + VisaService.allCases.map(\.rawValue).joined(separator: ", ")
                    ).example("form_filling,document_check"),
                    "problems": .text,
                ], required: ["day", "place", "family", "persons", "nationality", "services"]),
            "FRMileageFund": .record([
                "balance": .text, "donations": .text, "tickets": .text, "travellers": .int,
                "entries": .array(mileage),
            ]),
            "FRMileageForm": .form(
                [
                    "kind": .words(MileageEntryKind.self), "day": .date,
                    "amount": APISchema.text.described("euros").example("450.00"), "donor": .text,
                    "personID": uuid, "referralID": uuid, "eligibility": .words(MileageEligibility.self),
                    "reason": .text, "bookingID": uuid,
                ], required: ["kind", "day", "amount"]),
            "FRCentre": centre, "FRCentres": .array(centre),
            "FRCentreForm": .form(
                [
                    "timeZone": APISchema.text.example("Africa/Addis_Ababa"),
                    "openDays": APISchema.text.described("ISO weekdays, 1 Monday to 7 Sunday").example("1,2,3,4,5"),
                    "opens": APISchema.text.example("08:30"), "closes": APISchema.text.example("16:00"),
                    "slotMinutes": .integer(5...240), "dnaCapacity": .integer(0...200),
                    "interviewCapacity": .integer(0...200),
                    "holidays": APISchema.text.described("days the centre is closed, comma-separated"),
                ],
                required: [
                    "timeZone", "openDays", "opens", "closes", "slotMinutes", "dnaCapacity", "interviewCapacity",
                ]),
            "FRReferralForm": .form(
                [
                    "indFileNumber": .text, "deadline": .date, "centreID": uuid, "sponsorID": uuid,
                    "sponsor": .ref("PersonForm"), "note": .text,
                    "members": .array(
                        .form(
                            [
                                "personID": uuid, "person": .ref("PersonForm"),
                                "relationship": .words(FamilyRelationship.self),
                                "verification": .words(VerificationKind.self),
                            ], required: ["relationship", "verification"])),
                ], required: ["indFileNumber", "deadline", "centreID", "members"]),
            "FRReferral": .record(
                [
                    "id": uuid, "caseID": uuid, "caseReference": .text, "indFileNumber": .text, "deadline": .date,
                    "referredBy": .text, "centreID": uuid, "centre": .text, "centreTimeZone": .text,
                    "sponsor": personRef, "note": .text, "createdAt": .dateTime,
                    "members": .array(
                        .record(
                            [
                                "id": uuid, "person": personRef, "phone": .text, "languages": .array(.text),
                                "relationship": .words(FamilyRelationship.self),
                                "verification": .words(VerificationKind.self),
                            ], optional: ["phone"])),
                    "appointments": .array(appointment), "samples": .array(sample),
                ], optional: ["createdAt"]),
            "FRReferralPage": .record([
                "items": .array(
                    .record([
                        "id": uuid, "caseReference": .text, "indFileNumber": .text, "deadline": .date,
                        "centre": .text, "members": .int,
                    ])),
                "total": .int, "page": .int, "pageSize": .int,
            ]),
            "FRAppointment": appointment,
            "FRAppointmentForm": .form(
                [
                    "memberID": uuid, "service": .words(AppointmentService.self), "day": .date,
                    "time": APISchema.text.example("09:30"), "note": .text, "waitingList": .bool,
                ], required: ["memberID", "service", "day", "time"]),
            "FRAppointmentTransition": .form(
                [
                    "to": .oneOf(["attended", "no_show", "cancelled", "rescheduled", "booked"]),
                    "day": APISchema.date.described("for rescheduled, and for booked from the waiting list"),
                    "time": .text, "note": .text,
                ], required: ["to"]),
            "FRSample": sample,
            "FRSampleForm": .form(
                [
                    "appointmentID": uuid, "memberID": uuid, "collectedAt": localTime, "place": .text,
                    "documentSeen": APISchema.text.described("the identity document seen, like passport P1234567"),
                    "photoTaken": .bool, "witness": .text, "sealNumber": .text,
                ], required: ["documentSeen", "photoTaken", "witness", "sealNumber"]),
            "FRHandOverForm": .form(
                [
                    "from": APISchema.text.described("who handed the sample over: who holds it now"),
                    "to": .oneOf(["courier", "embassy", "laboratory"]), "receiver": .text,
                    "handedOverAt": localTime, "receivedAt": localTime, "sealNumber": .text, "sealIntact": .bool,
                    "confirmMismatch": .bool,
                ], required: ["from", "to", "sealNumber", "sealIntact"]),
            "FRResultForm": .form(
                ["outcome": .words(LabOutcome.self), "reportReference": .text],
                required: ["outcome", "reportReference"]),
        ]
    }
}
