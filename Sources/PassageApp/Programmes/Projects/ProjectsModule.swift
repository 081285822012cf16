import Fluent
import PassageDomain
import Vapor

/// Projects: their donors and budgets, their events (conferences, trainings, campaigns, outreach days, study visits)
/// with participants by group, and their indicators against targets, on a page a manager sends to the donor. A
/// project holds counts, never a person's data. Its rules are in `PassageDomain/Projects`.
struct ProjectsModule: PassageModule {
    var name: String { "projects" }
    var migrations: [any Migration] { [CreateProjects()] }

    func routes(_ app: Application, api: any RoutesBuilder) {
        ProjectPagesController().boot(app)
        ProjectAPIController().boot(api)
    }

    var catalogue: [String: [String: String]] { ["en": Catalogue.projectsEN, "nl": Catalogue.projectsNL] }

    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink] {
        viewer.hasAny(ProjectAccess.read) ? [NavigationLink(path: ProjectPaths.overview, label: t("pj.nav"))] : []
    }

    var apiOperations: [OpenAPIController.Operation] { OpenAPIController.projectOperations }
    var apiSchemas: [String: APISchema] { OpenAPIController.projectSchemas }

    func dashboardBlocks(_ req: Request, _ viewer: Identity) async throws -> [CaseBlock] {
        guard viewer.hasAny(ProjectAccess.write) else { return [] }
        let today = Clock.today().isoText
        let running = try await PJProject.query(on: req.db).filter(\.$startsOn <= today).filter(\.$endsOn >= today)
            .sort(\.$endsOn).all()
        let t = req.t
        let items = running.map { p -> HTML in
            "<li><a href=\"\(ProjectPaths.project(p.id!))\">\(p.code)</a> \(p.name) · \(t("pj.until", p.endsOn))</li>"
        }
        return [
            CaseBlock(
                anchor: "projects", title: t("pj.running"),
                html: items.isEmpty ? "<p class=\"empty\">\(t("pj.none"))</p>" : "<ul>\(items)</ul>")
        ]
    }

    func seedDemo(_ app: Application) async throws { try await DemoProjects.seed(app) }
}

/// The addresses of the project pages.
enum ProjectPaths {
    static let overview = "/projects"
    static func project(_ id: UUID) -> String { "/projects/\(id.uuidString)" }
}
