import Fluent
import Foundation
import NIOConcurrencyHelpers
import PassageDomain
import SQLKit
import Vapor

/// The one mechanism that decides who reads a restricted field. Each field of a record that holds more than the
/// record's list says is tagged here with its category (`FieldTags`): the core's and every module's
/// (`PassageModule.fieldCategories`). Who reads each category is the office's matrix (`category_readers`, changed by
/// administrators on `/protection/access`), which every signed-in identity carries (`Identity.reads`). A record
/// may widen it for one person (a trafficking record's owner and named staff, an emergency opening):
/// `FieldAccess.readable(on:)` answers for one case. Pages, API answers, exports, the audit view and the timeline
/// read through these.
enum FieldAccess {
    /// Who may see the matrix and the tags; administrators change the matrix.
    static let readers: Set<Role> = [.manager, .administrator]
    static let editors: Set<Role> = [.administrator]

    private struct MatrixKey: StorageKey { typealias Value = NIOLockedValueBox<CategoryMatrix?> }

    /// Makes the place the matrix is kept in; `configure` calls it once.
    static func install(_ app: Application) { app.storage[MatrixKey.self] = .init(nil) }

    private static func box(_ app: Application) -> NIOLockedValueBox<CategoryMatrix?> {
        guard let box = app.storage[MatrixKey.self] else { fatalError("FieldAccess.install runs in configure") }
        return box
    }

    /// The matrix as stored (read once, then kept until it is changed); the office's starting one before the
    /// migration has run.
    static func matrix(_ app: Application, on db: any Database) async throws -> CategoryMatrix {
        let box = box(app)
        if let m = box.withLockedValue({ $0 }) { return m }
        guard try await db.tableExists(CategoryReaders.schema) else { return .standard }
        var readers = CategoryMatrix.standard.readers
        for row in try await CategoryReaders.query(on: db).all() {
            guard let c = row.id.flatMap(DataCategory.init(rawValue:)) else { continue }
            readers[c] = CategoryReaders.roles(row.roles)
        }
        let m = CategoryMatrix(readers: readers)
        box.withLockedValue { $0 = m }
        return m
    }

    /// Changes the matrix from the page's ticked boxes (`c.<category>.<role>`), audited per category.
    static func change(_ f: FormFields, by viewer: Identity, on app: Application) async throws {
        let before = try await matrix(app, on: app.db)
        var readers: [DataCategory: Set<Role>] = [:]
        var e = ValidationErrors()
        for key in f.keys where key.hasPrefix("c.") {
            let parts = key.split(separator: ".").map(String.init)
            guard parts.count == 3, let c = DataCategory(rawValue: parts[1]), let r = Role(rawValue: parts[2]) else {
                e.add(key, "is not a category and a role")
                continue
            }
            guard Input.flag(f[key]) else { continue }
            readers[c, default: []].insert(r)
        }
        let after = CategoryMatrix(readers: readers)
        if let (c, reason) = after.refusal() { e.add("c.\(c.rawValue)", reason) }
        try e.throwIfAny()
        try await app.writeTransaction { db in
            for c in DataCategory.allCases where before.readers[c] != after.readers[c] {
                let row = try await CategoryReaders.find(c.rawValue, on: db) ?? CategoryReaders(c, [])
                let old = CategoryReaders.roles(row.roles)
                row.roles = CategoryReaders.text(after.readers[c] ?? [])
                try await row.save(on: db)
                try await AuditLog.record(
                    on: db, actor: viewer.actor, action: .update, entity: "category_readers", entityID: c.rawValue,
                    personID: nil,
                    changes: AuditRecord.diff(before: ["roles": CategoryReaders.text(old)], after: ["roles": row.roles])
                )
            }
        }
        box(app).withLockedValue { $0 = after }
    }

    /// What `viewer` reads of one case: their roles' categories, a trafficking record they own or were granted by
    /// name, and what they opened in an emergency within the hour. `vulnerabilities`: the case's, when the caller
    /// has read them already.
    static func readable(
        _ c: Case, for viewer: Identity, vulnerabilities: [VulnerabilityRecord]? = nil, on db: any Database
    ) async throws -> Set<DataCategory> {
        var can = viewer.categories
        let caseID = try c.requireID()
        if !can.contains(.trafficking) {
            var records = vulnerabilities ?? []
            if vulnerabilities == nil {
                records = try await VulnerabilityRecord.query(on: db).filter(\.$caseRecord.$id == caseID)
                    .filter(\.$kind == VulnerabilityKind.trafficking).all()
            }
            let record = records.first { $0.kind == .trafficking }?.decode(TraffickingRecord.self)
            if (record ?? TraffickingRecord()).visible(
                toUser: viewer.userID.uuidString, readsCategory: false, caseOwnerID: c.$owner.id?.uuidString)
            {
                can.insert(.trafficking)
            }
        }
        return can.union(try await BreakGlass.active(user: viewer.userID, case: caseID, on: db))
    }
}

/// The fields that hold restricted categories, by the entity names the audit trail uses: `entity` tags every field
/// of it, `entity.field` one field. A field not tagged is of no restricted category: whoever reads the record reads
/// it.
enum FieldTags {
    /// The core's: identity and travel document numbers are ordinary data that only caseworkers read.
    static let core: [String: DataCategory] = [
        "identity_document.number": .ordinary, "travel_document_request.number": .ordinary,
    ]

    /// Every tag, the core's and each module's.
    static let all: [String: DataCategory] = {
        var tags = core
        for m in Modules.registered { tags.merge(m.fieldCategories) { a, _ in a } }
        return tags
    }()

    /// The category of a field of an entity, nil when it is not tagged.
    static func category(entity: String, field: String?) -> DataCategory? {
        let tags = all
        if let field, let c = tags["\(entity).\(field)"] { return c }
        return tags[entity]
    }

    /// The tagged fields of each category, for the access page.
    static func fields(of category: DataCategory) -> [String] { all.filter { $0.value == category }.keys.sorted() }
}

/// Who reads one category: one row per category, the roles comma-separated.
final class CategoryReaders: Model, @unchecked Sendable {
    static let schema = "category_readers"
    @ID(custom: "category", generatedBy: .user) var id: String?
    @Field(key: "roles") var roles: String
    init() {}
    init(_ c: DataCategory, _ roles: Set<Role>) { self.id = c.rawValue; self.roles = Self.text(roles) }

    static func text(_ roles: Set<Role>) -> String { roles.sorted().map(\.rawValue).joined(separator: ",") }
    static func roles(_ text: String) -> Set<Role> {
        Set(text.split(separator: ",").compactMap { Role(rawValue: String($0)) })
    }
}

struct CreateCategoryReaders: AsyncMigration {
    var name: String { "0027_CreateCategoryReaders" }

    func prepare(on db: any Database) async throws {
        try await db.schema(CategoryReaders.schema).field("category", .string, .identifier(auto: false))
            .field("roles", .string, .required).create()
        for (c, roles) in CategoryMatrix.standard.readers { try await CategoryReaders(c, roles).create(on: db) }
        // The timeline's lines about a child's safeguards were the programme's; they are the category's now.
        try await db.sql.update("case_events").set("audience", to: TimelineAudience.childProtection.rawValue)
            .where("kind", .equal, "vulnerability").where("text", .like, "%unaccompanied_child").run()
    }

    func revert(on db: any Database) async throws { try await db.schema(CategoryReaders.schema).delete() }
}
