import Fluent
import PassageDomain
import SQLKit
import Vapor

/// The visa application centre (KVAC): applications for visas of the Republic of Korea, from the appointment to the
/// passport returned, and the public page where an applicant follows the status. Its rules are in
/// `PassageDomain/Visa`.
struct VisaCentreModule: PassageModule {
    var name: String { "visa-centre" }
    var migrations: [any Migration] { [CreateVisaCentre()] }

    func routes(_ app: Application, api: any RoutesBuilder) {
        VisaCentrePagesController().boot(app)
        VisaStatusPage().boot(app)
        VisaCentreAPIController().boot(api)
    }

    var catalogue: [String: [String: String]] { ["en": Catalogue.visaCentreEN, "nl": Catalogue.visaCentreNL] }

    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink] {
        viewer.hasAny(VisaAccess.read) ? [NavigationLink(path: VisaPaths.overview, label: t("kv.nav"))] : []
    }

    var apiOperations: [OpenAPIController.Operation] { OpenAPIController.visaCentreOperations }
    var apiSchemas: [String: APISchema] { OpenAPIController.visaCentreSchemas }

    var programmeReaders: [Programme: Set<Role>] { [.visaApplication: VisaAccess.read] }

    var personReferences: [PersonReference] {
        [PersonReference(table: "kv_applications", column: "person_id", label: "kv.merge.applications")]
    }

    func caseBlocks(_ req: Request, _ viewer: Identity, caseID: UUID) async throws -> [CaseBlock] {
        guard viewer.hasAny(VisaAccess.read),
            let a = try await KVApplication.query(on: req.db).filter(\.$caseRecord.$id == caseID).first()
        else { return [] }
        let t = req.t
        return [
            CaseBlock(
                anchor: "visa-centre", title: t("kv.title"),
                html: """
                    <p><a href="\(VisaPaths.application(a.id!))">\(a.number)</a> · \
                    \(t("kv.type.\(a.visaType.rawValue)"))\
                     · <span class="badge kv-\(a.status.rawValue)">\(t("kv.status.\(a.status.rawValue)"))</span></p>
                    """)
        ]
    }

    func dashboardBlocks(_ req: Request, _ viewer: Identity) async throws -> [CaseBlock] {
        guard viewer.hasAny(VisaAccess.read) else { return [] }
        return [
            CaseBlock(
                anchor: "visa-centre", title: req.t("kv.title"),
                html: HTML(raw: try await VisaCentrePages.pipeline(req).raw + VisaCentrePages.year(req).raw))
        ]
    }

    func seedDemo(_ app: Application) async throws { try await DemoVisaCentre.seed(app) }

    var stylesheet: String {
        """
        table.counters td.free { color:var(--muted); } table.counters td.taken { background:#eef4fb; }
        .badge.kv-returned { background:#dcefdc; } .badge.kv-incomplete { background:#f6d5d0; }
        ul.plain { list-style:none; padding:0; } ul.plain li { margin:.35rem 0; }
        .kv-receipt, .kv-manifest { max-width:60rem; } textarea[name=mrz] { font-family:monospace; }
        dl.facts { display:grid; grid-template-columns:minmax(8rem,14rem) 1fr; gap:.25rem 1rem; margin:0; }
        dl.facts dt { font-weight:600; } dl.facts dd { margin:0; }
        td.check select, td.check input { width:auto; display:inline-block; margin:.1rem 0; }
        .status-answer { font-size:1.15rem; border-left:4px solid var(--accent, #1f5f99); padding:.6rem 1rem; }
        @media print { header, nav, footer, .no-print, form { display:none !important; } }
        """
    }
}

/// The addresses of the visa centre's pages.
enum VisaPaths {
    static let overview = "/visa"
    static let appointments = "/visa/appointments"
    static let newApplication = "/visa/applications/new"
    static let status = "/visa-status"
    static func day(_ d: PartialDate) -> String { "/visa/appointments?day=\(d.isoText)" }
    static func application(_ id: UUID) -> String { "/visa/applications/\(id.uuidString)" }
    static func receipt(_ id: UUID) -> String { "/visa/applications/\(id.uuidString)/receipt" }
    static func batch(_ id: UUID) -> String { "/visa/batches/\(id.uuidString)" }
}
