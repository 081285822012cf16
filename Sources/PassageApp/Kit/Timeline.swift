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
    /// A child's safeguards: the roles that read child-protection records.
    case childProtection = "child_protection"
    /// A DNA sample's laboratory result: the roles that read genetic data.
    case genetic

    /// The category of data a line of this audience tells of, read through `FieldAccess`.
    var category: DataCategory? {
        switch self {
        case .caseReaders, .programme: return nil
        case .medical: return .medical
        case .restricted: return .trafficking
        case .childProtection: return .childProtection
        case .genetic: return .genetic
        }
    }

    /// The kinds of line everyone who reads the case may read; the others are the programme's.
    static let caseKinds: Set<String> = ["opened", "status", "owner", "office", "summary", "note", "booking"]

    /// The audience of a line of a kind, where the kind says it.
    static func of(kind: String) -> TimelineAudience { caseKinds.contains(kind) ? .caseReaders : .programme }
}

enum Timeline {
    /// Who reads the programme's lines of a case's timeline.
    static func programmeReaders(_ programme: String) -> Set<Role> {
        guard let p = Programme(rawValue: programme) else { return CaseAccess.read }
        for m in Modules.registered { if let readers = m.programmeReaders[p] { return readers } }
        return CaseAccess.read
    }

    /// The lines of a case's timeline that `viewer` may read, newest first or oldest first.
    /// For a page (`reader` given) each line is said in the reader's language and names people, not logins.
    static func lines(
        of c: Case, for viewer: Identity, newestFirst: Bool, reader: Translator? = nil, on db: any Database
    ) async throws -> [CaseAPIController.Event] {
        let caseID = try c.requireID()
        let events = try await CaseEvent.query(on: db).filter(\.$caseRecord.$id == caseID)
            .sort(\.$at, newestFirst ? .descending : .ascending).all()
        // A line of a restricted category shows to those who read it on this case (`FieldAccess.readable`).
        var readable: Set<DataCategory>?
        var kept: [CaseEvent] = []
        for e in events {
            let may: Bool
            switch e.audience {
            case .caseReaders: may = true
            case .programme: may = viewer.hasAny(programmeReaders(c.programme.rawValue))
            case .medical, .restricted, .childProtection, .genetic:
                if readable == nil { readable = try await FieldAccess.readable(c, for: viewer, on: db) }
                may = e.audience.category.map { readable!.contains($0) } ?? false
            }
            if may { kept.append(e) }
        }
        guard let reader else {
            return kept.map { .init(at: $0.at, actor: $0.actorName, kind: $0.kind, text: $0.text) }
        }
        let actorIDs = Set(kept.compactMap(\.actorID))
        var names: [UUID: String] = [:]
        if !actorIDs.isEmpty {
            for u in try await User.query(on: db).filter(\.$id ~~ actorIDs).all() { names[u.id!] = u.displayName }
        }
        return kept.map {
            .init(
                at: $0.at, actor: $0.actorID.flatMap { names[$0] } ?? $0.actorName, kind: $0.kind,
                text: Phrase.decode($0.phrase)?.render(reader) ?? $0.text)
        }
    }
}

/// What a timeline line says, as a catalogue key and its arguments, so that it reads in the reader's language.
/// An argument is typed text (kept as typed) or a word of the catalogue (a stage, a status, an outcome).
struct Phrase: Codable, Sendable, Equatable {
    enum Arg: Codable, Sendable, Equatable {
        case text(String)
        case word(String)
        case country(String)
        case language(String)
    }
    var key: String
    var args: [Arg]

    init(_ key: String, _ args: Arg...) { self.key = key; self.args = args }

    var json: String { String(decoding: try! JSONEncoder().encode(self), as: UTF8.self) }

    static func decode(_ json: String?) -> Phrase? {
        guard let json else { return nil }
        return try? JSONDecoder().decode(Phrase.self, from: Data(json.utf8))
    }

    /// The line in the reader's language; nil when the catalogue does not know the key.
    func render(_ t: Translator) -> String? {
        guard t.has(key) else { return nil }
        return t(
            key,
            arguments: args.map {
                switch $0 {
                case .text(let s): s
                case .word(let k): t(k)
                case .country(let c): CountryCode.name(c, in: t.locale)
                case .language(let l): LanguageCode.name(l, in: t.locale)
                }
            })
    }
}
