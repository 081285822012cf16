import Fluent
import Foundation
import NIOConcurrencyHelpers
import PassageDomain
import SQLKit
import Vapor

/// The restricted categories sealed at rest: each value of a sealed column (`SealedColumn`, declared by the module
/// that owns the table) is kept as `pe1:<key id>:<AES-GCM nonce, text and tag, base64>`, under the data key from the
/// environment (`PASSAGE_DATA_KEY`), which is never in the database. A model reads and writes the plain text through
/// a property that opens and seals it; the stored property is the sealed form. Values written before sealing began
/// (no prefix) are read as they are until `passage keys rotate` seals them.
enum FieldCipher {
    static let prefix = "pe1:"
    /// What a value sealed with a key this server does not have reads as; nothing else is lost.
    static let unreadable = "(unreadable: sealed with a data key this server does not have)"

    /// The data key that seals, and the keys that still open (the ones it replaced).
    struct Keyring: Sendable {
        var current: SymmetricKey
        var currentID: String
        var all: [String: SymmetricKey]

        init(current: [UInt8], previous: [[UInt8]] = []) {
            self.current = FieldCipher.derive(current)
            self.currentID = FieldCipher.id(current)
            var all: [String: SymmetricKey] = [:]
            for k in previous { all[FieldCipher.id(k)] = FieldCipher.derive(k) }
            all[currentID] = self.current
            self.all = all
        }

        func seal(_ plain: String) -> String {
            guard !plain.isEmpty else { return "" }
            let box = try! AES.GCM.seal(Data(plain.utf8), using: current)
            return FieldCipher.prefix + currentID + ":" + box.combined!.base64EncodedString()
        }

        /// The plain text; nil when the value is sealed with a key this ring does not hold (or was tampered with).
        func open(_ stored: String) -> String? {
            guard stored.hasPrefix(FieldCipher.prefix) else { return stored }
            let parts = stored.dropFirst(FieldCipher.prefix.count).split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let key = all[String(parts[0])], let data = Data(base64Encoded: String(parts[1])),
                let box = try? AES.GCM.SealedBox(combined: data), let plain = try? AES.GCM.open(box, using: key)
            else { return nil }
            return String(decoding: plain, as: UTF8.self)
        }

        /// Whether a stored value is as `seal` would leave it now: empty, or sealed with the current key.
        func isCurrent(_ stored: String) -> Bool {
            stored.isEmpty || stored.hasPrefix(FieldCipher.prefix + currentID + ":")
        }
    }

    /// A key's name in a sealed value: the start of a digest of it, so that the key itself never shows.
    static func id(_ key: [UInt8]) -> String {
        AuditLog.hex(SHA256.hash(data: Data("passage data key id:".utf8) + key).prefix(6))
    }

    /// The AES-256 key made from the configured secret (of any length of at least 32 characters).
    static func derive(_ key: [UInt8]) -> SymmetricKey {
        SymmetricKey(data: SHA256.hash(data: Data("passage data key:".utf8) + key))
    }

    private static let ring = NIOLockedValueBox<Keyring>(Keyring(current: AppConfig.processDataKey))

    /// Sets the keys (`configure` calls it from the configuration). A key used before in this process stays
    /// readable, so that several applications in one process never lose each other's values.
    static func use(current: [UInt8], previous: [[UInt8]]) {
        ring.withLockedValue { r in
            let kept = r.all
            r = Keyring(current: current, previous: previous)
            r.all.merge(kept) { mine, _ in mine }
        }
    }

    static var keyring: Keyring { ring.withLockedValue { $0 } }
    static func seal(_ plain: String) -> String { keyring.seal(plain) }
    static func open(_ stored: String) -> String { keyring.open(stored) ?? unreadable }
}

/// A column kept sealed: its table, its column and the table's key column.
struct SealedColumn: Sendable, Hashable {
    var table: String
    var column: String
    var key = "id"

    /// Every sealed column of the modules.
    static let all: [SealedColumn] = Modules.registered.flatMap(\.sealedColumns)
}

/// `passage keys rotate` and `passage keys status`: every sealed value under the current key, counted.
enum KeyRotation {
    struct Count: Sendable, Equatable {
        var sealed = 0
        var resealed = 0
        var unreadable = 0
        var plain = 0
    }

    /// Seals again, with the ring's current key, every value of every sealed column that is not sealed with it
    /// (values from before sealing began, values under a previous key), 500 rows to a transaction. A value no key
    /// of the ring opens is left as it is and counted. With `apply` false, only counts.
    static func run(
        _ ring: FieldCipher.Keyring, apply: Bool, on db: any Database, progress: (String, Count) -> Void = { _, _ in }
    ) async throws -> [SealedColumn: Count] {
        var out: [SealedColumn: Count] = [:]
        for col in SealedColumn.all {
            var count = Count()
            var after: UUID?
            while true {
                var q = db.sql.select().column(SQLIdentifier(col.key), as: "k").column(
                    SQLIdentifier(col.column), as: "v"
                )
                .from(col.table).where(SQLIdentifier(col.column), .notEqual, SQLBind(""))
                if let after { q = q.where(SQLIdentifier(col.key), .greaterThan, SQLBind(after)) }
                let rows = try await q.orderBy(SQLIdentifier(col.key)).limit(500).all()
                if rows.isEmpty { break }
                var changes: [(UUID, String)] = []
                for row in rows {
                    let key = try row.decode(column: "k", as: UUID.self)
                    let value = try row.decode(column: "v", as: String.self)
                    after = key
                    count.sealed += 1
                    if ring.isCurrent(value) { continue }
                    guard let plain = ring.open(value) else { count.unreadable += 1; continue }
                    if !value.hasPrefix(FieldCipher.prefix) { count.plain += 1 }
                    changes.append((key, ring.seal(plain)))
                }
                if apply && !changes.isEmpty {
                    let batch = changes
                    try await db.transaction { tx in
                        for (key, sealed) in batch {
                            try await tx.sql.update(col.table).set(SQLIdentifier(col.column), to: SQLBind(sealed))
                                .where(SQLIdentifier(col.key), .equal, SQLBind(key)).run()
                        }
                    }
                }
                count.resealed += changes.count
                progress("\(col.table).\(col.column)", count)
            }
            out[col] = count
        }
        return out
    }
}

/// `passage keys status` counts the sealed values and what is not yet under the current key; `passage keys rotate`
/// seals those again under it. To change the key: set the new one as `PASSAGE_DATA_KEY` and the old one in
/// `PASSAGE_DATA_KEY_PREVIOUS`, run `passage keys rotate`, then remove the old one.
struct KeysCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "status or rotate") var action: String
    }
    var help: String { "Counts the sealed values (status) or seals them again under the current data key (rotate)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard ["status", "rotate"].contains(signature.action) else {
            throw ValidationErrors("action", "is status or rotate")
        }
        try await app.autoMigrate()
        let ring = FieldCipher.keyring
        let apply = signature.action == "rotate"
        context.console.print("Current data key: \(ring.currentID); keys that open: \(ring.all.keys.sorted())")
        let started = Date()
        let counts = try await KeyRotation.run(ring, apply: apply, on: app.db) { column, c in
            context.console.print("  \(column): \(c.sealed) values read, \(c.resealed) sealed again", newLine: true)
        }
        var total = KeyRotation.Count()
        for (col, c) in counts.sorted(by: { $0.key.table < $1.key.table }) {
            context.console.print(
                "\(col.table).\(col.column): \(c.sealed) values; \(c.resealed) \(apply ? "sealed again" : "to seal")"
                    + " (\(c.plain) not sealed before); \(c.unreadable) no key opens")
            total.sealed += c.sealed; total.resealed += c.resealed; total.unreadable += c.unreadable
            total.plain += c.plain
        }
        if apply {
            let total = total
            try await app.writeTransaction { db in
                try await AuditLog.record(
                    on: db, actor: .system, action: .update, entity: "data_keys", entityID: ring.currentID,
                    personID: nil,
                    note: "sealed \(total.resealed) of \(total.sealed) values again under key \(ring.currentID)"
                        + "; \(total.unreadable) no key opens")
            }
        }
        context.console.print(
            String(format: "%@ in %.1f s.", apply ? "Done" : "Nothing changed", Date().timeIntervalSince(started)))
        if total.unreadable > 0 {
            context.console.print(
                "\(total.unreadable) values are sealed with a key this server does not have: "
                    + "add it to PASSAGE_DATA_KEY_PREVIOUS and run again.")
        } else if apply {
            context.console.print("Every value is sealed under \(ring.currentID): the previous keys may be removed.")
        }
    }
}
