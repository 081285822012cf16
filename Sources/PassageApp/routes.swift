import Vapor

func routes(_ app: Application) throws {
    HealthController().boot(app)
    AuthController().boot(app)
    HeldFormsController().boot(app)
    PersonPagesController().boot(app)
    PersonMergePages().boot(app)
    CasePagesController().boot(app)
    AdminController().boot(app)
    RegistryController().boot(app)
    AuditPagesController().boot(app)
    ReportsController().boot(app)
    ImportPages().boot(app)
    ProtectionPages().boot(app)
    SubjectRequestPages().boot(app)
    RetentionPages().boot(app)
    EmergencyPages().boot(app)
    let api = app.grouped("api", "v1")
    PersonAPIController().boot(api)
    CaseAPIController().boot(api)
    RegistryAPIController().boot(api)
    ReportsController().boot(api: api)
    OpenAPIController().boot(api)
    ConsentPages().boot(app, api: api)
    AccessPages().boot(app, api: api)
    for module in app.modules { module.routes(app, api: api) }
}
