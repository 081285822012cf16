import Foundation
import Fluent
import PassageDomain
import SQLKit

/// Every person's names also under how they sound (`Transliteration.key`), so that the database finds Muhammad
/// for Mohammed as the name index does. Persons registered from now on get these terms when they are saved.
struct AddSoundTerms: AsyncMigration {
    var name: String { "0011_AddSoundTerms" }

    func prepare(on db: any Database) async throws {
        try await Self.writeSoundTerms(on: db)
    }

    /// Writes every person's sound terms, a thousand persons at a time.
    static func writeSoundTerms(on db: any Database) async throws {
        var after: UUID?
        while true {
            // Only the columns this migration's schema has: later ones add more to the model.
            var q = Person.query(on: db).field(\.$id).field(\.$familyName).field(\.$givenNames)
                .field(\.$familyNameOriginal).field(\.$givenNamesOriginal).field(\.$aliasesJSON).sort(\.$id).limit(1000)
            if let after { q = q.filter(\.$id > after) }
            let persons = try await q.all()
            guard let last = persons.last else { return }
            var insert = db.sql.insert(into: "person_search_terms").columns("term", "kind", "person_id")
            var any = false
            for p in persons {
                for t in SearchTerms.stored(names: p.allNames) where t.kind == .sound {
                    insert = insert.values(SQLBind(t.text), SQLBind(t.kind.rawValue), SQLBind(p.id!))
                    any = true
                }
            }
            if any { try await insert.run() }
            after = last.id
        }
    }

    func revert(on db: any Database) async throws {
        try await db.sql.delete(from: "person_search_terms").where("kind", .equal, SQLBind(2)).run()
    }
}
