import Fluent
import Foundation
import PassageDomain
import Vapor

/// Requests of persons about their data: logged by whoever receives them, answered by a manager within a month,
/// each export of everything held on the person audited.
enum SubjectRequests {
    static let loggers: Set<Role> = PersonAccess.write
    static let handlers: Set<Role> = [.manager]
    static let kinds = ["access", "rectification"]

    /// A month after `day` (the last day of a shorter month when it has no such day).
    static func monthAfter(_ day: PartialDate) -> PartialDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let start = cal.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
        let due = cal.dateComponents([.year, .month, .day], from: cal.date(byAdding: .month, value: 1, to: start)!)
        return PartialDate(year: due.year!, month: due.month!, day: due.day!)!
    }

    static func log(_ personID: UUID, _ f: FormFields, actor: Actor, on app: Application) async throws
        -> SubjectRequest
    {
        guard let person = try await Person.find(personID, on: app.db), person.mergedInto == nil else {
            throw Abort(.notFound, reason: "No such person.")
        }
        var e = ValidationErrors()
        let kind = (f["kind"] ?? "").trimmingCharacters(in: .whitespaces)
        if !kinds.contains(kind) { e.add("kind", "must be access or rectification") }
        let received = Input.day(f["receivedOn"], field: "receivedOn", required: true, into: &e)
        if let received, Clock.today() < received { e.add("receivedOn", "must not be in the future") }
        let channel = Input.text(f["channel"], field: "channel", max: 200, required: true, into: &e)
        let details = Input.text(
            f["details"], field: "details", max: 2000, required: kind == "rectification", into: &e)
        try e.throwIfAny()
        let r = SubjectRequest()
        r.personID = person.id!; r.kind = kind; r.receivedOn = received!.isoText
        r.dueOn = monthAfter(received!).isoText; r.channel = channel; r.details = details; r.status = "open"
        r.recordedBy = actor.name
        try await app.writeTransaction { db in
            try await r.create(on: db)
            try await AuditLog.change(
                db, actor, .create, "subject_request", r.id, person: r.personID, after: r.auditSnapshot)
        }
        return r
    }

    static func close(_ id: UUID, _ f: FormFields, actor: Actor, on app: Application) async throws {
        guard let r = try await SubjectRequest.find(id, on: app.db) else {
            throw Abort(.notFound, reason: "No such request.")
        }
        var e = ValidationErrors()
        let status = (f["status"] ?? "").trimmingCharacters(in: .whitespaces)
        if !["completed", "refused"].contains(status) { e.add("status", "must be completed or refused") }
        let outcome = Input.text(f["outcome"], field: "outcome", max: 2000, required: true, into: &e)
        try e.throwIfAny()
        guard r.status == "open" else {
            throw DomainError(.conflict, "This request was closed on \(r.closedOn ?? "") (\(r.status)).")
        }
        try await app.writeTransaction { db in
            let before = r.auditSnapshot
            r.status = status; r.outcome = outcome; r.closedOn = Clock.today().isoText; r.closedBy = actor.name
            try await r.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "subject_request", r.id, person: r.personID, before: before, after: r.auditSnapshot)
        }
    }

    /// Everything held on the request's person, audited as an export of their record.
    static func export(_ id: UUID, actor: Actor, on app: Application) async throws
        -> (SubjectRequest, SubjectAccess.Export)
    {
        guard let r = try await SubjectRequest.find(id, on: app.db), r.kind == "access" else {
            throw Abort(.notFound, reason: "No such request for access.")
        }
        let export = try await SubjectAccess.export(r.personID, on: app.db)
        try await app.writeTransaction { db in
            try await AuditLog.record(
                on: db, actor: actor, action: .export, entity: "subject_access", entityID: r.id!.uuidString,
                personID: r.personID, note: "Everything held on the person, for their request of \(r.receivedOn)")
        }
        return (r, export)
    }
}
