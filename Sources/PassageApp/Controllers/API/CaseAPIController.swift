import Vapor
import Fluent
import PassageDomain

struct CaseAPIController {
    struct Listing: Content { var items: [CaseSummary]; var total: Int; var page: Int; var pageSize: Int }
    struct Event: Content { var at: Date; var actor: String; var kind: String; var text: String }
    struct Detail: Content { var `case`: CaseSummary; var timeline: [Event] }
    struct ChangeBody: Content {
        var status: String?
        var ownerID: String?
        var officeLocationID: String?
        var summary: String?
        var reason: String?
    }

    func boot(_ api: any RoutesBuilder) {
        let cases = api.grouped("cases")
        cases.get(roles: CaseAccess.read) { req, id -> Listing in
            let page = try req.queryPage()
            let size = try req.queryInteger("pageSize", default: 25, in: 1...200)
            let f = try CaseExport.Filter.read(req, for: id)
            let r = try await CaseListing.run(
                .init(
                    programme: f.programme, status: f.status, locationID: f.locationID?.uuidString,
                    ownerID: f.ownerID?.uuidString, personID: f.personID?.uuidString,
                    page: page, pageSize: size), on: req.db)
            return Listing(items: r.cases, total: r.total, page: page, pageSize: size)
        }
        cases.get("export", roles: CaseAccess.read) { req, id in
            try await CaseExport.response(req, id, format: try CaseExport.format(req))
        }
        cases.post(roles: CaseAccess.write) { req, id -> Response in
            let c = try await CaseRecords.open(
                try req.content.decode(CaseForm.self), actor: id.actor, on: req.application)
            return try await Self.detail(c.id!, for: id, on: req.db).encodeResponse(status: .created, for: req)
        }
        cases.get(":caseID", roles: CaseAccess.read) { req, id in
            let detail = try await Self.detail(try req.uuid("caseID"), for: id, on: req.db)
            try await CaseRecords.recordView(of: detail.case, by: id, via: "api", on: req.application)
            return detail
        }
        cases.patch(":caseID", roles: CaseAccess.write) { req, id -> Detail in
            let cid = try req.uuid("caseID")
            let b = try req.content.decode(ChangeBody.self)
            var status: CaseStatus?
            if let s = b.status {
                guard let v = CaseStatus(rawValue: s) else {
                    var e = ValidationErrors();
                    e.add("status", "must be one of " + CaseStatus.allCases.map(\.rawValue).joined(separator: ", "));
                    throw e
                }
                status = v
            }
            _ = try await CaseRecords.change(
                cid,
                .init(
                    status: status, ownerID: b.ownerID.map { .some($0) } ?? nil,
                    officeLocationID: b.officeLocationID.map { .some($0) } ?? nil,
                    summary: b.summary, reason: b.reason ?? ""), identity: id, on: req.application)
            return try await Self.detail(cid, for: id, on: req.db)
        }
    }

    static func detail(_ id: UUID, for viewer: Identity, on db: any Database) async throws -> Detail {
        guard
            let c = try await Case.query(on: db).filter(\.$id == id).with(\.$person).with(\.$owner).with(
                \.$officeLocation
            ).first()
        else {
            throw Abort(.notFound, reason: "No such case.")
        }
        return Detail(
            case: CaseSummary(c), timeline: try await Timeline.lines(of: c, for: viewer, newestFirst: false, on: db))
    }
}

struct RegistryAPIController {
    struct LocationDTO: Content {
        var id: UUID; var name: String; var kind: String; var city: String; var country: String; var partnerID: UUID?
    }
    struct PartnerDTO: Content {
        var id: UUID; var name: String; var kind: String; var country: String?; var contactEmail: String?
        /// Who proposed it, while an administrator has not confirmed it.
        var proposedBy: String?
    }

    func boot(_ api: any RoutesBuilder) {
        api.get("locations", roles: RegistryController.readers) { req, _ -> [LocationDTO] in
            try await Location.query(on: req.db).sort(\.$name).all().map(Self.dto)
        }
        api.post("locations", roles: RegistryController.editors) { req, id -> Response in
            let l = try await RegistryRecords.validate(
                try req.content.decode(RegistryRecords.LocationForm.self), on: req.db)
            return try await Self.dto(
                try await RegistryRecords.save(location: l, replacing: nil, actor: id.actor, on: req.application)
            )
            .encodeResponse(status: .created, for: req)
        }
        api.get("partners", roles: RegistryController.readers) { req, _ -> [PartnerDTO] in
            try await Partner.query(on: req.db).sort(\.$name).all().map(Self.dto)
        }
        api.post("partners", roles: RegistryController.editors) { req, id -> Response in
            let p = try RegistryRecords.validate(try req.content.decode(RegistryRecords.PartnerForm.self))
            return try await Self.dto(
                try await RegistryRecords.save(partner: p, replacing: nil, actor: id.actor, on: req.application)
            )
            .encodeResponse(status: .created, for: req)
        }
        api.post("partners", "proposals", roles: RegistryController.proposers) { req, id -> Response in
            let f = try req.content.decode(RegistryController.ProposalForm.self)
            let p = try await RegistryRecords.propose(
                embassy: .init(name: f.name, country: f.country, contactEmail: f.contactEmail), actor: id.actor,
                on: req.application)
            return try await Self.dto(p).encodeResponse(status: .created, for: req)
        }
        api.get("me", roles: Set(Role.allCases)) { _, id -> [String: String] in
            [
                "id": id.userID.uuidString, "username": id.username, "name": id.name,
                "roles": id.roles.map(\.rawValue).sorted().joined(separator: ","),
            ]
        }
    }

    static func dto(_ l: Location) -> LocationDTO {
        LocationDTO(
            id: l.id!, name: l.name, kind: l.kind.rawValue, city: l.city, country: l.country, partnerID: l.$partner.id)
    }
    static func dto(_ p: Partner) -> PartnerDTO {
        PartnerDTO(
            id: p.id!, name: p.name, kind: p.kind.rawValue, country: p.country, contactEmail: p.contactEmail,
            proposedBy: p.proposedBy)
    }
}
