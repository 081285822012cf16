import Fluent
import Foundation
import PassageDomain
import SQLKit
import Vapor

/// Two records of one person made one: every row that names the merged record moves to the surviving one, the
/// merged record stays as a pointer to it, and the merge can be undone.
///
/// The audit trail is not rewritten (it is hash-chained): the surviving record's history reads the merged record's
/// entries too, through the merge.
enum PersonMerging {
    /// The rows of the shared tables that name a person; each module adds its own (`personReferences`).
    static let coreReferences: [PersonReference] = [
        PersonReference(table: "identity_documents", column: "person_id", label: "identity.moves.documents"),
        PersonReference(
            table: "household_links", column: "person_id", uniqueWith: ["related_person_id"],
            label: "identity.moves.household"),
        PersonReference(
            table: "household_links", column: "related_person_id", uniqueWith: ["person_id"],
            label: "identity.moves.household"),
        PersonReference(table: "cases", column: "person_id", label: "identity.moves.cases"),
        PersonReference(table: "consents", column: "person_id", label: "identity.moves.consents"),
        PersonReference(table: "subject_requests", column: "person_id", label: "identity.moves.requests"),
        PersonReference(table: "legal_holds", column: "person_id", label: "identity.moves.holds"),
        PersonReference(
            table: "departures", column: "person_id", uniqueWith: ["booking_id"],
            onConflict: .refuse("both records left on the same flight: they cannot be one person"),
            label: "identity.moves.departures"),
    ]

    static func references(_ app: Application) -> [PersonReference] {
        coreReferences + app.modules.flatMap(\.personReferences)
    }

    /// What a merge would move, per kind of row, and why it may not be done.
    struct Plan: Sendable {
        var moves: [(reference: PersonReference, ids: [String])] = []
        /// Rows left with the merged record because the surviving one has the same already.
        var kept = 0
        var refusals: [String] = []
        /// Staff said these two are not the same person: only a manager may merge them.
        var decidedDistinct = false

        var counts: [(label: String, count: Int)] {
            var out: [(String, Int)] = []
            for m in moves where !m.ids.isEmpty {
                if let i = out.firstIndex(where: { $0.0 == m.reference.label }) {
                    out[i].1 += m.ids.count
                } else {
                    out.append((m.reference.label, m.ids.count))
                }
            }
            return out.map { (label: $0.0, count: $0.1) }
        }
    }

    /// Whether `merged` may be merged into `survivor` by `actor`, and what would move.
    static func plan(
        _ merged: Person, into survivor: Person, by actor: Identity, on db: any Database, app: Application
    ) async throws -> Plan {
        var plan = Plan()
        let (s, m) = (survivor.id!, merged.id!)
        if s == m { plan.refusals.append("a record cannot be merged into itself") }
        if let into = survivor.mergedInto {
            let ref = try await Person.find(into, on: db)?.reference ?? into.uuidString
            plan.refusals.append("\(survivor.reference) was itself merged into \(ref): merge into that record instead")
        }
        if merged.mergedInto != nil { plan.refusals.append("\(merged.reference) was already merged into another") }
        guard plan.refusals.isEmpty else { return plan }
        if try await DuplicateCheck.distinct(from: s, on: db).contains(m) {
            plan.decidedDistinct = true
            if !actor.has(.manager) {
                plan.refusals.append(
                    "staff recorded that \(survivor.reference) and \(merged.reference) are not the same person: "
                        + "only a manager may merge them")
            }
        }
        let linked = try await HouseholdLink.query(on: db).group(.or) { g in
            g.group(.and) { $0.filter(\.$person.$id == s).filter(\.$relatedPerson.$id == m) }
            g.group(.and) { $0.filter(\.$person.$id == m).filter(\.$relatedPerson.$id == s) }
        }.count()
        if linked > 0 {
            plan.refusals.append(
                "\(survivor.reference) and \(merged.reference) are recorded as members of one family: "
                    + "remove that link first if they are one person")
        }
        for ref in references(app) {
            let keyColumns = ref.uniqueWith
            let columns = (["id"] + keyColumns).map { SQLIdentifier($0) as any SQLExpression }
            func rows(of person: UUID) async throws -> [(id: String, key: String)] {
                let q = db.sql.select().columns(columns).from(ref.table).where(
                    SQLIdentifier(ref.column), .equal, SQLBind(person))
                return try await q.all().map { row in
                    let id = try row.decode(column: "id", as: UUID.self).uuidString
                    let key = try keyColumns.map { c in
                        (try row.decode(column: c, as: String?.self)) ?? ""
                    }.joined(separator: "|")
                    return (id, key)
                }
            }
            let mine = try await rows(of: m)
            guard !mine.isEmpty else { continue }
            let theirs = (ref.unique || !keyColumns.isEmpty) ? Set(try await rows(of: s).map(\.key)) : []
            var ids: [String] = []
            for row in mine {
                // A link between the two themselves is refused above.
                if ref.table == "household_links", row.key == s.uuidString { continue }
                if (ref.unique && !theirs.isEmpty) || (!keyColumns.isEmpty && theirs.contains(row.key)) {
                    switch ref.onConflict {
                    case .keepSurvivors: plan.kept += 1
                    case .refuse(let reason): if !plan.refusals.contains(reason) { plan.refusals.append(reason) }
                    }
                    continue
                }
                ids.append(row.id)
            }
            plan.moves.append((ref, ids))
        }
        return plan
    }

    /// Merges `mergedID` into `survivorID`; throws the refusals as a conflict.
    static func merge(
        _ mergedID: UUID, into survivorID: UUID, reason: String, by actor: Identity, app: Application
    ) async throws -> PersonMerge {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ValidationErrors("reason", "say why these records are one person") }
        guard reason.count <= 2000 else { throw ValidationErrors("reason", "at most 2000 characters") }
        return try await app.writeTransaction { db in
            guard let survivor = try await Person.find(survivorID, on: db),
                let merged = try await Person.query(on: db).filter(\.$id == mergedID).with(\.$documents).first()
            else { throw Abort(.notFound, reason: "No such person.") }
            let plan = try await plan(merged, into: survivor, by: actor, on: db, app: app)
            guard plan.refusals.isEmpty else {
                throw DomainError(.conflict, "These records cannot be merged: " + plan.refusals.joined(separator: "; "))
            }
            for move in plan.moves where !move.ids.isEmpty {
                try await db.sql.update(move.reference.table)
                    .set(SQLIdentifier(move.reference.column), to: SQLBind(survivorID))
                    .where(SQLIdentifier("id"), .in, SQLGroupExpression(SQLList(move.ids.map(bindID))))
                    .run()
            }
            // The surviving record keeps its own values; what it lacks comes from the merged one, and the merged
            // record's names become its aliases so that either spelling finds it.
            let before = survivor.form
            var after = before
            after.aliases = aliases(adding: merged, to: survivor)
            if after.dateOfBirth == nil { after.dateOfBirth = merged.dateOfBirth?.isoText }
            if after.dateOfBirth != before.dateOfBirth { after.dateOfBirthEstimated = merged.dobEstimated }
            if after.phone == nil { after.phone = merged.phone }
            if after.familyNameOriginal == nil { after.familyNameOriginal = merged.familyNameOriginal }
            if after.givenNamesOriginal == nil { after.givenNamesOriginal = merged.givenNamesOriginal }
            if after.locationID == nil { after.locationID = merged.$location.id?.uuidString }
            try await PersonRecords.rewrite(survivor, to: after, actor: actor.actor, note: "merge", on: db)

            let record = PersonMerge()
            record.survivorID = survivorID; record.mergedID = mergedID; record.reason = reason
            record.mergedBy = actor.actor.id; record.mergedByName = actor.actor.name; record.mergedAt = Clock.now()
            record.moved = plan.moves.filter { !$0.ids.isEmpty }.map {
                PersonMerge.Moved(table: $0.reference.table, column: $0.reference.column, ids: $0.ids)
            }
            record.survivorBeforeJSON = try encode(before)
            record.survivorAfterJSON = try encode(survivor.form)
            try await record.create(on: db)

            merged.mergedInto = survivorID
            try await merged.update(on: db)
            try await db.sql.delete(from: "person_search_terms").where("person_id", .equal, SQLBind(mergedID)).run()
            let moved = plan.counts.map { "\($0.label)=\($0.count)" }.joined(separator: ", ")
            for (who, field, other) in [(mergedID, "mergedInto", survivorID), (survivorID, "mergedFrom", mergedID)] {
                try await AuditLog.record(
                    on: db, actor: actor.actor, action: .update, entity: "person", entityID: who.uuidString,
                    personID: who, changes: [.init(field: field, before: nil, after: other.uuidString)],
                    note: "merge \(record.id!.uuidString): \(reason) [\(moved)]")
            }
            return record
        }
    }

    /// Undoes a merge: the moved rows go back, the surviving record's fields the merge changed are put back, and the
    /// merged record is a record again. Refused when the rows or fields were changed since.
    static func undo(_ mergeID: UUID, by actor: Identity, app: Application) async throws -> PersonMerge {
        try await app.writeTransaction { db in
            guard let record = try await PersonMerge.find(mergeID, on: db) else {
                throw Abort(.notFound, reason: "No such merge.")
            }
            guard actor.has(.manager) || actor.actor.id == record.mergedBy else {
                throw DomainError(.notAllowed, "Only the person who merged these records or a manager may undo it.")
            }
            guard record.undoneAt == nil else { throw DomainError(.conflict, "This merge was already undone.") }
            guard let survivor = try await Person.find(record.survivorID, on: db),
                let merged = try await Person.find(record.mergedID, on: db)
            else { throw Abort(.notFound, reason: "No such person.") }
            var conflicts: [String] = []
            if let into = survivor.mergedInto {
                let ref = try await Person.find(into, on: db)?.reference ?? into.uuidString
                conflicts.append("\(survivor.reference) was since merged into \(ref): undo that merge first")
            }
            for move in record.moved {
                let ids = move.ids.compactMap(UUID.init(uuidString:))
                let still =
                    try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                    .from(move.table).where(SQLIdentifier("id"), .in, SQLGroupExpression(SQLList(move.ids.map(bindID))))
                    .where(SQLIdentifier(move.column), .equal, SQLBind(record.survivorID))
                    .first()?.decode(column: "n", as: Int.self) ?? 0
                if still != ids.count {
                    conflicts.append(
                        "\(ids.count - still) of the \(move.table.replacingOccurrences(of: "_", with: " ")) moved by "
                            + "the merge were removed or changed since")
                }
            }
            let before = try decode(record.survivorBeforeJSON)
            let after = try decode(record.survivorAfterJSON)
            let now = survivor.form
            // Fields the merge set, emptied or changed: those it had no value for before count too.
            let (was, set) = (fields(before), fields(after))
            let changed = Set(was.keys).union(set.keys).filter { was[$0] != set[$0] }
            let touched = changed.filter { fields(now)[$0] != set[$0] }.sorted()
            if !touched.isEmpty {
                conflicts.append(
                    "\(survivor.reference)'s \(touched.joined(separator: ", ")) changed since the merge set "
                        + (touched.count == 1 ? "it" : "them"))
            }
            guard conflicts.isEmpty else {
                throw DomainError(.conflict, "This merge cannot be undone: " + conflicts.joined(separator: "; "))
            }
            for move in record.moved {
                try await db.sql.update(move.table)
                    .set(SQLIdentifier(move.column), to: SQLBind(record.mergedID))
                    .where(SQLIdentifier("id"), .in, SQLGroupExpression(SQLList(move.ids.map(bindID))))
                    .run()
            }
            var restored = fields(now)
            for key in changed { restored[key] = was[key] }
            try await PersonRecords.rewrite(
                survivor, to: try form(restored), actor: actor.actor, note: "undo merge", on: db)
            merged.mergedInto = nil
            try await merged.update(on: db)
            try await PersonRecords.writeTerms(for: merged, on: db)
            record.undoneAt = Clock.now(); record.undoneByName = actor.actor.name
            try await record.update(on: db)
            for (who, field, other) in [
                (record.mergedID, "mergedInto", record.survivorID), (record.survivorID, "mergedFrom", record.mergedID),
            ] {
                try await AuditLog.record(
                    on: db, actor: actor.actor, action: .update, entity: "person", entityID: who.uuidString,
                    personID: who, changes: [.init(field: field, before: other.uuidString, after: nil)],
                    note: "undo merge \(mergeID.uuidString)")
            }
            return record
        }
    }

    /// The survivor's aliases with the merged record's names added (those it does not already bear), at most 20.
    static func aliases(adding merged: Person, to survivor: Person) -> [String] {
        var out = survivor.aliases
        var known = Set(survivor.allNames.map(NameNormaliser.normalise))
        known.insert(NameNormaliser.normalise(survivor.givenNames + " " + survivor.familyName))
        let original = [merged.givenNamesOriginal, merged.familyNameOriginal].compactMap { $0 }.joined(separator: " ")
        for name in [merged.givenNames + " " + merged.familyName, original] + merged.aliases {
            let key = NameNormaliser.normalise(name)
            guard !key.isEmpty, out.count < 20, known.insert(key).inserted else { continue }
            out.append(name.trimmingCharacters(in: .whitespaces))
        }
        return out
    }

    /// The merges that led into a person (not undone): their history is the person's too.
    static func mergedInto(_ id: UUID, on db: any Database) async throws -> [PersonMerge] {
        try await PersonMerge.query(on: db).filter(\.$survivorID == id).filter(\.$undoneAt == nil)
            .sort(\.$mergedAt, .descending).all()
    }

    /// A row id as the database keeps it.
    static func bindID(_ text: String) -> any SQLExpression { SQLBind(UUID(uuidString: text) ?? UUID()) }

    /// The person and every record merged into theirs, directly or through another merge.
    static func lineage(of id: UUID, on db: any Database) async throws -> [UUID] {
        var all = [id]
        var next = [id]
        while !next.isEmpty, all.count < 1000 {
            let found = try await PersonMerge.query(on: db).filter(\.$survivorID ~~ next).filter(\.$undoneAt == nil)
                .all().map(\.mergedID).filter { !all.contains($0) }
            all += found
            next = found
        }
        return all
    }

    static func encode(_ form: PersonForm) throws -> String {
        String(decoding: try JSONEncoder().encode(form), as: UTF8.self)
    }
    static func decode(_ text: String) throws -> PersonForm {
        try JSONDecoder().decode(PersonForm.self, from: Data(text.utf8))
    }

    /// A form's fields as JSON text each, for comparing field by field.
    static func fields(_ form: PersonForm) -> [String: String] {
        guard let data = try? JSONEncoder().encode(form),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in object {
            let text =
                (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]))
                .map { String(decoding: $0, as: UTF8.self) } ?? ""
            out[key] = text
        }
        return out
    }

    static func form(_ fields: [String: String]) throws -> PersonForm {
        var object: [String: Any] = [:]
        for (key, text) in fields {
            object[key] = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
        }
        return try JSONDecoder().decode(PersonForm.self, from: try JSONSerialization.data(withJSONObject: object))
    }
}
