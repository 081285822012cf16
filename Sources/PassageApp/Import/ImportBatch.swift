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
                changes: AuditLog.kept(entity, AuditRecord.diff(before: before, after: after)), note: note))
    }

    /// The search words of a new person (`PersonRecords.writeTerms`, many persons to a statement).
    func searchTerms(of p: Person) {
        for t in SearchTerms.stored(names: p.allNames) { terms.append((t.text, t.kind.rawValue, p.id!)) }
    }

    /// Numbers of reference counters taken in blocks: the next to give, the last taken.
    private var numbers: [String: (next: Int, last: Int)] = [:]
    static let block = 500

    /// The next number of a reference counter (`CaseRecords.nextNumber`), taken a block at a time inside the
    /// import's transaction; `returnUnused` gives back what was not used.
    func next(_ key: String, on db: any Database) async throws -> Int {
        if let n = numbers[key], n.next <= n.last {
            numbers[key] = (n.next + 1, n.last)
            return n.next
        }
        let row = try await db.sql.raw(
            """
            INSERT INTO reference_counters (key, last_value) VALUES (\(bind: key), \(bind: Self.block))
            ON CONFLICT (key) DO UPDATE SET last_value = reference_counters.last_value + \(bind: Self.block)
            RETURNING last_value
            """
        ).first()
        let last = try row?.decode(column: "last_value", as: Int.self) ?? Self.block
        numbers[key] = (last - Self.block + 2, last)
        return last - Self.block + 1
    }

    /// Gives back the numbers taken and not used, so that the office's next case follows its last one. The
    /// counters' rows are held by this transaction: no one took a number since.
    func returnUnused(on db: any Database) async throws {
        for (key, n) in numbers where n.next <= n.last {
            try await db.sql.raw(
                """
                UPDATE reference_counters SET last_value = \(bind: n.next - 1) WHERE key = \(bind: key) \
                AND last_value = \(bind: n.last)
                """
            ).run()
        }
        numbers = [:]
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
        try await AuditEntry.insert(entries, on: db)
    }
}

/// A model written many rows to a statement with SQLKit: its columns, and its values read from its properties.
/// Fluent's own `create` reads every model's properties by reflection, several times per row: for an import of a
/// year that is most of the time.
protocol BulkRow: Model {
    static var bulkColumns: [String] { get }
    func bulkValues(now: Date) -> [any SQLExpression]
}

extension BulkRow {
    static func insert(_ rows: some Collection<Self>, on db: any Database) async throws {
        let now = Clock.now()
        var start = rows.startIndex
        while start != rows.endIndex {
            let end = rows.index(start, offsetBy: ImportBatch.chunk, limitedBy: rows.endIndex) ?? rows.endIndex
            var insert = db.sql.insert(into: Self.schema).columns(Self.bulkColumns)
            for row in rows[start..<end] { insert = insert.values(row.bulkValues(now: now)) }
            try await insert.run()
            start = end
        }
    }
}

private class TableRows {
    func write(_ db: any Database) async throws {}
}

private final class Rows<M: Model>: TableRows {
    var items: [M] = []
    override func write(_ db: any Database) async throws {
        if let rows = items as? [any BulkRow], let first = rows.first {
            try await Self.bulk(first, rows, on: db)
            return
        }
        for part in stride(from: 0, to: items.count, by: ImportBatch.chunk) {
            try await Array(items[part..<min(part + ImportBatch.chunk, items.count)]).create(on: db)
        }
    }

    private static func bulk<R: BulkRow>(_ first: R, _ rows: [any BulkRow], on db: any Database) async throws {
        try await R.insert(rows.map { $0 as! R }, on: db)
    }
}
