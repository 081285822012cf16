import Vapor
import Fluent
import PassageDomain

/// Who may read and change person records.
enum PersonAccess {
    static let read: Set<Role> = Role.caseworkers
    static let write: Set<Role> = Role.caseworkers
}

struct PersonPagesController {
    /// The browser form: every field a string, as typed.
    struct PersonFormBody: Content {
        var familyName: String?
        var givenNames: String?
        var familyNameOriginal: String?
        var givenNamesOriginal: String?
        var aliases: String?
        var sex: String?
        var dateOfBirth: String?
        var dateOfBirthEstimated: String?
        var nationality: String?
        var languages: String?
        var phone: String?
        var locationID: String?
        var document: IdentityDocumentForm?
        /// The possible duplicates the counsellor checked and says are someone else.
        var notSameAs: [String]?

        var personForm: PersonForm {
            PersonForm(
                familyName: familyName, givenNames: givenNames, familyNameOriginal: familyNameOriginal,
                givenNamesOriginal: givenNamesOriginal,
                aliases: (aliases ?? "").split(whereSeparator: { $0 == ";" || $0 == "\n" }).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.filter { !$0.isEmpty },
                sex: sex, dateOfBirth: dateOfBirth, dateOfBirthEstimated: dateOfBirthEstimated == "true",
                nationality: nationality,
                languages: (languages ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map(
                    String.init),
                phone: phone, locationID: locationID)
        }
    }

    struct RelationForm: Content {
        var relationship: String?
        /// A name, a reference (P-…) or an id, as typed.
        var relatedPersonID: String?
        /// The person chosen among those a name found.
        var candidateID: String?
    }

    func boot(_ app: Application) {
        let persons = app.grouped("persons")
        persons.get(roles: PersonAccess.read, use: search)
        persons.get("new", roles: PersonAccess.write) { req, id in
            try await PersonPages.form(
                req, id,
                .init(
                    form: PersonForm(), document: IdentityDocumentForm(), errors: nil,
                    locations: locationOptions(req), editing: nil))
        }
        persons.post("new", roles: PersonAccess.write, use: create)
        persons.get(":personID", roles: PersonAccess.read, use: show)
        persons.get(":personID", "edit", roles: PersonAccess.write, use: editForm)
        persons.post(":personID", "edit", roles: PersonAccess.write, use: update)
        persons.post(":personID", "documents", roles: PersonAccess.write, use: addDocument)
        persons.post(":personID", "documents", ":documentID", "delete", roles: PersonAccess.write) {
            req, id -> Response in
            let pid = try req.uuid("personID")
            try await PersonRecords.removeDocument(
                try req.uuid("documentID"), of: pid, actor: id.actor, on: req.application)
            return req.redirect(to: "\(CorePaths.person(pid))?notice=document-removed")
        }
        persons.post(":personID", "household", roles: PersonAccess.write, use: addLink)
        persons.post(":personID", "household", ":linkID", "delete", roles: PersonAccess.write) { req, id -> Response in
            let pid = try req.uuid("personID")
            try await PersonRecords.unlink(try req.uuid("linkID"), of: pid, actor: id.actor, on: req.application)
            return req.redirect(to: "\(CorePaths.person(pid))?notice=link-removed")
        }
    }

    func locationOptions(_ req: Request) async throws -> [(value: String, label: String)] {
        try await Location.query(on: req.db).sort(\.$name).all().map { ($0.id!.uuidString, "\($0.name) (\($0.city))") }
    }

    func search(_ req: Request, _ id: Identity) async throws -> Response {
        let name = req.query[String.self, at: "name"] ?? ""
        let document = req.query[String.self, at: "document"] ?? ""
        let dobText = (req.query[String.self, at: "dob"] ?? "").trimmingCharacters(in: .whitespaces)
        let page = try req.queryInteger("page", default: 1, in: 1...1000)
        var dob: PartialDate?
        var dobError: String?
        if !dobText.isEmpty {
            dob = PartialDate(parsing: dobText)
            if dob == nil { dobError = req.t("persons.search.dob.invalid") }
        }
        let query = PersonSearch.Query(
            name: name, document: document, dateOfBirth: dob, limit: 26, offset: (page - 1) * 25)
        var results: [PersonSummary] = []
        var hasMore = false
        var total: Int?
        if !query.isEmpty && dobError == nil {
            let found = try await PersonSearch.counted(query, on: req.db, index: req.application.nameIndex)
            hasMore = found.hits.count > 25
            total = found.total
            results = try await PersonSearch.results(
                for: Array(found.hits.prefix(25)), name: name, dateOfBirth: dob, on: req.db)
        }
        let html = PersonPages.search(
            req, id,
            .init(
                name: name, document: document, dob: dobText, dobError: dobError,
                results: results, searched: !query.isEmpty || dobError != nil,
                page: page, hasMore: hasMore, total: total))
        return html.response(status: dobError == nil ? .ok : .unprocessableEntity)
    }

    func create(_ req: Request, _ id: Identity) async throws -> Response {
        let body = try req.content.decode(PersonFormBody.self)
        let form = body.personForm
        let docForm = body.document ?? IdentityDocumentForm()
        let wantsDocument =
            !(docForm.number ?? "").trimmingCharacters(in: .whitespaces).isEmpty || !(docForm.type ?? "").isEmpty
        let notSame = Set((body.notSameAs ?? []).compactMap(UUID.init(uuidString:)))
        do {
            let (details, docs) = try PersonValidation.validate(
                form, documents: wantsDocument ? [docForm] : [],
                documentPrefix: { _ in "document." }, today: PersonRecords.today())
            let person = try await PersonRecords.create(
                details, documents: docs, actor: id.actor, duplicates: .checked(notSameAs: notSame),
                on: req.application)
            return req.redirect(to: "\(CorePaths.person(person.id!))?notice=created")
        } catch let errors as ValidationErrors {
            return try await PersonPages.form(
                req, id,
                .init(
                    form: form, document: docForm, errors: errors,
                    locations: locationOptions(req), editing: nil)
            )
            .response(status: .unprocessableEntity)
        } catch let found as DuplicateCheck.Found {
            return try await PersonPages.form(
                req, id,
                .init(
                    form: form, document: docForm, errors: nil, locations: locationOptions(req), editing: nil,
                    duplicates: found.candidates, notSameAs: notSame)
            )
            .response(status: .conflict)
        }
    }

    func show(_ req: Request, _ id: Identity) async throws -> Response {
        let pid = try req.uuid("personID")
        // A merged record leads to the one it was merged into.
        if let into = try await Person.find(pid, on: req.db)?.mergedInto {
            return req.redirect(to: "\(CorePaths.person(into))?notice=redirected")
        }
        return try await detail(req, id, pid: pid, link: nil).encodeResponse(for: req)
    }

    /// The person's page; `link` carries a family link that could not be made yet, to show again with its reasons
    /// and the persons the typed name may mean.
    func detail(
        _ req: Request, _ id: Identity, pid: UUID, link: PersonPages.LinkAttempt?, consent: SectionFailure? = nil
    ) async throws -> HTML {
        guard
            let person = try await Person.query(on: req.db).filter(\.$id == pid).with(\.$location).with(\.$documents)
                .first()
        else {
            throw Abort(.notFound, reason: "No such person.")
        }
        try await PersonRecords.recordView(of: pid, actor: id.actor, via: "page", on: req.application)
        let household = try await Self.household(of: pid, on: req.db)
        let cases = try await Case.query(on: req.db).filter(\.$person.$id == pid).with(\.$owner).sort(
            \.$openedOn, .descending
        ).all()
        let notice = req.query[String.self, at: "notice"].flatMap { key -> String? in
            [
                "created", "updated", "document-added", "document-removed", "link-added", "link-removed", "merged",
                "unmerged", "distinct", "redirected", "consent-recorded", "consent-withdrawn", "request-logged",
            ].contains(key)
                ? req.t("notice.\(key)") : nil
        }
        return PersonPages.detail(
            req, id,
            .init(
                person: PersonSummary(person), household: household,
                cases: cases.map(CaseSummary.init), notice: notice,
                canEdit: id.hasAny(PersonAccess.write), link: link,
                identity: try await PersonMergePages.block(req, id, person: person),
                consents: HTML(
                    raw: try await ConsentPages.block(req, id, personID: pid, failure: consent).raw
                        + SubjectRequestPages.block(req, id, personID: pid, failure: consent).raw)))
    }

    static func household(of pid: UUID, on db: any Database) async throws -> [HouseholdMember] {
        let links = try await HouseholdLink.query(on: db).group(.or) {
            $0.filter(\.$person.$id == pid).filter(\.$relatedPerson.$id == pid)
        }.with(\.$person).with(\.$relatedPerson).all()
        return links.map { l in
            let outward = l.$person.id == pid
            let other = outward ? l.relatedPerson : l.person
            let rel = Relationship(rawValue: l.relationship) ?? .sibling
            return HouseholdMember(
                linkID: l.id!, personID: other.id!, name: "\(other.familyName), \(other.givenNames)",
                relationship: (outward ? rel : rel.inverse).rawValue)
        }
    }

    func editForm(_ req: Request, _ id: Identity) async throws -> HTML {
        let pid = try req.uuid("personID")
        guard let p = try await Person.find(pid, on: req.db) else { throw Abort(.notFound, reason: "No such person.") }
        try await PersonRecords.recordView(of: pid, actor: id.actor, via: "edit form", on: req.application)
        return try await PersonPages.form(
            req, id,
            .init(
                form: p.form, document: IdentityDocumentForm(), errors: nil,
                locations: locationOptions(req), editing: pid))
    }

    func update(_ req: Request, _ id: Identity) async throws -> Response {
        let pid = try req.uuid("personID")
        guard try await Person.find(pid, on: req.db) != nil else { throw Abort(.notFound, reason: "No such person.") }
        let form = try req.content.decode(PersonFormBody.self).personForm
        do {
            let details = try PersonValidation.validate(form, today: PersonRecords.today())
            _ = try await PersonRecords.update(pid, with: details, actor: id.actor, on: req.application)
            return req.redirect(to: "\(CorePaths.person(pid))?notice=updated")
        } catch let errors as ValidationErrors {
            return try await PersonPages.form(
                req, id,
                .init(
                    form: form, document: IdentityDocumentForm(), errors: errors,
                    locations: locationOptions(req), editing: pid)
            )
            .response(status: .unprocessableEntity)
        }
    }

    func addDocument(_ req: Request, _ id: Identity) async throws -> Response {
        let pid = try req.uuid("personID")
        let form = try req.content.decode(IdentityDocumentForm.self)
        let details = try IdentityDocumentValidation.validate(form)
        try await req.writeTransaction { db in
            _ = try await PersonRecords.live(pid, on: db)
            try await PersonRecords.addDocument(details, to: pid, actor: id.actor, on: db)
        }
        return req.redirect(to: "\(CorePaths.person(pid))?notice=document-added")
    }

    func addLink(_ req: Request, _ id: Identity) async throws -> Response {
        let pid = try req.uuid("personID")
        let form = try req.content.decode(RelationForm.self)
        var errors = ValidationErrors()
        let rel = Relationship(rawValue: form.relationship ?? "")
        if rel == nil {
            errors.add(
                "relationship", "must be one of " + Relationship.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let raw = (form.relatedPersonID ?? "").trimmingCharacters(in: .whitespaces)
        // The person chosen from a list, or a pasted reference (P-1A2B3C4D) or id; otherwise a name to look up.
        var related: UUID? = (form.candidateID).flatMap(UUID.init(uuidString:)) ?? UUID(uuidString: raw)
        if related == nil, !raw.isEmpty {
            related = try await Person.query(on: req.db).filter(\.$reference == raw.uppercased()).first()?.id
        }
        var candidates: [PersonSummary] = []
        if related == nil && raw.isEmpty {
            errors.add("relatedPersonID", "give the other person's name or reference (P-…)")
        } else if related == nil {
            let hits = try await PersonSearch.run(
                .init(name: raw, limit: 11), on: req.db, index: req.application.nameIndex)
            candidates = try await PersonSearch.persons(for: hits, on: req.db).map(PersonSummary.init)
                .filter { $0.id != pid }
            errors.add(
                "relatedPersonID",
                candidates.isEmpty
                    ? "no one of that name or reference was found: try another spelling or the reference (P-…)"
                    : "choose the person meant from the list below")
        }
        var failure: ValidationErrors? = errors.isEmpty ? nil : errors
        var message: String?
        if failure == nil, let related, let rel {
            do {
                try await PersonRecords.link(pid, to: related, as: rel, actor: id.actor, on: req.application)
                return req.redirect(to: "\(CorePaths.person(pid))?notice=link-added")
            } catch let e as DomainError {
                message = e.message
            } catch let e as ValidationErrors {
                failure = e
            }
        }
        let attempt = PersonPages.LinkAttempt(
            relationship: form.relationship, typed: raw, errors: failure, message: message,
            candidates: Array(candidates.prefix(10)))
        return try await detail(req, id, pid: pid, link: attempt).response(
            status: message == nil ? .unprocessableEntity : .conflict)
    }
}
