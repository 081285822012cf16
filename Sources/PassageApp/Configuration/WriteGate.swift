import Vapor
import Fluent
import SQLKit

/// SQLite allows one writer at a time and a deferred transaction that later writes can
/// fail to upgrade its lock; on SQLite all writing transactions of this process pass
/// through one gate. PostgreSQL needs none: its transactions run side by side.
actor WriteGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func leave() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}

struct WriteGateKey: StorageKey { typealias Value = WriteGate }

extension Application {
    var writeGate: WriteGate {
        if let g = storage[WriteGateKey.self] { return g }
        let g = WriteGate()
        storage[WriteGateKey.self] = g
        return g
    }

    var isPostgres: Bool {
        if case .postgres = passageConfig.storage { return true }
        return false
    }

    /// Runs `work` in one database transaction; on SQLite, one at a time, holding the write lock from its first
    /// statement. SQLite's deferred transactions read first and ask for the write lock later, and a reader that
    /// asks for it after another process has written answers "database is locked" at once instead of waiting.
    /// A write as the first statement (one that changes nothing) makes it wait for the lock in the busy handler.
    func writeTransaction<T: Sendable>(_ work: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        if isPostgres { return try await db.transaction(work) }
        let gate = writeGate
        await gate.enter()
        do {
            let result = try await db.transaction { db in
                try? await db.sql.raw("DELETE FROM _fluent_sessions WHERE 1 = 0").run()
                return try await work(db)
            }
            await gate.leave()
            return result
        } catch {
            await gate.leave()
            throw error
        }
    }
}

extension Request {
    func writeTransaction<T: Sendable>(_ work: @Sendable @escaping (any Database) async throws -> T) async throws -> T {
        try await application.writeTransaction(work)
    }
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }
    var isPostgres: Bool { sql.dialect.name == "postgresql" }
}
