import Fluent
import PassageDomain
import Vapor

/// The project pages and their forms.
struct ProjectPagesController {
    func boot(_ app: Application) {
        let pj = app.grouped("projects")
        pj.get(roles: ProjectAccess.read) { req, id in try await list(req, id, failure: nil) }
        pj.post(roles: ProjectAccess.write) { req, id -> Response in
            let f = try FormInput.fields(req)
            var made: PJProject?
            return try await SectionForms.attempt("project", f, to: { ProjectPaths.project(made!.id!) }) {
                made = try await ProjectRecords.createProject(f, by: id, on: req.application)
            } failed: {
                try await list(req, id, failure: $0)
            }
        }
        pj.get(":projectID", roles: ProjectAccess.read) { req, id in
            try await project(req, id, try req.uuid("projectID"), failure: nil)
        }
        pj.get(":projectID", "export", roles: ProjectAccess.read) { req, id -> Response in
            let file = try await ProjectFile.load(try req.uuid("projectID"), on: req.db)
            let format = try ReportFormat.read(req.query[String.self, at: "format"], default: .csv)
            try await ReportsController.auditExport(
                req.application, id.actor, entity: "pj_project", id: file.code, note: "format \(format.rawValue)")
            let name = "passage-project-\(file.code)"
            switch format {
            case .xlsx: return ReportsController.xlsxResponse(file.table.xlsx, name: name + ".xlsx")
            case .json: return try await file.encodeResponse(for: req)
            case .csv, .html: return ReportsController.csvResponse(file.table.csv, name: name + ".csv")
            }
        }
        let sections = [
            "budget-lines": "budget", "events": "event", "indicators": "indicator", "indicator-values": "value",
        ]
        for (path, step) in ProjectAPIController.steps {
            pj.post(":projectID", .constant(path), roles: ProjectAccess.write) { req, id -> Response in
                let pid = try req.uuid("projectID")
                let f = try FormInput.fields(req)
                let section = sections[path]!
                let anchor = ["budget": "budget", "event": "events", "indicator": "indicators", "value": "indicators"][
                    section]!
                return try await SectionForms.attempt(section, f, to: ProjectPaths.project(pid) + "#\(anchor)") {
                    try await step(pid, f, id, req.application)
                } failed: {
                    try await project(req, id, pid, failure: $0)
                }
            }
        }
    }

    func list(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        ProjectPages.list(req, id, try await ProjectAPIController.list(on: req.db), failure: failure)
    }

    func project(_ req: Request, _ id: Identity, _ pid: UUID, failure: SectionFailure?) async throws -> HTML {
        ProjectPages.project(req, id, try await ProjectFile.load(pid, on: req.db), failure: failure)
    }
}
