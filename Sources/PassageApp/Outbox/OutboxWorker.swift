import Vapor
import Fluent
import SQLKit
import PassageDomain

/// Delivers the outbox: claims due messages for a lease, sends each once per claim, and records the
/// outcome with the next attempt. A worker killed mid-send leaves its messages claimed; when the lease
/// runs out any worker takes them again, with the same event id as idempotency key.
/// On PostgreSQL several workers claim side by side (`FOR UPDATE SKIP LOCKED`); on SQLite one runs.
struct OutboxWorker: Sendable {
    let app: Application
    var batch = 20
    /// The ways out, one per kind of message: Kannel for SMS and the partners' receivers for notifications.
    var channels: [any OutboxChannel] = OutboxChannels.live

    struct Outcome: Sendable {
        var ok: Bool
        var code: Int?
        var detail: String
    }

    /// Takes up to `batch` due messages and marks them as being sent, for the lease.
    func claim(now: Date = Clock.now()) async throws -> [OutboxMessage] {
        let lease = now.addingTimeInterval(Double(app.passageConfig.outboxLeaseSeconds))
        let postgres = app.isPostgres
        return try await app.writeTransaction { db in
            // What is no longer true is not sent: it is marked skipped, with the reason.
            try await db.sql.update(OutboxMessage.schema)
                .set("status", to: SQLBind(OutboxMessage.Status.skipped.rawValue))
                .set("last_error", to: SQLBind("not sent: the moment it was about had passed"))
                .set("claimed_until", to: SQLLiteral.null)
                .where("expires_at", .lessThanOrEqual, SQLBind(now))
                .where("due_at", .lessThanOrEqual, SQLBind(now))
                .where {
                    $0.where("status", .equal, SQLBind(OutboxMessage.Status.pending.rawValue)).orWhere {
                        $0.where("status", .equal, SQLBind(OutboxMessage.Status.sending.rawValue))
                            .where("claimed_until", .lessThan, SQLBind(now))
                    }
                }
                .run()
            let select = db.sql.select().column("id").from(OutboxMessage.schema)
                .where("status", .in, [OutboxMessage.Status.pending.rawValue, OutboxMessage.Status.sending.rawValue])
                .where("due_at", .lessThanOrEqual, SQLBind(now))
                .where {
                    $0.where("claimed_until", .is, SQLLiteral.null).orWhere("claimed_until", .lessThan, SQLBind(now))
                }
                .orderBy("due_at").limit(batch)
            if postgres { select.lockingClause(SQLRaw("FOR UPDATE SKIP LOCKED")) }
            var ids = try await select.all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !ids.isEmpty else { return [] }
            // What may not go out waits for an agreement, or is not sent, with the reason.
            let screen = try await SharingGate.screen(
                try await OutboxMessage.query(on: db).filter(\.$id ~~ ids).all(), on: db)
            try await SharingGate.apply(screen, on: db)
            ids.removeAll { screen.held[$0] != nil || screen.refused[$0] != nil }
            guard !ids.isEmpty else { return [] }
            try await db.sql.update(OutboxMessage.schema)
                .set("status", to: SQLBind(OutboxMessage.Status.sending.rawValue)).set(
                    "claimed_until", to: SQLBind(lease)
                )
                .set(
                    "attempts",
                    to: SQLBinaryExpression(
                        left: SQLColumn("attempts"), op: SQLBinaryOperator.add, right: SQLLiteral.numeric("1"))
                )
                .where("id", .in, ids).run()
            return try await OutboxMessage.query(on: db).filter(\.$id ~~ ids).all()
        }
    }

    /// One round: claim, deliver side by side, then record every outcome in one transaction.
    /// If the outcomes cannot be recorded the messages stay claimed and are tried again after their lease.
    @discardableResult
    func runOnce() async throws -> Int {
        let claimed = try await claim()
        guard !claimed.isEmpty else { return 0 }
        let worker = self
        let results = await withTaskGroup(of: (OutboxMessage, Outcome, TimeInterval).self) { group in
            for m in claimed {
                group.addTask {
                    let started = Clock.now()
                    let outcome = await worker.deliver(m)
                    return (m, outcome, Clock.now().timeIntervalSince(started))
                }
            }
            var out: [(OutboxMessage, Outcome, TimeInterval)] = []
            for await r in group { out.append(r) }
            return out
        }
        try await record(results)
        return claimed.count
    }

    func deliver(_ m: OutboxMessage) async -> Outcome {
        guard let channel = channels.first(where: { $0.kind == m.kind }) else {
            return Outcome(ok: false, code: nil, detail: "no channel delivers \(m.kind)")
        }
        return await channel.deliver(m, app: app)
    }

    /// Records a round's outcomes: the attempts in one insert, the deliveries in a few updates, each failure with its
    /// next try.
    func record(_ results: [(OutboxMessage, Outcome, TimeInterval)]) async throws {
        let now = Clock.now()
        let retryFirst = Double(app.passageConfig.outboxRetrySeconds)
        try await app.writeTransaction { db in
            let attempts = results.map { (m, o, took) -> OutboxAttempt in
                let a = OutboxAttempt()
                a.messageID = m.id!; a.attempt = m.attempts; a.at = now; a.ok = o.ok; a.code = o.code;
                a.detail = o.detail; a.durationMs = Int(took * 1000)
                return a
            }
            try await attempts.create(on: db)
            let ok = results.filter { $0.1.ok }.map(\.0)
            if !ok.isEmpty {
                try await db.sql.update(OutboxMessage.schema).set("claimed_until", to: SQLLiteral.null).set(
                    "last_error", to: SQLLiteral.null
                )
                .set("sent_at", to: SQLFunction("COALESCE", args: SQLColumn("sent_at"), SQLBind(now)))
                .where("id", .in, ok.map { $0.id! }).run()
                try await SharingGate.logDelivered(ok, at: now, on: db)
                // A delivery report may have come in while the send was being recorded: only what is still being sent
                // moves on.
                for channel in channels {
                    let (kind, status) = (channel.kind, channel.acceptedStatus)
                    let ids = ok.filter { $0.kind == kind }.map { $0.id! }
                    guard !ids.isEmpty else { continue }
                    try await db.sql.update(OutboxMessage.schema).set("status", to: SQLBind(status.rawValue))
                        .where("id", .in, ids).where("status", .equal, SQLBind(OutboxMessage.Status.sending.rawValue))
                        .run()
                }
            }
            let failed = results.filter { !$0.1.ok }
            guard !failed.isEmpty else { return }
            let fresh = try await OutboxMessage.query(on: db).filter(\.$id ~~ failed.map { $0.0.id! }).all()
            for (m, o, _) in failed {
                guard let row = fresh.first(where: { $0.id == m.id }) else { continue }
                row.claimedUntil = nil
                if let next = RetrySchedule.next(
                    afterAttempts: row.attempts, firstDue: row.firstDueAt, now: now, first: retryFirst)
                {
                    row.status = .pending
                    row.dueAt = next
                    row.lastError = o.detail
                } else {
                    row.status = .failed
                    row.lastError = "given up after \(row.attempts) attempts over 24 hours: " + o.detail
                }
                try await row.update(on: db)
            }
        }
    }

    /// Runs until the task is cancelled, resting between empty rounds.
    func run() async {
        let rest = UInt64(app.passageConfig.outboxPollMilliseconds) * 1_000_000
        while !Task.isCancelled {
            do {
                if try await runOnce() == 0 { try? await Task.sleep(nanoseconds: rest) }
            } catch {
                app.logger.warning("Outbox round failed, trying again: \(String(describing: error))")
                try? await Task.sleep(nanoseconds: rest)
            }
        }
    }
}

/// Runs the outbox worker inside a serving process (`serve`, `demo`) unless PASSAGE_OUTBOX_WORKER=false.
struct OutboxWorkerLifecycle: LifecycleHandler {
    final class Box: @unchecked Sendable { var task: Task<Void, Never>? }
    let box = Box()

    func didBootAsync(_ app: Application) async throws {
        guard app.isServing, app.passageConfig.outboxWorker else { return }
        start(app)
    }

    func start(_ app: Application) {
        guard box.task == nil else { return }
        box.task = Task { await OutboxWorker(app: app).run() }
        app.logger.info("Outbox worker running")
    }

    func shutdownAsync(_ app: Application) async {
        box.task?.cancel()
        await box.task?.value
    }
}

/// `passage worker`: only the outbox worker, for running it apart from the web server.
struct WorkerCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Delivers queued SMS and partner notifications until stopped." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        context.console.print("Outbox worker running; Ctrl-C stops it.")
        let task = Task { await OutboxWorker(app: app).run() }
        let stop = AsyncStream<Void> { continuation in
            let queue = DispatchQueue(label: "passage.worker.signals")
            for code in [SIGTERM, SIGINT] {
                signal(code, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: code, queue: queue)
                source.setEventHandler { continuation.yield(()) }
                source.resume()
                WorkerSignals.keep(source)
            }
        }
        for await _ in stop { break }
        task.cancel()
        await task.value
    }
}

enum WorkerSignals {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    static func keep(_ s: any DispatchSourceSignal) { sources.append(s) }
}

extension Application {
    private struct OutboxWorkerKey: StorageKey { typealias Value = OutboxWorkerLifecycle }
    /// The in-process outbox worker of `serve` and `demo`.
    var outboxWorkerLifecycle: OutboxWorkerLifecycle {
        if let w = storage[OutboxWorkerKey.self] { return w }
        let w = OutboxWorkerLifecycle()
        storage[OutboxWorkerKey.self] = w
        return w
    }
}
