import Fluent
import PassageDomain
import Vapor

/// A programme of the office (or another part that stands on its own) plugs into Passage through this protocol:
/// its migrations, routes, words, navigation, part of the API document, styles, blocks on the case page, demo data
/// and what it does when another module announces something. The shared files loop over the registered modules
/// (`Modules.registered`) and name none of them.
protocol PassageModule: Sendable {
    /// A short name, unique among the modules ("return", "movements").
    var name: String { get }
    /// The module's migrations, in order; they run after the shared ones and those of modules registered before.
    var migrations: [any Migration] { get }
    /// Registers the module's pages on `app` and its JSON API on `api` (`/api/v1`).
    func routes(_ app: Application, api: any RoutesBuilder)
    /// Entries of the catalogue, by language ("en", "nl"); every language has the same keys.
    var catalogue: [String: [String: String]] { get }
    /// Links in the top navigation for a viewer (only those the viewer may follow).
    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink]
    /// The module's operations in the OpenAPI document, and the schemas they name.
    var apiOperations: [OpenAPIController.Operation] { get }
    var apiSchemas: [String: APISchema] { get }
    /// CSS added to the one stylesheet.
    var stylesheet: String { get }
    /// Blocks the module adds to a case's page and to a programme's case file (none when the viewer may read none).
    func caseBlocks(_ req: Request, _ viewer: Identity, caseID: UUID) async throws -> [CaseBlock]
    /// Blocks the module adds to the managers' dashboard (none when the viewer may read none).
    func dashboardBlocks(_ req: Request, _ viewer: Identity) async throws -> [CaseBlock]
    /// Demo records, after the shared ones and those of the modules registered before.
    func seedDemo(_ app: Application) async throws
    /// What the module does when another announces an event; inside the announcing transaction.
    /// What it answers is said at once to whoever caused the event (a line on the booking that was flown), in words
    /// every reader of that record may read.
    func handle(_ event: ModuleEvent, on db: any Database) async throws -> [String]
    /// What the module knows of a journey of one of its cases, for the modules that move people; nil for a case
    /// that is not the module's.
    func travel(of c: Case, on db: any Database) async throws -> CaseTravel?
    /// Why the case's persons may not travel on `day`, one sentence per unmet condition of its programme (empty when
    /// they may): the movements module refuses a booking or a ticket with these reasons.
    func travelRefusals(of c: Case, day: PartialDate, on db: any Database) async throws -> [String]
    /// Why a case's status may not be set by hand (its programme's workflow sets it), or nil when it may.
    func statusFollowsWorkflow(of c: Case, on db: any Database) async throws -> String?
    /// The module's cases whose person has left or is preparing to leave (the movements demo books them flights).
    func travellers(on db: any Database) async throws -> [Traveller]
    /// The module's cases whose departure is being prepared: those the movements team books next.
    func preparing(on db: any Database) async throws -> [Traveller]
    /// The module's columns that name a person: a merge of two records moves their rows to the surviving one.
    var personReferences: [PersonReference] { get }
    /// Who reads the records of the programmes the module works (their lines of a case's timeline among them), where
    /// that is narrower than everyone who reads cases.
    var programmeReaders: [Programme: Set<Role>] { get }
    /// Removes what identifies the persons from the module's records (free text, numbers, contacts), keeping what
    /// the figures count: the retention job, inside its transaction.
    func anonymise(_ persons: [UUID], on db: any Database) async throws
    /// The module's fields of a restricted category, by the entity names its audit entries use: `entity` for every
    /// field of it, `entity.field` for one (see `FieldTags`). Its pages and API answers show them only to a viewer
    /// who reads the category (`Identity.reads`, `FieldAccess.readable`).
    var fieldCategories: [String: DataCategory] { get }
    /// The module's columns that hold restricted categories, kept sealed at rest (`FieldCipher`): the model reads
    /// and writes them through a property that opens and seals; `passage keys rotate` seals them again.
    var sealedColumns: [SealedColumn] { get }
}

/// A column that names a person, and what a merge does where both records have a row that may exist only once.
struct PersonReference: Sendable {
    enum OnConflict: Sendable {
        /// The surviving record's row stays; the merged record's stays with it (a duplicate fact).
        case keepSurvivors
        /// The merge is refused, with this reason.
        case refuse(String)
    }
    let table: String
    let column: String
    /// The other columns of a unique constraint with `column` (empty with `unique` set: one row per person).
    var uniqueWith: [String] = []
    var unique = false
    var onConflict: OnConflict = .keepSurvivors
    /// What the rows are, for the merge page ("identity documents").
    let label: String
}

/// A case whose person has travelled or is about to.
struct Traveller: Sendable {
    var caseID: UUID
    var caseReference: String
    var personID: UUID
    /// "Family name, given names".
    var personName = ""
    var personHasPhone: Bool
    var travel: CaseTravel
    /// The day the person left, when they have.
    var departedOn: String?
    /// True while the departure is being prepared.
    var preparing: Bool
}

/// What a programme knows of a case's journey.
struct CaseTravel: Sendable, Equatable {
    /// Where the person goes (ISO 3166-1 alpha-2).
    var destinationCountry: String?
    /// The language the person asked to be spoken to in.
    var preferredLanguage: String?
    /// Where the person stayed before leaving.
    var stayLocationID: UUID?
    /// What the journey needs, said without the reasons behind it.
    var needs = TravelNeeds()
}

/// What the people who book and accompany a journey must know: the escort, whether a fit-to-fly assessment must be
/// valid on the day and until when it is, and the help the case's person needs at the airport. Never the condition,
/// the treatment or any restricted record behind it.
struct TravelNeeds: Sendable, Equatable, Codable {
    var escort: EscortKind = .none
    /// Whether the person may fly only with a valid fit-to-fly assessment.
    var fitToFlyRequired = false
    /// The assessment's outcome when one is required: not assessed, fit or unfit.
    var fitToFly: FitToFly?
    /// The last day the assessment is valid on, when the person was found fit.
    var fitToFlyValidUntil: PartialDate?
    /// Help at the airport for the case's person, in the order of `AssistanceKind`.
    var assistance: [AssistanceKind] = []

    var isEmpty: Bool { escort == .none && !fitToFlyRequired && assistance.isEmpty }

    /// Whether a booking for `day` would leave on a day the assessment does not cover.
    func fitToFlyLapses(before day: PartialDate) -> Bool {
        guard fitToFlyRequired else { return false }
        guard fitToFly == .fit, let until = fitToFlyValidUntil else { return true }
        return until < day
    }
}

extension PassageModule {
    var migrations: [any Migration] { [] }
    func routes(_ app: Application, api: any RoutesBuilder) {}
    var catalogue: [String: [String: String]] { [:] }
    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink] { [] }
    var apiOperations: [OpenAPIController.Operation] { [] }
    var apiSchemas: [String: APISchema] { [:] }
    var stylesheet: String { "" }
    func caseBlocks(_ req: Request, _ viewer: Identity, caseID: UUID) async throws -> [CaseBlock] { [] }
    func seedDemo(_ app: Application) async throws {}
    func dashboardBlocks(_ req: Request, _ viewer: Identity) async throws -> [CaseBlock] { [] }
    func handle(_ event: ModuleEvent, on db: any Database) async throws -> [String] { [] }
    func travel(of c: Case, on db: any Database) async throws -> CaseTravel? { nil }
    func travelRefusals(of c: Case, day: PartialDate, on db: any Database) async throws -> [String] { [] }
    func travellers(on db: any Database) async throws -> [Traveller] { [] }
    func preparing(on db: any Database) async throws -> [Traveller] { [] }
    func statusFollowsWorkflow(of c: Case, on db: any Database) async throws -> String? { nil }
    var personReferences: [PersonReference] { [] }
    var programmeReaders: [Programme: Set<Role>] { [:] }
    func anonymise(_ persons: [UUID], on db: any Database) async throws {}
    var fieldCategories: [String: DataCategory] { [:] }
    var sealedColumns: [SealedColumn] { [] }
}

/// A section a module adds to a case's page: its anchor, its title (for a table of contents) and its markup.
struct CaseBlock: Sendable {
    var anchor: String
    var title: String
    var html: HTML
}

/// One link of the top navigation.
struct NavigationLink: Sendable, Equatable {
    var path: String
    var label: String
}

/// What one module announces and others may act on.
enum ModuleEvent: Sendable {
    /// A booking was flown: the passengers' case left on `day` with `flight`.
    case bookingFlown(caseID: UUID, day: PartialDate, flight: String, actor: Actor)
    /// A booking of the case was cancelled; by a re-booking, when `replacedBy` names the booking that replaced it.
    case bookingCancelled(caseID: UUID, bookingID: UUID, replacedBy: UUID?)
    /// The person withdrew their consent to a purpose: what depends on it stops.
    case consentWithdrawn(personID: UUID, purpose: ProcessingPurpose)
}

enum Modules {
    /// The modules of Passage, in the order their migrations, routes and navigation come. A new programme is its
    /// folder under `Programmes/` and one line here.
    static let registered: [any PassageModule] = [
        ReturnModule(),
        MovementsModule(),
        ReunificationModule(),
        ResettlementModule(),
        VisaCentreModule(),
        DiasporaModule(),
        ProjectsModule(),
    ]

    /// What the case's programme knows of its journey (asked of the registered modules, also from migrations).
    static func travel(of c: Case, on db: any Database) async throws -> CaseTravel? {
        for m in registered { if let t = try await m.travel(of: c, on: db) { return t } }
        return nil
    }

    /// Tells every registered module of an event, in the caller's transaction (where no application is at hand).
    static func announce(_ event: ModuleEvent, on db: any Database) async throws -> [String] {
        var notes: [String] = []
        for m in registered { notes += try await m.handle(event, on: db) }
        return notes
    }

    /// Every module's reasons why the case may not travel on `day`.
    static func travelRefusals(of c: Case, day: PartialDate, on db: any Database) async throws -> [String] {
        var out: [String] = []
        for m in registered { out += try await m.travelRefusals(of: c, day: day, on: db) }
        return out
    }
}

extension Application {
    /// Every module's cases whose departure is being prepared.
    func preparingTravellers(on db: any Database) async throws -> [Traveller] {
        var out: [Traveller] = []
        for m in modules { out += try await m.preparing(on: db) }
        return out
    }
}

struct ModulesKey: StorageKey { typealias Value = [any PassageModule] }

extension Application {
    /// The modules this application runs (`AppConfig.modules`).
    var modules: [any PassageModule] { storage[ModulesKey.self] ?? Modules.registered }

    /// Every module's blocks for a case, as the viewer may read them.
    func caseBlocks(_ req: Request, _ viewer: Identity, caseID: UUID) async throws -> [CaseBlock] {
        var out: [CaseBlock] = []
        for m in modules { out += try await m.caseBlocks(req, viewer, caseID: caseID) }
        return out
    }

    /// Tells every module of an event, in the caller's transaction; what they answer, for the caller to show.
    func announce(_ event: ModuleEvent, on db: any Database) async throws -> [String] {
        var notes: [String] = []
        for m in modules { notes += try await m.handle(event, on: db) }
        return notes
    }
}
