import Fluent
import PassageDomain
import SQLKit
import Vapor

/// Before a person is saved: the records already held that may be the same person, with their score and reasons.
enum DuplicateCheck {
    /// A record that may be the same person.
    struct Candidate: Sendable, Codable {
        var person: PersonSummary
        var score: Int
        var reasons: [IdentityMatch.Reason]
    }

    /// Thrown instead of saving when likely duplicates were found and the caller did not say they are other people.
    struct Found: Error, Sendable {
        let candidates: [Candidate]
    }

    /// Whether a registration is checked, and which records its author already said are other people.
    enum Policy: Sendable {
        case none
        case checked(notSameAs: Set<UUID>)
    }

    /// At most this many candidates are shown.
    static let shown = 10

    static func record(_ d: PersonDetails, documents: [IdentityDocumentDetails]) -> IdentityMatch.Record {
        IdentityMatch.Record(
            familyName: d.familyName, givenNames: d.givenNames,
            otherNames: [d.familyNameOriginal ?? "", d.givenNamesOriginal ?? ""] + d.aliases, sex: d.sex,
            dateOfBirth: d.dateOfBirth, nationality: d.nationality,
            documentNumbers: documents.map { IdentityDocumentDetails.normaliseNumber($0.number) },
            phone: d.phone?.e164)
    }

    /// The record of a stored person; its documents must be loaded.
    static func record(_ p: Person) -> IdentityMatch.Record {
        IdentityMatch.Record(
            familyName: p.familyName, givenNames: p.givenNames,
            otherNames: [p.familyNameOriginal ?? "", p.givenNamesOriginal ?? ""] + p.aliases,
            sex: Sex(rawValue: p.sex) ?? .unknown, dateOfBirth: p.dateOfBirth, nationality: p.nationality,
            documentNumbers: (p.$documents.value ?? []).map { IdentityDocumentDetails.normaliseNumber($0.number) },
            phone: p.phone)
    }

    /// The persons held that may be the one described, best first; `excluding` (a record being edited) and the
    /// persons staff said are not that record are left out.
    static func candidates(
        for d: PersonDetails, documents: [IdentityDocumentDetails], excluding: UUID? = nil, on db: any Database,
        index: NameIndex?
    ) async throws -> [Candidate] {
        var ids = Set<UUID>()
        func add(_ q: PersonSearch.Query) async throws {
            guard !q.isEmpty else { return }
            ids.formUnion(try await PersonSearch.run(q, on: db, index: index).map(\.id))
        }
        let fullName = d.givenNames + " " + d.familyName
        // The name as given, in any spelling; then, when the birth year is known, the name and the family name
        // alone among persons born that year (a year or two either side of an estimate): a given name spelt far
        // off or left out, and namesakes beyond the first page, are found that way.
        try await add(.init(name: fullName, limit: 50))
        if let original = [d.givenNamesOriginal, d.familyNameOriginal].compactMap({ $0 }).joined(separator: " ")
            .nilIfBlank
        {
            try await add(.init(name: original, limit: 25))
        }
        if let dob = d.dateOfBirth {
            let spread = dob.estimated ? 2 : 0
            for year in (dob.year - spread)...(dob.year + spread) {
                guard let y = PartialDate(year: year) else { continue }
                try await add(.init(name: fullName, dateOfBirth: y, limit: 50))
                try await add(.init(name: d.familyName, dateOfBirth: y, limit: 50))
            }
        }
        let numbers = documents.map { IdentityDocumentDetails.normaliseNumber($0.number) }.filter { !$0.isEmpty }
        if !numbers.isEmpty {
            let list = SQLList(numbers.map { SQLBind($0) as any SQLExpression })
            let rows = try await db.sql.raw("SELECT person_id FROM identity_documents WHERE number IN (\(list))").all()
            ids.formUnion(try rows.map { try $0.decode(column: "person_id", as: UUID.self) })
        }
        if let phone = d.phone?.e164 {
            let rows = try await db.sql.raw("SELECT id FROM persons WHERE phone = \(bind: phone) LIMIT 50").all()
            ids.formUnion(try rows.map { try $0.decode(column: "id", as: UUID.self) })
        }
        if let excluding {
            ids.remove(excluding)
            ids.subtract(try await distinct(from: excluding, on: db))
        }
        guard !ids.isEmpty else { return [] }
        let new = record(d, documents: documents)
        let persons = try await Person.query(on: db).filter(\.$id ~~ Array(ids)).filter(\.$mergedInto == nil)
            .with(\.$location).with(\.$documents).all()
        return
            persons.compactMap { p -> Candidate? in
                let a = IdentityMatch.compare(new, with: record(p))
                return a.isWorthShowing ? Candidate(person: PersonSummary(p), score: a.score, reasons: a.reasons) : nil
            }
            .sorted { ($0.score, $1.person.reference) > ($1.score, $0.person.reference) }
            .prefix(shown).map { $0 }
    }

    /// The other records that may be a stored person (its documents loaded), without those staff said are not.
    static func candidates(of p: Person, on db: any Database, index: NameIndex?) async throws -> [Candidate] {
        let documents = (p.$documents.value ?? []).map {
            IdentityDocumentDetails(type: $0.type, number: $0.number, issuingCountry: $0.issuingCountry, expiresOn: nil)
        }
        return try await candidates(
            for: try PersonValidation.validate(p.form, today: PersonRecords.today()), documents: documents,
            excluding: p.id!, on: db, index: index)
    }

    /// The persons staff decided are not `id`.
    static func distinct(from id: UUID, on db: any Database) async throws -> Set<UUID> {
        let pairs = try await PersonDistinction.query(on: db).group(.or) {
            $0.filter(\.$personA == id).filter(\.$personB == id)
        }.all()
        return Set(pairs.map { $0.personA == id ? $0.personB : $0.personA })
    }

    /// Records that `id` is not any of `others` (those not yet recorded), with an audit entry on each side.
    static func recordDistinct(_ id: UUID, from others: Set<UUID>, actor: Actor, on db: any Database) async throws {
        let known = try await distinct(from: id, on: db)
        for other in others.subtracting(known).subtracting([id]).sorted(by: { $0.uuidString < $1.uuidString }) {
            guard try await Person.find(other, on: db) != nil else { continue }
            let pair = PersonDistinction(id, other, actor: actor)
            try await pair.create(on: db)
            for (who, them) in [(id, other), (other, id)] {
                try await AuditLog.record(
                    on: db, actor: actor, action: .create, entity: "person_distinction",
                    entityID: pair.id!.uuidString, personID: who,
                    changes: [.init(field: "notSamePersonAs", before: nil, after: them.uuidString)])
            }
        }
    }
}

extension String {
    var nilIfBlank: String? { trimmingCharacters(in: .whitespaces).isEmpty ? nil : self }
}
