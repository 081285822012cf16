import PassageDomain
import Vapor

/// The diaspora part of the OpenAPI document.
extension OpenAPIController {
    static let diasporaOperations: [Operation] = [
        .init(
            method: "get", path: "/diaspora/summary",
            summary: "Assignments (physical and online) by how many experts at how many host institutions",
            request: nil, response: "DPTotals", status: "200"),
        .init(
            method: "get", path: "/diaspora/experts", summary: "The experts, with their assignments counted",
            request: nil, response: "DPExperts", status: "200"),
        .init(
            method: "post", path: "/diaspora/experts",
            summary: "An expert: a person held (personID) or a new one (person), profession, skills, languages, "
                + "countries",
            request: "DPExpertForm", response: "DPExpert", status: "201"),
        .init(
            method: "get", path: "/diaspora/institutions", summary: "The host institutions, by country",
            request: nil, response: "DPInstitutions", status: "200"),
        .init(
            method: "post", path: "/diaspora/institutions", summary: "A host institution: name, country, sector",
            request: "DPInstitutionForm", response: "DPInstitution", status: "201"),
        .init(
            method: "get", path: "/diaspora/assignments", summary: "Assignments, latest first, of one status if asked",
            request: nil, response: "DPAssignments", status: "200",
            query: [.init("status", .words(AssignmentStatus.self))]),
        .init(
            method: "post", path: "/diaspora/assignments",
            summary: "An assignment of an expert at a host institution, physical or online, with its tasks; one "
                + "physical assignment at a time",
            request: "DPAssignmentForm", response: "DPAssignment", status: "201"),
        .init(
            method: "get", path: "/diaspora/assignments/{assignmentID}", summary: "An assignment",
            request: nil, response: "DPAssignment", status: "200"),
        .init(
            method: "post", path: "/diaspora/assignments/{assignmentID}/status",
            summary: "Under way, completed or cancelled", request: "DPStatusForm", response: "DPAssignment",
            status: "200"),
        .init(
            method: "post", path: "/diaspora/assignments/{assignmentID}/evaluation",
            summary: "The host institution's evaluation of a completed assignment (1 to 5)",
            request: "DPEvaluationForm", response: "DPAssignment", status: "200"),
    ]

    static var diasporaSchemas: [String: APISchema] {
        let uuid = APISchema.uuid
        let expert = APISchema.record([
            "id": uuid, "personID": uuid, "personReference": .text, "name": .text, "profession": .text,
            "skills": .text, "languages": .array(.text), "countries": .array(.text), "email": .text,
            "assignments": .int,
        ])
        let institution = APISchema.record([
            "id": uuid, "name": .text, "country": .text, "city": .text, "sector": .words(HostSector.self),
            "contact": .text, "assignments": .int,
        ])
        let assignment = APISchema.record(
            [
                "id": uuid, "caseID": uuid, "caseReference": .text, "expertID": uuid, "expert": .text,
                "institutionID": uuid, "institution": .text, "country": .text, "mode": .words(AssignmentMode.self),
                "status": .words(AssignmentStatus.self), "startsOn": .date, "endsOn": .date, "tasks": .text,
                "deliverables": .text, "score": APISchema.integer(1...5), "evaluation": .text, "evaluatedOn": .date,
            ], optional: ["score", "evaluatedOn"])
        return [
            "DPTotals": .record(
                [
                    "assignments": .int, "physical": .int, "online": .int, "experts": .int, "institutions": .int,
                    "completed": .int, "evaluated": .int, "averageScore": .number,
                ], optional: ["averageScore"]),
            "DPExpert": expert, "DPExperts": .array(expert),
            "DPExpertForm": .form(
                [
                    "personID": uuid, "person": .ref("PersonForm"), "profession": .text, "skills": .text,
                    "languages": APISchema.text.example("so,en"), "countries": APISchema.text.example("SO,ET"),
                    "email": .text,
                ], required: ["profession", "skills", "languages", "countries"]),
            "DPInstitution": institution, "DPInstitutions": .array(institution),
            "DPInstitutionForm": .form(
                [
                    "name": .text, "country": APISchema.text.example("SO"), "city": .text,
                    "sector": .words(HostSector.self), "contact": .text,
                ], required: ["name", "country", "sector"]),
            "DPAssignment": assignment, "DPAssignments": .array(assignment),
            "DPAssignmentForm": .form(
                [
                    "expertID": uuid, "institutionID": uuid, "mode": .words(AssignmentMode.self), "startsOn": .date,
                    "endsOn": .date, "tasks": .text, "deliverables": .text,
                ], required: ["expertID", "institutionID", "mode", "startsOn", "endsOn", "tasks"]),
            "DPStatusForm": .form(["status": .words(AssignmentStatus.self)], required: ["status"]),
            "DPEvaluationForm": .form(
                ["score": APISchema.integer(1...5), "evaluation": .text, "evaluatedOn": .date], required: ["score"]),
        ]
    }
}
