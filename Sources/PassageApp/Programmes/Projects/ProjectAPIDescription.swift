import PassageDomain
import Vapor

/// The projects part of the OpenAPI document.
extension OpenAPIController {
    static let projectOperations: [Operation] = [
        .init(
            method: "get", path: "/projects", summary: "The projects, latest first", request: nil,
            response: "PJProjects", status: "200"),
        .init(
            method: "post", path: "/projects", summary: "A project: the donor's code, name, donor, period",
            request: "PJProjectForm", response: "PJProject", status: "201"),
        .init(
            method: "get", path: "/projects/{projectID}",
            summary: "A project with its budget, events and participants, and indicators against their targets",
            request: nil, response: "PJProject", status: "200"),
        .init(
            method: "post", path: "/projects/{projectID}/budget-lines",
            summary: "A budget line, or new figures for a line the project has", request: "PJBudgetLineForm",
            response: "PJProject", status: "201"),
        .init(
            method: "post", path: "/projects/{projectID}/events",
            summary: "An event within the project's period, its participants counted per group (count_<group>)",
            request: "PJEventForm", response: "PJProject", status: "201"),
        .init(
            method: "post", path: "/projects/{projectID}/indicators", summary: "An indicator: what is counted",
            request: "PJIndicatorForm", response: "PJProject", status: "201"),
        .init(
            method: "post", path: "/projects/{projectID}/indicator-values",
            summary: "An indicator's target and actual for a year, quarter or month of the project",
            request: "PJValueForm", response: "PJProject", status: "201"),
    ]

    static var projectSchemas: [String: APISchema] {
        let uuid = APISchema.uuid
        let summary = APISchema.record([
            "id": uuid, "code": .text, "name": .text, "donor": .text, "startsOn": .date, "endsOn": .date,
        ])
        var eventForm: [String: APISchema] = [
            "kind": .words(ProjectEventKind.self), "title": .text, "day": .date, "place": .text, "stakeholders": .text,
        ]
        for g in ParticipantGroup.allCases { eventForm["count_\(g.rawValue)"] = APISchema.integer(0...10_000_000) }
        return [
            "PJProjects": .array(summary),
            "PJProjectForm": .form(
                [
                    "code": APISchema.text.example("NL10P0123"), "name": .text, "donor": .text, "startsOn": .date,
                    "endsOn": .date, "summary": .text,
                ], required: ["code", "name", "donor", "startsOn", "endsOn"]),
            "PJProject": .record([
                "id": uuid, "code": .text, "name": .text, "donor": .text, "startsOn": .date, "endsOn": .date,
                "summary": .text,
                "budget": .array(.record(["line": .text, "budgetCents": .int, "spentCents": .int])),
                "budgetCents": .int, "spentCents": .int,
                "events": .array(
                    .record([
                        "id": uuid, "kind": .words(ProjectEventKind.self), "title": .text, "day": .date,
                        "place": .text, "stakeholders": .text, "participants": .map(.int), "total": .int,
                    ])),
                "participants": .int, "participantsByGroup": .map(.int),
                "indicators": .array(
                    .record([
                        "id": uuid, "name": .text, "unit": .text,
                        "values": .array(
                            .record(
                                [
                                    "period": .text, "target": .int, "actual": .int, "achieved": .int,
                                    "note": .text,
                                ], optional: ["actual", "achieved"])),
                    ])),
            ]),
            "PJBudgetLineForm": .form(
                ["line": .text, "budget": APISchema.text.example("12500.00"), "spent": APISchema.text.example("0")],
                required: ["line", "budget"]),
            "PJEventForm": .form(eventForm, required: ["kind", "title", "day", "place"]),
            "PJIndicatorForm": .form(["name": .text, "unit": .text], required: ["name", "unit"]),
            "PJValueForm": .form(
                [
                    "indicatorID": uuid, "period": APISchema.text.example("2026-Q2"),
                    "target": APISchema.integer(0...10_000_000), "actual": APISchema.integer(0...10_000_000),
                    "note": .text,
                ], required: ["indicatorID", "period", "target"]),
        ]
    }
}
