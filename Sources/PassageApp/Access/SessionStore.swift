import Vapor
import Fluent

/// Browser sessions in the database (`_fluent_sessions`), so that several server instances share them.
/// Every write passes the write gate, and a session is written only when its data changed, so that reading a
/// page writes nothing but its audit entry. Each session carries the second it began (`since`), by which
/// `purge` removes the expired ones.
struct SessionStore: AsyncSessionDriver {
    private struct AsRead: StorageKey { typealias Value = [String: String] }

    func createSession(_ data: SessionData, for req: Request) async throws -> SessionID {
        let id = Self.generateID()
        var stamped = data
        if stamped["since"] == nil { stamped["since"] = String(Int(Clock.now().timeIntervalSince1970)) }
        let record = SessionRecord(key: id, data: stamped)
        try await req.application.writeTransaction { db in try await record.create(on: db) }
        return id
    }

    func readSession(_ id: SessionID, for req: Request) async throws -> SessionData? {
        let data = try await SessionRecord.query(on: req.db).filter(\.$key == id).first()?.data
        req.storage[AsRead.self] = data?.snapshot
        return data
    }

    func updateSession(_ id: SessionID, to data: SessionData, for req: Request) async throws -> SessionID {
        if req.storage[AsRead.self] == data.snapshot { return id }
        try await req.application.writeTransaction { db in
            try await SessionRecord.query(on: db).filter(\.$key == id).set(\.$data, to: data).update()
        }
        return id
    }

    func deleteSession(_ id: SessionID, for req: Request) async throws {
        try await req.application.writeTransaction { db in
            try await SessionRecord.query(on: db).filter(\.$key == id).delete()
        }
    }

    static func generateID() -> SessionID {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return SessionID(string: Data(bytes).base64EncodedString())
    }

    /// Ends every session of a user (after a password reset, a deactivation or a change of roles), but `keep`.
    /// Runs inside the caller's transaction.
    static func end(sessionsOf userID: UUID, keeping keep: SessionID? = nil, on db: any Database) async throws -> Int {
        let uid = userID.uuidString
        var ended = 0
        for record in try await SessionRecord.query(on: db).all() where record.data["uid"] == uid && record.key != keep
        {
            try await record.delete(on: db)
            ended += 1
        }
        return ended
    }

    /// Removes sessions a day past the session lifetime (until then an ended session still tells whose a late form
    /// is, see `HeldForms`), and those that never recorded when they began.
    @discardableResult
    static func purge(on app: Application, now: Date = Clock.now()) async throws -> Int {
        let oldest = now.timeIntervalSince1970 - Double(app.passageConfig.sessionMinutes) * 60 - HeldForms.keptSeconds
        let expired = try await SessionRecord.query(on: app.db).all().filter { r in
            guard let since = r.data["since"].flatMap(Double.init) else { return true }
            return since < oldest
        }.compactMap(\.id)
        guard !expired.isEmpty else { return 0 }
        for chunk in stride(from: 0, to: expired.count, by: 500).map({
            Array(expired[$0..<min($0 + 500, expired.count)])
        }) {
            try await app.writeTransaction { db in try await SessionRecord.query(on: db).filter(\.$id ~~ chunk).delete()
            }
        }
        return expired.count
    }
}

/// Purges expired sessions a minute after start-up and every hour while Passage serves.
struct SessionPurge: LifecycleHandler {
    final class Box: @unchecked Sendable { var task: Task<Void, Never>? }
    let box = Box()

    func didBootAsync(_ app: Application) async throws {
        let args = app.environment.arguments
        guard app.environment != .testing, args.count < 2 || ["serve", "demo"].contains(args[1]) else { return }
        box.task = Task {
            // A minute after start-up, when `demo` and first starts have migrated the database, then every hour.
            try? await Task.sleep(for: .seconds(60))
            while !Task.isCancelled {
                do {
                    let n = try await SessionStore.purge(on: app)
                    if n > 0 { app.logger.info("purged \(n) expired sessions") }
                    let held = try await HeldForms.purge(on: app)
                    if held > 0 { app.logger.info("removed \(held) kept forms older than a day") }
                } catch {
                    app.logger.warning("session purge failed: \(String(describing: error))")
                }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        box.task?.cancel()
        await box.task?.value
    }
}
