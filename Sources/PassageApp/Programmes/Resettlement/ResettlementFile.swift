import Fluent
import PassageDomain
import Vapor

/// A referred household with what the office holds on it, as the viewer may read it: health checks show their
/// finding and what the journey needs to everyone who arranges it, and their medical details to medical officers
/// only; UNHCR's own account reads the household and where it stands, not its health or documents.
struct ResettlementFile: Content, Sendable {
    struct Member: Content, Sendable {
        var person: ReferralFile.PersonRef
        var relationship: String
        var dateOfBirth: String?
        var sex: String
        var attendedOrientation: Bool?
        var documentValidUntil: String?
        var fitness: TravelFitness?
        var fitnessValidUntil: String?
    }
    struct HealthCheck: Content, Sendable {
        var id: UUID
        var personID: UUID
        var kind: HealthCheckKind
        var examinedOn: String
        var validUntil: String?
        var fitness: TravelFitness
        var escort: EscortKind
        var assistance: [AssistanceKind]
        /// Only for medical officers; absent for everyone else.
        var medicalDetails: String?
        var recordedBy: String
    }
    struct Document: Content, Sendable {
        var id: UUID
        var personID: UUID
        var kind: ResettlementDocumentKind
        var number: String
        var issuedOn: String
        var validUntil: String
    }
    struct MissionOutcome: Content, Sendable {
        var missionID: UUID
        var country: String
        var startsOn: String
        var outcome: SelectionOutcome
        var decidedOn: String?
    }
    struct MovementRef: Content, Sendable {
        var id: UUID
        var reference: String
        var departsOn: String
        var status: GroupMovementStatus
        var bookingID: UUID
        var bookingStatus: BookingStatus
    }

    var id: UUID
    var caseID: UUID
    var caseReference: String
    var unhcrCaseNumber: String
    var countryOfAsylum: String
    var category: SubmissionCategory
    var priority: SubmissionPriority
    var decision: SelectionOutcome
    var decidedOn: String?
    var stage: ResettlementStage
    var municipality: String
    var referredBy: String
    var note: String
    var members: [Member]
    var healthChecks: [HealthCheck]?
    var documents: [Document]?
    var missions: [MissionOutcome]
    var movement: MovementRef?
    /// What is still missing for travel today (or on the movement's day), in words.
    var travelRefusals: [String]?
    var createdAt: Date?

    static func load(_ id: UUID, for viewer: Identity, on db: any Database) async throws -> ResettlementFile {
        let r = try await ResettlementRecords.referral(id, for: viewer, on: db)
        try await ResettlementRecords.refreshStage(r, on: db)
        let staff = viewer.hasAny(ResettlementAccess.read)
        let members = try await RSMember.query(on: db).filter(\.$referral.$id == id).with(\.$person).all()
            .sorted { a, b in
                let (pa, pb) = (a.relationship == "principal", b.relationship == "principal")
                return pa != pb ? pa : a.person.sortName < b.person.sortName
            }
        let ready = staff ? try await ResettlementRecords.readiness(r, on: db) : [:]
        let checks = staff ? try await RSHealthCheck.query(on: db).filter(\.$referral.$id == id).all() : []
        let documents = staff ? try await RSDocument.query(on: db).filter(\.$referral.$id == id).all() : []
        let missions = try await RSMissionHousehold.query(on: db).filter(\.$referral.$id == id).with(\.$mission).all()
        let mh = try await RSMovementHousehold.query(on: db).filter(\.$referral.$id == id).with(\.$movement)
            .with(\.$booking).all().sorted { $0.booking.departsAt > $1.booking.departsAt }.first
        let partner = try await r.$partner.get(on: db)
        let medical = ResettlementAccess.seesMedicalDetails(viewer)
        let day = mh.flatMap { PartialDate(parsing: $0.movement.departsOn) } ?? Clock.today()
        return ResettlementFile(
            id: r.id!, caseID: r.$caseRecord.id, caseReference: r.caseRecord.reference,
            unhcrCaseNumber: r.unhcrCaseNumber, countryOfAsylum: r.countryOfAsylum, category: r.category,
            priority: r.priority, decision: r.decision, decidedOn: r.decidedOn, stage: r.stage,
            municipality: r.municipality, referredBy: partner?.name ?? r.createdBy, note: r.note,
            members: members.map { m in
                let p = m.person
                let t = ready[p.id!]
                return Member(
                    person: ReferralFile.ref(p), relationship: m.relationship,
                    dateOfBirth: p.dobYear.flatMap { PartialDate(year: $0, month: p.dobMonth, day: p.dobDay) }?
                        .isoText, sex: p.sex, attendedOrientation: t?.attendedOrientation,
                    documentValidUntil: t?.documentValidUntil?.isoText, fitness: t?.fitness,
                    fitnessValidUntil: t?.fitnessValidUntil?.isoText)
            },
            healthChecks: staff
                ? checks.sorted {
                    ($0.examinedOn, $0.createdAt ?? .distantPast) > ($1.examinedOn, $1.createdAt ?? .distantPast)
                }
                .map {
                    HealthCheck(
                        id: $0.id!, personID: $0.$person.id, kind: $0.kind, examinedOn: $0.examinedOn,
                        validUntil: $0.validUntil, fitness: $0.fitness, escort: $0.escort,
                        assistance: $0.assistance, medicalDetails: medical ? $0.medicalDetails : nil,
                        recordedBy: $0.recordedBy)
                } : nil,
            documents: staff
                ? documents.sorted { $0.issuedOn < $1.issuedOn }.map {
                    Document(
                        id: $0.id!, personID: $0.$person.id, kind: $0.kind, number: $0.number, issuedOn: $0.issuedOn,
                        validUntil: $0.validUntil)
                } : nil,
            missions: missions.sorted { $0.mission.startsOn < $1.mission.startsOn }.map {
                MissionOutcome(
                    missionID: $0.$mission.id, country: $0.mission.country, startsOn: $0.mission.startsOn,
                    outcome: $0.outcome, decidedOn: $0.decidedOn)
            },
            movement: mh.map {
                MovementRef(
                    id: $0.$movement.id, reference: $0.movement.reference, departsOn: $0.movement.departsOn,
                    status: $0.movement.status, bookingID: $0.$booking.id, bookingStatus: $0.booking.status)
            },
            travelRefusals: staff && r.stage < .booked
                ? ResettlementGuard.refusals(
                    accepted: r.decision, members: ready.values.sorted { $0.name < $1.name }, day: day) : nil,
            createdAt: r.createdAt)
    }

    /// Every person the file names: a reading of each of their records (of their health, when the checks are shown).
    func recordView(by viewer: Identity, via: String, on app: Application) async throws {
        try await AuditLog.views(
            app, viewer.actor, entity: "rs_referral", entityID: id, persons: members.map(\.person.personID),
            note: via + (healthChecks?.isEmpty == false ? ", health checks" : ""))
    }
}
