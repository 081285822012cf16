import Fluent
import PassageDomain
import SQLKit
import Vapor

/// Resettlement: UNHCR's referrals of refugee households, the immigration service's selection missions and
/// decisions, pre-departure orientation, health checks, visas, group movements through the movements module, and
/// the hand-over on arrival. Its rules are in `PassageDomain/Resettlement`.
struct ResettlementModule: PassageModule {
    var name: String { "resettlement" }
    var migrations: [any Migration] { [CreateResettlement()] }

    func routes(_ app: Application, api: any RoutesBuilder) {
        ResettlementPagesController().boot(app)
        ResettlementAPIController().boot(api)
    }

    var catalogue: [String: [String: String]] { ["en": Catalogue.resettlementEN, "nl": Catalogue.resettlementNL] }

    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink] {
        viewer.hasAny(ResettlementAccess.read)
            ? [NavigationLink(path: ResettlementPaths.overview, label: t("rs.nav"))] : []
    }

    var apiOperations: [OpenAPIController.Operation] { OpenAPIController.resettlementOperations }
    var apiSchemas: [String: APISchema] { OpenAPIController.resettlementSchemas }

    var programmeReaders: [Programme: Set<Role>] { [.resettlement: ResettlementAccess.read] }
    var fieldCategories: [String: DataCategory] { ["rs_health_check.medicalDetails": .medical] }
    var sealedColumns: [SealedColumn] { [.init(table: "rs_health_checks", column: "medical_details")] }

    /// The medical details of health checks go; the findings the guards and figures read stay.
    func anonymise(_ persons: [UUID], on db: any Database) async throws {
        try await db.sql.update("rs_health_checks").set("medical_details", to: SQLBind(""))
            .where("person_id", .in, persons).run()
    }

    var personReferences: [PersonReference] {
        [
            PersonReference(
                table: "rs_members", column: "person_id", uniqueWith: ["referral_id"],
                onConflict: .refuse("both records are members of the same household: take one off it first"),
                label: "rs.merge.members"),
            PersonReference(
                table: "rs_pdo_attendance", column: "person_id", uniqueWith: ["session_id"],
                label: "rs.merge.attendance"),
            PersonReference(table: "rs_health_checks", column: "person_id", label: "rs.merge.health"),
            PersonReference(table: "rs_documents", column: "person_id", label: "rs.merge.documents"),
        ]
    }

    func caseBlocks(_ req: Request, _ viewer: Identity, caseID: UUID) async throws -> [CaseBlock] {
        guard viewer.hasAny(ResettlementAccess.read),
            let r = try await RSReferral.query(on: req.db).filter(\.$caseRecord.$id == caseID).first()
        else { return [] }
        let members = try await RSMember.query(on: req.db).filter(\.$referral.$id == r.id!).count()
        return [
            CaseBlock(
                anchor: "resettlement", title: req.t("rs.title"),
                html: """
                    <p><a href="\(ResettlementPaths.referral(r.id!))">\(req.t("rs.referral.title", r.unhcrCaseNumber))\
                    </a> · \(req.t("rs.persons.count", members)) · \(req.t("rs.stage.\(r.stage.rawValue)"))</p>
                    """)
        ]
    }

    func dashboardBlocks(_ req: Request, _ viewer: Identity) async throws -> [CaseBlock] {
        guard viewer.hasAny(ResettlementAccess.read) else { return [] }
        return [
            CaseBlock(
                anchor: "resettlement", title: req.t("rs.title"),
                html: try await ResettlementPages.pipeline(on: req.db, req.t))
        ]
    }

    func seedDemo(_ app: Application) async throws { try await DemoResettlement.seed(app) }

    func handle(_ event: ModuleEvent, on db: any Database) async throws -> [String] {
        switch event {
        case .bookingFlown(let caseID, _, _, _): try await ResettlementRecords.flown(caseID: caseID, on: db)
        case .bookingCancelled(_, let bookingID, let replacedBy):
            try await ResettlementRecords.cancelled(bookingID: bookingID, replacedBy: replacedBy, on: db)
        case .consentWithdrawn: []
        }
    }

    func travelRefusals(of c: Case, day: PartialDate, on db: any Database) async throws -> [String] {
        guard c.programme == .resettlement,
            let r = try await RSReferral.query(on: db).filter(\.$caseRecord.$id == c.id!).first()
        else { return [] }
        return try await ResettlementRecords.refusals(r, day: day, on: db)
    }

    func travel(of c: Case, on db: any Database) async throws -> CaseTravel? {
        guard c.programme == .resettlement,
            let r = try await RSReferral.query(on: db).filter(\.$caseRecord.$id == c.id!).first()
        else { return nil }
        let latest = try await RSHealthCheck.query(on: db).filter(\.$referral.$id == r.id!)
            .filter(\.$person.$id == c.$person.id).all().filter { $0.kind.decidesFitness }
            .max { $0.examinedOn < $1.examinedOn }
        var needs = TravelNeeds()
        needs.escort = latest?.escort ?? .none
        needs.fitToFlyRequired = true
        needs.fitToFly = latest.map { $0.fitness.mayTravel ? .fit : .unfit } ?? .notAssessed
        needs.fitToFlyValidUntil = latest?.validUntil.flatMap(PartialDate.init)
        needs.assistance = latest?.assistance ?? []
        return CaseTravel(destinationCountry: "NL", preferredLanguage: nil, stayLocationID: nil, needs: needs)
    }

    var stylesheet: String {
        """
        ol.pipeline { display:flex; flex-wrap:wrap; gap:.4rem; list-style:none; padding:0; margin:.4rem 0; }
        ol.pipeline li { border:1px solid var(--line); border-radius:6px; padding:.3rem .6rem; min-width:6rem; }
        ol.pipeline li b { display:block; font-size:1.3rem; }
        ul.conditions { list-style:none; padding:0; } ul.conditions li::before { content:"✗ "; color:var(--warn); }
        ul.conditions.met li::before { content:"✓ "; color:#2e7d32; }
        details.fold > summary { cursor:pointer; font-weight:600; padding:.2rem 0; }
        details.fold form.card { border:none; box-shadow:none; padding:.4rem 0 0; margin:0; }
        .badge.stage-arrived { background:#dcefdc; } .badge.stage-rejected { background:#f6d5d0; }
        """
    }
}

/// The addresses of the resettlement pages.
enum ResettlementPaths {
    static let overview = "/resettlement"
    static let newReferral = "/resettlement/referrals/new"
    static func referral(_ id: UUID) -> String { "/resettlement/referrals/\(id.uuidString)" }
    static func mission(_ id: UUID) -> String { "/resettlement/missions/\(id.uuidString)" }
    static func session(_ id: UUID) -> String { "/resettlement/orientation/\(id.uuidString)" }
    static func movement(_ id: UUID) -> String { "/resettlement/movements/\(id.uuidString)" }
}
