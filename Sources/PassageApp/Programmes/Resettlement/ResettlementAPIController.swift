import Fluent
import PassageDomain
import Vapor

/// Resettlement in the JSON API: UNHCR's referrals (through its own account), decisions, missions, orientation,
/// documents, health checks, and group movements with their arrival.
struct ResettlementAPIController {
    struct ReferralSummary: Content, Sendable {
        var id: UUID
        var caseReference: String
        var unhcrCaseNumber: String
        var countryOfAsylum: String
        var category: SubmissionCategory
        var priority: SubmissionPriority
        var stage: ResettlementStage
        var persons: Int
    }
    struct ReferralPage: Content, Sendable {
        var items: [ReferralSummary]
        var total: Int
        var page: Int
        var pageSize: Int
    }
    struct MissionDTO: Content, Sendable {
        struct Household: Content, Sendable {
            var referralID: UUID
            var unhcrCaseNumber: String
            var outcome: SelectionOutcome
            var decidedOn: String?
        }
        var id: UUID
        var country: String
        var startsOn: String
        var endsOn: String
        var team: String
        var note: String
        var households: [Household]
    }
    struct SessionDTO: Content, Sendable {
        var id: UUID
        var country: String
        var place: String
        var startsOn: String
        var endsOn: String
        var language: String
        var facilitator: String
        var attendees: Int
    }
    struct Attendance: Content, Sendable { var added: Int; var attendees: Int }
    struct MovementDTO: Content, Sendable {
        struct Traveller: Content, Sendable {
            var personID: UUID
            var reference: String
            var name: String
            var escort: EscortKind
            var assistance: [AssistanceKind]
        }
        struct Household: Content, Sendable {
            var referralID: UUID
            var unhcrCaseNumber: String
            var caseReference: String
            var municipality: String
            var bookingID: UUID
            var bookingStatus: BookingStatus
            var medicalEscort: Bool
            var travellers: [Traveller]
        }
        var id: UUID
        var reference: String
        var status: GroupMovementStatus
        var charter: Bool
        var departsOn: String
        var fromCountry: String
        var flights: [String]
        var transitAssistance: [String]
        var arrivedAt: Date?
        var arrivalNote: String
        var persons: Int
        var households: [Household]
    }

    static func referrals(_ req: Request, _ viewer: Identity, page: Int, stage: ResettlementStage?) async throws
        -> ReferralPage
    {
        let size = 50
        var q = RSReferral.query(on: req.db)
        if !viewer.hasAny(ResettlementAccess.read) {
            guard let pid = viewer.partnerID else { return ReferralPage(items: [], total: 0, page: page, pageSize: 0) }
            q = q.filter(\.$partner.$id == pid)
        }
        if let stage { q = q.filter(\.$stage == stage) }
        let total = try await q.count()
        let rows = try await q.with(\.$caseRecord).with(\.$members).sort(\.$createdAt, .descending).sort(\.$id)
            .range(((page - 1) * size)..<(page * size)).all()
        return ReferralPage(
            items: rows.map {
                ReferralSummary(
                    id: $0.id!, caseReference: $0.caseRecord.reference, unhcrCaseNumber: $0.unhcrCaseNumber,
                    countryOfAsylum: $0.countryOfAsylum, category: $0.category, priority: $0.priority,
                    stage: $0.stage, persons: $0.members.count)
            }, total: total, page: page, pageSize: size)
    }

    static func file(_ req: Request, _ viewer: Identity, _ id: UUID, status: HTTPStatus = .ok) async throws -> Response
    {
        let f = try await ResettlementFile.load(id, for: viewer, on: req.db)
        try await f.recordView(by: viewer, via: req.isAPI ? "api" : "page", on: req.application)
        let res = try await f.encodeResponse(status: status, for: req)
        if status == .created {
            res.headers.replaceOrAdd(name: .location, value: "/api/v1/resettlement/referrals/\(id.uuidString)")
        }
        return res
    }

    static func missions(on db: any Database) async throws -> [MissionDTO] {
        let rows = try await RSMission.query(on: db).sort(\.$startsOn, .descending).all()
        let households = try await RSMissionHousehold.query(on: db).with(\.$referral).all()
        return rows.map { m in
            MissionDTO(
                id: m.id!, country: m.country, startsOn: m.startsOn, endsOn: m.endsOn, team: m.team, note: m.note,
                households: households.filter { $0.$mission.id == m.id }.map {
                    .init(
                        referralID: $0.$referral.id, unhcrCaseNumber: $0.referral.unhcrCaseNumber,
                        outcome: $0.outcome, decidedOn: $0.decidedOn)
                }.sorted { $0.unhcrCaseNumber < $1.unhcrCaseNumber })
        }
    }

    static func sessions(on db: any Database) async throws -> [SessionDTO] {
        let rows = try await RSOrientationSession.query(on: db).sort(\.$startsOn, .descending).all()
        var counts: [UUID: Int] = [:]
        for a in try await RSAttendance.query(on: db).all() { counts[a.$session.id, default: 0] += 1 }
        return rows.map { dto($0, attendees: counts[$0.id!] ?? 0) }
    }

    static func dto(_ s: RSOrientationSession, attendees: Int) -> SessionDTO {
        SessionDTO(
            id: s.id!, country: s.country, place: s.place, startsOn: s.startsOn, endsOn: s.endsOn,
            language: s.language, facilitator: s.facilitator, attendees: attendees)
    }

    /// A movement with its households and what each traveller needs on the way (never why).
    static func movement(_ id: UUID, on db: any Database) async throws -> MovementDTO {
        let m = try await ResettlementRecords.movement(id, on: db)
        let rows = try await RSMovementHousehold.query(on: db).filter(\.$movement.$id == id).with(\.$referral) {
            $0.with(\.$caseRecord)
        }.with(\.$booking) { $0.with(\.$passengers) { $0.with(\.$person) } }.all()
        let flights = m.flights.map {
            "\($0.flight) \($0.from.iata) \($0.departsLocal.replacingOccurrences(of: "T", with: " ")) → \($0.to.iata)"
        }
        let escorts = try await RSHealthCheck.query(on: db).filter(\.$referral.$id ~~ rows.map { $0.$referral.id })
            .all()
        return MovementDTO(
            id: m.id!, reference: m.reference, status: m.status, charter: m.charter, departsOn: m.departsOn,
            fromCountry: m.fromCountry, flights: flights,
            transitAssistance: m.transitAssistance.split(separator: ",").map(String.init), arrivedAt: m.arrivedAt,
            arrivalNote: m.arrivalNote,
            persons: rows.filter { $0.booking.status != .cancelled }.reduce(0) { $0 + $1.persons },
            households: rows.sorted { $0.referral.unhcrCaseNumber < $1.referral.unhcrCaseNumber }.map { h in
                MovementDTO.Household(
                    referralID: h.$referral.id, unhcrCaseNumber: h.referral.unhcrCaseNumber,
                    caseReference: h.referral.caseRecord.reference, municipality: h.referral.municipality,
                    bookingID: h.$booking.id, bookingStatus: h.booking.status, medicalEscort: h.medicalEscort,
                    travellers: h.booking.passengers.sorted { $0.person.sortName < $1.person.sortName }.map { p in
                        let latest = escorts.filter { $0.$person.id == p.$person.id && $0.kind.decidesFitness }
                            .max { $0.examinedOn < $1.examinedOn }
                        return MovementDTO.Traveller(
                            personID: p.$person.id, reference: p.person.reference,
                            name: "\(p.person.familyName), \(p.person.givenNames)",
                            escort: latest?.escort ?? .none, assistance: p.assistance)
                    })
            })
    }

    /// A movement as an answer: a reading of every traveller's record.
    static func movementAnswer(_ req: Request, _ viewer: Identity, _ id: UUID, status: HTTPStatus) async throws
        -> Response
    {
        let m = try await movement(id, on: req.db)
        try await AuditLog.views(
            req.application, viewer.actor, entity: "rs_movement", entityID: id,
            persons: m.households.flatMap { $0.travellers.map(\.personID) }, note: req.isAPI ? "api" : "page")
        return try await m.encodeResponse(status: status, for: req)
    }

    static func movements(on db: any Database) async throws -> [RSMovement] {
        try await RSMovement.query(on: db).sort(\.$departsAt, .descending).with(\.$households).all()
    }

    func boot(_ api: any RoutesBuilder) {
        let rs = api.grouped("resettlement")
        let readers = ResettlementAccess.read.union(ResettlementAccess.referrers)
        rs.get("referrals", roles: readers) { req, id in
            var e = ValidationErrors()
            let raw = req.query[String.self, at: "stage"] ?? ""
            let stage = raw.isEmpty ? nil : ResettlementStage.read(raw, field: "stage", into: &e)
            try e.throwIfAny()
            return try await Self.referrals(req, id, page: try req.queryPage(), stage: stage)
        }
        rs.post("referrals", roles: ResettlementAccess.referrers) { req, id -> Response in
            let form = try req.content.decode(ResettlementReferralForm.self)
            let r = try await ResettlementRecords.createReferral(form, by: id, on: req.application)
            return try await Self.file(req, id, r.id!, status: .created)
        }
        rs.get("referrals", ":referralID", roles: readers) { req, id in
            try await Self.file(req, id, try req.uuid("referralID"))
        }
        rs.post("referrals", ":referralID", "decision", roles: ResettlementAccess.write) { req, id in
            let r = try await ResettlementRecords.recordDecision(
                try req.uuid("referralID"), try FormInput.fields(req), by: id, on: req.application)
            return try await Self.file(req, id, r.id!)
        }
        rs.post("referrals", ":referralID", "documents", roles: ResettlementAccess.write) { req, id in
            let rid = try req.uuid("referralID")
            _ = try await ResettlementRecords.recordDocument(
                rid, try FormInput.fields(req), by: id, on: req.application)
            return try await Self.file(req, id, rid, status: .created)
        }
        rs.post("referrals", ":referralID", "health-checks", roles: ResettlementAccess.health) { req, id in
            let rid = try req.uuid("referralID")
            _ = try await ResettlementRecords.recordHealthCheck(
                rid, try FormInput.fields(req), by: id, on: req.application)
            return try await Self.file(req, id, rid, status: .created)
        }
        rs.get("missions", roles: ResettlementAccess.read) { req, _ in try await Self.missions(on: req.db) }
        rs.post("missions", roles: ResettlementAccess.write) { req, id -> Response in
            let m = try await ResettlementRecords.createMission(try FormInput.fields(req), by: id, on: req.application)
            return try await Self.missions(on: req.db).first { $0.id == m.id }!.encodeResponse(
                status: .created, for: req)
        }
        rs.post("missions", ":missionID", "households", roles: ResettlementAccess.write) { req, id -> Response in
            let mid = try req.uuid("missionID")
            _ = try await ResettlementRecords.interview(mid, try FormInput.fields(req), by: id, on: req.application)
            return try await Self.missions(on: req.db).first { $0.id == mid }!.encodeResponse(
                status: .created, for: req)
        }
        rs.get("orientation-sessions", roles: ResettlementAccess.read) { req, _ in try await Self.sessions(on: req.db) }
        rs.post("orientation-sessions", roles: ResettlementAccess.write) { req, id -> Response in
            let s = try await ResettlementRecords.createSession(try FormInput.fields(req), by: id, on: req.application)
            return try await Self.dto(s, attendees: 0).encodeResponse(status: .created, for: req)
        }
        rs.post("orientation-sessions", ":sessionID", "attendance", roles: ResettlementAccess.write) { req, id in
            let sid = try req.uuid("sessionID")
            let added = try await ResettlementRecords.recordAttendance(
                sid, try FormInput.fields(req), by: id, on: req.application)
            let all = try await RSAttendance.query(on: req.db).filter(\.$session.$id == sid).count()
            return Attendance(added: added, attendees: all)
        }
        rs.get("movements", roles: ResettlementAccess.movements) { req, _ in
            var out: [MovementDTO] = []
            for m in try await Self.movements(on: req.db).prefix(200) {
                out.append(try await Self.movement(m.id!, on: req.db))
            }
            try await AuditLog.listed(
                req.application, try req.auth.require(Identity.self).actor, entity: "rs_movement",
                rows: out.flatMap { m in m.households.flatMap { $0.travellers.map { (m.id, $0.personID) } } },
                note: "movement list")
            return out
        }
        rs.post("movements", roles: ResettlementAccess.movements) { req, id -> Response in
            let m = try await ResettlementRecords.createMovement(try FormInput.fields(req), by: id, on: req.application)
            return try await Self.movementAnswer(req, id, m.id!, status: .created)
        }
        rs.get("movements", ":movementID", roles: ResettlementAccess.movements) { req, id in
            try await Self.movementAnswer(req, id, try req.uuid("movementID"), status: .ok)
        }
        rs.post("movements", ":movementID", "households", roles: ResettlementAccess.movements) { req, id in
            let mid = try req.uuid("movementID")
            _ = try await ResettlementRecords.addHousehold(mid, try FormInput.fields(req), by: id, on: req.application)
            return try await Self.movementAnswer(req, id, mid, status: .created)
        }
        rs.post("movements", ":movementID", "arrival", roles: ResettlementAccess.movements) { req, id in
            let mid = try req.uuid("movementID")
            _ = try await ResettlementRecords.recordArrival(mid, try FormInput.fields(req), by: id, on: req.application)
            return try await Self.movementAnswer(req, id, mid, status: .ok)
        }
    }
}
