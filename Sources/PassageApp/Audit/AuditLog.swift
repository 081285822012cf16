import Vapor
import Fluent
import NIOConcurrencyHelpers
import SQLKit
import PassageDomain

/// Who is acting: a member of staff, a partner's token, or the system itself.
struct Actor: Sendable {
    let id: String
    let name: String
    static let system = Actor(id: "system", name: "system")
}

/// Writes the append-only, hash-chained audit trail, always inside the caller's transaction.
enum AuditLog {
    static let genesis = String(repeating: "0", count: 64)

    static func hash(previous: String, record: AuditRecord) -> String {
        hex(SHA256.hash(data: Data((previous + record.canonicalText).utf8)))
    }

    /// Lower-case hexadecimal of a digest.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The key of the MACs, set by `configure` from `PASSAGE_AUDIT_KEY`; one per process.
    private static let keyBox = NIOLockedValueBox<[UInt8]>(AppConfig.processKey)
    static var key: [UInt8] {
        get { keyBox.withLockedValue { $0 } }
        set { keyBox.withLockedValue { $0 = newValue } }
    }

    /// The MAC of an entry's hash: it proves the entry was written by a holder of the key.
    static func mac(_ hash: String, key: [UInt8]) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Data(hash.utf8), using: SymmetricKey(data: key)))
    }

    static func timestamp(_ date: Date = Clock.now()) -> String {
        date.formatted(
            .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(
                .colon
            ).timeZone(separator: .omitted))
    }

    /// Appends one entry. Call it with the transaction's database so the entry and the change stand or fall together.
    @discardableResult
    static func record(
        on db: any Database, actor: Actor, action: AuditRecord.Action, entity: String, entityID: String,
        personID: UUID?, changes: [AuditRecord.FieldChange] = [], note: String = ""
    ) async throws -> Int64 {
        let last = try await head(on: db)
        let sequence = (last?.id ?? 0) + 1
        let record = AuditRecord(
            sequence: sequence, at: timestamp(), actor: actor.id, actorName: actor.name,
            action: action, entity: entity, entityID: entityID,
            personID: personID?.uuidString, changes: kept(entity, changes), note: note)
        try await entry(record, previous: last?.hash ?? genesis, key: key).create(on: db)
        return sequence
    }

    /// The chain's last entry, read under the chain's lock: one writer at a time extends the chain, whichever server
    /// instance it runs on; the lock is the chain's own (one per schema), so offices sharing a database server do not
    /// wait for one another.
    static func head(on db: any Database) async throws -> AuditEntry? {
        if db.isPostgres {
            try await db.sql.raw("SELECT pg_advisory_xact_lock(7142017, hashtext(current_schema()))").run()
        }
        return try await AuditEntry.query(on: db).sort(\.$id, .descending).limit(1).first()
    }

    /// What the trail keeps of a change: a value of a restricted category (medical, trafficking, child protection,
    /// genetic, notes: `FieldTags`) is kept only in its record, sealed; the trail keeps that it changed and a keyed
    /// fingerprint of it (the same value gives the same fingerprint, so a value can be checked against the trail
    /// without the trail holding it).
    static func kept(_ entity: String, _ changes: [AuditRecord.FieldChange]) -> [AuditRecord.FieldChange] {
        changes.map { c in
            guard let category = FieldTags.category(entity: entity, field: c.field), category != .ordinary else {
                return c
            }
            func print(_ v: String?) -> String? {
                guard let v, !v.isEmpty else { return v }
                let mac = HMAC<SHA256>.authenticationCode(
                    for: Data("\(entity).\(c.field):\(v)".utf8), using: SymmetricKey(data: key))
                return sealedMark + hex(mac.prefix(6))
            }
            return .init(field: c.field, before: print(c.before), after: print(c.after))
        }
    }
    static let sealedMark = "sealed in the record · "

    /// One encoder for every entry's changes (making one per entry costs more than the encoding).
    private static let changesEncoder = JSONEncoder()

    /// The stored form of a record, chained to the hash before it and sealed with the key.
    static func entry(_ record: AuditRecord, previous: String, key: [UInt8]) throws -> AuditEntry {
        let entry = AuditEntry()
        entry.id = record.sequence
        entry.at = record.at
        entry.actor = record.actor
        entry.actorName = record.actorName
        entry.action = record.action.rawValue
        entry.entity = record.entity
        entry.entityID = record.entityID
        entry.personID = record.personID
        entry.changesJSON = String(decoding: try changesEncoder.encode(record.changes), as: UTF8.self)
        entry.note = record.note
        entry.prevHash = previous
        entry.hash = hash(previous: previous, record: record)
        entry.mac = mac(entry.hash, key: key)
        return entry
    }

    /// A reading of records about persons: one view entry per person, in a transaction of its own.
    static func views(
        _ app: Application, _ actor: Actor, entity: String, entityID: UUID, persons: [UUID],
        note: String = ""
    ) async throws {
        guard !persons.isEmpty else { return }
        try await app.writeTransaction { db in
            try await recordViews(
                on: db, actor: actor, entity: entity, rows: persons.map { (entityID.uuidString, $0) }, note: note)
        }
    }

    /// A list that names persons with something of their record: one view entry per row, in one transaction.
    static func listed(
        _ app: Application, _ actor: Actor, entity: String, rows: [(entityID: UUID, person: UUID)], note: String
    ) async throws {
        guard !rows.isEmpty else { return }
        try await app.writeTransaction { db in
            try await recordViews(
                on: db, actor: actor, entity: entity, rows: rows.map { ($0.entityID.uuidString, $0.person) },
                note: note)
        }
    }

    /// View entries for many rows at once: the chain's head is read once and the entries are written in one
    /// statement, each chained to the one before, exactly as `record` would write them one by one.
    static func recordViews(
        on db: any Database, actor: Actor, entity: String, rows: [(entityID: String, person: UUID)], note: String
    ) async throws {
        guard !rows.isEmpty else { return }
        let last = try await head(on: db)
        var sequence = last?.id ?? 0
        var previous = last?.hash ?? genesis
        let at = timestamp()
        let key = key
        var entries: [AuditEntry] = []
        entries.reserveCapacity(rows.count)
        for r in rows {
            sequence += 1
            let record = AuditRecord(
                sequence: sequence, at: at, actor: actor.id, actorName: actor.name, action: .view, entity: entity,
                entityID: r.entityID, personID: r.person.uuidString, changes: [], note: note)
            let entry = try entry(record, previous: previous, key: key)
            previous = entry.hash
            entries.append(entry)
        }
        try await AuditEntry.insert(entries, on: db)
    }

    /// A change to a record about a person: the fields that differ between before and after.
    static func change(
        _ db: any Database, _ actor: Actor, _ action: AuditRecord.Action, _ entity: String, _ id: UUID?,
        person: UUID?, before: [String: String] = [:], after: [String: String], note: String = ""
    ) async throws {
        try await record(
            on: db, actor: actor, action: action, entity: entity, entityID: id?.uuidString ?? "",
            personID: person, changes: AuditRecord.diff(before: before, after: after), note: note)
    }

    static func record(from e: AuditEntry) -> AuditRecord {
        let changes = (try? JSONDecoder().decode([AuditRecord.FieldChange].self, from: Data(e.changesJSON.utf8))) ?? []
        return AuditRecord(
            sequence: e.id ?? 0, at: e.at, actor: e.actor, actorName: e.actorName,
            action: AuditRecord.Action(rawValue: e.action) ?? .other, entity: e.entity,
            entityID: e.entityID, personID: e.personID, changes: changes, note: e.note)
    }

    struct Verification: Sendable, Equatable {
        var checked: Int
        /// The first entry whose content, link, key or place in the sequence is wrong.
        var firstBroken: Int64?
        var reason: String?
    }

    /// What an office keeps outside the database to detect that the trail was cut short or rewritten whole:
    /// the number of entries, the last one's hash, and a MAC of both.
    struct Checkpoint: Codable, Sendable, Equatable {
        var count: Int64
        var head: String
        var mac: String
    }

    static func checkpointMAC(count: Int64, head: String, key: [UInt8]) -> String {
        mac("checkpoint:\(count):\(head)", key: key)
    }

    /// The checkpoint of the trail as it stands.
    static func checkpoint(on db: any Database, key: [UInt8]? = nil) async throws -> Checkpoint {
        let last = try await AuditEntry.query(on: db).sort(\.$id, .descending).limit(1).first()
        let count = last?.id ?? 0
        let head = last?.hash ?? genesis
        return Checkpoint(count: count, head: head, mac: checkpointMAC(count: count, head: head, key: key ?? self.key))
    }

    /// Walks the whole chain in order, a page at a time: every entry must link to the one before, hash to what it
    /// says, and carry the MAC of the key (entries written before the trail was keyed may have none, but none after
    /// the first that has one). With a checkpoint, the trail must also still hold its entries and its head.
    static func verify(
        on db: any Database, key: [UInt8]? = nil, checkpoint: Checkpoint? = nil,
        pageSize: Int = 2000
    ) async throws -> Verification {
        let key = key ?? self.key
        if let c = checkpoint, c.mac != checkpointMAC(count: c.count, head: c.head, key: key) {
            return Verification(checked: 0, firstBroken: c.count, reason: "the checkpoint was not made with this key")
        }
        var previousHash = genesis
        var expected: Int64 = 1
        var checked = 0
        var keyed = false
        while true {
            let page = try await AuditEntry.query(on: db).filter(\.$id >= expected).sort(\.$id).limit(pageSize).all()
            if page.isEmpty { break }
            for e in page {
                let seq = e.id ?? -1
                if seq != expected {
                    return Verification(checked: checked, firstBroken: expected, reason: "entry \(expected) is missing")
                }
                if e.prevHash != previousHash {
                    return Verification(
                        checked: checked, firstBroken: seq, reason: "entry \(seq) does not link to entry \(seq - 1)")
                }
                if hash(previous: e.prevHash, record: record(from: e)) != e.hash {
                    return Verification(
                        checked: checked, firstBroken: seq, reason: "entry \(seq) was altered after it was written")
                }
                if let m = e.mac {
                    guard m == mac(e.hash, key: key) else {
                        return Verification(
                            checked: checked, firstBroken: seq,
                            reason:
                                "entry \(seq) was not written with the audit key (rewritten, or PASSAGE_AUDIT_KEY differs)"
                        )
                    }
                    keyed = true
                } else if keyed {
                    return Verification(
                        checked: checked, firstBroken: seq, reason: "entry \(seq) carries no MAC after keyed entries")
                }
                if let c = checkpoint, seq == c.count, e.hash != c.head {
                    return Verification(
                        checked: checked, firstBroken: seq, reason: "entry \(seq) is not the entry of the checkpoint")
                }
                previousHash = e.hash
                expected += 1
                checked += 1
            }
        }
        if let c = checkpoint, Int64(checked) < c.count {
            return Verification(
                checked: checked, firstBroken: Int64(checked) + 1,
                reason:
                    "the trail ends at entry \(checked), but the checkpoint counted \(c.count): entries were removed")
        }
        return Verification(checked: checked, firstBroken: nil, reason: nil)
    }
}
