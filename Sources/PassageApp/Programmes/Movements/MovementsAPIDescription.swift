import Vapor
import PassageDomain

/// The movements part of the OpenAPI document: bookings, manifest, SMS, partner webhooks, CO2.
extension OpenAPIController {
    static let spreadsheets = ["text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]

    static let movementsOperations: [Operation] = [
        .init(
            method: "get", path: "/airports", summary: "Airports by IATA code, city or name (at least two letters)",
            request: nil, response: "Airports", status: "200", query: ["q"]),
        .init(
            method: "get", path: "/cases/{caseID}/bookings",
            summary: "A case's bookings, newest first, with legs, history, messages and CO2", request: nil,
            response: "Bookings", status: "200"),
        .init(
            method: "post", path: "/cases/{caseID}/bookings",
            summary: "Book flights for persons of the case; times are local at each airport", request: "BookingForm",
            response: "Booking", status: "201"),
        .init(
            method: "get", path: "/bookings/{bookingID}", summary: "A booking", request: nil, response: "Booking",
            status: "200"),
        .init(
            method: "post", path: "/bookings/{bookingID}/transitions",
            summary:
                "Change a booking's status (held, ticketed, cancelled, flown, no_show); ticketing and cancelling send SMS, flying notifies partners",
            request: "BookingTransition", response: "Booking", status: "200"),
        .init(
            method: "post", path: "/bookings/{bookingID}/rebook",
            summary: "Re-book: cancels this booking and makes a new one that points back to it", request: "BookingForm",
            response: "Booking", status: "201"),
        .init(
            method: "put", path: "/bookings/{bookingID}/handling/{personID}/{type}",
            summary: "Record airport handling of a passenger's departure, transit or arrival at the hub",
            request: "Handling", response: "Booking", status: "200"),
        .init(
            method: "get", path: "/movements/ready",
            summary:
                "Cases preparing to leave with no booking under way, and what each journey needs (no medical detail)",
            request: nil, response: "ReadyToBook", status: "200", query: ListPaging.apiQuery(BookingQueue.sorts)),
        .init(
            method: "get", path: "/movements/manifest",
            summary: "The hub airport's manifest for a day (today and the configured hub by default)", request: nil,
            response: "Manifest", status: "200", query: ["airport", "date"]),
        .init(
            method: "get", path: "/movements/counts",
            summary: "Passengers through the hub per day of a month, by movement type", request: nil,
            response: "MovementCounts", status: "200", query: ["airport", "month"]),
        .init(
            method: "get", path: "/movements/emissions",
            summary: "CO2e of flown bookings per year and programme, carbon credits and the balance", request: nil,
            response: "CarbonAccount", status: "200"),
        .init(
            method: "post", path: "/movements/carbon-credits", summary: "Record a purchase of carbon credits",
            request: "CarbonCredit", response: "CarbonAccount", status: "201"),
        .init(
            method: "get", path: "/cases/{caseID}/messages",
            summary: "SMS sent about a case, with their delivery reports", request: nil, response: "Messages",
            status: "200"),
        .init(
            method: "post", path: "/messages/{messageID}/resend",
            summary: "Send an SMS again (a new message; the first stays in the log)", request: nil, response: "Message",
            status: "201"),
        .init(
            method: "put", path: "/persons/{personID}/sms-opt-out",
            summary: "Record that a person does (true) or no longer does (false) refuse SMS", request: "OptOut",
            response: "", status: "204"),
        .init(
            method: "get", path: "/sms-templates", summary: "SMS templates per event and language", request: nil,
            response: "Templates", status: "200"),
        .init(
            method: "put", path: "/sms-templates/{event}/{language}",
            summary: "Change a template; every placeholder its event needs must be there", request: "Template",
            response: "", status: "204"),
        .init(
            method: "get", path: "/webhooks/subscriptions",
            summary: "Partner webhook subscriptions (secrets are never shown again)", request: nil,
            response: "Subscriptions", status: "200"),
        .init(
            method: "post", path: "/webhooks/subscriptions",
            summary: "Subscribe a partner organisation to an event; the answer carries the signing secret once",
            request: "SubscriptionForm", response: "Subscription", status: "201"),
        .init(
            method: "patch", path: "/webhooks/subscriptions/{subscriptionID}",
            summary: "Pause or resume a subscription", request: "SubscriptionChange", response: "", status: "204"),
        .init(
            method: "get", path: "/webhooks/deliveries",
            summary: "The delivery log: every notification with each attempt (failed=true for the undelivered)",
            request: nil, response: "Deliveries", status: "200", query: ["failed"]),
        .init(
            method: "get", path: "/reports/period",
            summary:
                "The period report with the period of the same length before it (a calendar year by default; at "
                + "most 20 years); audited. small=suppress shows counts from 1 to 4 as <5 in a csv or xlsx file, "
                + "for sharing outside the office",
            request: nil, response: "PeriodReport", status: "200",
            query: [
                .init("from", .date), .init("to", .date), .init("format", .oneOf(["json", "csv", "xlsx"])),
                .init("small", .oneOf(["keep", "suppress"])),
            ],
            files: spreadsheets),
        .init(
            method: "get", path: "/dashboard",
            summary:
                "The managers' live view: open caseload by programme, stage, owner and office; departures this month, last month and a year ago; flights in the next 14 days; open travel-document requests; grants with payments outstanding; undelivered SMS and notifications",
            request: nil, response: "Dashboard", status: "200"),
        .init(
            method: "get", path: "/reports/monthly",
            summary: "Return departures by month and nationality for a year (this year by default); audited",
            request: nil, response: "MonthlyStatistics", status: "200",
            query: [.integer("year", 1990...2100), .init("format", .oneOf(["json", "csv", "xlsx"]))],
            files: spreadsheets),
        .init(
            method: "get", path: "/reports/period/{figure}",
            summary: "The cases behind a figure of the period report, as far as the caller may see them", request: nil,
            response: "ReportDrillDown", status: "200",
            query: ["from", "to", .init("format", .oneOf(["json", "csv", "xlsx"]))],
            files: spreadsheets),
        .init(
            method: "post", path: "/webhooks/deliveries/{messageID}/redeliver",
            summary: "Deliver a notification again, with the same event id", request: nil, response: "", status: "202"),
    ]

    static var movementsSchemas: [String: APISchema] {
        movementsRequests.merging(movementsAnswers) { a, _ in a }.merging(reportSchemas) { a, _ in a }
    }

    private static var movementsRequests: [String: APISchema] {
        let uuid = APISchema.uuid
        let local = APISchema.text.described("local time at the airport, like 2026-12-01T14:35")
        let leg = APISchema.form(
            [
                "carrier": .text.described("airline code, like KL"),
                "flight": .text.described("flight number, like 1234"),
                "from": .text.described("IATA code"), "to": .text.described("IATA code"), "departs": local,
                "arrives": local,
            ],
            required: ["carrier", "flight", "from", "to", "departs", "arrives"])
        return [
            "BookingForm": .form(
                [
                    "reference": .text, "status": .oneOf(["requested", "held", "ticketed"]),
                    "passengers": .array(
                        .form(
                            ["personID": uuid, "assistance": .array(.words(AssistanceKind.self))],
                            required: ["personID"])),
                    "legs": .array(leg), "fare": .text.described("euros"), "baggageKg": .int,
                    "escort": .words(EscortKind.self), "escortStaff": .text,
                    "escortReturnLegs": .array(leg), "note": .text,
                ], required: ["passengers", "legs"]),
            "BookingTransition": .form(
                ["to": .words(BookingStatus.self), "note": .text, "reference": .text], required: ["to"]),
            "Handling": .form([
                "checkedIn": .bool, "exitFormalities": .bool, "handoverTo": .words(HandoverKind.self),
                "handoverName": .text,
                "transitAssistance": .text.described(
                    "comma-separated: " + TransitAssistance.allCases.map(\.rawValue).joined(separator: ", ")),
                "note": .text,
            ]),
            "CarbonCredit": .form(
                [
                    "purchasedOn": .date, "tonnes": .text.described("tonnes of CO2e, like 12.5"),
                    "vendor": .text, "certificate": .text,
                ],
                required: ["purchasedOn", "tonnes", "vendor", "certificate"]),
            "OptOut": .form(["optedOut": .bool], required: ["optedOut"]),
            "Template": .form(
                [
                    "text": .text.described(
                        "with placeholders " + SMSTemplates.placeholders.map { "{\($0)}" }.joined(separator: " "))
                ], required: ["text"]),
            "SubscriptionForm": .form(
                ["partnerID": uuid, "eventType": .words(WebhookEventType.self), "url": .text],
                required: ["partnerID", "url"]),
            "SubscriptionChange": .form(["active": .bool], required: ["active"]),
        ]
    }

    private static var movementsAnswers: [String: APISchema] {
        let uuid = APISchema.uuid
        let legOut = APISchema.record(
            [
                "seq": .int, "flight": .text, "from": .text, "fromCity": .text, "to": .text, "toCity": .text,
                "departsLocal": .text, "arrivesLocal": .text, "departsAt": .dateTime, "arrivesAt": .dateTime,
                "distanceKm": .number, "escortOnly": .bool, "co2KgWithRF": .number, "co2KgWithoutRF": .number,
                "factorYear": .int,
            ], optional: ["co2KgWithRF", "co2KgWithoutRF", "factorYear"])
        let message = APISchema.record(
            [
                "id": uuid, "kind": .words(OutboxMessage.Kind.self), "label": .text, "destination": .text,
                "body": .text, "status": .words(OutboxMessage.Status.self), "attempts": .int, "dueAt": .dateTime,
                "sentAt": .dateTime, "lastError": .text, "report": .text, "reportAt": .dateTime,
            ], optional: ["sentAt", "lastError", "report", "reportAt"])
        let handling = APISchema.record(
            [
                "personID": uuid, "type": .words(MovementType.self), "checkedIn": .bool, "exitFormalities": .bool,
                "handoverTo": .words(HandoverKind.self), "handoverName": .text,
                "transitAssistance": .array(.words(TransitAssistance.self)), "note": .text, "updatedBy": .text,
            ], optional: ["handoverTo"])
        let booking = APISchema.record(
            [
                "id": uuid, "caseID": uuid, "caseReference": .text, "programme": .words(Programme.self),
                "reference": .text, "status": .words(BookingStatus.self), "next": .array(.words(BookingStatus.self)),
                "fare": .text, "baggageKg": .int, "escort": .words(EscortKind.self), "escortStaff": .text,
                "note": .text, "rebookedFrom": uuid, "rebookedAs": uuid, "legs": .array(legOut),
                "passengers": .array(
                    .record(
                        [
                            "personID": uuid, "reference": .text, "name": .text, "phone": .text,
                            "assistance": .array(.words(AssistanceKind.self)), "smsOptOut": .bool,
                        ], optional: ["phone"])),
                "history": .array(
                    .record(
                        [
                            "at": .dateTime, "by": .text, "from": .words(BookingStatus.self),
                            "to": .words(BookingStatus.self), "note": .text,
                        ], optional: ["from"])),
                "messages": .array(message), "handling": .array(handling), "co2KgWithRF": .number,
                "co2KgWithoutRF": .number,
            ], optional: ["fare", "rebookedFrom", "rebookedAs", "co2KgWithRF", "co2KgWithoutRF"])
        let entry = APISchema.record(
            [
                "type": .words(MovementType.self), "time": .text, "bookingID": uuid, "caseID": uuid,
                "caseReference": .text, "bookingReference": .text, "status": .words(BookingStatus.self),
                "inbound": .text, "outbound": .text, "personID": uuid, "person": .text, "personReference": .text,
                "assistance": .array(.words(AssistanceKind.self)), "escort": .words(EscortKind.self),
                "escortStaff": .text, "handling": handling,
            ], optional: ["inbound", "outbound", "handling"])
        let subscription = APISchema.record(
            [
                "id": uuid, "partnerID": uuid, "partner": .text, "eventType": .words(WebhookEventType.self),
                "url": .text, "active": .bool, "createdBy": .text, "createdAt": .dateTime,
                "secret": .text.described("only in the answer to the creation"),
            ], optional: ["createdAt", "secret"])
        return [
            "Airports": .array(
                .record([
                    "iata": .text, "name": .text, "city": .text, "country": .text, "latitude": .number,
                    "longitude": .number, "timeZone": .text,
                ])),
            "Booking": booking, "Bookings": .array(.ref("Booking")),
            "TravelNeeds": .record(
                [
                    "escort": .words(EscortKind.self), "fitToFlyRequired": .bool,
                    "fitToFly": .words(FitToFly.self).described("when an assessment is required"),
                    "fitToFlyValidUntil": .date.described("when the person was found fit"),
                    "assistance": .array(.words(AssistanceKind.self)),
                ], optional: ["fitToFly", "fitToFlyValidUntil"]),
            "ReadyToBook": .record([
                "items": .array(
                    .record(
                        [
                            "caseID": uuid, "caseReference": .text, "personID": uuid, "person": .text,
                            "destinationCountry": .text, "preferredLanguage": .text, "needs": .ref("TravelNeeds"),
                        ], optional: ["destinationCountry", "preferredLanguage"])),
                "total": .int, "page": .int, "pageSize": .int,
            ]),
            "Manifest": .record([
                "airport": .text, "date": .date, "entries": .array(entry), "counts": .map(.int),
            ]),
            "MovementCounts": .record([
                "airport": .text, "month": .text,
                "days": .array(
                    .record(["date": .date, "departure": .int, "transit": .int, "arrival": .int])),
                "totals": .map(.int),
            ]),
            "CarbonAccount": .record([
                "rows": .array(
                    .record([
                        "year": .int, "programme": .words(Programme.self), "bookings": .int, "kgWithRF": .number,
                        "kgWithoutRF": .number,
                    ])),
                "credits": .array(
                    .record([
                        "id": uuid, "purchasedOn": .date, "tonnes": .number, "vendor": .text,
                        "certificate": .text, "recordedBy": .text,
                    ])),
                "emittedTonnesWithRF": .number, "emittedTonnesWithoutRF": .number, "creditTonnes": .number,
                "balanceTonnes": .number, "method": .text,
            ]),
            "Message": message, "Messages": .array(message),
            "Templates": .array(
                .record(
                    [
                        "event": .text, "language": .text, "text": .text, "required": .array(.text),
                        "updatedBy": .text, "updatedAt": .dateTime,
                    ], optional: ["updatedAt"])),
            "Subscription": subscription, "Subscriptions": .array(.ref("Subscription")),
            "Deliveries": .array(
                .record(
                    [
                        "id": uuid, "subscriptionID": uuid, "partner": .text, "url": .text, "label": .text,
                        "status": .words(OutboxMessage.Status.self), "attempts": .int, "dueAt": .dateTime,
                        "sentAt": .dateTime, "lastError": .text, "createdAt": .dateTime,
                        "log": .array(
                            .record(
                                [
                                    "attempt": .int, "at": .dateTime, "ok": .bool, "code": .int, "detail": .text,
                                    "durationMs": .int,
                                ], optional: ["code"])),
                    ], optional: ["subscriptionID", "sentAt", "lastError", "createdAt"])),
        ]
    }

    private static var reportSchemas: [String: APISchema] {
        let uuid = APISchema.uuid
        let count = APISchema.record(["label": .text, "count": .int, "link": .text])
        return [
            "PeriodReport": .record([
                "from": .date, "to": .date, "previousFrom": .date, "previousTo": .date, "hub": .text,
                "rows": .array(
                    .record([
                        "key": .words(ReportFigure.self), "label": .text, "definition": .text, "value": .number,
                        "previous": .number, "tonnes": .bool,
                        "breakdown": .array(.record(["label": .text, "value": .number, "previous": .number])),
                    ])),
            ]),
            "Dashboard": .record([
                "byProgramme": .array(count), "byStage": .array(count), "byOwner": .array(count),
                "byOffice": .array(count), "departuresThisMonth": count, "departuresLastMonth": count,
                "departuresSameMonthLastYear": count,
                "upcoming": .array(
                    .record([
                        "bookingID": uuid, "departsLocal": .text, "route": .text, "passengers": .int,
                        "status": .words(BookingStatus.self),
                    ])),
                "travelDocuments": .array(
                    .record(["embassyID": uuid, "embassy": .text, "open": .int, "oldestDays": .int])),
                "grantsOutstanding": .array(
                    .record([
                        "caseID": uuid, "reference": .text, "type": .words(GrantType.self), "amount": .text,
                        "outstanding": .text,
                    ])),
                "grantsOutstandingCount": .int, "smsFailures": .int, "webhookFailures": .int,
            ]),
            "MonthlyStatistics": .record([
                "year": .int, "months": .array(.text), "definition": .text, "totals": .array(.int),
                "rows": .array(.record(["nationality": .text, "name": .text, "months": .array(.int), "total": .int])),
            ]),
            "ReportDrillDown": .record([
                "figure": .words(ReportFigure.self), "label": .text, "definition": .text, "from": .date, "to": .date,
                "withheld": .int, "total": .int.described("cases behind the figure; at most 1,000 are listed"),
                "items": .array(
                    .record(
                        [
                            "caseID": uuid, "reference": .text, "person": .text, "programme": .words(Programme.self),
                            "status": .words(CaseStatus.self), "openedOn": .date,
                            "stage": .words(ReturnStage.self), "departedOn": .date,
                        ], optional: ["stage", "departedOn"])),
            ]),
        ]
    }
}
