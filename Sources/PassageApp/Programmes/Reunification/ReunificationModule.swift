import Fluent
import PassageDomain
import Vapor

/// Family reunification: the IND's referrals, appointments at the centres abroad, DNA samples with their chain of
/// custody and the laboratory's results. Its rules are in `PassageDomain/Reunification`.
struct ReunificationModule: PassageModule {
    var name: String { "reunification" }
    var migrations: [any Migration] { [CreateReunification(), AddInterviewsVisasMileage()] }

    func routes(_ app: Application, api: any RoutesBuilder) {
        ReunificationPagesController().boot(app)
        ReunificationAPIController().boot(api)
    }

    var catalogue: [String: [String: String]] { ["en": Catalogue.reunificationEN, "nl": Catalogue.reunificationNL] }

    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink] {
        viewer.hasAny(ReunificationAccess.read)
            ? [NavigationLink(path: ReunificationPaths.overview, label: t("fr.nav"))] : []
    }

    var apiOperations: [OpenAPIController.Operation] { OpenAPIController.reunificationOperations }
    var apiSchemas: [String: APISchema] { OpenAPIController.reunificationSchemas }

    var programmeReaders: [Programme: Set<Role>] { [.familyReunification: ReunificationAccess.read] }
    var sealedColumns: [SealedColumn] {
        [
            .init(table: "fr_interviews", column: "note"), .init(table: "fr_samples", column: "outcome"),
            .init(table: "fr_samples", column: "report_reference"),
        ]
    }
    /// A sample's laboratory result is genetic data; its custody, the members, referrals and interviews are the
    /// persons' data.
    var fieldCategories: [String: DataCategory] {
        [
            "dna_sample": .ordinary, "dna_sample.outcome": .genetic, "dna_sample.reportReference": .genetic,
            "fr_member": .ordinary, "fr_referral": .ordinary, "fr_interview": .ordinary,
            "fr_interview.note": .notes, "fr_mileage.reason": .ordinary,
        ]
    }

    var personReferences: [PersonReference] {
        [
            PersonReference(table: "fr_referrals", column: "sponsor_id", label: "fr.merge.sponsor"),
            PersonReference(
                table: "fr_members", column: "person_id", uniqueWith: ["referral_id"],
                onConflict: .refuse("both records are family members of the same referral: take one off it first"),
                label: "fr.merge.members"),
            PersonReference(table: "fr_visa_assistance", column: "person_id", label: "fr.merge.visa"),
            PersonReference(table: "fr_mileage_entries", column: "person_id", label: "fr.merge.mileage"),
        ]
    }

    func caseBlocks(_ req: Request, _ viewer: Identity, caseID: UUID) async throws -> [CaseBlock] {
        guard viewer.hasAny(ReunificationAccess.read),
            let r = try await FRReferral.query(on: req.db).filter(\.$caseRecord.$id == caseID).first()
        else { return [] }
        let members = try await FRMember.query(on: req.db).filter(\.$referral.$id == r.id!).count()
        return [
            CaseBlock(
                anchor: "reunification", title: req.t("fr.title"),
                html: """
                    <p><a href="\(ReunificationPaths.referral(r.id!))">\(req.t("fr.referral.title", r.indFileNumber))\
                    </a> · \(req.t("fr.members.count", members)) · \(req.t("fr.deadline")) \(r.deadline)</p>
                    """)
        ]
    }

    func seedDemo(_ app: Application) async throws { try await DemoReunification.seed(app) }

    func dashboardBlocks(_ req: Request, _ viewer: Identity) async throws -> [CaseBlock] {
        guard viewer.hasAny(ReunificationAccess.read) else { return [] }
        return [
            CaseBlock(
                anchor: "reunification", title: req.t("fr.title"),
                html: try await ReunificationDashboard.load(on: req.db).html(req.t))
        ]
    }

    var stylesheet: String {
        """
        fieldset.member { border:1px solid var(--line); border-radius:6px; margin:.6rem 0; padding:.5rem .8rem; }
        ol.custody { list-style:none; padding:0; border-inline-start:3px solid #6b8fb5; margin-inline-start:.5rem; }
        ol.custody li { padding:.4rem .9rem; position:relative; }
        ol.custody li::before { content:""; position:absolute; inset-inline-start:-.5rem; top:.7rem; width:.8rem; \
        height:.8rem; border-radius:50%; background:#6b8fb5; }
        ol.custody li.custody-compromised::before { background:var(--warn); }
        ol.custody li.custody-result::before { background:#2e7d32; }
        .badge.sample-compromised { background:#f6d5d0; } .badge.sample-resulted { background:#dcefdc; }
        .sample-label { display:inline-block; border:1px dashed #999; padding:.6rem; background:#fff; }
        .sample-label svg { display:block; max-width:100%; height:auto; }
        table.custody-form td, table.custody-form th { border:1px solid #999; padding:.3rem; }
        table.custody-form tr.blank td { height:2.2rem; }
        table.day-sheet td.tick { width:3rem; border:1px solid #999; }
        @media print { .no-print, header.top, form.card { display:none; } }
        """
    }
}
