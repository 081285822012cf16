import Fluent
import PassageDomain
import Vapor

/// The diaspora pages and their forms.
struct DiasporaPagesController {
    func boot(_ app: Application) {
        let dp = app.grouped("diaspora")
        dp.get(roles: DiasporaAccess.read) { req, id in try await overview(req, id, failure: nil) }
        dp.post("experts", roles: DiasporaAccess.write) { req, id -> Response in
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt("expert", f, to: DiasporaPaths.overview + "#experts") {
                var e = ValidationErrors()
                let (pid, details) = try await PersonRecords.fromPage(f, prefix: "p", into: &e, on: req.db)
                try e.throwIfAny()
                let form = DiasporaExpertForm(
                    personID: pid, person: details, profession: f["profession"], skills: f["skills"],
                    languages: f["languages"], countries: f["countries"], email: f["email"])
                do {
                    _ = try await DiasporaRecords.createExpert(form, by: id, on: req.application)
                } catch let v as ValidationErrors {
                    throw v.renamed(Self.pageField)
                }
            } failed: {
                try await overview(req, id, failure: $0)
            }
        }
        dp.post("institutions", roles: DiasporaAccess.write) { req, id -> Response in
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt("host", f, to: DiasporaPaths.overview + "#institutions") {
                _ = try await DiasporaRecords.createInstitution(f, by: id, on: req.application)
            } failed: {
                try await overview(req, id, failure: $0)
            }
        }
        dp.post("assignments", roles: DiasporaAccess.write) { req, id -> Response in
            let f = try FormInput.fields(req)
            var made: DPAssignment?
            return try await SectionForms.attempt("assignment", f, to: { DiasporaPaths.assignment(made!.id!) }) {
                made = try await DiasporaRecords.createAssignment(f, by: id, on: req.application)
            } failed: {
                try await overview(req, id, failure: $0)
            }
        }
        dp.get("assignments", ":assignmentID", roles: DiasporaAccess.read) { req, id in
            try await assignment(req, id, try req.uuid("assignmentID"), failure: nil, audit: true)
        }
        for (path, section) in [("status", "status"), ("evaluation", "evaluation")] {
            dp.post("assignments", ":assignmentID", .constant(path), roles: DiasporaAccess.write) {
                req, id -> Response in
                let aid = try req.uuid("assignmentID")
                let f = try FormInput.fields(req)
                return try await SectionForms.attempt(section, f, to: DiasporaPaths.assignment(aid)) {
                    if path == "status" {
                        _ = try await DiasporaRecords.setStatus(aid, f, by: id, on: req.application)
                    } else {
                        _ = try await DiasporaRecords.evaluate(aid, f, by: id, on: req.application)
                    }
                } failed: {
                    try await assignment(req, id, aid, failure: $0, audit: false)
                }
            }
        }
    }

    /// The page's name of a field the records name: `person.familyName` is `pFamilyName`.
    static func pageField(_ field: String) -> String {
        if field == "personID" || field == "person" { return "pReference" }
        guard field.hasPrefix("person.") else { return field }
        let rest = field.dropFirst("person.".count)
        return "p" + rest.prefix(1).uppercased() + rest.dropFirst()
    }

    func overview(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        var e = ValidationErrors()
        let raw = req.query[String.self, at: "status"] ?? ""
        let status = raw.isEmpty ? nil : AssignmentStatus.read(raw, field: "status", into: &e)
        try e.throwIfAny()
        let assignments = try await DiasporaAPIController.assignments(on: req.db, status: status)
        let experts = try await DiasporaAPIController.experts(on: req.db)
        if failure == nil {
            try await AuditLog.listed(
                req.application, id.actor, entity: "dp_expert",
                rows: experts.map { ($0.id, $0.personID) } + assignments.map { ($0.id!, $0.expert.$person.id) },
                note: "diaspora overview")
        }
        return DiasporaPages.overview(
            req, id,
            .init(
                totals: try await DiasporaAPIController.totals(on: req.db), assignments: assignments, status: status,
                experts: experts, institutions: try await DiasporaAPIController.institutions(on: req.db)),
            failure: failure)
    }

    func assignment(_ req: Request, _ id: Identity, _ aid: UUID, failure: SectionFailure?, audit: Bool)
        async throws -> HTML
    {
        let a = try await DiasporaRecords.assignment(aid, on: req.db)
        if audit {
            try await AuditLog.views(
                req.application, id.actor, entity: "dp_assignment", entityID: aid, persons: [a.expert.$person.id],
                note: "page")
        }
        return DiasporaPages.assignment(req, id, a, failure: failure)
    }
}
