import Fluent
import Foundation
import PassageDomain
import SQLKit
import Vapor

/// Everything held on one person, across every module: read from the database's own foreign keys, so that a
/// module's tables are found without the module saying so. From the person, every row whose key names them; from
/// those rows (their cases, bookings, samples, …), every row that hangs from them, except rows about someone else
/// (another passenger of the booking, another member of the family). Where a row about the person names another
/// person, that value is withheld.
enum SubjectAccess {
    /// Tables that hold nothing of the person's own: indexes derived from the record, the office's working state,
    /// security material. The audit trail is given as a list of who did what, when (without the values).
    static let excluded: Set<String> = [
        "_fluent_migrations", "_fluent_sessions", "audit_entries", "person_search_terms", "duplicate_reviews",
        "person_distinctions", "person_merges", "import_keys", "import_runs", "import_files", "api_tokens",
        "held_forms", "outbox_attempts", "registry_checks", "users",
    ]
    /// Columns never given out: secrets and tokens.
    static let hiddenColumns: Set<String> = ["dlr_token", "secret", "token_hash", "password_hash"]
    static let withheld = "(another person: withheld)"

    struct Section: Content {
        var table: String
        var rows: [[String: String]]
    }
    struct Access: Content {
        var at: String
        var action: String
        var entity: String
    }
    struct Export: Content {
        var personID: UUID
        var reference: String
        var name: String
        var generatedAt: String
        var sections: [Section]
        /// Every entry of the audit trail about the person: when, what was done, to which kind of record.
        var accesses: [Access]
    }

    struct ForeignKey: Hashable {
        var table: String
        var column: String
        var references: String
    }

    static func foreignKeys(on db: any Database) async throws -> [ForeignKey] {
        let query: SQLQueryString =
            db.isPostgres
            ? """
            SELECT kcu.table_name AS t, kcu.column_name AS c, ccu.table_name AS r \
            FROM information_schema.table_constraints tc \
            JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name \
            AND tc.table_schema = kcu.table_schema \
            JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name \
            AND ccu.table_schema = tc.table_schema \
            WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
            """
            : """
            SELECT m.name AS t, p."from" AS c, p."table" AS r FROM sqlite_master m \
            JOIN pragma_foreign_key_list(m.name) p WHERE m.type = 'table'
            """
        return try await db.sql.raw(query).all().map {
            ForeignKey(
                table: try $0.decode(column: "t", as: String.self), column: try $0.decode(column: "c", as: String.self),
                references: try $0.decode(column: "r", as: String.self))
        }
    }

    /// A value as text, whatever its type in either database.
    static func text(_ row: any SQLRow, _ column: String) -> String? {
        if (try? row.decodeNil(column: column)) == true { return nil }
        if let v = try? row.decode(column: column, as: UUID.self) { return v.uuidString }
        if let v = try? row.decode(column: column, as: Int.self) { return String(v) }
        if column.hasSuffix("_at") || column == "at", let v = try? row.decode(column: column, as: Date.self) {
            return AuditLog.timestamp(v)
        }
        if let v = try? row.decode(column: column, as: Double.self) { return String(v) }
        if let v = try? row.decode(column: column, as: String.self) { return v }
        if let v = try? row.decode(column: column, as: Bool.self) { return v ? "true" : "false" }
        return "(binary)"
    }

    static func export(_ personID: UUID, on db: any Database) async throws -> Export {
        guard let person = try await Person.find(personID, on: db) else {
            throw Abort(.notFound, reason: "No such person.")
        }
        let keys = try await foreignKeys(on: db).filter { !excluded.contains($0.table) }
        let personColumns = Dictionary(grouping: keys.filter { $0.references == Person.schema }, by: \.table)
        /// The rows taken, by table and id; the ids reached per table, to go on from.
        var rows: [String: [String: [String: String]]] = [:]
        var reached: [String: Set<String>] = [Person.schema: [personID.uuidString]]
        var frontier: [String: Set<String>] = reached
        let me = personID.uuidString
        // Sealed columns are given to the person as text, opened.
        var sealed: [String: Set<String>] = [:]
        for s in SealedColumn.all { sealed[s.table, default: []].insert(s.column) }
        for _ in 0..<6 where !frontier.isEmpty {
            var next: [String: Set<String>] = [:]
            for key in keys {
                guard let ids = frontier[key.references], !ids.isEmpty, key.table != Person.schema else { continue }
                let found = try await db.sql.select().column("*").from(key.table)
                    .where(key.column, .in, ids.compactMap(UUID.init(uuidString:)))
                    .all()
                for row in found {
                    let columns = row.allColumns.filter { !hiddenColumns.contains($0) }
                    var values: [String: String] = [:]
                    for c in columns { values[c] = text(row, c) }
                    for c in sealed[key.table] ?? [] { values[c] = values[c].map(FieldCipher.open) }
                    let people = (personColumns[key.table] ?? []).map(\.column)
                    let namesMe = people.contains { values[$0] == me }
                    // A row about someone else, reached through a shared record: not the person's.
                    if !namesMe && people.contains(where: { values[$0] != nil }) { continue }
                    for c in people where values[c] != nil && values[c] != me { values[c] = withheld }
                    let id = values["id"] ?? values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined()
                    guard rows[key.table]?[id] == nil else { continue }
                    rows[key.table, default: [:]][id] = values
                    if reached[key.table]?.contains(id) != true {
                        reached[key.table, default: []].insert(id)
                        next[key.table, default: []].insert(id)
                    }
                }
            }
            frontier = next
        }
        let own = try await db.sql.select().column("*").from(Person.schema).where("id", .equal, SQLBind(personID))
            .all().map { row -> [String: String] in
                var values: [String: String] = [:]
                for c in row.allColumns { values[c] = text(row, c) }
                return values
            }
        let sections =
            [Section(table: Person.schema, rows: own)]
            + rows.keys.sorted().map { table in
                Section(
                    table: table,
                    rows: rows[table]!.values.sorted {
                        ($0["created_at"] ?? $0["id"] ?? "") < ($1["created_at"] ?? $1["id"] ?? "")
                    })
            }
        let accesses = try await AuditEntry.query(on: db).filter(\.$personID == personID.uuidString).sort(\.$id).all()
            .map {
                Access(at: $0.at, action: $0.action, entity: $0.entity)
            }
        return Export(
            personID: personID, reference: person.reference,
            name: "\(person.familyName), \(person.givenNames)", generatedAt: AuditLog.timestamp(), sections: sections,
            accesses: accesses)
    }
}
