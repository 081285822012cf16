import Fluent
import PassageDomain
import Vapor

/// Projects in the JSON API.
struct ProjectAPIController {
    struct Summary: Content, Sendable {
        var id: UUID
        var code: String
        var name: String
        var donor: String
        var startsOn: String
        var endsOn: String
    }

    static func list(on db: any Database) async throws -> [Summary] {
        try await PJProject.query(on: db).sort(\.$startsOn, .descending).sort(\.$code).all().map {
            Summary(id: $0.id!, code: $0.code, name: $0.name, donor: $0.donor, startsOn: $0.startsOn, endsOn: $0.endsOn)
        }
    }

    /// The steps of a project from a form, by the path they are posted to.
    static let steps: [(String, @Sendable (UUID, FormFields, Identity, Application) async throws -> Void)] = [
        ("budget-lines", { try await ProjectRecords.saveBudgetLine($0, $1, by: $2, on: $3) }),
        ("events", { _ = try await ProjectRecords.addEvent($0, $1, by: $2, on: $3) }),
        ("indicators", { _ = try await ProjectRecords.addIndicator($0, $1, by: $2, on: $3) }),
        ("indicator-values", { try await ProjectRecords.saveValue($0, $1, by: $2, on: $3) }),
    ]

    func boot(_ api: any RoutesBuilder) {
        let pj = api.grouped("projects")
        pj.get(roles: ProjectAccess.read) { req, _ in try await Self.list(on: req.db) }
        pj.post(roles: ProjectAccess.write) { req, id -> Response in
            let p = try await ProjectRecords.createProject(try FormInput.fields(req), by: id, on: req.application)
            return try await ProjectFile.load(p.id!, on: req.db).encodeResponse(status: .created, for: req)
        }
        pj.get(":projectID", roles: ProjectAccess.read) { req, _ in
            try await ProjectFile.load(try req.uuid("projectID"), on: req.db)
        }
        for (path, step) in Self.steps {
            pj.post(":projectID", .constant(path), roles: ProjectAccess.write) { req, id -> Response in
                let pid = try req.uuid("projectID")
                try await step(pid, try FormInput.fields(req), id, req.application)
                return try await ProjectFile.load(pid, on: req.db).encodeResponse(status: .created, for: req)
            }
        }
    }
}
