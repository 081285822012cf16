import Fluent
import Foundation
import PassageDomain
import SQLKit
import Vapor

/// How long each kind of record is kept; an administrator changes the periods.
final class RetentionRule: Model, @unchecked Sendable {
    static let schema = "retention_schedule"
    @ID(key: .id) var id: UUID?
    /// closed_case.
    @Field(key: "record_type") var recordType: String
    @Field(key: "years") var years: Int
    @Field(key: "description") var description: String
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// A person whose records are kept past their period (a court case, an inquiry, a complaint).
final class LegalHold: Model, @unchecked Sendable {
    static let schema = "legal_holds"
    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "reason") var reason: String
    @Field(key: "placed_by") var placedBy: String
    @Field(key: "placed_on") var placedOn: String
    @OptionalField(key: "lifted_on") var liftedOn: String?
    @OptionalField(key: "lifted_by") var liftedBy: String?
    init() {}
}

/// Retention: a person all of whose cases closed longer ago than the schedule says, and who is not on hold, is
/// anonymised: names blanked, date of birth to the year, contacts, notes, documents and family links removed, in
/// the shared tables and in each module's (`PassageModule.anonymise`). What the figures count (cases, sessions,
/// departures, grants, the kinds of vulnerability) stays, so the period report over past years does not change.
enum Retention {
    static let recordTypes = ["closed_case"]
    static let anonymisedName = "Anonymised"
    /// Persons per transaction: a crash loses at most one batch's work, which the next run does again.
    static let batch = 500

    struct Due: Sendable {
        var persons: Int
        var cases: Int
        /// The first persons due, with the day their last case closed (references only: no names).
        var sample: [(reference: String, closedOn: String)]
        var cutoff: String
    }

    static func years(on db: any Database) async throws -> Int {
        try await RetentionRule.query(on: db).filter(\.$recordType == "closed_case").first()?.years ?? 5
    }

    /// The last day a case may have closed for its person to be due today.
    static func cutoff(years: Int, today: PartialDate = Clock.today()) -> String {
        let day = min(today.day ?? 1, today.month == 2 && today.day == 29 ? 28 : 31)
        return PartialDate(year: today.year - years, month: today.month, day: day)!.isoText
    }

    /// The persons due, by id: every case closed on or before the cutoff, none open, no hold, not yet anonymised.
    static func dueQuery(cutoff: String) -> SQLQueryString {
        """
        SELECT c.person_id AS id, MAX(c.closed_on) AS last_closed, COUNT(*) AS cases FROM cases c \
        WHERE NOT EXISTS (SELECT 1 FROM anonymisations a WHERE a.person_id = c.person_id) \
        AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.person_id = c.person_id AND h.lifted_on IS NULL) \
        GROUP BY c.person_id \
        HAVING SUM(CASE WHEN c.status = 'closed' AND c.closed_on IS NOT NULL AND c.closed_on <= \(bind: cutoff) \
        THEN 0 ELSE 1 END) = 0
        """
    }

    static func due(on db: any Database, today: PartialDate = Clock.today()) async throws -> Due {
        let cut = cutoff(years: try await years(on: db), today: today)
        let rows = try await db.sql.raw(
            "SELECT COUNT(*) AS persons, CAST(COALESCE(SUM(cases), 0) AS BIGINT) AS cases FROM ("
                + dueQuery(cutoff: cut) + ") d"
        ).first()
        let sample = try await db.sql.raw(
            """
            SELECT p.reference, d.last_closed FROM (\(dueQuery(cutoff: cut))) d JOIN persons p ON p.id = d.id \
            ORDER BY d.last_closed, p.reference LIMIT 50
            """
        ).all().map {
            (
                reference: try $0.decode(column: "reference", as: String.self),
                closedOn: try $0.decode(column: "last_closed", as: String.self)
            )
        }
        return Due(
            persons: try rows?.decode(column: "persons", as: Int.self) ?? 0,
            cases: try rows?.decode(column: "cases", as: Int.self) ?? 0, sample: sample, cutoff: cut)
    }

    /// Anonymises every person due, a batch per transaction, each an audit entry; the name index forgets them.
    /// Returns how many persons were anonymised.
    @discardableResult
    static func run(
        actor: Actor, on app: Application, today: PartialDate = Clock.today(),
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> Int {
        let cut = cutoff(years: try await years(on: app.db), today: today)
        // Who is due is read once; a run stopped half-way is taken up by the next, which reads it again.
        let due = try await app.db.sql.raw(dueQuery(cutoff: cut)).all().map {
            try $0.decode(column: "id", as: UUID.self)
        }
        let modules = app.modules
        var done = 0
        for start in stride(from: 0, to: due.count, by: batch) {
            let ids = Array(due[start..<min(start + batch, due.count)])
            try await app.writeTransaction { db in
                try await anonymise(ids, actor: actor, on: db, day: today, modules: modules)
            }
            done += ids.count
            progress?(done)
        }
        if done > 0 { try await app.nameIndex.refresh(app.db) }
        return done
    }

    static func anonymise(
        _ ids: [UUID], actor: Actor, on db: any Database, day: PartialDate, modules: [any PassageModule]
    ) async throws {
        let sql = db.sql
        try await sql.update(Person.schema)
            .set("family_name", to: SQLBind(anonymisedName)).set("given_names", to: SQLBind(""))
            .set("family_name_original", to: SQLLiteral.null).set("given_names_original", to: SQLLiteral.null)
            .set("aliases", to: SQLBind("[]")).set("dob_month", to: SQLLiteral.null)
            .set("dob_day", to: SQLLiteral.null).set("phone", to: SQLLiteral.null)
            .where("id", .in, ids).run()
        try await sql.delete(from: "person_search_terms").where("person_id", .in, ids).run()
        try await sql.delete(from: IdentityDocument.schema).where("person_id", .in, ids).run()
        try await sql.delete(from: HouseholdLink.schema).where("person_id", .in, ids)
            .orWhere("related_person_id", .in, ids).run()
        try await sql.update(Case.schema).set("summary", to: SQLBind("")).where("person_id", .in, ids).run()
        try await sql.update(ConsentRecord.schema).set("scope", to: SQLBind(""))
            .set("withdrawal_note", to: SQLLiteral.null).where("person_id", .in, ids).run()
        try await sql.update(SubjectRequest.schema).set("details", to: SQLBind(""))
            .set("channel", to: SQLBind("")).where("person_id", .in, ids).run()
        if try await db.tableExists(OutboxMessage.schema) {
            try await sql.update(OutboxMessage.schema).set("body", to: SQLBind("(removed)"))
                .set("destination", to: SQLBind("")).where("person_id", .in, ids).run()
        }
        for module in modules { try await module.anonymise(ids, on: db) }
        for part in stride(from: 0, to: ids.count, by: ImportBatch.chunk) {
            var insert = sql.insert(into: Anonymisation.schema).columns(
                "id", "person_id", "anonymised_on", "rule", "actor")
            for id in ids[part..<min(part + ImportBatch.chunk, ids.count)] {
                insert = insert.values(
                    SQLBind(UUID()), SQLBind(id), SQLBind(day.isoText), SQLBind("closed_case"), SQLBind(actor.name))
            }
            try await insert.run()
        }
        let batch = ImportBatch(actor: actor)
        for id in ids {
            batch.audit(
                .update, "person", id, person: id, after: ["anonymised": day.isoText],
                note: "anonymised under the retention schedule (closed cases)")
        }
        try await batch.flush(db)
    }

    // MARK: legal holds

    static func hold(_ f: FormFields, actor: Actor, on app: Application) async throws {
        var e = ValidationErrors()
        let reference = (f["person"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let person =
            reference.isEmpty
            ? nil : try await Person.query(on: app.db).filter(\.$reference == reference).first()
        if reference.isEmpty {
            e.add("person", "is required (the person's reference, like P-000123)")
        } else if person == nil {
            e.add("person", "no person has the reference \(reference)")
        }
        let reason = Input.text(f["reason"], field: "reason", max: 500, required: true, into: &e)
        try e.throwIfAny()
        if try await LegalHold.query(on: app.db).filter(\.$personID == person!.id!).filter(\.$liftedOn == nil)
            .first() != nil
        {
            throw DomainError(.conflict, "\(reference) is on hold already.")
        }
        let h = LegalHold()
        h.personID = person!.id!; h.reason = reason; h.placedBy = actor.name; h.placedOn = Clock.today().isoText
        try await app.writeTransaction { db in
            try await h.create(on: db)
            try await AuditLog.change(
                db, actor, .create, "legal_hold", h.id, person: h.personID,
                after: ["reason": reason, "placedOn": h.placedOn])
        }
    }

    static func lift(_ id: UUID, actor: Actor, on app: Application) async throws {
        guard let h = try await LegalHold.find(id, on: app.db) else { throw Abort(.notFound, reason: "No such hold.") }
        guard h.liftedOn == nil else { throw DomainError(.conflict, "This hold was lifted on \(h.liftedOn!).") }
        try await app.writeTransaction { db in
            h.liftedOn = Clock.today().isoText; h.liftedBy = actor.name
            try await h.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "legal_hold", h.id, person: h.personID, before: ["liftedOn": ""],
                after: ["liftedOn": h.liftedOn!])
        }
    }
}

/// That a person was anonymised, when and under which rule: the job's own record, and what keeps it from
/// anonymising them twice.
final class Anonymisation: Model, @unchecked Sendable {
    static let schema = "anonymisations"
    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "anonymised_on") var anonymisedOn: String
    @Field(key: "rule") var rule: String
    @Field(key: "actor") var actor: String
    init() {}
}
