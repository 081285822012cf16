import Fluent
import PassageDomain
import Vapor

/// A referral with everything the office holds on it, as the API answers it and the pages show it.
struct ReferralFile: Content, Sendable {
    struct PersonRef: Content, Sendable { var personID: UUID; var reference: String; var name: String }
    struct Member: Content, Sendable {
        var id: UUID
        var person: PersonRef
        var phone: String?
        var languages: [String]
        var relationship: FamilyRelationship
        var verification: VerificationKind
    }
    struct Appointment: Content, Sendable {
        var id: UUID
        var memberID: UUID
        var service: AppointmentService
        var status: AppointmentStatus
        var day: String
        var time: String
        var startsAt: Date
        /// The slot on the centre's clock and in the Netherlands, for the IND caseworker.
        var centreTime: String
        var netherlandsTime: String
        var replacedBy: UUID?
        var note: String
        var interview: Interview?
    }
    struct Interview: Content, Sendable {
        var caseworker: String
        var language: String
        var interpreter: String
        var room: String
        var outcome: InterviewOutcome?
        var note: String
    }
    struct Event: Content, Sendable {
        var seq: Int
        var kind: String
        var custodian: CustodianKind
        var holder: String
        var from: String
        var handedOverAt: Date?
        var receivedAt: Date
        var sealNumber: String
        var sealIntact: Bool
        var note: String
        var recordedBy: String
        var recordedAt: Date
    }
    struct Sample: Content, Sendable {
        var id: UUID
        var identifier: String
        var memberID: UUID
        var status: SampleStatus
        var collectedBy: String
        var collectedAt: Date
        var place: String
        var documentSeen: String
        var photoTaken: Bool
        var witness: String
        var sealNumber: String
        var holder: String
        var holderKind: CustodianKind
        var holderSince: Date
        var compromisedReason: String?
        var outcome: LabOutcome?
        var reportReference: String?
        var resultAt: Date?
        var custody: [Event]
    }

    var id: UUID
    var caseID: UUID
    var caseReference: String
    var indFileNumber: String
    var deadline: String
    var referredBy: String
    var centreID: UUID
    var centre: String
    var centreTimeZone: String
    var sponsor: PersonRef
    var members: [Member]
    var appointments: [Appointment]
    var samples: [Sample]
    var note: String
    var createdAt: Date?

    static let netherlands = "Europe/Amsterdam"

    static func interview(_ i: FRInterview?) -> Interview? {
        i.map {
            Interview(
                caseworker: $0.caseworker, language: $0.language, interpreter: $0.interpreter, room: $0.room,
                outcome: $0.outcome, note: $0.note)
        }
    }

    static func appointment(_ a: FRAppointment, zone: String, interview i: FRInterview? = nil) -> Appointment {
        Appointment(
            id: a.id!, memberID: a.$member.id, service: a.service, status: a.status, day: a.day,
            time: CentreSchedule.clock(a.minute), startsAt: a.startsAt,
            centreTime: CentreSchedule.local(a.startsAt, in: zone) + " (\(zone))",
            netherlandsTime: CentreSchedule.local(a.startsAt, in: netherlands) + " (\(netherlands))",
            replacedBy: a.replacedByID, note: a.note, interview: interview(i))
    }

    /// `genetic`: whether the viewer reads genetic data; the laboratory's result is left out for anyone else.
    static func sample(_ s: FRSample, events: [FRCustodyEvent], genetic: Bool) -> Sample {
        Sample(
            id: s.id!, identifier: s.identifier, memberID: s.$member.id, status: s.status, collectedBy: s.collectedBy,
            collectedAt: s.collectedAt, place: s.place, documentSeen: s.documentSeen, photoTaken: s.photoTaken,
            witness: s.witness, sealNumber: s.sealNumber, holder: s.holderName, holderKind: s.holderKind,
            holderSince: s.holderSince, compromisedReason: s.compromisedReason, outcome: genetic ? s.outcome : nil,
            reportReference: genetic ? s.reportReference : nil, resultAt: genetic ? s.resultAt : nil,
            custody: events.sorted { $0.seq < $1.seq }.map {
                Event(
                    seq: $0.seq, kind: $0.kind, custodian: $0.custodian, holder: $0.holderName, from: $0.fromName,
                    handedOverAt: $0.handedOverAt, receivedAt: $0.receivedAt, sealNumber: $0.sealNumber,
                    sealIntact: $0.sealIntact, note: $0.note, recordedBy: $0.recordedBy, recordedAt: $0.recordedAt)
            })
    }

    static func ref(_ p: Person) -> PersonRef {
        PersonRef(personID: p.id!, reference: p.reference, name: "\(p.familyName), \(p.givenNames)")
    }

    /// Loads a referral as `viewer` may read it (404 otherwise).
    static func load(_ id: UUID, for viewer: Identity, on db: any Database) async throws -> ReferralFile {
        let r = try await ReunificationRecords.referral(id, for: viewer, on: db)
        let centre = try await ReunificationRecords.centre(r.$centre.id, on: db)
        let members = try await FRMember.query(on: db).filter(\.$referral.$id == id).with(\.$person).all()
        let sponsor = try await Person.find(r.$sponsor.id, on: db)!
        let appointments = try await FRAppointment.query(on: db).filter(\.$referral.$id == id).sort(\.$startsAt)
            .all()
        let interviews = try await FRInterview.query(on: db).filter(\.$appointment.$id ~~ appointments.compactMap(\.id))
            .all()
        let samples = try await FRSample.query(on: db).filter(\.$referral.$id == id).sort(\.$collectedAt).all()
        let events = try await FRCustodyEvent.query(on: db).filter(\.$sample.$id ~~ samples.compactMap(\.id)).all()
        let partner = try await r.$partner.get(on: db)
        let order = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.id!, $0) })
        return ReferralFile(
            id: r.id!, caseID: r.$caseRecord.id, caseReference: r.caseRecord.reference,
            indFileNumber: r.indFileNumber, deadline: r.deadline, referredBy: partner?.name ?? r.createdBy,
            centreID: centre.id!, centre: centre.location.name, centreTimeZone: centre.timeZone,
            sponsor: ref(sponsor),
            members: members.map {
                Member(
                    id: $0.id!, person: ref($0.person), phone: $0.person.phone, languages: $0.person.languages,
                    relationship: $0.relationship, verification: $0.verification)
            },
            appointments: appointments.map { a in
                appointment(a, zone: centre.timeZone, interview: interviews.first { $0.$appointment.id == a.id })
            }
            .sorted { (order[$0.memberID] ?? 0, $0.startsAt) < (order[$1.memberID] ?? 0, $1.startsAt) },
            samples: samples.map { s in
                sample(s, events: events.filter { $0.$sample.id == s.id }, genetic: viewer.reads(.genetic))
            },
            note: r.note, createdAt: r.createdAt)
    }

    /// Every person the file names: a reading of each of their records.
    var persons: [UUID] { [sponsor.personID] + members.map(\.person.personID) }

    func recordView(by viewer: Identity, via: String, on app: Application) async throws {
        try await AuditLog.views(app, viewer.actor, entity: "fr_referral", entityID: id, persons: persons, note: via)
    }
}
