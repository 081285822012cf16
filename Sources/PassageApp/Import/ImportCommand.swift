import Fluent
import Foundation
import PassageDomain
import Vapor

/// `passage import DIR --user USERNAME [--dry-run | --valid-rows]`: brings in an office's records from the files of
/// the import layout in DIR (see the README), showing progress, then what was found and done.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "directory", help: "the folder with persons.csv, return_cases.csv, ... (or .xlsx)")
        var directory: String
        @Option(name: "user", help: "the username of the manager the import is recorded as")
        var user: String?
        @Flag(name: "dry-run", help: "check every row and write nothing") var dryRun: Bool
        @Flag(name: "valid-rows", help: "write the rows that pass; the refused ones wait for a corrected file")
        var validRows: Bool
        @Option(name: "report", help: "write the report (every refused row with its file, line and field) as JSON here")
        var report: String?
        @Option(name: "password-file", help: "for an archive `passage export` protected: a file with its password")
        var passwordFile: String?
        init() {}
    }

    var help: String {
        "Imports persons, return cases and their history from CSV or XLSX files; nothing is written while any row is "
            + "refused (unless --valid-rows), and the same files again change nothing."
    }

    static let roles: Set<Role> = ImportRuns.roles

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let username = signature.user,
            let user = try await User.query(on: app.db).filter(\.$username == username).first(), user.active,
            !user.roles.isDisjoint(with: Self.roles)
        else {
            throw UsageError("--user: give the username of an active manager; the import is theirs")
        }
        if signature.dryRun && signature.validRows { throw UsageError("--dry-run and --valid-rows: choose one") }
        let tables: [ImportKind: ImportTable]
        do {
            if signature.directory.lowercased().hasSuffix(".zip") {
                guard let path = signature.passwordFile else {
                    throw UsageError("--password-file: give the file with the archive's password")
                }
                let bytes = FileManager.default.contents(atPath: signature.directory).map { [UInt8]($0) } ?? []
                let entries: [(name: String, data: [UInt8])]
                do { entries = try ProtectedZip.open(bytes, password: try ExportCommand.password(path)) } catch {
                    throw UsageError("\(signature.directory): \(error)")
                }
                tables = try ImportSource.tables(Dictionary(entries.map { ($0.name, $0.data) }) { a, _ in a })
            } else {
                tables = try ImportSource.read(directory: signature.directory)
            }
        } catch let error as ImportProblems {
            for p in error.items { context.console.error(p.description) }
            throw UsageError("the files cannot be read: nothing was imported")
        }
        let mode: ImportMode = signature.dryRun ? .dryRun : signature.validRows ? .validRows : .all
        let importer = Importer(
            app: app, tables: tables, mode: mode, actor: Actor(id: user.id!.uuidString, name: user.username),
            userID: user.id!)
        let bar = ProgressBar(console: context.console)
        importer.progress = { done, total in bar.show(done, of: total) }
        let report = try await importer.run()
        bar.finish()
        if let path = signature.report {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: path))
        }
        for kind in ImportKind.allCases {
            guard let c = report.counts[kind.rawValue] else { continue }
            context.console.print(
                "\(kind.rawValue): \(c.rows) rows, \(c.created) new, \(c.updated) changed, \(c.unchanged) unchanged, "
                    + "\(c.refused) refused")
        }
        for p in report.problems.prefix(200) { context.console.print(p.description) }
        if report.problems.count > 200 {
            context.console.print("… and \(report.problems.count - 200) more (--report FILE writes them all)")
        }
        let rate = report.seconds > 0 ? Int(Double(report.rows) / report.seconds) : 0
        switch (mode, report.written) {
        case (.dryRun, _):
            context.console.print(
                "Dry run: \(report.rows) rows checked in \(String(format: "%.1f", report.seconds)) s, "
                    + "\(report.refused) would be refused; nothing was written.")
        case (_, true):
            context.console.print(
                "Imported: \(report.rows - report.refused) rows in \(String(format: "%.1f", report.seconds)) s "
                    + "(\(rate) rows/s)" + (report.refused > 0 ? "; \(report.refused) refused rows wait." : "."))
        default:
            throw UsageError(
                "\(report.refused) rows are refused (above): nothing was written. Correct them, or import the "
                    + "rest with --valid-rows.")
        }
    }
}

/// A line on the terminal that shows how far a long task is, its speed and the time left.
final class ProgressBar: @unchecked Sendable {
    let console: any Console
    let started = Date()
    private var last = Date.distantPast
    private let lock = NSLock()

    init(console: any Console) { self.console = console }

    func show(_ done: Int, of total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(last) > 0.2 || done == total, total > 0 else { return }
        last = now
        let width = 30
        let filled = min(width, width * done / total)
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        let line =
            "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + "\(done * 100 / total)% · \(Int(rate)) rows/s · \(Int(left / 60)):"
            + String(format: "%02d", Int(left) % 60) + " left"
        FileHandle.standardError.write(Data(("\r" + line).utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
