import Vapor
import PassageDomain

/// The movements part of the OpenAPI document: bookings, manifest, SMS, partner webhooks, CO2.
extension OpenAPIController {
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
                "The period report with the period of the same length before it (a calendar year by default; at most 20 years); audited",
            request: nil, response: "PeriodReport", status: "200", query: ["from", "to", "format"]),
        .init(
            method: "get", path: "/dashboard",
            summary:
                "The managers' live view: open caseload by programme, stage, owner and office; departures this month, last month and a year ago; flights in the next 14 days; open travel-document requests; grants with payments outstanding; undelivered SMS and notifications",
            request: nil, response: "Dashboard", status: "200"),
        .init(
            method: "get", path: "/reports/monthly",
            summary: "Return departures by month and nationality for a year (this year by default); audited",
            request: nil, response: "MonthlyStatistics", status: "200", query: ["year", "format"]),
        .init(
            method: "get", path: "/reports/period/{figure}",
            summary: "The cases behind a figure of the period report, as far as the caller may see them", request: nil,
            response: "ReportDrillDown", status: "200", query: ["from", "to"]),
        .init(
            method: "post", path: "/webhooks/deliveries/{messageID}/redeliver",
            summary: "Deliver a notification again, with the same event id", request: nil, response: "", status: "202"),
    ]

    static var movementsSchemas: [String: Any] {
        let uuid = str(["format": "uuid"])
        let local = str(["description": "local time at the airport, like 2026-12-01T14:35"])
        let leg = obj(
            [
                "carrier": str(["description": "airline code, like KL"]),
                "flight": str(["description": "flight number, like 1234"]),
                "from": str(["description": "IATA code"]), "to": str(["description": "IATA code"]), "departs": local,
                "arrives": local,
            ],
            required: ["carrier", "flight", "from", "to", "departs", "arrives"])
        let legOut = obj([
            "seq": ["type": "integer"], "flight": str(), "from": str(), "fromCity": str(), "to": str(), "toCity": str(),
            "departsLocal": str(), "arrivesLocal": str(), "departsAt": str(["format": "date-time"]),
            "arrivesAt": str(["format": "date-time"]),
            "distanceKm": ["type": "number"], "escortOnly": ["type": "boolean"], "co2KgWithRF": ["type": "number"],
            "co2KgWithoutRF": ["type": "number"],
            "factorYear": ["type": "integer"],
        ])
        let message = obj([
            "id": uuid, "kind": str(["enum": ["sms", "webhook"]]), "label": str(), "destination": str(), "body": str(),
            "status": str(["enum": OutboxMessage.Status.allCases.map(\.rawValue)]), "attempts": ["type": "integer"],
            "dueAt": str(["format": "date-time"]), "sentAt": str(["format": "date-time"]), "lastError": str(),
            "report": str(),
        ])
        let handling = obj([
            "checkedIn": ["type": "boolean"], "exitFormalities": ["type": "boolean"],
            "handoverTo": str(["enum": HandoverKind.allCases.map(\.rawValue)]), "handoverName": str(),
            "transitAssistance": str([
                "description": "comma-separated: " + TransitAssistance.allCases.map(\.rawValue).joined(separator: ", ")
            ]), "note": str(),
        ])
        let booking = obj([
            "id": uuid, "caseID": uuid, "caseReference": str(), "programme": str(), "reference": str(),
            "status": str(["enum": BookingStatus.allCases.map(\.rawValue)]),
            "next": array(str()), "fare": str(), "baggageKg": ["type": "integer"],
            "escort": str(["enum": EscortKind.allCases.map(\.rawValue)]), "escortStaff": str(),
            "note": str(), "rebookedFrom": uuid, "rebookedAs": uuid, "legs": array(legOut),
            "passengers": array(
                obj([
                    "personID": uuid, "reference": str(), "name": str(), "phone": str(), "assistance": array(str()),
                    "smsOptOut": ["type": "boolean"],
                ])),
            "history": array(
                obj(["at": str(["format": "date-time"]), "by": str(), "from": str(), "to": str(), "note": str()])),
            "messages": array(message), "handling": array(handling), "co2KgWithRF": ["type": "number"],
            "co2KgWithoutRF": ["type": "number"],
        ])
        let entry = obj([
            "type": str(["enum": MovementType.allCases.map(\.rawValue)]), "time": str(), "bookingID": uuid,
            "caseID": uuid, "caseReference": str(),
            "bookingReference": str(), "status": str(), "inbound": str(), "outbound": str(), "personID": uuid,
            "person": str(),
            "personReference": str(), "assistance": array(str()), "escort": str(), "escortStaff": str(),
            "handling": handling,
        ])
        let subscription = obj([
            "id": uuid, "partnerID": uuid, "partner": str(), "eventType": str(), "url": str(),
            "active": ["type": "boolean"],
            "createdBy": str(), "createdAt": str(["format": "date-time"]),
            "secret": str(["description": "only in the answer to the creation"]),
        ])
        return [
            "PeriodReport": obj([
                "from": str(), "to": str(), "previousFrom": str(), "previousTo": str(), "hub": str(),
                "rows": array(
                    obj([
                        "key": str(["enum": ReportFigure.allCases.map(\.rawValue)]), "label": str(),
                        "definition": str(), "value": ["type": "number"],
                        "previous": ["type": "number"], "tonnes": ["type": "boolean"],
                        "breakdown": array(
                            obj(["label": str(), "value": ["type": "number"], "previous": ["type": "number"]])),
                    ])),
            ]),
            "Dashboard": ["type": "object", "additionalProperties": true],
            "MonthlyStatistics": obj([
                "year": ["type": "integer"], "months": array(str()), "definition": str(),
                "totals": array(["type": "integer"]),
                "rows": array(
                    obj([
                        "nationality": str(), "name": str(), "months": array(["type": "integer"]),
                        "total": ["type": "integer"],
                    ])),
            ]),
            "ReportDrillDown": obj([
                "figure": str(), "label": str(), "definition": str(), "from": str(), "to": str(),
                "withheld": ["type": "integer"],
                "total": ["type": "integer", "description": "cases behind the figure; at most 1,000 are listed"],
                "items": array(obj(["caseID": uuid, "reference": str(), "person": str(), "programme": str()])),
            ]),
            "Airports": array(
                obj([
                    "iata": str(), "name": str(), "city": str(), "country": str(), "latitude": ["type": "number"],
                    "longitude": ["type": "number"], "timeZone": str(),
                ])),
            "BookingForm": obj(
                [
                    "reference": str(), "status": str(["enum": ["requested", "held", "ticketed"]]),
                    "passengers": array(
                        obj(
                            [
                                "personID": uuid,
                                "assistance": array(str(["enum": AssistanceKind.allCases.map(\.rawValue)])),
                            ], required: ["personID"])),
                    "legs": array(leg), "fare": str(["description": "euros"]), "baggageKg": ["type": "integer"],
                    "escort": str(["enum": EscortKind.allCases.map(\.rawValue)]), "escortStaff": str(),
                    "escortReturnLegs": array(leg), "note": str(),
                ], required: ["passengers", "legs"]),
            "Booking": booking, "Bookings": array(ref("Booking")),
            "BookingTransition": obj(
                ["to": str(["enum": BookingStatus.allCases.map(\.rawValue)]), "note": str(), "reference": str()],
                required: ["to"]),
            "Handling": handling,
            "Manifest": obj([
                "airport": str(), "date": str(["format": "date"]), "entries": array(entry),
                "counts": ["type": "object", "additionalProperties": ["type": "integer"]],
            ]),
            "MovementCounts": obj([
                "airport": str(), "month": str(),
                "days": array(
                    obj([
                        "date": str(), "departure": ["type": "integer"], "transit": ["type": "integer"],
                        "arrival": ["type": "integer"],
                    ])),
                "totals": ["type": "object", "additionalProperties": ["type": "integer"]],
            ]),
            "CarbonAccount": obj([
                "rows": array(
                    obj([
                        "year": ["type": "integer"], "programme": str(), "bookings": ["type": "integer"],
                        "kgWithRF": ["type": "number"], "kgWithoutRF": ["type": "number"],
                    ])),
                "credits": array(
                    obj([
                        "id": uuid, "purchasedOn": str(), "tonnes": ["type": "number"], "vendor": str(),
                        "certificate": str(), "recordedBy": str(),
                    ])),
                "emittedTonnesWithRF": ["type": "number"], "emittedTonnesWithoutRF": ["type": "number"],
                "creditTonnes": ["type": "number"],
                "balanceTonnes": ["type": "number"], "method": str(),
            ]),
            "CarbonCredit": obj(
                [
                    "purchasedOn": str(["format": "date"]), "tonnes": str(["description": "tonnes of CO2e, like 12.5"]),
                    "vendor": str(), "certificate": str(),
                ],
                required: ["purchasedOn", "tonnes", "vendor", "certificate"]),
            "Message": message, "Messages": array(message),
            "OptOut": obj(["optedOut": ["type": "boolean"]], required: ["optedOut"]),
            "Template": obj(
                [
                    "text": str([
                        "description": "with placeholders "
                            + SMSTemplates.placeholders.map { "{\($0)}" }.joined(separator: " ")
                    ])
                ], required: ["text"]),
            "Templates": array(
                obj([
                    "event": str(), "language": str(), "text": str(), "required": array(str()), "updatedBy": str(),
                    "updatedAt": str(["format": "date-time"]),
                ])),
            "SubscriptionForm": obj(
                [
                    "partnerID": uuid, "eventType": str(["enum": WebhookEventType.allCases.map(\.rawValue)]),
                    "url": str(),
                ], required: ["partnerID", "url"]),
            "SubscriptionChange": obj(["active": ["type": "boolean"]], required: ["active"]),
            "Subscription": subscription, "Subscriptions": array(ref("Subscription")),
            "Deliveries": array(
                obj([
                    "id": uuid, "subscriptionID": uuid, "partner": str(), "url": str(), "label": str(), "status": str(),
                    "attempts": ["type": "integer"],
                    "dueAt": str(["format": "date-time"]), "sentAt": str(["format": "date-time"]), "lastError": str(),
                    "log": array(
                        obj([
                            "attempt": ["type": "integer"], "at": str(["format": "date-time"]),
                            "ok": ["type": "boolean"], "code": ["type": "integer"], "detail": str(),
                            "durationMs": ["type": "integer"],
                        ])),
                ])),
        ]
    }
}
