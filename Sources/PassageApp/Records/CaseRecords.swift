import Vapor
import Fluent
import SQLKit
import PassageDomain

/// Opening and changing cases, each change on the timeline and in the audit trail.
enum CaseRecords {
    static func nextReference(programme: Programme, year: Int, on db: any Database) async throws -> String {
        let n = try await nextNumber(key: "\(programme.referencePrefix)-\(year)", on: db) ?? 1
        return CaseValidation.reference(programme: programme, year: year, number: n)
    }

    /// The next number of a named counter, taken inside the caller's transaction.
    static func nextNumber(key: String, on db: any Database) async throws -> Int? {
        let row = try await db.sql.raw(
            """
            INSERT INTO reference_counters (key, last_value) VALUES (\(bind: key), 1)
            ON CONFLICT (key) DO UPDATE SET last_value = reference_counters.last_value + 1
            RETURNING last_value
            """
        ).first()
        return try row?.decode(column: "last_value", as: Int.self)
    }

    static func ownerID(_ raw: String?, on db: any Database) async throws -> UUID? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let id = UUID(uuidString: raw), let u = try await User.find(id, on: db), u.active,
            !u.roles.contains(.partner)
        else {
            throw ValidationErrors("ownerID", "is not an active member of staff")
        }
        return id
    }

    static func officeID(_ raw: String?, on db: any Database) async throws -> UUID? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let id = UUID(uuidString: raw), try await Location.find(id, on: db) != nil else {
            throw ValidationErrors("officeLocationID", "is not a known location")
        }
        return id
    }

    static func open(_ form: CaseForm, actor: Actor, on app: Application) async throws -> Case {
        let details = try CaseValidation.validate(form, today: PersonRecords.today())
        guard let pid = UUID(uuidString: form.personID ?? ""), try await Person.find(pid, on: app.db) != nil else {
            throw ValidationErrors("personID", "is not a known person")
        }
        let owner = try await ownerID(form.ownerID, on: app.db)
        let office = try await officeID(form.officeLocationID, on: app.db)
        return try await app.writeTransaction { db in
            try await insert(details, personID: pid, ownerID: owner, officeID: office, actor: actor, on: db)
        }
    }

    /// Writes a new case inside the caller's transaction.
    static func insert(
        _ details: CaseDetails, personID pid: UUID, ownerID owner: UUID?, officeID office: UUID?,
        status: CaseStatus = .open, actor: Actor, on db: any Database
    ) async throws -> Case {
        let c = Case()
        c.id = UUID()
        c.reference = try await nextReference(programme: details.programme, year: details.openedOn.year, on: db)
        c.programme = details.programme
        c.status = status
        c.$person.id = pid
        c.$owner.id = owner
        c.$officeLocation.id = office
        c.openedOn = details.openedOn.isoText
        c.summary = details.summary
        try await c.create(on: db)
        try await CaseEvent(
            caseID: c.id!, at: Clock.now(), actorID: UUID(uuidString: actor.id), actorName: actor.name,
            kind: "opened", text: "Case opened", phrase: Phrase("tl.case.opened")
        ).create(on: db)
        try await AuditLog.record(
            on: db, actor: actor, action: .create, entity: "case", entityID: c.id!.uuidString,
            personID: pid, changes: AuditRecord.diff(before: [:], after: c.auditSnapshot))
        return c
    }

    /// Reading a case is a reading of its person's record, and is recorded as such.
    static func recordView(of c: CaseSummary, by viewer: Identity, via: String, on app: Application) async throws {
        try await AuditLog.views(app, viewer.actor, entity: "case", entityID: c.id, persons: [c.personID], note: via)
    }

    struct Change: Sendable {
        var status: CaseStatus?
        var ownerID: String??
        var officeLocationID: String??
        var summary: String?
        var reason: String
    }

    static func change(_ id: UUID, _ change: Change, identity: Identity, on app: Application) async throws -> Case {
        let actor = identity.actor
        var errors = ValidationErrors()
        let reason = change.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.count > 2000 { errors.add("reason", "must be at most 2000 characters") }
        if let s = change.summary, s.count > 2000 { errors.add("summary", "must be at most 2000 characters") }
        try errors.throwIfAny()
        let owner: UUID?? = try await change.ownerID.asyncMap { try await ownerID($0, on: app.db) }
        let office: UUID?? = try await change.officeLocationID.asyncMap { try await officeID($0, on: app.db) }
        return try await app.writeTransaction { db in
            guard let c = try await Case.find(id, on: db) else { throw Abort(.notFound, reason: "No such case.") }
            let before = c.auditSnapshot
            var lines: [(String, String, Phrase?)] = []
            if let next = change.status, next != c.status {
                for module in app.modules {
                    if let reason = try await module.statusFollowsWorkflow(of: c, on: db) {
                        throw DomainError(.conflict, reason)
                    }
                }
                let current = c.status
                try current.checkMove(to: next, reason: reason)
                c.status = next
                let today = PersonRecords.today()
                c.closedOn =
                    next == .closed ? PartialDate(year: today.year, month: today.month, day: today.day)?.isoText : nil
                lines.append(
                    (
                        "status",
                        "Status \(current.rawValue) → \(next.rawValue)" + (reason.isEmpty ? "" : ": \(reason)"),
                        Phrase(
                            "tl.case.status", .word("status.\(current)"), .word("status.\(next)"),
                            .text(reason.isEmpty ? "" : ": \(reason)"))
                    ))
            }
            if let o = owner, o != c.$owner.id {
                let next = try await o.asyncMap { try await User.find($0, on: db) } ?? nil
                try CaseOwnership.checkChange(
                    programme: c.programme,
                    current: c.$owner.id?.uuidString, next: o?.uuidString, nextRoles: next?.roles,
                    actorID: identity.userID.uuidString, actorRoles: identity.roles)
                c.$owner.id = o
                let name = try await o.asyncMap { try await User.find($0, on: db)?.displayName } ?? nil
                lines.append(
                    (
                        "owner", "Owner → \(name ?? "nobody")",
                        name.map { Phrase("tl.case.owner", .text($0)) }
                            ?? Phrase("tl.case.owner.none")
                    ))
            }
            if let o = office, o != c.$officeLocation.id {
                c.$officeLocation.id = o
                let name = try await o.asyncMap { try await Location.find($0, on: db)?.name } ?? nil
                lines.append(
                    (
                        "office", "Office → \(name ?? "none")",
                        name.map { Phrase("tl.case.office", .text($0)) }
                            ?? Phrase("tl.case.office.none")
                    ))
            }
            if let s = change.summary?.trimmingCharacters(in: .whitespacesAndNewlines), s != c.summary {
                c.summary = s
                lines.append(("summary", "Summary updated", Phrase("tl.case.summary")))
            }
            let changes = AuditRecord.diff(before: before, after: c.auditSnapshot)
            if changes.isEmpty {
                guard !reason.isEmpty else { return c }
                lines.append(("note", reason, nil))
            } else {
                try await c.update(on: db)
            }
            for (kind, text, phrase) in lines {
                try await CaseEvent(
                    caseID: id, at: Clock.now(), actorID: UUID(uuidString: actor.id), actorName: actor.name,
                    kind: kind, text: text, phrase: phrase
                ).create(on: db)
            }
            try await AuditLog.record(
                on: db, actor: actor, action: .update, entity: "case", entityID: id.uuidString,
                personID: c.$person.id, changes: changes, note: reason)
            return c
        }
    }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let w): return try await f(w)
        case .none: return nil
        }
    }
}
