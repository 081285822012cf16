import Vapor
import Fluent
import PassageDomain

struct PersonAPIController {
    struct CreateBody: Content {
        var person: PersonForm
        var documents: [IdentityDocumentForm]?
    }
    struct Page<T: Content>: Content { var items: [T]; var limit: Int; var offset: Int }
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
            let hits = try await PersonSearch.run(q, on: req.db, index: req.application.nameIndex)
            return Page(
                items: try await PersonSearch.results(for: hits, name: q.name, on: req.db), limit: limit,
                offset: offset)
        }
        persons.post(roles: PersonAccess.write) { req, id -> Response in
            let body = try req.content.decode(CreateBody.self)
            let (details, docs) = try PersonValidation.validate(
                body.person, documents: body.documents ?? [],
                documentPrefix: { "documents[\($0)]." }, today: PersonRecords.today())
            let p = try await PersonRecords.create(details, documents: docs, actor: id.actor, on: req.application)
            let full = try await Self.load(p.id!, on: req.db)
            let res = try await PersonSummary(full).encodeResponse(status: .created, for: req)
            res.headers.replaceOrAdd(name: .location, value: "/api/v1\(CorePaths.person(p.id!))")
            return res
        }
        persons.get(":personID", roles: PersonAccess.read) { req, id -> PersonDetail in
            let pid = try req.uuid("personID")
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
                guard try await Person.find(pid, on: db) != nil else {
                    throw Abort(.notFound, reason: "No such person.")
                }
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

    static func load(_ id: UUID, on db: any Database) async throws -> Person {
        guard let p = try await Person.query(on: db).filter(\.$id == id).with(\.$location).with(\.$documents).first()
        else {
            throw Abort(.notFound, reason: "No such person.")
        }
        return p
    }
}

extension PersonSummary: Content {}
extension HouseholdMember: Content {}
extension CaseSummary: Content {}
extension PersonForm: Content {}
extension IdentityDocumentForm: Content {}
extension CaseForm: Content {}
