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

    /// Registers a person. When `duplicates` asks for the check, the likely duplicates the caller has not said are
    /// other people are thrown as `DuplicateCheck.Found` and nothing is saved; those said to be other people are
    /// remembered as such.
    /// A person's record that may be changed: a merged record is refused with where to go instead.
    static func live(_ id: UUID, on db: any Database) async throws -> Person {
        guard let p = try await Person.find(id, on: db) else { throw Abort(.notFound, reason: "No such person.") }
        if let into = p.mergedInto {
            let ref = try await Person.find(into, on: db)?.reference ?? into.uuidString
            throw DomainError(
                .conflict, "\(p.reference) was merged into \(ref) (\(into.uuidString)): change that record.")
        }
        return p
    }

    static func create(
        _ d: PersonDetails, documents: [IdentityDocumentDetails] = [], actor: Actor,
        duplicates: DuplicateCheck.Policy = .none, on app: Application
    ) async throws -> Person {
        let locationID = try await locationID(d.locationID, on: app.db)
        var notSame = Set<UUID>()
        if case .checked(let said) = duplicates {
            let found = try await DuplicateCheck.candidates(
                for: d, documents: documents, on: app.db, index: app.nameIndex)
            let open = found.filter { !said.contains($0.person.id) }
            if !open.isEmpty {
                // The candidates are shown with their records: a read of each.
                try await AuditLog.listed(
                    app, actor, entity: "person", rows: found.map { ($0.person.id, $0.person.id) },
                    note: "duplicate check")
                throw DuplicateCheck.Found(candidates: found)
            }
            notSame = said
        }
        return try await app.writeTransaction { [notSame] db in
            let p = try await insert(d, locationID: locationID, documents: documents, actor: actor, on: db)
            try await DuplicateCheck.recordDistinct(p.id!, from: notSame, actor: actor, on: db)
            return p
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
            let p = try await live(id, on: db)
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

    /// Sets a person's fields to `form` inside the caller's transaction (a merge and its undo), with the search terms
    /// and an audit entry for what changed.
    static func rewrite(_ p: Person, to form: PersonForm, actor: Actor, note: String, on db: any Database)
        async throws
    {
        let details = try PersonValidation.validate(form, today: today())
        let before = p.auditSnapshot
        p.apply(details, locationID: details.locationID.flatMap(UUID.init(uuidString:)))
        let changes = AuditRecord.diff(before: before, after: p.auditSnapshot)
        guard !changes.isEmpty else { return }
        try await p.update(on: db)
        try await db.sql.delete(from: "person_search_terms").where("person_id", .equal, SQLBind(p.id!)).run()
        try await writeTerms(for: p, on: db)
        try await AuditLog.record(
            on: db, actor: actor, action: .update, entity: "person", entityID: p.id!.uuidString, personID: p.id,
            changes: changes, note: note)
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
            _ = try await live(personID, on: db)
            _ = try await live(relatedID, on: db)
            if try await linked(personID, relatedID, on: db) {
                throw DomainError(.conflict, "These two persons are already linked.")
            }
            try await writeLink(personID, to: relatedID, as: relationship, actor: actor, on: db)
        }
    }

    /// Whether two persons are linked, in either direction.
    static func linked(_ a: UUID, _ b: UUID, on db: any Database) async throws -> Bool {
        try await HouseholdLink.query(on: db).group(.or) { g in
            g.group(.and) { $0.filter(\.$person.$id == a).filter(\.$relatedPerson.$id == b) }
            g.group(.and) { $0.filter(\.$person.$id == b).filter(\.$relatedPerson.$id == a) }
        }.first() != nil
    }

    /// Writes a household link and its audit entry on each person's record, inside the caller's transaction.
    static func writeLink(
        _ personID: UUID, to relatedID: UUID, as relationship: Relationship, actor: Actor, note: String = "",
        on db: any Database
    ) async throws {
        let link = HouseholdLink(personID: personID, relatedPersonID: relatedID, relationship: relationship)
        try await link.create(on: db)
        for (who, other, rel) in [(personID, relatedID, relationship), (relatedID, personID, relationship.inverse)] {
            try await AuditLog.record(
                on: db, actor: actor, action: .create, entity: "household_link", entityID: link.id!.uuidString,
                personID: who, changes: [.init(field: rel.rawValue, before: nil, after: other.uuidString)], note: note)
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

/// A person named in a referral: a record held already, or the details of a new one.
enum PersonChoice: Sendable {
    case existing(UUID)
    /// A new record with the identity documents it arrives with.
    case new(PersonDetails, [IdentityDocumentDetails] = [])

    /// The record's id, writing the new one inside the caller's transaction.
    func id(actor: Actor, on db: any Database) async throws -> UUID {
        switch self {
        case .existing(let id): return id
        case .new(let d, let documents):
            return try await PersonRecords.insert(d, locationID: nil, documents: documents, actor: actor, on: db).id!
        }
    }

    var existingID: UUID? { if case .existing(let id) = self { id } else { nil } }
}

extension PersonRecords {
    /// Reads a person given by `<field>ID` (a record held, not merged away) or by their details (validated like the
    /// person form, each refusal under `<field>.<detail>`) with the identity documents a new record arrives with;
    /// nil, with the reason in `e`, when neither will do.
    static func choose(
        _ id: String?, _ p: PersonForm?, documents: [IdentityDocumentForm]? = nil, field: String,
        into e: inout ValidationErrors, on db: any Database
    ) async throws -> PersonChoice? {
        var docs: [IdentityDocumentDetails] = []
        for (i, d) in (documents ?? []).prefix(10).enumerated() {
            do {
                docs.append(try IdentityDocumentValidation.validate(d, prefix: "\(field).documents.\(i + 1)."))
            } catch let v as ValidationErrors {
                for item in v.items { e.add(item.field, item.message) }
            }
        }
        if (documents ?? []).count > 10 { e.add(field + ".documents", "at most 10 documents") }
        if let raw = id, !raw.isEmpty {
            if !(documents ?? []).isEmpty {
                e.add(field + ".documents", "are added on the record of a person registered already")
            }
            guard let pid = UUID(uuidString: raw), let found = try await Person.find(pid, on: db),
                found.mergedInto == nil
            else {
                e.add(field + "ID", "is not a known person")
                return nil
            }
            return .existing(found.id!)
        }
        guard let p else {
            e.add(field, "is required: a personID, or the person's details")
            return nil
        }
        do {
            return .new(try PersonValidation.validate(p, today: today()), docs)
        } catch let v as ValidationErrors {
            for i in v.items { e.add("\(field).\(i.field)", i.message) }
            return nil
        }
    }
}

extension PersonRecords {
    /// A person of a page's form, by `<prefix>Reference` or by the details typed under `<prefix>FamilyName`,
    /// `<prefix>GivenNames`, `<prefix>Sex`, `<prefix>DateOfBirth` and `<prefix>Nationality` (nothing typed: nil).
    static func fromPage(_ f: FormFields, prefix p: String, into e: inout ValidationErrors, on db: any Database)
        async throws -> (String?, PersonForm?)
    {
        let reference = (f[p + "Reference"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        if !reference.isEmpty {
            if let found = try await Person.query(on: db).filter(\.$reference == reference).first() {
                return (found.id!.uuidString, nil)
            }
            e.add(p + "Reference", "is not a person's reference (like P-000123)")
            return (nil, nil)
        }
        let keys = ["FamilyName", "GivenNames", "Sex", "DateOfBirth", "Nationality"]
        guard keys.contains(where: { !(f[p + $0] ?? "").isEmpty }) else { return (nil, nil) }
        return (
            nil,
            PersonForm(
                familyName: f[p + "FamilyName"], givenNames: f[p + "GivenNames"], sex: f[p + "Sex"],
                dateOfBirth: f[p + "DateOfBirth"], nationality: f[p + "Nationality"])
        )
    }
}
