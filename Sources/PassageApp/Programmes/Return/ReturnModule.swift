import Fluent
import PassageDomain
import Vapor

/// Assisted voluntary return and reintegration: intake, counselling, eligibility, vulnerabilities, travel
/// documents, plans, grants, departure, monitoring. Its rules are in `PassageDomain/Return`.
struct ReturnModule: PassageModule {
    var name: String { "return" }
    var migrations: [any Migration] { [CreateReturn()] }

    func routes(_ app: Application, api: any RoutesBuilder) {
        ReturnPagesController().boot(app)
        ReturnAPIController().boot(api)
    }

    var catalogue: [String: [String: String]] { ["en": Catalogue.returnEN, "nl": Catalogue.returnNL] }

    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink] {
        viewer.hasAny(ReturnAccess.read) ? [NavigationLink(path: "/return", label: t("nav.return"))] : []
    }

    var apiOperations: [OpenAPIController.Operation] { OpenAPIController.returnOperations }
    var apiSchemas: [String: Any] { OpenAPIController.returnSchemas }

    func handle(_ event: ModuleEvent, on db: any Database) async throws {
        switch event {
        case .bookingFlown(let caseID, let day, let flight, let actor):
            guard let c = try await Case.find(caseID, on: db) else { return }
            try await ReturnRecords.departedByFlight(c, day: day, flight: flight, actor: actor, on: db)
        }
    }
}
