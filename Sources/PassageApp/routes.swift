import Vapor

func routes(_ app: Application) throws {
    HealthController().boot(app)
    AuthController().boot(app)
    PersonPagesController().boot(app)
    CasePagesController().boot(app)
    ReturnPagesController().boot(app)
    AdminController().boot(app)
    RegistryController().boot(app)
    AuditPagesController().boot(app)
    KannelController().boot(app)
    MovementsPagesController().boot(app)
    ReportsController().boot(app)
    let api = app.grouped("api", "v1")
    PersonAPIController().boot(api)
    CaseAPIController().boot(api)
    ReturnAPIController().boot(api)
    RegistryAPIController().boot(api)
    MovementsAPIController().boot(api)
    ReportsController().boot(api: api)
    OpenAPIController().boot(api)
}
