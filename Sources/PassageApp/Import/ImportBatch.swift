import Fluent
import Foundation
import PassageDomain
import SQLKit

/// The rows an import writes, gathered per table and written many to a statement, with their audit entries chained
/// in memory and written the same way. `flush` writes what was gathered, tables in the order they were first given.
final class ImportBatch: @unchecked Sendable {
    private var order: [ObjectIdentifier] = []
    private var tables: [ObjectIdentifier: TableRows] = [:]
    private var audits: [AuditRecord] = []
    private var terms: [(String, Int, UUID)] = []
    let actor: Actor
    /// Rows per statement: well inside SQLite's and PostgreSQL's limits on bound values.
    static let chunk = 200

    init(actor: Actor) { self.actor = actor }

    func insert<M: Model>(_ model: M) {
        let key = ObjectIdentifier(M.self)
        if let rows = tables[key] as? Rows<M> {
            rows.items.append(model)
        } else {
            let rows = Rows<M>()
            rows.items.append(model)
            tables[key] = rows
            order.append(key)
        }
    }

    func audit(
        _ action: AuditRecord.Action, _ entity: String, _ id: UUID?, person: UUID?, before: [String: String] = [:],
        after: [String: String], note: String
    ) {
        audits.append(
            AuditRecord(
                sequence: 0, at: "", actor: actor.id, actorName: actor.name, action: action, entity: entity,
                entityID: id?.uuidString ?? "", personID: person?.uuidString,
                changes: AuditRecord.diff(before: before, after: after), note: note))
    }

    /// The search words of a new person (`PersonRecords.writeTerms`, many persons to a statement).
    func searchTerms(of p: Person) {
        for t in SearchTerms.stored(names: p.allNames) { terms.append((t.text, t.kind.rawValue, p.id!)) }
    }

    /// The next number of a reference counter (`CaseRecords.nextNumber`).
    func next(_ key: String, on db: any Database) async throws -> Int {
        try await CaseRecords.nextNumber(key: key, on: db) ?? 1
    }

    func flush(_ db: any Database) async throws {
        for key in order { try await tables[key]!.write(db) }
        order = []
        tables = [:]
        for part in stride(from: 0, to: terms.count, by: Self.chunk) {
            var insert = db.sql.insert(into: "person_search_terms").columns("term", "kind", "person_id")
            for (text, kind, id) in terms[part..<min(part + Self.chunk, terms.count)] {
                insert = insert.values(SQLBind(text), SQLBind(kind), SQLBind(id))
            }
            try await insert.run()
        }
        terms = []
        guard !audits.isEmpty else { return }
        // One read of the chain's head, then each entry chained to the one before, as `AuditLog.record` does.
        let head = try await AuditLog.head(on: db)
        var sequence = head?.id ?? 0
        var previous = head?.hash ?? AuditLog.genesis
        let at = AuditLog.timestamp()
        var entries: [AuditEntry] = []
        entries.reserveCapacity(audits.count)
        for var r in audits {
            sequence += 1
            r.sequence = sequence
            r.at = at
            let e = try AuditLog.entry(r, previous: previous, key: AuditLog.key)
            previous = e.hash
            entries.append(e)
        }
        audits = []
        for part in stride(from: 0, to: entries.count, by: Self.chunk) {
            try await Array(entries[part..<min(part + Self.chunk, entries.count)]).create(on: db)
        }
    }
}

private class TableRows {
    func write(_ db: any Database) async throws {}
}

private final class Rows<M: Model>: TableRows {
    var items: [M] = []
    override func write(_ db: any Database) async throws {
        for part in stride(from: 0, to: items.count, by: ImportBatch.chunk) {
            try await Array(items[part..<min(part + ImportBatch.chunk, items.count)]).create(on: db)
        }
    }
}
