import Vapor
import Fluent
import PassageDomain

/// Who may read a line of a case's timeline. Everyone who reads a case reads its timeline, so a line that says
/// more than the case list does names the narrower audience it is for, and `Timeline.lines` leaves it out for
/// everyone else: the pages and the APIs read the timeline only through it.
enum TimelineAudience: String, Codable, Sendable, CaseIterable {
    /// Everyone who may read the case: its opening, status, owner, office and bookings.
    case caseReaders = "case"
    /// The staff of the case's programme (for a return case, those who read return cases).
    case programme
    /// Medical officers and managers.
    case medical
    /// A trafficking record: the case owner, managers and staff granted access by name.
    case restricted

    /// The kinds of line everyone who reads the case may read; the others are the programme's.
    static let caseKinds: Set<String> = ["opened", "status", "owner", "office", "summary", "note", "booking"]

    /// The audience of a line of a kind, where the kind says it.
    static func of(kind: String) -> TimelineAudience { caseKinds.contains(kind) ? .caseReaders : .programme }
}

enum Timeline {
    /// Who reads the programme's lines of a case's timeline.
    static func programmeReaders(_ programme: String) -> Set<Role> {
        Programme(rawValue: programme) == .voluntaryReturn ? ReturnAccess.read : CaseAccess.read
    }

    /// The lines of a case's timeline that `viewer` may read, newest first or oldest first.
    static func lines(of c: Case, for viewer: Identity, newestFirst: Bool, on db: any Database) async throws
        -> [CaseAPIController.Event]
    {
        let caseID = try c.requireID()
        let events = try await CaseEvent.query(on: db).filter(\.$caseRecord.$id == caseID)
            .sort(\.$at, newestFirst ? .descending : .ascending).all()
        var seesRestricted: Bool?
        var out: [CaseAPIController.Event] = []
        for e in events {
            let may: Bool
            switch e.audience {
            case .caseReaders: may = true
            case .programme: may = viewer.hasAny(programmeReaders(c.programme.rawValue))
            case .medical: may = ReturnAccess.seesMedical(viewer)
            case .restricted:
                if seesRestricted == nil {
                    let record = try await VulnerabilityRecord.query(on: db).filter(\.$caseRecord.$id == caseID)
                        .filter(\.$kind == VulnerabilityKind.trafficking).first()
                    seesRestricted = ReturnAccess.seesTrafficking(
                        viewer, ownerID: c.$owner.id,
                        record: record?.decode(TraffickingRecord.self))
                }
                may = seesRestricted!
            }
            if may { out.append(.init(at: e.at, actor: e.actorName, kind: e.kind, text: e.text)) }
        }
        return out
    }
}
