import Vapor
import Fluent
import PassageDomain

enum CaseAccess {
    static let read: Set<Role> = Role.caseworkers
    static let write: Set<Role> = Role.caseworkers
    /// Who reads a person's medical details, in every programme.
    static let medical: Set<Role> = [.medicalOfficer, .manager]
}

struct CasePagesController {
    struct ChangeForm: Content {
        var status: String?; var ownerID: String?; var officeLocationID: String?; var reason: String?
    }

    func boot(_ app: Application) {
        let cases = app.grouped("cases")
        cases.get(roles: CaseAccess.read, use: list)
        cases.get("mine", roles: CaseAccess.read, use: mine)
        cases.get("export", roles: CaseAccess.read) { req, id in
            try await CaseExport.response(req, id, format: try CaseExport.format(req))
        }
        cases.get("new", roles: CaseAccess.write) { req, id in
            let form = CaseForm(
                programme: nil, personID: req.query[String.self, at: "personID"], ownerID: id.userID.uuidString)
            return try await newForm(req, id, form: form, errors: nil)
        }
        cases.post("new", roles: CaseAccess.write, use: create)
        cases.get(":caseID", roles: CaseAccess.read) { req, id in
            try await show(req, id, errors: nil, message: nil, audit: true)
        }
        cases.post(":caseID", roles: CaseAccess.write, use: change)
    }

    /// Whom the viewer may make the owner of a case: its programme's staff and managers when the viewer is a
    /// manager or the owner, else no one but the present owner (the form then changes nothing).
    static func owners(for c: Case, viewer: Identity, _ db: any Database) async throws -> [(
        value: String, label: String
    )] {
        let programme = c.programme
        let mayChange = viewer.has(.manager) || c.$owner.id == viewer.userID
        return try await User.query(on: db).filter(\.$active == true).sort(\.$displayName).all()
            .filter { mayChange ? CaseOwnership.mayOwn($0.roles, programme: programme) : $0.id == c.$owner.id }
            .map { ($0.id!.uuidString, $0.displayName) }
    }

    static func owners(_ db: any Database) async throws -> [(value: String, label: String)] {
        try await User.query(on: db).filter(\.$active == true).sort(\.$displayName).all()
            .filter { !$0.roles.contains(.partner) && !$0.roles.isDisjoint(with: Role.caseworkers) }
            .map { ($0.id!.uuidString, $0.displayName) }
    }

    static func locations(_ db: any Database) async throws -> [(value: String, label: String)] {
        try await Location.query(on: db).sort(\.$name).all().map { ($0.id!.uuidString, $0.name) }
    }

    func list(_ req: Request, _ id: Identity) async throws -> HTML {
        let paging = try ListPaging.read(
            req, sorts: CaseListing.sorts, default: "opened", descending: true, pageSize: 25)
        let f = CasePages.Filters(
            programme: req.query[String.self, at: "programme"], status: req.query[String.self, at: "status"],
            locationID: req.query[String.self, at: "location"], ownerID: req.query[String.self, at: "owner"])
        let listing = try await CaseListing.run(
            .init(
                programme: f.programme, status: f.status, locationID: f.locationID,
                ownerID: f.ownerID, page: paging.page, pageSize: paging.pageSize, sort: paging.sort,
                descending: paging.descending), on: req.db)
        return CasePages.list(
            req, id,
            .init(
                title: req.t("cases.title"), cases: listing.cases, filters: f, total: listing.total,
                paging: paging, locations: try await Self.locations(req.db),
                owners: try await Self.owners(req.db), basePath: "/cases"))
    }

    func mine(_ req: Request, _ id: Identity) async throws -> HTML {
        let paging = try ListPaging.read(
            req, sorts: CaseListing.sorts, default: "opened", descending: true, pageSize: 50)
        let listing = try await CaseListing.run(
            .init(
                ownerID: id.userID.uuidString, openOnly: true, page: paging.page, pageSize: paging.pageSize,
                sort: paging.sort, descending: paging.descending), on: req.db)
        return CasePages.list(
            req, id,
            .init(
                title: req.t("nav.mycases"), cases: listing.cases, filters: nil, total: listing.total,
                paging: paging, locations: [], owners: [], basePath: "/cases/mine",
                banner: try await EmergencyPages.banner(req, id)))
    }

    func newForm(_ req: Request, _ id: Identity, form: CaseForm, errors: ValidationErrors?) async throws -> HTML {
        var person: PersonSummary?
        if let pid = form.personID.flatMap(UUID.init(uuidString:)), let p = try await Person.find(pid, on: req.db) {
            person = PersonSummary(p)
        }
        return CasePages.newForm(
            req, id,
            .init(
                form: form, person: person, errors: errors,
                locations: try await Self.locations(req.db), owners: try await Self.owners(req.db)))
    }

    func create(_ req: Request, _ id: Identity) async throws -> Response {
        let form = try req.content.decode(CaseForm.self)
        do {
            let c = try await CaseRecords.open(form, actor: id.actor, on: req.application)
            return req.redirect(to: CorePaths.case(c.id!))
        } catch let e as ValidationErrors {
            return try await newForm(req, id, form: form, errors: e).response(status: .unprocessableEntity)
        }
    }

    func show(_ req: Request, _ id: Identity, errors: ValidationErrors?, message: String?, audit: Bool = false)
        async throws -> HTML
    {
        let cid = try req.uuid("caseID")
        guard
            let c = try await Case.query(on: req.db).filter(\.$id == cid).with(\.$person).with(\.$owner).with(
                \.$officeLocation
            ).first()
        else {
            throw Abort(.notFound, reason: "No such case.")
        }
        let events = try await Timeline.lines(of: c, for: id, newestFirst: true, reader: req.t, on: req.db)
        if audit { try await CaseRecords.recordView(of: CaseSummary(c), by: id, via: "page", on: req.application) }
        return CasePages.detail(
            req, id,
            .init(
                c: CaseSummary(c), events: events.map { ($0.at, $0.actor, $0.kind, $0.text) },
                owners: try await Self.owners(for: c, viewer: id, req.db),
                locations: try await Self.locations(req.db),
                errors: errors, message: message, canEdit: id.hasAny(CaseAccess.write),
                blocks: try await req.application.caseBlocks(req, id, caseID: cid)))
    }

    func change(_ req: Request, _ id: Identity) async throws -> Response {
        let cid = try req.uuid("caseID")
        let form = try req.content.decode(ChangeForm.self)
        var status: CaseStatus?
        if let raw = form.status, !raw.isEmpty {
            guard let s = CaseStatus(rawValue: raw) else {
                var e = ValidationErrors();
                e.add("status", "must be one of " + CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))
                return try await show(req, id, errors: e, message: nil).response(status: .unprocessableEntity)
            }
            status = s
        }
        do {
            _ = try await CaseRecords.change(
                cid,
                .init(
                    status: status, ownerID: .some(form.ownerID), officeLocationID: .some(form.officeLocationID),
                    summary: nil, reason: form.reason ?? ""), identity: id, on: req.application)
            return req.redirect(to: CorePaths.case(cid))
        } catch let e as ValidationErrors {
            return try await show(req, id, errors: e, message: nil).response(status: .unprocessableEntity)
        } catch let e as DomainError {
            return try await show(req, id, errors: nil, message: e.message).response(
                status: e.kind == .notAllowed ? .forbidden : .conflict)
        }
    }
}

/// Case lists with filters and paging, shared by the pages and the API.
enum CaseListing {
    struct Filter: Sendable {
        var programme: String?
        var status: String?
        var locationID: String?
        var ownerID: String?
        var personID: String?
        var openOnly = false
        var page = 1
        var pageSize = 25
        /// One of `CaseListing.sorts`; newest first unless said.
        var sort = "opened"
        var descending = true
    }

    static let sorts = ["reference", "person", "status", "opened"]

    static func run(_ f: Filter, on db: any Database) async throws -> (cases: [CaseSummary], total: Int) {
        let q = Case.query(on: db)
        if let p = f.programme, !p.isEmpty {
            if let v = Programme(rawValue: p) { q.filter(\.$programme == v) } else { q.filter(\.$id == UUID()) }
        }
        if let s = f.status, !s.isEmpty {
            if let v = CaseStatus(rawValue: s) { q.filter(\.$status == v) } else { q.filter(\.$id == UUID()) }
        }
        if f.openOnly { q.filter(\.$status != .closed) }
        if let l = f.locationID, !l.isEmpty { q.filter(\.$officeLocation.$id == UUID(uuidString: l) ?? UUID()) }
        if let o = f.ownerID, !o.isEmpty { q.filter(\.$owner.$id == UUID(uuidString: o) ?? UUID()) }
        if let p = f.personID, !p.isEmpty { q.filter(\.$person.$id == UUID(uuidString: p) ?? UUID()) }
        let total = try await q.copy().count()
        let page = max(1, f.page)
        let direction: DatabaseQuery.Sort.Direction = f.descending ? .descending : .ascending
        switch f.sort {
        case "reference": q.sort(\.$reference, direction)
        case "status": q.sort(\.$status, direction).sort(\.$openedOn, .descending)
        case "person":
            q.join(Person.self, on: \Case.$person.$id == \Person.$id).sort(Person.self, \.$familyName, direction)
                .sort(Person.self, \.$givenNames, direction)
        default: q.sort(\.$openedOn, direction)
        }
        let rows = try await q.with(\.$person).with(\.$owner).with(\.$officeLocation)
            .sort(\.$reference, .descending)
            .range(((page - 1) * f.pageSize)..<(page * f.pageSize)).all()
        return (rows.map(CaseSummary.init), total)
    }
}
