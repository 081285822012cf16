import Fluent
import PassageDomain
import Vapor

/// Flights of every programme's cases, the hub airport's day, SMS through Kannel, partner notifications and CO2.
/// Its rules are in `PassageDomain/Movements`.
struct MovementsModule: PassageModule {
    var name: String { "movements" }
    var migrations: [any Migration] { [CreateMovements()] }

    func routes(_ app: Application, api: any RoutesBuilder) {
        KannelController().boot(app)
        MovementsPagesController().boot(app)
        MovementsAPIController().boot(api)
    }

    var catalogue: [String: [String: String]] { ["en": Catalogue.movementsEN, "nl": Catalogue.movementsNL] }

    /// The movements pages: the airport team, those who read CO2 and those who edit SMS templates.
    static let pageReaders = MovementsAccess.airport.union(MovementsAccess.carbonRead).union(MovementsAccess.templates)

    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink] {
        viewer.hasAny(Self.pageReaders) ? [NavigationLink(path: "/movements", label: t("nav.movements"))] : []
    }

    var apiOperations: [OpenAPIController.Operation] { OpenAPIController.movementsOperations }
    var apiSchemas: [String: APISchema] { OpenAPIController.movementsSchemas }

    func caseBlocks(_ req: Request, _ viewer: Identity, caseID: UUID) async throws -> [CaseBlock] {
        guard viewer.hasAny(MovementsAccess.read) else { return [] }
        return [
            CaseBlock(
                anchor: "bookings", title: req.t("mv.booking.title"),
                html: try await BookingPages.caseBlock(req, viewer, caseID: caseID))
        ]
    }

    func seedDemo(_ app: Application) async throws { try await DemoMovements.seed(app) }
}
