import Fluent
import PassageDomain
import SQLKit
import Vapor

/// Recording and withdrawing a person's consents. A withdrawal stops what depends on it: the outbox's messages to or
/// about the person that rest on it are cancelled, and every module is told.
enum ConsentRecords {
    static let roles: Set<Role> = PersonAccess.write

    static func purpose(_ raw: String?, into e: inout ValidationErrors) -> ProcessingPurpose? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            e.add("purpose", "is required")
            return nil
        }
        guard let p = ProcessingPurpose(rawValue: text) else {
            e.add(
                "purpose",
                "must be one of " + ProcessingPurpose.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return p
    }

    static func record(_ personID: UUID, _ f: FormFields, actor: Actor, on app: Application) async throws
        -> ConsentRecord
    {
        let c = try await checked(personID, f, actor: actor, on: app.db)
        try await app.writeTransaction { db in try await insert(c, actor: actor, on: db) }
        return c
    }

    /// A consent from a form, checked, not yet written.
    static func checked(_ personID: UUID, _ f: FormFields, actor: Actor, on db: any Database) async throws
        -> ConsentRecord
    {
        guard let person = try await Person.find(personID, on: db), person.mergedInto == nil else {
            throw Abort(.notFound, reason: "No such person.")
        }
        var e = ValidationErrors()
        let purpose = purpose(f["purpose"], into: &e)
        let given = Input.day(f["givenOn"], field: "givenOn", required: true, into: &e)
        if let given, Clock.today() < given { e.add("givenOn", "must not be in the future") }
        let scope = Input.text(f["scope"], field: "scope", max: 300, required: true, into: &e)
        let expires = Input.day(f["expiresOn"], field: "expiresOn", required: false, into: &e)
        if let given, let expires, expires < given { e.add("expiresOn", "must not be before the day it was given") }
        try e.throwIfAny()
        let c = ConsentRecord()
        c.personID = person.id!
        c.purpose = purpose!.rawValue
        c.givenOn = given!.isoText
        c.scope = scope
        c.expiresOn = expires?.isoText
        c.recordedBy = actor.name
        return c
    }

    /// A consent given on a day, written at once (the demo's records, made by staff who saw the signed form).
    static func given(
        _ personID: UUID, _ purpose: ProcessingPurpose, on day: PartialDate, scope: String, actor: Actor,
        on db: any Database
    ) async throws {
        let c = ConsentRecord()
        c.personID = personID; c.purpose = purpose.rawValue; c.givenOn = day.isoText; c.scope = scope
        c.recordedBy = actor.name
        try await insert(c, actor: actor, on: db)
    }

    static func insert(_ c: ConsentRecord, actor: Actor, on db: any Database) async throws {
        try await c.create(on: db)
        try await AuditLog.change(db, actor, .create, "consent", c.id, person: c.personID, after: c.auditSnapshot)
    }

    static func withdraw(
        _ consentID: UUID, of personID: UUID, _ f: FormFields, actor: Actor, on app: Application
    ) async throws -> ConsentRecord {
        guard let c = try await ConsentRecord.find(consentID, on: app.db), c.personID == personID else {
            throw Abort(.notFound, reason: "No such consent.")
        }
        var e = ValidationErrors()
        let day = Input.day(f["withdrawnOn"], field: "withdrawnOn", required: false, into: &e) ?? Clock.today()
        if Clock.today() < day { e.add("withdrawnOn", "must not be in the future") }
        if day.isoText < c.givenOn { e.add("withdrawnOn", "must not be before the day it was given (\(c.givenOn))") }
        let note = Input.text(f["note"], field: "note", max: 500, into: &e)
        try e.throwIfAny()
        if let w = c.withdrawnOn { throw DomainError(.conflict, "This consent was withdrawn on \(w).") }
        try await app.writeTransaction { db in
            try await applyWithdrawal(c, day: day, note: note, actor: actor, on: db)
        }
        return c
    }

    /// Writes a withdrawal; unless another consent still covers the purpose, what rests on it stops.
    static func applyWithdrawal(
        _ c: ConsentRecord, day: PartialDate, note: String, actor: Actor, on db: any Database
    ) async throws {
        guard let purpose = ProcessingPurpose(rawValue: c.purpose) else { throw Abort(.notFound) }
        let before = c.auditSnapshot
        c.withdrawnOn = day.isoText
        c.withdrawnBy = actor.name
        c.withdrawalNote = note.isEmpty ? nil : note
        try await c.update(on: db)
        try await AuditLog.change(
            db, actor, .update, "consent", c.id, person: c.personID, before: before, after: c.auditSnapshot)
        guard try await ProcessingBasis.refusal(purpose, person: c.personID, day: day, on: db) != nil else { return }
        try await stopDependents(c.personID, purpose, on: db)
        _ = try await Modules.announce(.consentWithdrawn(personID: c.personID, purpose: purpose), on: db)
    }

    /// Messages not yet sent that rest on the purpose: texts to the person, notifications about them to partners.
    static func stopDependents(_ personID: UUID, _ purpose: ProcessingPurpose, on db: any Database) async throws {
        let waiting = try await OutboxMessage.query(on: db).filter(\.$personID == personID)
            .filter(\.$status ~~ [.pending, .held]).all()
        for m in waiting where SharingGate.terms(of: m).purpose == purpose {
            m.status = .cancelled
            m.lastError = "not sent: the person withdrew their consent to \(purpose.phrase)"
            try await m.update(on: db)
        }
    }

    static func of(_ personID: UUID, on db: any Database) async throws -> [ConsentRecord] {
        try await ConsentRecord.query(on: db).filter(\.$personID == personID).sort(\.$givenOn, .descending).all()
    }
}
