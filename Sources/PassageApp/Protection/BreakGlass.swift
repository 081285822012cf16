import Fluent
import Foundation
import PassageDomain
import Vapor

/// An emergency opening of a restricted part of a case by someone whose role may not read it: with a written
/// reason, for an hour, in the audit trail; the case's owner and the managers see it until one of them has reviewed
/// it, and `/protection/emergency` lists every one.
final class EmergencyAccess: Model, @unchecked Sendable {
    static let schema = "emergency_accesses"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "user_name") var userName: String
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "person_id") var personID: UUID
    /// medical, trafficking.
    @Field(key: "category") var category: String
    @Field(key: "reason") var reason: String
    @Field(key: "opened_at") var openedAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "reviewed_by") var reviewedBy: String?
    @OptionalField(key: "reviewed_at") var reviewedAt: Date?
    @OptionalField(key: "review_note") var reviewNote: String?
    init() {}
}

struct CreateEmergencyAccess: AsyncMigration {
    var name: String { "0026_CreateEmergencyAccess" }

    func prepare(on db: any Database) async throws {
        try await db.schema(EmergencyAccess.schema).id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("user_name", .string, .required)
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("person_id", .uuid, .required, .references("persons", "id"))
            .field("category", .string, .required).field("reason", .string, .required)
            .field("opened_at", .datetime, .required).field("expires_at", .datetime, .required)
            .field("reviewed_by", .string).field("reviewed_at", .datetime).field("review_note", .string)
            .create()
        try await db.sql.create(index: "emergency_accesses_user_case").on(EmergencyAccess.schema)
            .column("user_id").column("case_id").run()
    }

    func revert(on db: any Database) async throws { try await db.schema(EmergencyAccess.schema).delete() }
}

enum BreakGlass {
    /// How long an emergency opening lasts.
    static let minutes = 60
    /// What a return case holds that a role may not read: medical details, a trafficking record, a child's
    /// safeguards, counselling notes.
    static let categories: [DataCategory] = [.medical, .trafficking, .childProtection, .notes]
    static let roles: Set<Role> = Role.caseworkers
    static let reviewers: Set<Role> = [.manager]

    /// The categories the user opened on the case in an emergency and may still read.
    static func active(user: UUID, case caseID: UUID, on db: any Database) async throws -> Set<DataCategory> {
        let now = Clock.now()
        return Set(
            try await EmergencyAccess.query(on: db).filter(\.$userID == user).filter(\.$caseID == caseID)
                .filter(\.$expiresAt > now).all().compactMap { DataCategory(rawValue: $0.category) })
    }

    static func open(
        _ caseID: UUID, _ f: FormFields, by viewer: Identity, mayRead: (DataCategory) -> Bool, on app: Application
    ) async throws -> EmergencyAccess {
        guard let c = try await Case.find(caseID, on: app.db) else { throw Abort(.notFound, reason: "No such case.") }
        var e = ValidationErrors()
        let raw = (f["category"] ?? "").trimmingCharacters(in: .whitespaces)
        let category = DataCategory(rawValue: raw).flatMap { categories.contains($0) ? $0 : nil }
        if category == nil {
            e.add("category", "must be one of " + categories.map(\.rawValue).joined(separator: ", "))
        }
        let reason = Input.text(f["reason"], field: "reason", max: 1000, required: true, into: &e)
        if !reason.isEmpty && reason.count < 15 {
            e.add("reason", "say in a sentence why it cannot wait (at least 15 characters)")
        }
        try e.throwIfAny()
        if mayRead(category!) { throw DomainError(.conflict, "Your role may read this already.") }
        let a = EmergencyAccess()
        a.userID = viewer.userID; a.userName = viewer.name; a.caseID = caseID; a.personID = c.$person.id
        a.category = category!.rawValue; a.reason = reason; a.openedAt = Clock.now()
        a.expiresAt = a.openedAt.addingTimeInterval(Double(minutes) * 60)
        try await app.writeTransaction { db in
            try await a.create(on: db)
            try await AuditLog.record(
                on: db, actor: viewer.actor, action: .view, entity: "emergency_access", entityID: a.id!.uuidString,
                personID: a.personID,
                changes: [.init(field: "category", before: nil, after: a.category)],
                note: "emergency access to case \(c.reference) for \(minutes) minutes: \(reason)")
        }
        return a
    }

    static func review(_ id: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws {
        guard let a = try await EmergencyAccess.find(id, on: app.db) else {
            throw Abort(.notFound, reason: "No such emergency access.")
        }
        let owner = try await Case.find(a.caseID, on: app.db)?.$owner.id
        guard viewer.hasAny(reviewers) || owner == viewer.userID else {
            throw DomainError(.notAllowed, "Only the case's owner or a manager reviews an emergency access.")
        }
        guard a.userID != viewer.userID else {
            throw DomainError(.notAllowed, "Someone other than whoever opened it reviews an emergency access.")
        }
        var e = ValidationErrors()
        let note = Input.text(f["note"], field: "note", max: 1000, required: true, into: &e)
        try e.throwIfAny()
        if let by = a.reviewedBy { throw DomainError(.conflict, "\(by) reviewed it already.") }
        try await app.writeTransaction { db in
            a.reviewedBy = viewer.name; a.reviewedAt = Clock.now(); a.reviewNote = note
            try await a.update(on: db)
            try await AuditLog.change(
                db, viewer.actor, .update, "emergency_access", a.id, person: a.personID, before: [:],
                after: ["reviewedBy": viewer.name, "reviewNote": note])
        }
    }

    /// Those the viewer should review: every unreviewed one for a manager, those on the viewer's own cases for
    /// others.
    static func toReview(for viewer: Identity, on db: any Database) async throws -> [EmergencyAccess] {
        let open = try await EmergencyAccess.query(on: db).filter(\.$reviewedAt == nil).sort(\.$openedAt).all()
        if viewer.hasAny(reviewers) { return open.filter { $0.userID != viewer.userID } }
        let mine = try await Case.query(on: db).filter(\.$id ~~ Set(open.map(\.caseID)))
            .filter(\.$owner.$id == viewer.userID).all().compactMap(\.id)
        return open.filter { mine.contains($0.caseID) && $0.userID != viewer.userID }
    }
}
