import Fluent
import PassageDomain
import Vapor

/// Diaspora engagement (CD4D): experts of the diaspora placed at host institutions in their countries of origin,
/// physically or online, and the host's evaluation. Its rules are in `PassageDomain/Diaspora`.
struct DiasporaModule: PassageModule {
    var name: String { "diaspora" }
    var migrations: [any Migration] { [CreateDiaspora()] }

    func routes(_ app: Application, api: any RoutesBuilder) {
        DiasporaPagesController().boot(app)
        DiasporaAPIController().boot(api)
    }

    var catalogue: [String: [String: String]] { ["en": Catalogue.diasporaEN, "nl": Catalogue.diasporaNL] }

    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink] {
        viewer.hasAny(DiasporaAccess.read) ? [NavigationLink(path: DiasporaPaths.overview, label: t("dp.nav"))] : []
    }

    var apiOperations: [OpenAPIController.Operation] { OpenAPIController.diasporaOperations }
    var apiSchemas: [String: APISchema] { OpenAPIController.diasporaSchemas }

    var programmeReaders: [Programme: Set<Role>] { [.diasporaAssignment: DiasporaAccess.read] }

    var personReferences: [PersonReference] {
        [
            PersonReference(
                table: "dp_experts", column: "person_id", unique: true,
                onConflict: .refuse("both records are diaspora experts: keep one expert record first"),
                label: "dp.merge.experts")
        ]
    }

    func caseBlocks(_ req: Request, _ viewer: Identity, caseID: UUID) async throws -> [CaseBlock] {
        guard viewer.hasAny(DiasporaAccess.read),
            let a = try await DPAssignment.query(on: req.db).filter(\.$caseRecord.$id == caseID)
                .with(\.$institution).first()
        else { return [] }
        let t = req.t
        return [
            CaseBlock(
                anchor: "diaspora", title: t("dp.title"),
                html: """
                    <p><a href="\(DiasporaPaths.assignment(a.id!))">\(t("dp.assignment.title", a.institution.name))\
                    </a> · \(t("dp.mode.\(a.mode.rawValue)")) · \(a.startsOn) – \(a.endsOn) · \
                    \(t("dp.status.\(a.status.rawValue)"))</p>
                    """)
        ]
    }

    func dashboardBlocks(_ req: Request, _ viewer: Identity) async throws -> [CaseBlock] {
        guard viewer.hasAny(DiasporaAccess.read) else { return [] }
        return [
            CaseBlock(
                anchor: "diaspora", title: req.t("dp.title"),
                html: DiasporaPages.summary(try await DiasporaAPIController.totals(on: req.db), req.t))
        ]
    }

    func seedDemo(_ app: Application) async throws { try await DemoDiaspora.seed(app) }
}

/// The addresses of the diaspora pages.
enum DiasporaPaths {
    static let overview = "/diaspora"
    static func assignment(_ id: UUID) -> String { "/diaspora/assignments/\(id.uuidString)" }
}
