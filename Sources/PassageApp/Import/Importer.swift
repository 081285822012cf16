import Fluent
import Foundation
import PassageDomain
import SQLKit
import Vapor

/// How an import treats refused rows.
enum ImportMode: String, Codable, Sendable, CaseIterable {
    /// Checks every row and writes nothing.
    case dryRun = "dry-run"
    /// Writes everything, or nothing while any row is refused.
    case all
    /// Writes the rows that passed (and what they need); the refused ones wait for a corrected file.
    case validRows = "valid-rows"
}

/// What an import found and did, per kind of record.
struct ImportReport: Codable, Sendable, Equatable {
    struct Counts: Codable, Sendable, Equatable {
        var rows = 0
        var created = 0
        var updated = 0
        var unchanged = 0
        var refused = 0
    }
    var mode: ImportMode
    var counts: [String: Counts] = [:]
    var problems: [ImportProblem] = []
    /// Whether anything was written.
    var written = false
    var seconds = 0.0

    var rows: Int { counts.values.reduce(0) { $0 + $1.rows } }
    var refused: Int { counts.values.reduce(0) { $0 + $1.refused } }
    func count(_ kind: ImportKind) -> Counts { counts[kind.rawValue] ?? Counts() }
}

/// Brings an office's records in from its own files (see `ImportKind` for the layout): every row is checked by the
/// validation the forms use, with the file, line and field of each refusal, before anything is written; then all of
/// it is written in one transaction, so that nothing is ever half imported. The office's reference of each row is
/// kept (`ImportKey`): the same file again changes nothing, a corrected row updates its record. Historical records
/// keep their own dates and announce nothing: no SMS, no partner notification, no module event.
final class Importer: @unchecked Sendable {
    let app: Application
    let actor: Actor
    let userID: UUID
    let mode: ImportMode
    let importID: UUID
    let tables: [ImportKind: ImportTable]
    /// Rows checked and written so far, of `total`.
    var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    private(set) var report: ImportReport
    private var keys: [ImportKind: [String: (id: UUID, digest: String)]] = [:]
    /// This import's rows by reference: the record id they have or will have, or the line that was refused.
    private var planned: [ImportKind: [String: Planned]] = [:]
    private var steps: [ImportKind: [Step]] = [:]
    private var locations: [String: UUID] = [:]
    private var partners: [String: UUID] = [:]
    private var staff: [String: UUID] = [:]
    var merged: [UUID: String] = [:]
    private var done = 0
    let today = Clock.today()
    /// What later files of the same import ask of the rows before them.
    var personNationality: [UUID: String] = [:]
    var casePerson: [UUID: UUID] = [:]
    var decisions: [UUID: [EligibilityDecision]] = [:]
    var grants: [String: ReturnValidation.Grant] = [:]
    var grantCase: [UUID: UUID] = [:]
    var payments: [UUID: [ReturnValidation.Payment]] = [:]

    struct Planned {
        var id: UUID
        var line: Int
        var refused: Bool
    }

    /// A checked row: its key, and what writing it does (to a new record or to the one it updated).
    struct Step: @unchecked Sendable {
        var ref: String
        var digest: String
        var id: UUID
        var existing: Bool
        var write: (any Database, ImportBatch) async throws -> Void
    }

    init(app: Application, tables: [ImportKind: ImportTable], mode: ImportMode, actor: Actor, userID: UUID) {
        self.app = app
        self.tables = tables
        self.mode = mode
        self.actor = actor
        self.userID = userID
        self.importID = UUID()
        self.report = ImportReport(mode: mode)
    }

    var total: Int { tables.values.reduce(0) { $0 + $1.rows.count } }

    /// Checks, then (unless a dry run, or while rows are refused and the mode is `all`) writes.
    func run() async throws -> ImportReport {
        let started = Date()
        try await loadState()
        for kind in ImportKind.allCases {
            guard let table = tables[kind] else { continue }
            let header = kind.headerProblems(table)
            if !header.isEmpty {
                report.problems += header
                var c = report.count(kind)
                c.rows = table.rows.count
                c.refused = table.rows.count
                report.counts[kind.rawValue] = c
                for row in table.rows {
                    let key = Self.key(kind, table.fields(row))
                    if !key.isEmpty {
                        planned[kind, default: [:]][key] = Planned(id: UUID(), line: row.line, refused: true)
                    }
                }
                continue
            }
            try await check(kind, table)
        }
        let refused = report.refused
        if mode == .dryRun || (mode == .all && refused > 0) {
            report.seconds = Date().timeIntervalSince(started)
            return report
        }
        try await write()
        report.written = true
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    // MARK: state

    private func loadState() async throws {
        let db = app.db
        // Read as plain rows: an office's keys run to hundreds of thousands.
        for row in try await db.sql.raw("SELECT kind, ref, record_id, digest FROM import_keys").all() {
            guard let kind = ImportKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            keys[kind, default: [:]][try row.decode(column: "ref", as: String.self)] = (
                try row.decode(column: "record_id", as: UUID.self), try row.decode(column: "digest", as: String.self)
            )
        }
        for l in try await Location.query(on: db).all() {
            locations[Self.fold(l.name)] = l.id!
            locations[l.id!.uuidString.lowercased()] = l.id!
        }
        for p in try await Partner.query(on: db).all() {
            partners[Self.fold(p.name)] = p.id!
            partners[p.id!.uuidString.lowercased()] = p.id!
        }
        for u in try await User.query(on: db).filter(\.$active == true).all() where !u.roles.contains(.partner) {
            staff[u.username.lowercased()] = u.id!
        }
        for p in try await Person.query(on: db).filter(\.$mergedInto != nil).all() {
            merged[p.id!] = p.reference
        }
    }

    /// A name as typed, compared without case, accents or surrounding spaces.
    static func fold(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespacesAndNewlines).folding(
            options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    static func key(_ kind: ImportKind, _ f: FormFields) -> String {
        kind.keyColumns.map { f[$0] ?? "" }.joined(separator: kind.keyColumns.count > 1 ? "|" : "")
    }

    // MARK: checking

    /// Checks every row of a file; a refused row's reasons are each a problem with its line and field.
    private func check(_ kind: ImportKind, _ table: ImportTable) async throws {
        var counts = ImportReport.Counts()
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            counts.rows += 1
            done += 1
            if done % 500 == 0 { progress?(done, total * 2) }
            let f = table.fields(row)
            var problems: [(String, String)] = []
            let key = Self.key(kind, f)
            if kind.keyColumns.contains(where: { (f[$0] ?? "").isEmpty }) {
                problems.append((kind.keyColumns.first { (f[$0] ?? "").isEmpty }!, "is required"))
            } else if let first = firstLine[key] {
                problems.append(
                    (kind.keyColumns[0], "'\(key)' is also on line \(first): each row of \(kind.rawValue) once"))
            }
            if !key.isEmpty, firstLine[key] == nil { firstLine[key] = row.line }
            let digest = ImportDigest.of(f)
            let known = keys[kind]?[key]
            var step: Step?
            if problems.isEmpty {
                if let known, known.digest == digest {
                    counts.unchanged += 1
                    planned[kind, default: [:]][key] = Planned(id: known.id, line: row.line, refused: false)
                    continue
                }
                do {
                    step = try await plan(kind, f, key: key, digest: digest, known: known?.id)
                } catch let e as ValidationErrors {
                    problems += e.items.map { ($0.field, $0.message) }
                } catch let e as DomainError {
                    problems.append((kind.keyColumns[0], e.message))
                }
            }
            if let step, problems.isEmpty {
                if step.existing { counts.updated += 1 } else { counts.created += 1 }
                steps[kind, default: []].append(step)
                planned[kind, default: [:]][key] = Planned(id: step.id, line: row.line, refused: false)
            } else {
                counts.refused += 1
                if !key.isEmpty, planned[kind]?[key] == nil {
                    planned[kind, default: [:]][key] = Planned(id: UUID(), line: row.line, refused: true)
                }
                for (field, reason) in problems {
                    report.problems.append(
                        ImportProblem(file: table.file, line: row.line, field: field, reason: reason))
                }
            }
        }
        report.counts[kind.rawValue] = counts
    }

    /// The record a reference of another file names: a row of this import, or of an earlier one.
    func resolve(_ kind: ImportKind, _ raw: String?, field: String, required: Bool = true) throws -> UUID? {
        let ref = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if ref.isEmpty {
            if required { throw ValidationErrors(field, "is required") }
            return nil
        }
        if let p = planned[kind]?[ref] {
            if p.refused {
                throw ValidationErrors(
                    field,
                    "'\(ref)' was refused (\(tables[kind]?.file ?? kind.rawValue) line \(p.line)): correct it first")
            }
            if kind == .persons, let into = merged[p.id] {
                throw ValidationErrors(field, "'\(ref)' was merged into another record (\(into) was it)")
            }
            return p.id
        }
        if let k = keys[kind]?[ref] {
            if kind == .persons, let into = merged[k.id] {
                throw ValidationErrors(field, "'\(ref)' was merged into another record (\(into) was it)")
            }
            return k.id
        }
        throw ValidationErrors(
            field, "'\(ref)' is not a reference of \(kind.rawValue), in this import or an earlier one")
    }

    func location(_ raw: String?, field: String, required: Bool = false) throws -> UUID? {
        try named(raw, in: locations, field: field, required: required, what: "a location of the office")
    }

    func partner(_ raw: String?, field: String, required: Bool = false) throws -> UUID? {
        try named(raw, in: partners, field: field, required: required, what: "a partner organisation")
    }

    func member(_ raw: String?, field: String) throws -> UUID {
        try named(raw, in: staff, field: field, required: false, what: "the username of an active member of staff")
            ?? userID
    }

    private func named(_ raw: String?, in map: [String: UUID], field: String, required: Bool, what: String) throws
        -> UUID?
    {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            if required { throw ValidationErrors(field, "is required") }
            return nil
        }
        if let id = map[Self.fold(text)] ?? map[text.lowercased()] { return id }
        throw ValidationErrors(field, "'\(text)' is not \(what): add it in Passage first, or correct the name")
    }

    /// A day of the record as an instant on the timeline: noon of that day in the office.
    static func instant(_ d: PartialDate) -> Date {
        OfficeCalendar.calendar.date(from: DateComponents(year: d.year, month: d.month ?? 1, day: d.day ?? 1, hour: 12))
            ?? Clock.now()
    }

    var note: String { "import \(importID.uuidString.prefix(8).lowercased())" }

    // MARK: writing

    /// Writes every checked row, kind by kind, in one transaction; the office's references go with them.
    private func write() async throws {
        let all = steps
        let importID = importID
        let actor = actor
        let order = ImportKind.allCases
        let totalRows = total
        let already = done
        let progress = progress
        try await app.writeTransaction { db in
            var written = already
            let batch = ImportBatch(actor: actor)
            if !db.isPostgres {
                // A year's import is more than SQLite's default page cache: without room it writes pages out twice.
                try await db.sql.raw("PRAGMA cache_size = -131072").run()
            }
            for kind in order {
                for step in all[kind] ?? [] {
                    try await step.write(db, batch)
                    written += 1
                    if written % 500 == 0 {
                        try await batch.flush(db)
                        progress?(written, totalRows * 2)
                    }
                }
                try await batch.flush(db)
                let fresh = (all[kind] ?? []).filter { !$0.existing }
                try await ImportKey.insert(
                    fresh.map {
                        ImportKey(kind: kind, ref: $0.ref, recordID: $0.id, digest: $0.digest, importID: importID)
                    }, on: db)
                for s in (all[kind] ?? []) where s.existing {
                    try await ImportKey.query(on: db).filter(\.$kind == kind.rawValue).filter(\.$ref == s.ref)
                        .set(\.$digest, to: s.digest).set(\.$importID, to: importID).update()
                }
                if kind == .payments, !(all[kind] ?? []).isEmpty {
                    try await Self.recountPaid(on: db)
                }
                if kind == .grants, !(all[kind] ?? []).isEmpty {
                    // A departure of a case with a grant counts as reintegration with a grant (`markGranted`).
                    for table in ["departures", "departures_without_flight"] {
                        try await db.sql.raw(
                            """
                            UPDATE \(ident: table) SET granted = \(true) WHERE granted = \(false) AND case_id IN \
                            (SELECT case_id FROM grants)
                            """
                        ).run()
                    }
                }
            }
            try await batch.returnUnused(on: db)
            if !db.isPostgres { try await db.sql.raw("PRAGMA cache_size = -2000").run() }
            progress?(totalRows * 2, totalRows * 2)
        }
    }

    /// Each grant's `paid` is the sum of its payments.
    static func recountPaid(on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE grants SET paid = (SELECT COALESCE(SUM(p.amount), 0) FROM grant_payments p WHERE p.grant_id = \
            grants.id) WHERE id IN (SELECT grant_id FROM grant_payments)
            """
        ).run()
    }
}
