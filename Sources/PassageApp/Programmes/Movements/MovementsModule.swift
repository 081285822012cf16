import Fluent
import PassageDomain
import Vapor

/// Flights of every programme's cases, the hub airport's day, SMS through Kannel, partner notifications and CO2.
/// Its rules are in `PassageDomain/Movements`.
struct MovementsModule: PassageModule {
    var name: String { "movements" }
    var migrations: [any Migration] { [CreateMovements(), AddMessageExpiry()] }

    func routes(_ app: Application, api: any RoutesBuilder) {
        KannelController().boot(app)
        MovementsPagesController().boot(app)
        MovementsAPIController().boot(api)
    }

    var catalogue: [String: [String: String]] { ["en": Catalogue.movementsEN, "nl": Catalogue.movementsNL] }

    /// The movements pages: the airport team, those who read CO2 and those who edit SMS templates.
    static let pageReaders = MovementsAccess.airport.union(MovementsAccess.carbonRead).union(MovementsAccess.templates)

    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink] {
        (viewer.hasAny(Self.pageReaders) ? [NavigationLink(path: "/movements", label: t("nav.movements"))] : [])
            + (viewer.has(.movementsOfficer)
                ? [NavigationLink(path: BookingQueue.path, label: t("mv.ready.title"))] : [])
            + (viewer.hasAny(MovementsAccess.webhooks)
                ? [NavigationLink(path: "/admin/webhooks", label: t("mv.webhooks.title"))] : [])
    }

    var apiOperations: [OpenAPIController.Operation] { OpenAPIController.movementsOperations }
    var apiSchemas: [String: APISchema] { OpenAPIController.movementsSchemas }

    var personReferences: [PersonReference] {
        [
            PersonReference(
                table: "booking_passengers", column: "person_id", uniqueWith: ["booking_id"],
                onConflict: .refuse(
                    "both records are passengers of the same booking: take one of them off it before merging"),
                label: "mv.merge.passengers"),
            PersonReference(
                table: "movement_handling", column: "person_id", uniqueWith: ["booking_id", "type"],
                label: "mv.merge.handling"),
            PersonReference(table: "sms_opt_outs", column: "person_id", unique: true, label: "mv.merge.optOuts"),
            PersonReference(table: "outbox_messages", column: "person_id", label: "mv.merge.messages"),
        ]
    }

    func caseBlocks(_ req: Request, _ viewer: Identity, caseID: UUID) async throws -> [CaseBlock] {
        guard viewer.hasAny(MovementsAccess.read) else { return [] }
        return [
            CaseBlock(
                anchor: "bookings", title: req.t("mv.booking.title"),
                html: try await BookingPages.caseBlock(req, viewer, caseID: caseID))
        ]
    }

    func seedDemo(_ app: Application) async throws { try await DemoMovements.seed(app) }

    /// The flight form, passengers, booking badges, the manifest cards and the airport handling form.
    var stylesheet: String {
        """
        table.legs input { font:inherit; padding:.35rem; border:1px solid #9aa6b2; border-radius:4px; \
        min-height:2.5rem; }
        table.legs td.has-error input { border-color:var(--warn); border-width:2px; }
        .passenger { padding:.3rem 0; border-bottom:1px solid var(--line); }
        .passenger .assist { padding-inline-start:1.8rem; }
        .sms-text { color:var(--muted); font-size:.92rem; unicode-bidi:plaintext; }
        .badge.booking-ticketed, .badge.booking-flown { background:#dcefdc; } .badge.booking-cancelled, \
        .badge.booking-no_show { background:#e6e6e6; }
        .manifest { display:grid; grid-template-columns:repeat(auto-fill, minmax(320px, 1fr)); gap:1rem; }
        article.movement { background:#fff; border:1px solid var(--line); border-inline-start:6px solid #6b8fb5; \
        border-radius:6px; padding:.8rem 1rem; break-inside:avoid; }
        article.movement.transit { border-inline-start-color:#c77700; } article.movement.arrival { \
        border-inline-start-color:#2e7d32; }
        article.movement header { font-size:1.1rem; margin-bottom:.3rem; }
        article.movement .time { font-size:1.4rem; font-weight:700; margin-inline-end:.4rem; }
        article.movement p { margin:.3rem 0; }
        .assist-needed { font-weight:700; color:#8a2b00; }
        form.handling .field.check { flex-direction:row-reverse; justify-content:flex-end; align-items:center; \
        gap:.7rem; }
        form.handling .field.check > span:first-child { margin:0; }
        form.handling .field input[type=checkbox] { width:1.8rem; height:1.8rem; }
        form.handling button { min-height:3rem; width:100%; }
        .badge.type-departure { background:#dde8f5; } .badge.type-transit { background:#fff0c2; } .badge.type-arrival \
        { background:#dcefdc; }
        form.template { margin-bottom:.6rem; }
        table.manifest-print { display:none; }
        @media print { .manifest, .filters, nav.jump { display:none; } \
        table.manifest-print { display:table; width:100%; font-size:9.5pt; border-collapse:collapse; } \
        table.manifest-print th, table.manifest-print td { padding:.15rem .3rem; border:1px solid #999; } \
        table.manifest-print td.tick { width:1.6rem; } table.manifest-print tr { break-inside:avoid; } }
        """
    }
}
