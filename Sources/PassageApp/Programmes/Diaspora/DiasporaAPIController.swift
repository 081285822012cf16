import Fluent
import PassageDomain
import Vapor

/// Diaspora engagement in the JSON API: experts, host institutions, assignments and the host's evaluation.
struct DiasporaAPIController {
    struct ExpertDTO: Content, Sendable {
        var id: UUID
        var personID: UUID
        var personReference: String
        var name: String
        var profession: String
        var skills: String
        var languages: [String]
        var countries: [String]
        var email: String
        var assignments: Int
    }
    struct InstitutionDTO: Content, Sendable {
        var id: UUID
        var name: String
        var country: String
        var city: String
        var sector: HostSector
        var contact: String
        var assignments: Int
    }
    struct AssignmentDTO: Content, Sendable {
        var id: UUID
        var caseID: UUID
        var caseReference: String
        var expertID: UUID
        var expert: String
        var institutionID: UUID
        var institution: String
        var country: String
        var mode: AssignmentMode
        var status: AssignmentStatus
        var startsOn: String
        var endsOn: String
        var tasks: String
        var deliverables: String
        var score: Int?
        var evaluation: String
        var evaluatedOn: String?

        init(_ a: DPAssignment) {
            id = a.id!; caseID = a.$caseRecord.id; caseReference = a.caseRecord.reference; expertID = a.$expert.id
            expert = "\(a.expert.person.familyName), \(a.expert.person.givenNames)"; institutionID = a.$institution.id
            institution = a.institution.name; country = a.institution.country; mode = a.mode; status = a.status
            startsOn = a.startsOn; endsOn = a.endsOn; tasks = a.tasks; deliverables = a.deliverables; score = a.score
            evaluation = a.evaluation; evaluatedOn = a.evaluatedOn
        }
    }
    /// The counts the programme's reports print: assignments (physical and online) by how many experts at how many
    /// host institutions, and the hosts' mean score.
    struct Totals: Content, Sendable {
        var assignments: Int
        var physical: Int
        var online: Int
        var experts: Int
        var institutions: Int
        var completed: Int
        var evaluated: Int
        var averageScore: Double?
    }

    static func experts(on db: any Database) async throws -> [ExpertDTO] {
        let rows = try await DPExpert.query(on: db).with(\.$person).all()
        var counts: [UUID: Int] = [:]
        for a in try await DPAssignment.query(on: db).filter(\.$status != .cancelled).all() {
            counts[a.$expert.id, default: 0] += 1
        }
        return rows.sorted { $0.person.sortName < $1.person.sortName }.map {
            ExpertDTO(
                id: $0.id!, personID: $0.$person.id, personReference: $0.person.reference,
                name: "\($0.person.familyName), \($0.person.givenNames)", profession: $0.profession, skills: $0.skills,
                languages: $0.languages.split(separator: ",").map(String.init),
                countries: $0.countries.split(separator: ",").map(String.init), email: $0.email,
                assignments: counts[$0.id!] ?? 0)
        }
    }

    static func institutions(on db: any Database) async throws -> [InstitutionDTO] {
        var counts: [UUID: Int] = [:]
        for a in try await DPAssignment.query(on: db).filter(\.$status != .cancelled).all() {
            counts[a.$institution.id, default: 0] += 1
        }
        return try await DPInstitution.query(on: db).sort(\.$country).sort(\.$name).all().map {
            InstitutionDTO(
                id: $0.id!, name: $0.name, country: $0.country, city: $0.city, sector: $0.sector, contact: $0.contact,
                assignments: counts[$0.id!] ?? 0)
        }
    }

    static func assignments(on db: any Database, status: AssignmentStatus? = nil) async throws -> [DPAssignment] {
        var q = DPAssignment.query(on: db)
        if let status { q = q.filter(\.$status == status) }
        return try await q.with(\.$caseRecord).with(\.$expert, { $0.with(\.$person) }).with(\.$institution)
            .sort(\.$startsOn, .descending).limit(500).all()
    }

    static func totals(on db: any Database) async throws -> Totals {
        let all = try await DPAssignment.query(on: db).filter(\.$status != .cancelled).all()
        let scores = all.compactMap(\.score)
        return Totals(
            assignments: all.count, physical: all.filter { $0.mode == .physical }.count,
            online: all.filter { $0.mode == .online }.count, experts: Set(all.map { $0.$expert.id }).count,
            institutions: Set(all.map { $0.$institution.id }).count,
            completed: all.filter { $0.status == .completed }.count, evaluated: scores.count,
            averageScore: scores.isEmpty
                ? nil : (Double(scores.reduce(0, +)) / Double(scores.count) * 10).rounded() / 10)
    }

    /// An assignment as an answer: a reading of the expert's record.
    static func answer(_ req: Request, _ viewer: Identity, _ id: UUID, status: HTTPStatus = .ok) async throws
        -> Response
    {
        let a = try await DiasporaRecords.assignment(id, on: req.db)
        try await AuditLog.views(
            req.application, viewer.actor, entity: "dp_assignment", entityID: id, persons: [a.expert.$person.id],
            note: req.isAPI ? "api" : "page")
        return try await AssignmentDTO(a).encodeResponse(status: status, for: req)
    }

    func boot(_ api: any RoutesBuilder) {
        let dp = api.grouped("diaspora")
        dp.get("summary", roles: DiasporaAccess.read) { req, _ in try await Self.totals(on: req.db) }
        dp.get("experts", roles: DiasporaAccess.read) { req, id -> [ExpertDTO] in
            let rows = try await Self.experts(on: req.db)
            try await AuditLog.listed(
                req.application, id.actor, entity: "dp_expert", rows: rows.map { ($0.id, $0.personID) },
                note: "expert list")
            return rows
        }
        dp.post("experts", roles: DiasporaAccess.write) { req, id -> Response in
            let x = try await DiasporaRecords.createExpert(
                try req.content.decode(DiasporaExpertForm.self), by: id, on: req.application)
            return try await Self.experts(on: req.db).first { $0.id == x.id }!.encodeResponse(
                status: .created, for: req)
        }
        dp.get("institutions", roles: DiasporaAccess.read) { req, _ in try await Self.institutions(on: req.db) }
        dp.post("institutions", roles: DiasporaAccess.write) { req, id -> Response in
            let i = try await DiasporaRecords.createInstitution(try FormInput.fields(req), by: id, on: req.application)
            return try await Self.institutions(on: req.db).first { $0.id == i.id }!.encodeResponse(
                status: .created, for: req)
        }
        dp.get("assignments", roles: DiasporaAccess.read) { req, id -> [AssignmentDTO] in
            var e = ValidationErrors()
            let raw = req.query[String.self, at: "status"] ?? ""
            let status = raw.isEmpty ? nil : AssignmentStatus.read(raw, field: "status", into: &e)
            try e.throwIfAny()
            let rows = try await Self.assignments(on: req.db, status: status)
            try await AuditLog.listed(
                req.application, id.actor, entity: "dp_assignment", rows: rows.map { ($0.id!, $0.expert.$person.id) },
                note: "assignment list")
            return rows.map(AssignmentDTO.init)
        }
        dp.post("assignments", roles: DiasporaAccess.write) { req, id -> Response in
            let a = try await DiasporaRecords.createAssignment(try FormInput.fields(req), by: id, on: req.application)
            return try await Self.answer(req, id, a.id!, status: .created)
        }
        dp.get("assignments", ":assignmentID", roles: DiasporaAccess.read) { req, id in
            try await Self.answer(req, id, try req.uuid("assignmentID"))
        }
        dp.post("assignments", ":assignmentID", "status", roles: DiasporaAccess.write) { req, id in
            let aid = try req.uuid("assignmentID")
            _ = try await DiasporaRecords.setStatus(aid, try FormInput.fields(req), by: id, on: req.application)
            return try await Self.answer(req, id, aid)
        }
        dp.post("assignments", ":assignmentID", "evaluation", roles: DiasporaAccess.write) { req, id in
            let aid = try req.uuid("assignmentID")
            _ = try await DiasporaRecords.evaluate(aid, try FormInput.fields(req), by: id, on: req.application)
            return try await Self.answer(req, id, aid)
        }
    }
}
