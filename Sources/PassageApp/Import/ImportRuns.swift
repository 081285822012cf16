import Fluent
import Foundation
import NIOConcurrencyHelpers
import PassageDomain
import SQLKit
import Vapor

/// A file given to an import on its page, kept with the run so that the run survives a restart of the server.
final class ImportFile: Model, @unchecked Sendable {
    static let schema = "import_files"
    @ID(key: .id) var id: UUID?
    @Field(key: "run_id") var runID: UUID
    @Field(key: "name") var name: String
    @Field(key: "content") var content: Data

    init() {}
    init(runID: UUID, name: String, content: Data) {
        self.id = UUID(); self.runID = runID; self.name = name; self.content = content
    }
}

struct CreateImportFiles: AsyncMigration {
    var name: String { "0024_CreateImportFiles" }
    func prepare(on db: any Database) async throws {
        try await db.schema(ImportFile.schema)
            .id()
            .field("run_id", .uuid, .required, .references(ImportRun.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("content", .data, .required)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(ImportFile.schema).delete() }
}

/// Imports started on the page: first a dry run, then, when the manager chooses, the writing; each runs in the
/// background with how far it is, and one that a stopped server left is taken up again when a server starts.
enum ImportRuns {
    static let roles: Set<Role> = [.manager]
    /// What an upload may weigh: a year of an office's records is a few megabytes.
    static let maxUpload = 48 * 1024 * 1024

    enum Status: String { case waiting, running, checked, done, refused, failed }

    /// Keeps the files and asks for their dry run.
    static func start(files: [String: [UInt8]], actor: Actor, userID: UUID, on app: Application) async throws
        -> ImportRun
    {
        let run = ImportRun()
        run.id = UUID()
        run.status = Status.waiting.rawValue
        run.mode = ImportMode.dryRun.rawValue
        run.source = files.keys.sorted().joined(separator: ", ")
        run.requestedBy = actor.name
        run.requestedByID = userID
        run.requestedAt = Clock.now()
        run.done = 0
        run.total = 0
        try await app.writeTransaction { db in
            try await run.create(on: db)
            for (name, bytes) in files {
                try await ImportFile(runID: run.id!, name: name, content: Data(bytes)).create(on: db)
            }
            try await AuditLog.record(
                on: db, actor: actor, action: .create, entity: "import_run", entityID: run.id!.uuidString,
                personID: nil, changes: [.init(field: "files", before: nil, after: run.source)],
                note: "dry run asked for")
        }
        launch(app)
        return run
    }

    /// Asks for the writing of a checked run: everything, or the rows that passed.
    static func apply(_ id: UUID, mode: ImportMode, actor: Actor, on app: Application) async throws {
        try await app.writeTransaction { db in
            guard let run = try await ImportRun.find(id, on: db) else { throw Abort(.notFound) }
            guard run.status == Status.checked.rawValue || run.status == Status.refused.rawValue,
                run.mode == ImportMode.dryRun.rawValue
            else {
                throw DomainError(.conflict, "This import is not waiting for a decision (it is \(run.status)).")
            }
            let report = run.report.flatMap { try? JSONDecoder().decode(ImportReport.self, from: Data($0.utf8)) }
            if mode == .all, (report?.refused ?? 0) > 0 {
                throw DomainError(.conflict, "Rows are refused: import the valid rows, or correct the files first.")
            }
            run.mode = mode.rawValue
            run.status = Status.waiting.rawValue
            run.done = 0
            try await run.save(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .update, entity: "import_run", entityID: id.uuidString, personID: nil,
                changes: [.init(field: "mode", before: ImportMode.dryRun.rawValue, after: mode.rawValue)],
                note: "import asked for")
        }
        launch(app)
    }

    static func launch(_ app: Application) {
        Task {
            do { try await runWaiting(app) } catch {
                app.logger.error("Import could not run: \(String(describing: error))")
            }
        }
    }

    /// Takes each waiting run (one server takes each) and runs it.
    static func runWaiting(_ app: Application) async throws {
        while let next = try await ImportRun.query(on: app.db).filter(\.$status == Status.waiting.rawValue)
            .sort(\.$requestedAt).first()
        {
            let id = next.id!
            let taken = try await app.db.sql.raw(
                "UPDATE import_runs SET status = 'running' WHERE id = \(bind: id) AND status = 'waiting' RETURNING id"
            ).all()
            guard !taken.isEmpty else { continue }
            do {
                try await run(next, on: app)
            } catch {
                app.logger.error("Import \(id) failed: \(String(describing: error))")
                try await app.db.sql.update(ImportRun.schema).set("status", to: SQLBind(Status.failed.rawValue))
                    .set("finished_at", to: SQLBind(Clock.now())).set("error", to: SQLBind(String(describing: error)))
                    .where("id", .equal, SQLBind(id)).run()
            }
        }
    }

    private static func run(_ r: ImportRun, on app: Application) async throws {
        let id = r.id!
        let files = try await ImportFile.query(on: app.db).filter(\.$runID == id).all()
        let mode = ImportMode(rawValue: r.mode) ?? .dryRun
        var report: ImportReport
        do {
            let tables = try ImportSource.tables(Dictionary(files.map { ($0.name, [UInt8]($0.content)) }) { a, _ in a })
            let importer = Importer(
                app: app, tables: tables, mode: mode, actor: Actor(id: r.requestedByID.uuidString, name: r.requestedBy),
                userID: r.requestedByID)
            let last = NIOLockedValueBox(Date.distantPast)
            importer.progress = { done, total in
                let due = last.withLockedValue { t in
                    guard Date().timeIntervalSince(t) > 0.5 else { return false }
                    t = Date()
                    return true
                }
                guard due else { return }
                Task {
                    try? await app.db.sql.update(ImportRun.schema).set("done", to: SQLBind(done))
                        .set("total", to: SQLBind(total)).where("id", .equal, SQLBind(id)).run()
                }
            }
            report = try await importer.run()
        } catch let problems as ImportProblems {
            report = ImportReport(mode: mode)
            report.problems = problems.items
        }
        let status: Status =
            mode == .dryRun ? (report.problems.isEmpty ? .checked : .refused) : (report.written ? .done : .refused)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        let written = report.written
        try await app.writeTransaction { db in
            try await db.sql.update(ImportRun.schema).set("status", to: SQLBind(status.rawValue))
                .set("finished_at", to: SQLBind(Clock.now())).set("report", to: SQLBind(json))
                .set("done", to: SQLBind(1)).set("total", to: SQLBind(1)).where("id", .equal, SQLBind(id)).run()
            if written {
                // The files have done their work; the report and the keys remain.
                try await ImportFile.query(on: db).filter(\.$runID == id).delete()
            }
        }
    }

    /// At start-up: a run the last server left running waits again (its writing was one transaction: it either
    /// happened, and its keys make the rerun change nothing, or it did not), and the waiting ones run.
    static func resume(_ app: Application) async throws {
        try await app.db.sql.update(ImportRun.schema).set("status", to: SQLBind(Status.waiting.rawValue))
            .where("status", .equal, SQLBind(Status.running.rawValue)).run()
        try await runWaiting(app)
    }
}

/// Resumes the imports a stopped server left, once a serving process has started.
struct ImportResume: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        guard app.isServing else { return }
        Task {
            do { try await ImportRuns.resume(app) } catch {
                app.logger.warning("Imports not resumed: \(String(describing: error))")
            }
        }
    }
}
