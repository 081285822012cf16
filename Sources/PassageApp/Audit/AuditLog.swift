import Vapor
import Fluent
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
        let digest = SHA256.hash(data: Data((previous + record.canonicalText).utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
    }

    /// Appends one entry. Call it with the transaction's database so the entry and the change stand or fall together.
    @discardableResult
    static func record(on db: any Database, actor: Actor, action: AuditRecord.Action, entity: String, entityID: String,
                       personID: UUID?, changes: [AuditRecord.FieldChange] = [], note: String = "") async throws -> Int64 {
        if db.isPostgres {
            // One writer at a time extends the chain, whichever server instance it runs on.
            try await db.sql.raw("SELECT pg_advisory_xact_lock(7142017)").run()
        }
        let last = try await AuditEntry.query(on: db).sort(\.$id, .descending).limit(1).first()
        let sequence = (last?.id ?? 0) + 1
        let record = AuditRecord(sequence: sequence, at: timestamp(), actor: actor.id, actorName: actor.name,
                                 action: action, entity: entity, entityID: entityID,
                                 personID: personID?.uuidString, changes: changes, note: note)
        let entry = AuditEntry()
        entry.id = sequence
        entry.at = record.at
        entry.actor = record.actor
        entry.actorName = record.actorName
        entry.action = record.action.rawValue
        entry.entity = entity
        entry.entityID = entityID
        entry.personID = record.personID
        entry.changesJSON = String(decoding: try JSONEncoder().encode(changes), as: UTF8.self)
        entry.note = note
        entry.prevHash = last?.hash ?? genesis
        entry.hash = hash(previous: entry.prevHash, record: record)
        try await entry.create(on: db)
        return sequence
    }

    /// A change to a record about a person: the fields that differ between before and after.
    static func change(_ db: any Database, _ actor: Actor, _ action: AuditRecord.Action, _ entity: String, _ id: UUID?,
                       person: UUID, before: [String: String] = [:], after: [String: String], note: String = "") async throws {
        try await record(on: db, actor: actor, action: action, entity: entity, entityID: id?.uuidString ?? "",
                         personID: person, changes: AuditRecord.diff(before: before, after: after), note: note)
    }

    static func record(from e: AuditEntry) -> AuditRecord {
        let changes = (try? JSONDecoder().decode([AuditRecord.FieldChange].self, from: Data(e.changesJSON.utf8))) ?? []
        return AuditRecord(sequence: e.id ?? 0, at: e.at, actor: e.actor, actorName: e.actorName,
                           action: AuditRecord.Action(rawValue: e.action) ?? .other, entity: e.entity,
                           entityID: e.entityID, personID: e.personID, changes: changes, note: e.note)
    }

    struct Verification: Sendable, Equatable {
        var checked: Int
        /// The first entry whose content, link or place in the sequence is wrong.
        var firstBroken: Int64?
        var reason: String?
    }

    /// Walks the whole chain in order, a page at a time.
    static func verify(on db: any Database, pageSize: Int = 2000) async throws -> Verification {
        var previousHash = genesis
        var expected: Int64 = 1
        var checked = 0
        while true {
            let page = try await AuditEntry.query(on: db).filter(\.$id >= expected).sort(\.$id).limit(pageSize).all()
            if page.isEmpty { break }
            for e in page {
                let seq = e.id ?? -1
                if seq != expected {
                    return Verification(checked: checked, firstBroken: expected, reason: "entry \(expected) is missing")
                }
                if e.prevHash != previousHash {
                    return Verification(checked: checked, firstBroken: seq, reason: "entry \(seq) does not link to entry \(seq - 1)")
                }
                if hash(previous: e.prevHash, record: record(from: e)) != e.hash {
                    return Verification(checked: checked, firstBroken: seq, reason: "entry \(seq) was altered after it was written")
                }
                previousHash = e.hash
                expected += 1
                checked += 1
            }
        }
        return Verification(checked: checked, firstBroken: nil, reason: nil)
    }
}
