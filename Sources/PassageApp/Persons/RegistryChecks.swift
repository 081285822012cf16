import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// One run of the registry's batch check, asked for by a manager and done in the background: the page and the API
/// show how far it is, and a server that stops in the middle runs it again when it starts.
final class RegistryCheck: Model, @unchecked Sendable {
    static let schema = "registry_checks"
    enum Status: String, Codable, Sendable, CaseIterable { case queued, running, done, failed }

    @ID(key: .id) var id: UUID?
    @Field(key: "status") var status: Status
    @Field(key: "requested_by") var requestedBy: String
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @Field(key: "step") var step: String
    @Field(key: "done") var done: Int
    @Field(key: "total") var total: Int
    @OptionalField(key: "persons") var persons: Int?
    @OptionalField(key: "pairs") var pairs: Int?
    @OptionalField(key: "seconds") var seconds: Double?
    @OptionalField(key: "error") var error: String?
    init() {}

    /// Waiting or running: no second check is offered, and the page follows this one.
    var isPending: Bool { status == .queued || status == .running }
}

enum RegistryChecks {
    /// What the API answers about a check.
    struct State: Content {
        var id: UUID
        var status: RegistryCheck.Status
        var step: RegistryDuplicates.Step
        var done: Int
        var total: Int
        /// How far the whole check is, 0 to 100.
        var percent: Int
        var requestedAt: Date
        var finishedAt: Date?
        var persons: Int?
        var pairs: Int?
        var seconds: Double?
        var error: String?

        init(_ c: RegistryCheck) {
            id = c.id!
            status = c.status
            step = RegistryDuplicates.Step(rawValue: c.step) ?? .reading
            done = c.done
            total = c.total
            percent = RegistryChecks.percent(c)
            requestedAt = c.requestedAt
            finishedAt = c.finishedAt
            persons = c.persons
            pairs = c.pairs
            seconds = c.seconds
            error = c.error
        }
    }

    /// The whole check's share done: reading is the first tenth, comparing the next eight, saving the last.
    static func percent(_ c: RegistryCheck) -> Int {
        if c.status == .done { return 100 }
        guard c.status == .running else { return 0 }
        let within = c.total > 0 ? Double(min(c.done, c.total)) / Double(c.total) : 0
        let (start, span): (Double, Double) =
            switch RegistryDuplicates.Step(rawValue: c.step) ?? .reading {
            case .reading: (0, 10)
            case .comparing: (10, 80)
            case .saving: (90, 10)
            }
        return min(99, Int(start + span * within))
    }

    /// Asks for a check; while one is waiting or running, that one is answered instead of starting another.
    static func request(_ app: Application, actor: Actor) async throws -> (check: RegistryCheck, started: Bool) {
        if let pending = try await current(on: app.db) { return (pending, false) }
        let c = RegistryCheck()
        c.status = .queued
        c.requestedBy = actor.id
        c.requestedAt = Clock.now()
        c.step = RegistryDuplicates.Step.reading.rawValue
        c.done = 0
        c.total = 0
        try await app.writeTransaction { db in
            try await c.create(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .create, entity: "registry_check", entityID: c.id!.uuidString,
                personID: nil, note: "registry check asked for")
        }
        start(app)
        return (c, true)
    }

    /// The check waiting or running, if any.
    static func current(on db: any Database) async throws -> RegistryCheck? {
        try await RegistryCheck.query(on: db).filter(\.$status ~~ [.queued, .running]).sort(\.$requestedAt).first()
    }

    /// The latest check, whatever its status.
    static func latest(on db: any Database) async throws -> RegistryCheck? {
        try await RegistryCheck.query(on: db).sort(\.$requestedAt, .descending).first()
    }

    /// Runs the waiting checks one after the other, in the background.
    static func start(_ app: Application) {
        Task {
            do {
                try await runQueued(app)
            } catch {
                app.logger.error("Registry check could not run: \(String(describing: error))")
            }
        }
    }

    /// Takes each waiting check (one server takes each) and runs it; a check that fails says why.
    static func runQueued(_ app: Application) async throws {
        while let next = try await RegistryCheck.query(on: app.db).filter(\.$status == .queued).sort(\.$requestedAt)
            .first()
        {
            let id = next.id!
            let taken = try await app.db.sql.raw(
                """
                UPDATE registry_checks SET status = 'running', started_at = \(bind: Clock.now()) \
                WHERE id = \(bind: id) AND status = 'queued' RETURNING id
                """
            ).all()
            guard !taken.isEmpty else { continue }
            let actor = Actor(id: next.requestedBy, name: next.requestedBy)
            let last = NIOLockedValueBox(ContinuousClock.now - .seconds(10))
            do {
                let s = try await RegistryDuplicates.check(app, actor: actor) { step, done, total in
                    // At most twice a second: the page refreshes every few seconds anyway.
                    let now = ContinuousClock.now
                    let due = last.withLockedValue { t in
                        guard now - t >= .milliseconds(500) || done == 0 else { return false }
                        t = now
                        return true
                    }
                    guard due else { return }
                    try? await app.db.sql.update(RegistryCheck.schema).set("step", to: SQLBind(step.rawValue))
                        .set("done", to: SQLBind(done)).set("total", to: SQLBind(total)).where(
                            "id", .equal, SQLBind(id)
                        )
                        .run()
                }
                try await app.db.sql.update(RegistryCheck.schema).set("status", to: SQLBind("done"))
                    .set("finished_at", to: SQLBind(Clock.now())).set("persons", to: SQLBind(s.persons))
                    .set("pairs", to: SQLBind(s.pairs)).set("seconds", to: SQLBind(s.seconds))
                    .set("step", to: SQLBind(RegistryDuplicates.Step.saving.rawValue))
                    .set("done", to: SQLBind(s.pairs)).set("total", to: SQLBind(s.pairs))
                    .where("id", .equal, SQLBind(id)).run()
            } catch {
                app.logger.error("Registry check \(id) failed: \(String(describing: error))")
                try await app.db.sql.update(RegistryCheck.schema).set("status", to: SQLBind("failed"))
                    .set("finished_at", to: SQLBind(Clock.now())).set("error", to: SQLBind(String(describing: error)))
                    .where("id", .equal, SQLBind(id)).run()
            }
        }
    }

    /// At start-up: a check the last server left running is waiting again, and the waiting ones run.
    static func resume(_ app: Application) async throws {
        try await app.db.sql.update(RegistryCheck.schema).set("status", to: SQLBind("queued"))
            .set("step", to: SQLBind(RegistryDuplicates.Step.reading.rawValue)).set("done", to: SQLBind(0))
            .where("status", .equal, SQLBind("running")).run()
        try await runQueued(app)
    }
}

/// Resumes the registry checks a stopped server left, once a serving process has started.
struct RegistryCheckResume: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        guard app.isServing else { return }
        Task {
            do {
                try await RegistryChecks.resume(app)
            } catch {
                app.logger.warning("Registry checks not resumed: \(String(describing: error))")
            }
        }
    }
}
