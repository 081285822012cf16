import Fluent
import SQLKit
import PassageDomain
import Vapor

/// Assisted voluntary return and reintegration: intake, counselling, eligibility, vulnerabilities, travel
/// documents, plans, grants, departure, monitoring. Its rules are in `PassageDomain/Return`.
struct ReturnModule: PassageModule {
    var name: String { "return" }
    var migrations: [any Migration] { [CreateReturn(), AddGrantDates(), AddDepartureExceptions()] }

    func routes(_ app: Application, api: any RoutesBuilder) {
        ReturnPagesController().boot(app)
        ReturnAPIController().boot(api)
    }

    var catalogue: [String: [String: String]] { ["en": Catalogue.returnEN, "nl": Catalogue.returnNL] }

    var programmeReaders: [Programme: Set<Role>] { [.voluntaryReturn: ReturnAccess.read] }
    var sealedColumns: [SealedColumn] {
        [.init(table: "vulnerabilities", column: "details"), .init(table: "counselling_sessions", column: "notes")]
    }
    var fieldCategories: [String: DataCategory] {
        var tags = ["counselling_session.notes": DataCategory.notes]
        for k in VulnerabilityKind.allCases { tags["vulnerability.\(k.rawValue)"] = k.category }
        return tags
    }

    /// Notes, findings, document numbers and the names in safeguards and trafficking records go; the kinds of
    /// vulnerability, the sessions, decisions, grants and payments the figures count stay.
    func anonymise(_ persons: [UUID], on db: any Database) async throws {
        let cases = SQLSubquery.select { $0.column("id").from(Case.schema).where("person_id", .in, persons) }
        let sql = db.sql
        try await sql.update("counselling_sessions").set("notes", to: SQLBind("")).where("case_id", .in, cases).run()
        try await sql.update("travel_document_requests").set("number", to: SQLBind(""))
            .where("case_id", .in, cases).run()
        try await sql.update("monitoring_visits").set("findings", to: SQLBind("")).where("case_id", .in, cases).run()
        try await sql.update("cargo_items").set("description", to: SQLBind("")).where("case_id", .in, cases).run()
        try await sql.update("reintegration_plans").set("description", to: SQLBind(""))
            .where("case_id", .in, cases).run()
        let vulns = try await VulnerabilityRecord.query(on: db).join(
            Case.self, on: \VulnerabilityRecord.$caseRecord.$id == \Case.$id
        )
        .filter(Case.self, \.$person.$id ~~ persons).filter(\.$kind ~~ [.trafficking, .unaccompaniedChild]).all()
        for v in vulns {
            switch v.kind {
            case .trafficking:
                guard var t = v.decode(TraffickingRecord.self) else { continue }
                t.referralSource = ""; t.returnPlan = ""; t.postReturnPartner = ""; t.grantedUserIDs = []
                v.details = String(decoding: try JSONEncoder().encode(t), as: UTF8.self)
            case .unaccompaniedChild:
                guard var c = v.decode(ChildSafeguards.self) else { continue }
                c.guardianHostName = ""; c.guardianReturnName = ""
                v.details = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
            default: continue
            }
            try await v.update(on: db)
        }
    }

    var personReferences: [PersonReference] {
        [
            PersonReference(table: "counselling_sessions", column: "person_id", label: "return.merge.sessions"),
            PersonReference(table: "departures_without_flight", column: "person_id", label: "return.merge.departures"),
        ]
    }

    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink] {
        (viewer.hasAny(ReturnAccess.read) ? [NavigationLink(path: ReturnPaths.worklist, label: t("nav.return"))] : [])
            + (viewer.has(.medicalOfficer)
                ? [NavigationLink(path: ReturnPaths.medical, label: t("return.medwork.title"))] : [])
    }

    var apiOperations: [OpenAPIController.Operation] { OpenAPIController.returnOperations }
    var apiSchemas: [String: APISchema] { OpenAPIController.returnSchemas }

    func seedDemo(_ app: Application) async throws { try await DemoReturn.seed(app) }

    /// Grants, stage badges and letters.
    var stylesheet: String {
        """
        section.grant { margin-bottom:.6rem; }
        .badge[class*=stage-] { background:#dde8f5; }
        .badge.stage-closed, .badge.stage-withdrawn { background:#e6e6e6; } .badge.stage-no_show { background:#fde2e0; }
        article.letter { max-width:800px; }
        """
    }

    func travel(of c: Case, on db: any Database) async throws -> CaseTravel? {
        guard c.programme == .voluntaryReturn, let id = c.id,
            let r = try await ReturnCase.query(on: db).filter(\.$caseRecord.$id == id).first()
        else { return nil }
        return Self.travel(r, needs: try await ReturnQueues.travelNeeds([id], on: db)[id] ?? TravelNeeds())
    }

    static func travel(_ r: ReturnCase, needs: TravelNeeds) -> CaseTravel {
        CaseTravel(
            destinationCountry: r.destinationCountry, preferredLanguage: r.preferredLanguage,
            stayLocationID: r.$stayLocation.id, needs: needs)
    }

    func statusFollowsWorkflow(of c: Case, on db: any Database) async throws -> String? {
        guard c.programme == .voluntaryReturn, let id = c.id,
            try await ReturnCase.query(on: db).filter(\.$caseRecord.$id == id).first() != nil
        else { return nil }
        return "The status of a return case follows its stage; move it in the return file."
    }

    func travellers(on db: any Database) async throws -> [Traveller] {
        try await Self.travellers(
            ReturnCase.query(on: db).filter(\.$stage != .withdrawn)
                .group(.or) { $0.filter(\.$departedOn != nil).filter(\.$stage == .preparing) }, on: db)
    }

    func preparing(on db: any Database) async throws -> [Traveller] {
        try await Self.travellers(ReturnCase.query(on: db).filter(\.$stage == .preparing), on: db)
    }

    static func travellers(_ q: QueryBuilder<ReturnCase>, on db: any Database) async throws -> [Traveller] {
        let found = try await q.with(\.$caseRecord) { $0.with(\.$person) }.all()
        let needs = try await ReturnQueues.travelNeeds(found.map(\.$caseRecord.id), on: db)
        return found.map { r in
            Traveller(
                caseID: r.$caseRecord.id, caseReference: r.caseRecord.reference, personID: r.caseRecord.$person.id,
                personName: "\(r.caseRecord.person.familyName), \(r.caseRecord.person.givenNames)",
                personHasPhone: r.caseRecord.person.phone != nil,
                travel: travel(r, needs: needs[r.$caseRecord.id] ?? TravelNeeds()),
                departedOn: r.departedOn, preparing: r.stage == .preparing)
        }
    }

    func handle(_ event: ModuleEvent, on db: any Database) async throws -> [String] {
        switch event {
        case .bookingFlown(let caseID, let day, let flight, let actor):
            guard let c = try await Case.find(caseID, on: db) else { return [] }
            return try await ReturnRecords.departedByFlight(c, day: day, flight: flight, actor: actor, on: db)
        case .bookingCancelled, .consentWithdrawn: return []
        }
    }
}
