import Vapor
import Fluent
import SQLKit
import PassageDomain

/// Creating and changing persons: each change with its search terms and its audit entry in one transaction.
enum PersonRecords {
    static func today() -> (year: Int, month: Int, day: Int) { Clock.todayParts() }

    /// Resolves a location id from a form; an unknown one is a field error, not a 500.
    static func locationID(_ raw: String?, on db: any Database) async throws -> UUID? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let id = UUID(uuidString: raw), try await Location.find(id, on: db) != nil else {
            var e = ValidationErrors()
            e.add("locationID", "is not a known location")
            throw e
        }
        return id
    }

    static func create(
        _ d: PersonDetails, documents: [IdentityDocumentDetails] = [], actor: Actor,
        on app: Application
    ) async throws -> Person {
        let locationID = try await locationID(d.locationID, on: app.db)
        return try await app.writeTransaction { db in
            try await insert(d, locationID: locationID, documents: documents, actor: actor, on: db)
        }
    }

    /// Writes a new person inside the caller's transaction.
    static func insert(
        _ d: PersonDetails, locationID: UUID?, documents: [IdentityDocumentDetails], actor: Actor,
        on db: any Database
    ) async throws -> Person {
        let p = Person()
        p.id = UUID()
        p.reference = CaseValidation.personReference(number: try await CaseRecords.nextNumber(key: "P", on: db) ?? 1)
        p.apply(d, locationID: locationID)
        try await p.create(on: db)
        try await writeTerms(for: p, on: db)
        try await AuditLog.record(
            on: db, actor: actor, action: .create, entity: "person", entityID: p.id!.uuidString,
            personID: p.id, changes: AuditRecord.diff(before: [:], after: p.auditSnapshot))
        for doc in documents {
            try await addDocument(doc, to: p.id!, actor: actor, on: db)
        }
        return p
    }

    static func update(_ id: UUID, with d: PersonDetails, actor: Actor, on app: Application) async throws -> Person {
        let locationID = try await locationID(d.locationID, on: app.db)
        return try await app.writeTransaction { db in
            guard let p = try await Person.find(id, on: db) else { throw Abort(.notFound, reason: "No such person.") }
            let before = p.auditSnapshot
            p.apply(d, locationID: locationID)
            let changes = AuditRecord.diff(before: before, after: p.auditSnapshot)
            guard !changes.isEmpty else { return p }
            try await p.update(on: db)
            try await db.sql.delete(from: "person_search_terms").where("person_id", .equal, SQLBind(id)).run()
            try await writeTerms(for: p, on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .update, entity: "person", entityID: id.uuidString,
                personID: id, changes: changes)
            return p
        }
    }

    static func writeTerms(for p: Person, on db: any Database) async throws {
        let terms = SearchTerms.stored(names: p.allNames)
        guard !terms.isEmpty else { return }
        var insert = db.sql.insert(into: "person_search_terms").columns("term", "kind", "person_id")
        for t in terms {
            insert = insert.values(SQLBind(t.text), SQLBind(t.kind.rawValue), SQLBind(p.id!))
        }
        try await insert.run()
    }

    @discardableResult
    static func addDocument(_ d: IdentityDocumentDetails, to personID: UUID, actor: Actor, on db: any Database)
        async throws -> IdentityDocument
    {
        let doc = IdentityDocument(personID: personID, details: d)
        try await doc.create(on: db)
        try await AuditLog.record(
            on: db, actor: actor, action: .create, entity: "identity_document", entityID: doc.id!.uuidString,
            personID: personID, changes: AuditRecord.diff(before: [:], after: doc.auditSnapshot))
        return doc
    }

    static func removeDocument(_ docID: UUID, of personID: UUID, actor: Actor, on app: Application) async throws {
        try await app.writeTransaction { db in
            guard
                let doc = try await IdentityDocument.query(on: db).filter(\.$id == docID).filter(
                    \.$person.$id == personID
                ).first()
            else {
                throw Abort(.notFound, reason: "No such document on this person's record.")
            }
            try await doc.delete(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .delete, entity: "identity_document", entityID: docID.uuidString,
                personID: personID, changes: AuditRecord.diff(before: doc.auditSnapshot, after: [:]))
        }
    }

    static func link(
        _ personID: UUID, to relatedID: UUID, as relationship: Relationship, actor: Actor, on app: Application
    ) async throws {
        guard personID != relatedID else { throw DomainError(.invalid, "A person cannot be linked to themselves.") }
        try await app.writeTransaction { db in
            guard try await Person.find(personID, on: db) != nil, try await Person.find(relatedID, on: db) != nil else {
                throw Abort(.notFound, reason: "No such person.")
            }
            let existing = try await HouseholdLink.query(on: db).group(.or) { g in
                g.group(.and) { $0.filter(\.$person.$id == personID).filter(\.$relatedPerson.$id == relatedID) }
                g.group(.and) { $0.filter(\.$person.$id == relatedID).filter(\.$relatedPerson.$id == personID) }
            }.first()
            if existing != nil { throw DomainError(.conflict, "These two persons are already linked.") }
            let link = HouseholdLink(personID: personID, relatedPersonID: relatedID, relationship: relationship)
            try await link.create(on: db)
            for (who, other, rel) in [(personID, relatedID, relationship), (relatedID, personID, relationship.inverse)]
            {
                try await AuditLog.record(
                    on: db, actor: actor, action: .create, entity: "household_link", entityID: link.id!.uuidString,
                    personID: who, changes: [.init(field: rel.rawValue, before: nil, after: other.uuidString)])
            }
        }
    }

    static func unlink(_ linkID: UUID, of personID: UUID, actor: Actor, on app: Application) async throws {
        try await app.writeTransaction { db in
            guard let link = try await HouseholdLink.find(linkID, on: db),
                link.$person.id == personID || link.$relatedPerson.id == personID
            else {
                throw Abort(.notFound, reason: "No such household link on this person's record.")
            }
            try await link.delete(on: db)
            for who in [link.$person.id, link.$relatedPerson.id] {
                try await AuditLog.record(
                    on: db, actor: actor, action: .delete, entity: "household_link", entityID: linkID.uuidString,
                    personID: who,
                    changes: [.init(field: link.relationship, before: link.$relatedPerson.id.uuidString, after: nil)])
            }
        }
    }

    /// Reading a person's record is itself recorded.
    static func recordView(of personID: UUID, actor: Actor, via: String, on app: Application) async throws {
        try await AuditLog.views(app, actor, entity: "person", entityID: personID, persons: [personID], note: via)
    }
}
