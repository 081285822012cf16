import Vapor
import Fluent
import PassageDomain

struct PersonAPIController {
    struct CreateBody: Content {
        var person: PersonForm
        var documents: [IdentityDocumentForm]?
        /// The persons the caller checked and says are someone else (from a 409's candidates).
        var notSameAs: [UUID]?
    }
    /// A registration refused because the person may already be held.
    struct DuplicateAnswer: Content {
        var error: String
        var candidates: [DuplicateCheck.Candidate]
    }
    struct Page<T: Content>: Content { var items: [T]; var limit: Int; var offset: Int; var total: Int? = nil }
    struct PersonDetail: Content {
        var person: PersonSummary
        var household: [HouseholdMember]
        var cases: [CaseSummary]
    }
    struct LinkBody: Content { var relatedPersonID: UUID; var relationship: String }

    func boot(_ api: any RoutesBuilder) {
        let persons = api.grouped("persons")
        persons.get(roles: PersonAccess.read) { req, _ -> Page<PersonSummary> in
            let limit = try req.queryInteger("limit", default: 25, in: 1...200)
            let offset = try req.queryInteger("offset", default: 0, in: 0...10_000_000)
            var q = PersonSearch.Query(
                name: req.query[String.self, at: "name"] ?? "", document: req.query[String.self, at: "document"] ?? "",
                limit: limit, offset: offset)
            if let dob = req.query[String.self, at: "dob"], !dob.isEmpty {
                guard let d = PartialDate(parsing: dob) else {
                    throw ValidationErrors("dob", "must be a date like 1990, 1990-05 or 1990-05-21")
                }
                q.dateOfBirth = d
            }
            guard !q.isEmpty else {
                throw ValidationErrors("name", "give a name, document or dob to search for")
            }
            let (hits, total) = try await PersonSearch.counted(q, on: req.db, index: req.application.nameIndex)
            return Page(
                items: try await PersonSearch.results(for: hits, name: q.name, dateOfBirth: q.dateOfBirth, on: req.db),
                limit: limit, offset: offset, total: total)
        }
        persons.post(roles: PersonAccess.write) { req, id -> Response in
            let body = try req.content.decode(CreateBody.self)
            let (details, docs) = try PersonValidation.validate(
                body.person, documents: body.documents ?? [],
                documentPrefix: { "documents[\($0)]." }, today: PersonRecords.today())
            let p: Person
            do {
                p = try await PersonRecords.create(
                    details, documents: docs, actor: id.actor,
                    duplicates: .checked(notSameAs: Set(body.notSameAs ?? [])), on: req.application)
            } catch let found as DuplicateCheck.Found {
                return try await DuplicateAnswer(
                    error:
                        "This person may already be registered. Open the record that is theirs, or send the ids of "
                        + "those who are someone else in notSameAs.",
                    candidates: found.candidates
                ).encodeResponse(status: .conflict, for: req)
            }
            let full = try await Self.load(p.id!, on: req.db)
            let res = try await PersonSummary(full).encodeResponse(status: .created, for: req)
            res.headers.replaceOrAdd(name: .location, value: "/api/v1\(CorePaths.person(p.id!))")
            return res
        }
        persons.get(":personID", roles: PersonAccess.read) { req, id -> PersonDetail in
            // A merged record's id answers with the record it was merged into.
            let pid = try await Self.current(try req.uuid("personID"), on: req.db)
            let p = try await Self.load(pid, on: req.db)
            try await PersonRecords.recordView(of: pid, actor: id.actor, via: "api", on: req.application)
            let cases = try await CaseListing.run(.init(personID: pid.uuidString, page: 1, pageSize: 200), on: req.db)
                .cases
            return PersonDetail(
                person: PersonSummary(p), household: try await PersonPagesController.household(of: pid, on: req.db),
                cases: cases)
        }
        persons.patch(":personID", roles: PersonAccess.write) { req, id -> PersonSummary in
            let pid = try req.uuid("personID")
            let p = try await Self.load(pid, on: req.db)
            let patch = try req.content.decode(PersonForm.self)
            let merged = p.form.overlaid(by: patch)
            let details = try PersonValidation.validate(merged, today: PersonRecords.today())
            _ = try await PersonRecords.update(pid, with: details, actor: id.actor, on: req.application)
            return PersonSummary(try await Self.load(pid, on: req.db))
        }
        persons.post(":personID", "documents", roles: PersonAccess.write) { req, id -> Response in
            let pid = try req.uuid("personID")
            let details = try IdentityDocumentValidation.validate(try req.content.decode(IdentityDocumentForm.self))
            try await req.writeTransaction { db in
                _ = try await PersonRecords.live(pid, on: db)
                try await PersonRecords.addDocument(details, to: pid, actor: id.actor, on: db)
            }
            return try await PersonSummary(try await Self.load(pid, on: req.db)).encodeResponse(
                status: .created, for: req)
        }
        persons.delete(":personID", "documents", ":documentID", roles: PersonAccess.write) { req, id -> HTTPStatus in
            try await PersonRecords.removeDocument(
                try req.uuid("documentID"), of: try req.uuid("personID"), actor: id.actor, on: req.application)
            return .noContent
        }
        bootIdentity(persons)
        persons.post(":personID", "household", roles: PersonAccess.write) { req, id -> Response in
            let pid = try req.uuid("personID")
            let body = try req.content.decode(LinkBody.self)
            guard let rel = Relationship(rawValue: body.relationship) else {
                var e = ValidationErrors();
                e.add(
                    "relationship", "must be one of " + Relationship.allCases.map(\.rawValue).joined(separator: ", "));
                throw e
            }
            try await PersonRecords.link(pid, to: body.relatedPersonID, as: rel, actor: id.actor, on: req.application)
            return try await PersonPagesController.household(of: pid, on: req.db).encodeResponse(
                status: .created, for: req)
        }
    }

    struct MergeBody: Content { var mergedID: UUID; var reason: String }
    struct DistinctBody: Content { var otherID: UUID }
    /// A merge as the API shows it.
    struct MergeDTO: Content {
        var id: UUID
        var survivorID: UUID
        var mergedID: UUID
        var reason: String
        var mergedBy: String
        var mergedAt: String
        /// Rows moved, by table.
        var moved: [String: Int]
        var undoneAt: String?
        init(_ r: PersonMerge) {
            id = r.id!; survivorID = r.survivorID; mergedID = r.mergedID; reason = r.reason
            mergedBy = r.mergedByName; mergedAt = AuditLog.timestamp(r.mergedAt)
            undoneAt = r.undoneAt.map { AuditLog.timestamp($0) }
            moved = r.moved.reduce(into: [:]) { $0[$1.table, default: 0] += $1.ids.count }
        }
    }

    struct ReviewDTO: Content {
        var id: UUID
        var score: Int
        var personA: PersonSummary
        var personB: PersonSummary
    }
    struct ReviewPage: Content { var items: [ReviewDTO]; var total: Int; var limit: Int; var offset: Int }

    /// Possible duplicates, merging and its undo, and "not the same person".
    func bootIdentity(_ persons: any RoutesBuilder) {
        persons.get("duplicate-reviews", roles: MergeAccess.merge) { req, id -> ReviewPage in
            let limit = try req.queryInteger("limit", default: 25, in: 1...200)
            let offset = try req.queryInteger("offset", default: 0, in: 0...10_000_000)
            let (items, total) = try await RegistryDuplicates.open(
                limit: limit, offset: offset, reader: id.actor, app: req.application)
            return ReviewPage(
                items: items.map {
                    ReviewDTO(
                        id: $0.0.id!, score: $0.0.score, personA: PersonSummary($0.1), personB: PersonSummary($0.2))
                }, total: total, limit: limit, offset: offset)
        }
        persons.post("duplicate-reviews", "check", roles: MergeAccess.check) { req, id -> Response in
            // The check runs in the background; the answer says where to follow it.
            let (check, _) = try await RegistryChecks.request(req.application, actor: id.actor)
            let res = try await RegistryChecks.State(check).encodeResponse(status: .accepted, for: req)
            res.headers.replaceOrAdd(name: .location, value: "/api/v1/persons/duplicate-reviews/check")
            return res
        }
        persons.get("duplicate-reviews", "check", roles: MergeAccess.merge) { req, _ -> RegistryChecks.State in
            guard let c = try await RegistryChecks.latest(on: req.db) else {
                throw Abort(.notFound, reason: "The registry has not been checked yet.")
            }
            return RegistryChecks.State(c)
        }
        persons.get(":personID", "duplicates", roles: MergeAccess.merge) { req, id -> [DuplicateCheck.Candidate] in
            let p = try await Self.load(try req.uuid("personID"), on: req.db)
            let found = try await DuplicateCheck.candidates(of: p, on: req.db, index: req.application.nameIndex)
            try await AuditLog.listed(
                req.application, id.actor, entity: "person", rows: found.map { ($0.person.id, $0.person.id) },
                note: "possible duplicates")
            return found
        }
        persons.post(":personID", "merge", roles: MergeAccess.merge) { req, id -> MergeDTO in
            let body = try req.content.decode(MergeBody.self)
            let record = try await PersonMerging.merge(
                body.mergedID, into: try req.uuid("personID"), reason: body.reason, by: id, app: req.application)
            return MergeDTO(record)
        }
        persons.post("merges", ":mergeID", "undo", roles: MergeAccess.merge) { req, id -> MergeDTO in
            MergeDTO(try await PersonMerging.undo(try req.uuid("mergeID"), by: id, app: req.application))
        }
        persons.post(":personID", "distinct", roles: MergeAccess.merge) { req, id -> HTTPStatus in
            let pid = try req.uuid("personID")
            let body = try req.content.decode(DistinctBody.self)
            guard body.otherID != pid else { throw ValidationErrors("otherID", "must be another person") }
            try await req.writeTransaction { db in
                _ = try await PersonRecords.live(pid, on: db)
                _ = try await PersonRecords.live(body.otherID, on: db)
                try await DuplicateCheck.recordDistinct(pid, from: [body.otherID], actor: id.actor, on: db)
            }
            return .noContent
        }
    }

    /// The record a person's id stands for now: itself, or the one it was merged into.
    static func current(_ id: UUID, on db: any Database) async throws -> UUID {
        var id = id
        for _ in 0..<100 {
            guard let into = try await Person.find(id, on: db)?.mergedInto else { return id }
            id = into
        }
        return id
    }

    static func load(_ id: UUID, on db: any Database) async throws -> Person {
        guard let p = try await Person.query(on: db).filter(\.$id == id).with(\.$location).with(\.$documents).first()
        else {
            throw Abort(.notFound, reason: "No such person.")
        }
        return p
    }
}

extension PersonSummary: Content {}
extension DuplicateCheck.Candidate: Content {}
extension HouseholdMember: Content {}
extension CaseSummary: Content {}
extension PersonForm: Content {}
extension IdentityDocumentForm: Content {}
extension CaseForm: Content {}
