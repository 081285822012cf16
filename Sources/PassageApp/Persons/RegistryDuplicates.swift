import Fluent
import Foundation
import NIOConcurrencyHelpers
import PassageDomain
import SQLKit
import Vapor

/// A pair the registry's batch check took for one person.
final class DuplicateReview: Model, @unchecked Sendable {
    static let schema = "duplicate_reviews"
    @ID(key: .id) var id: UUID?
    @Field(key: "person_a") var personA: UUID
    @Field(key: "person_b") var personB: UUID
    @Field(key: "score") var score: Int
    @Field(key: "found_at") var foundAt: Date
    init() {}
}

/// The batch check of the whole registry (`Deduplication`), and the review queue it leaves for staff.
enum RegistryDuplicates {
    struct Summary: Content {
        var persons: Int
        var compared: Int
        var pairs: Int
        var clusters: Int
        var seconds: Double
    }

    /// Where a check stands: its step, and how far through it.
    enum Step: String, Codable, Sendable, CaseIterable { case reading, comparing, saving }
    typealias Progress = @Sendable (Step, _ done: Int, _ total: Int) async -> Void

    /// Reads every person who is not merged, finds the records of one person, and replaces the review queue.
    /// `progress` is told how far it is, at most a few times a second.
    static func check(_ app: Application, actor: Actor, progress: Progress? = nil) async throws -> Summary {
        let started = ContinuousClock.now
        let db = app.db
        var ids: [UUID] = []
        var records: [IdentityMatch.Record] = []
        var index: [UUID: Int] = [:]
        let total =
            try await db.sql.raw("SELECT COUNT(*) AS n FROM persons WHERE merged_into IS NULL").first()?.decode(
                column: "n", as: Int.self) ?? 0
        await progress?(.reading, 0, total)
        let rows = try await db.sql.raw(
            """
            SELECT id, family_name, given_names, family_name_original, given_names_original, aliases, sex, dob_year, \
            dob_month, dob_day, dob_estimated, nationality, phone FROM persons WHERE merged_into IS NULL
            """
        ).all()
        for (n, r) in rows.enumerated() {
            if n % 20_000 == 0 && n > 0 { await progress?(.reading, n, total) }
            let id = try r.decode(column: "id", as: UUID.self)
            let aliases =
                (try? JSONDecoder().decode(
                    [String].self, from: Data((try r.decode(column: "aliases", as: String.self)).utf8))) ?? []
            var dob: PartialDate?
            if let year = try r.decode(column: "dob_year", as: Int?.self) {
                dob = PartialDate(
                    year: year, month: try r.decode(column: "dob_month", as: Int?.self),
                    day: try r.decode(column: "dob_day", as: Int?.self),
                    estimated: try r.decode(column: "dob_estimated", as: Bool.self))
            }
            index[id] = ids.count
            ids.append(id)
            records.append(
                IdentityMatch.Record(
                    familyName: try r.decode(column: "family_name", as: String.self),
                    givenNames: try r.decode(column: "given_names", as: String.self),
                    otherNames: [
                        try r.decode(column: "family_name_original", as: String?.self) ?? "",
                        try r.decode(column: "given_names_original", as: String?.self) ?? "",
                    ] + aliases,
                    sex: Sex(rawValue: try r.decode(column: "sex", as: String.self)) ?? .unknown, dateOfBirth: dob,
                    nationality: try r.decode(column: "nationality", as: String.self),
                    phone: try r.decode(column: "phone", as: String?.self)))
        }
        for r in try await db.sql.raw("SELECT person_id, number FROM identity_documents").all() {
            if let i = index[try r.decode(column: "person_id", as: UUID.self)] {
                records[i].documentNumbers.append(
                    IdentityDocumentDetails.normaliseNumber(try r.decode(column: "number", as: String.self)))
            }
        }
        // Households: persons linked directly or through others are one household, of different people.
        var household = [Int](repeating: -1, count: ids.count)
        var parent = Array(ids.indices)
        func root(_ x: Int) -> Int {
            var r = x
            while parent[r] != r { r = parent[r] }
            return r
        }
        for r in try await db.sql.raw("SELECT person_id, related_person_id FROM household_links").all() {
            guard let a = index[try r.decode(column: "person_id", as: UUID.self)],
                let b = index[try r.decode(column: "related_person_id", as: UUID.self)]
            else { continue }
            parent[root(a)] = root(b)
            household[a] = 0
            household[b] = 0
        }
        var distinct = Set<[Int]>()
        for pair in try await PersonDistinction.query(on: db).all() {
            if let a = index[pair.personA], let b = index[pair.personB] { distinct.insert([min(a, b), max(a, b)]) }
        }
        let entries = records.indices.map { i in
            Deduplication.Entry(records[i], household: household[i] >= 0 ? root(i) : nil)
        }
        // The comparison is one long computation: it runs off the event loop, and its share done is passed on.
        await progress?(.comparing, 0, 100)
        let share = NIOLockedValueBox<(Double, Deduplication.Result?)>((0, nil))
        let work = Task.detached(priority: .utility) { [entries, distinct] in
            let result = Deduplication.run(entries, distinct: distinct) { f in share.withLockedValue { $0.0 = f } }
            share.withLockedValue { $0.1 = result }
            return result
        }
        var reported = 0
        while share.withLockedValue({ $0.1 }) == nil {
            try? await Task.sleep(for: .milliseconds(250))
            let done = Int(share.withLockedValue { $0.0 } * 100)
            if done != reported { reported = done; await progress?(.comparing, done, 100) }
        }
        let result = await work.value
        await progress?(.saving, 0, result.pairs.count)
        let found = Clock.now()
        try await app.writeTransaction { [ids] db in
            try await db.sql.delete(from: DuplicateReview.schema).run()
            for chunk in stride(from: 0, to: result.pairs.count, by: 500) {
                var insert = db.sql.insert(into: DuplicateReview.schema).columns(
                    "id", "person_a", "person_b", "score", "found_at")
                for p in result.pairs[chunk..<min(chunk + 500, result.pairs.count)] {
                    let (a, b) = PersonDistinction.ordered(ids[p.a], ids[p.b])
                    insert = insert.values(SQLBind(UUID()), SQLBind(a), SQLBind(b), SQLBind(p.score), SQLBind(found))
                }
                try await insert.run()
            }
            try await AuditLog.record(
                on: db, actor: actor, action: .update, entity: "duplicate_reviews", entityID: "", personID: nil,
                note: "registry check: \(ids.count) persons, \(result.pairs.count) pairs in \(result.clusters.count) "
                    + "groups")
        }
        let elapsed = ContinuousClock.now - started
        return Summary(
            persons: ids.count, compared: result.compared, pairs: result.pairs.count, clusters: result.clusters.count,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// The open pairs, best first: neither merged since, nor said to be different people.
    /// Showing them is a read of both persons of each pair, recorded for `reader`.
    static func open(limit: Int, offset: Int, reader: Actor, app: Application) async throws -> (
        items: [(DuplicateReview, Person, Person)], total: Int
    ) {
        let db = app.db
        let base: SQLQueryString = """
            FROM duplicate_reviews r JOIN persons a ON a.id = r.person_a JOIN persons b ON b.id = r.person_b \
            WHERE a.merged_into IS NULL AND b.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM person_distinctions d \
            WHERE d.person_a = r.person_a AND d.person_b = r.person_b)
            """
        var count: SQLQueryString = "SELECT COUNT(*) AS n "
        count.appendInterpolation(base)
        let total = try await db.sql.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0
        var page: SQLQueryString = "SELECT r.id AS id "
        page.appendInterpolation(base)
        page.appendInterpolation(unsafeRaw: " ORDER BY r.score DESC, r.id LIMIT \(limit) OFFSET \(offset)")
        let reviewIDs = try await db.sql.raw(page).all().map { try $0.decode(column: "id", as: UUID.self) }
        guard !reviewIDs.isEmpty else { return ([], total) }
        let reviews = try await DuplicateReview.query(on: db).filter(\.$id ~~ reviewIDs).all()
        let personIDs = reviews.flatMap { [$0.personA, $0.personB] }
        let persons = Dictionary(
            uniqueKeysWithValues: try await Person.query(on: db).filter(\.$id ~~ personIDs).with(\.$documents)
                .with(\.$location).all().map { ($0.id!, $0) })
        let ordered = reviews.sorted { ($0.score, $1.id!.uuidString) > ($1.score, $0.id!.uuidString) }.compactMap {
            r -> (DuplicateReview, Person, Person)? in
            guard let a = persons[r.personA], let b = persons[r.personB] else { return nil }
            return (r, a, b)
        }
        try await AuditLog.listed(
            app, reader, entity: "person", rows: ordered.flatMap { [($0.1.id!, $0.1.id!), ($0.2.id!, $0.2.id!)] },
            note: "duplicate review queue")
        return (ordered, total)
    }

    /// When the queue was last filled.
    static func lastChecked(on db: any Database) async throws -> Date? {
        try await DuplicateReview.query(on: db).sort(\.$foundAt, .descending).first()?.foundAt
    }
}

/// `passage duplicates check`: runs the registry's batch check and fills the review queue.
struct DuplicatesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "check") var action: String
        init() {}
    }
    var help: String { "check: finds the records of the registry that are one person and fills the review queue." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "check" else { throw UsageError("action must be check") }
        try await context.application.autoMigrate()
        // A bar on the terminal: the step, how far, and the time so far.
        let started = ContinuousClock.now
        let s = try await RegistryDuplicates.check(context.application, actor: Actor(id: "command", name: "command")) {
            step, done, total in
            let share = total > 0 ? Double(min(done, total)) / Double(total) : 0
            let filled = Int(share * 30)
            let seconds = Double((ContinuousClock.now - started).components.seconds)
            let line =
                "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled) + "] "
                + "\(step.rawValue) \(done)/\(total) \(Int(seconds)) s   "
            FileHandle.standardError.write(Data(line.utf8))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        context.console.print(
            "Checked \(s.persons) persons in \(String(format: "%.1f", s.seconds)) s: \(s.compared) pairs compared, "
                + "\(s.pairs) pairs in \(s.clusters) groups to review.")
    }
}
