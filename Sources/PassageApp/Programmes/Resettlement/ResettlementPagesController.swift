import Fluent
import PassageDomain
import Vapor

/// The resettlement pages and their forms.
struct ResettlementPagesController {
    func boot(_ app: Application) {
        let rs = app.grouped("resettlement")
        rs.get(roles: ResettlementAccess.read) { req, id in try await overview(req, id, failure: nil) }
        rs.get("referrals", "new", roles: ResettlementAccess.write) { req, id in
            ResettlementPages.newReferral(req, id, failure: nil)
        }
        rs.post("referrals", "new", roles: ResettlementAccess.write, use: createReferral)
        rs.get("referrals", ":referralID", roles: ResettlementAccess.read) { req, id in
            try await referral(req, id, try req.uuid("referralID"), failure: nil, audit: true)
        }
        let forms: [(String, Set<Role>)] = [
            ("decision", ResettlementAccess.write), ("documents", ResettlementAccess.write),
            ("health-checks", ResettlementAccess.health),
        ]
        for (path, roles) in forms {
            rs.post("referrals", ":referralID", .constant(path), roles: roles) { req, id -> Response in
                let rid = try req.uuid("referralID")
                let f = try FormInput.fields(req)
                let section = ["decision": "decision", "documents": "document", "health-checks": "health"][path]!
                return try await SectionForms.attempt(section, f, to: ResettlementPaths.referral(rid) + "#\(section)") {
                    switch path {
                    case "decision":
                        _ = try await ResettlementRecords.recordDecision(rid, f, by: id, on: req.application)
                    case "documents":
                        _ = try await ResettlementRecords.recordDocument(rid, f, by: id, on: req.application)
                    default: _ = try await ResettlementRecords.recordHealthCheck(rid, f, by: id, on: req.application)
                    }
                } failed: { failure in
                    try await referral(req, id, rid, failure: failure, audit: false)
                }
            }
        }
        rs.post("missions", roles: ResettlementAccess.write) { req, id -> Response in
            let f = try FormInput.fields(req)
            var made: RSMission?
            return try await SectionForms.attempt("mission", f, to: { ResettlementPaths.mission(made!.id!) }) {
                made = try await ResettlementRecords.createMission(f, by: id, on: req.application)
            } failed: {
                try await overview(req, id, failure: $0)
            }
        }
        rs.get("missions", ":missionID", roles: ResettlementAccess.read) { req, id in
            try await mission(req, id, try req.uuid("missionID"), failure: nil)
        }
        rs.post("missions", ":missionID", "households", roles: ResettlementAccess.write) { req, id -> Response in
            let mid = try req.uuid("missionID")
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt("household", f, to: ResettlementPaths.mission(mid) + "#households") {
                _ = try await ResettlementRecords.interview(mid, f, by: id, on: req.application)
            } failed: {
                try await mission(req, id, mid, failure: $0)
            }
        }
        rs.post("orientation", roles: ResettlementAccess.write) { req, id -> Response in
            let f = try FormInput.fields(req)
            var made: RSOrientationSession?
            return try await SectionForms.attempt("session", f, to: { ResettlementPaths.session(made!.id!) }) {
                made = try await ResettlementRecords.createSession(f, by: id, on: req.application)
            } failed: {
                try await overview(req, id, failure: $0)
            }
        }
        rs.get("orientation", ":sessionID", roles: ResettlementAccess.read) { req, id in
            try await session(req, id, try req.uuid("sessionID"), failure: nil)
        }
        rs.post("orientation", ":sessionID", "attendance", roles: ResettlementAccess.write) { req, id -> Response in
            let sid = try req.uuid("sessionID")
            var f = try FormInput.fields(req)
            f["personIDs"] = f.filter { $0.key.hasPrefix("p_") && Input.flag($0.value) }.map {
                String($0.key.dropFirst(2))
            }
            .sorted().joined(separator: ",")
            return try await SectionForms.attempt("attendance", f, to: ResettlementPaths.session(sid)) {
                _ = try await ResettlementRecords.recordAttendance(sid, f, by: id, on: req.application)
            } failed: {
                try await session(req, id, sid, failure: $0)
            }
        }
        rs.post("movements", roles: ResettlementAccess.movements) { req, id -> Response in
            let f = try FormInput.fields(req)
            var made: RSMovement?
            return try await SectionForms.attempt("movement", f, to: { ResettlementPaths.movement(made!.id!) }) {
                made = try await ResettlementRecords.createMovement(f, by: id, on: req.application)
            } failed: {
                try await overview(req, id, failure: $0)
            }
        }
        rs.get("movements", ":movementID", roles: ResettlementAccess.movements) { req, id in
            try await movement(req, id, try req.uuid("movementID"), failure: nil, audit: true)
        }
        for path in ["households", "arrival"] {
            rs.post("movements", ":movementID", .constant(path), roles: ResettlementAccess.movements) {
                req, id -> Response in
                let mid = try req.uuid("movementID")
                let f = try FormInput.fields(req)
                let section = path == "households" ? "add" : "arrival"
                return try await SectionForms.attempt(section, f, to: ResettlementPaths.movement(mid) + "#households") {
                    if path == "households" {
                        _ = try await ResettlementRecords.addHousehold(mid, f, by: id, on: req.application)
                    } else {
                        _ = try await ResettlementRecords.recordArrival(mid, f, by: id, on: req.application)
                    }
                } failed: {
                    try await movement(req, id, mid, failure: $0, audit: false)
                }
            }
        }
    }

    func overview(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        var e = ValidationErrors()
        let raw = req.query[String.self, at: "stage"] ?? ""
        let stage = raw.isEmpty ? nil : ResettlementStage.read(raw, field: "stage", into: &e)
        try e.throwIfAny()
        let list = try await ResettlementAPIController.referrals(req, id, page: try req.queryPage(), stage: stage)
        return ResettlementPages.overview(
            req, id,
            .init(
                referrals: list, stage: stage, missions: try await ResettlementAPIController.missions(on: req.db),
                sessions: try await ResettlementAPIController.sessions(on: req.db),
                movements: try await ResettlementAPIController.movements(on: req.db),
                pipeline: try await ResettlementPages.pipeline(on: req.db, req.t)), failure: failure)
    }

    func referral(_ req: Request, _ id: Identity, _ rid: UUID, failure: SectionFailure?, audit: Bool) async throws
        -> HTML
    {
        let file = try await ResettlementFile.load(rid, for: id, on: req.db)
        if audit { try await file.recordView(by: id, via: "page", on: req.application) }
        let consents =
            id.hasAny(ResettlementAccess.health)
            ? try await ConsentPages.missing(
                req, .medicalData, persons: file.members.map { ($0.person.personID, $0.person.name) }) : .empty
        return ResettlementPages.referral(req, id, file, failure: failure, consents: consents)
    }

    func mission(_ req: Request, _ id: Identity, _ mid: UUID, failure: SectionFailure?) async throws -> HTML {
        guard let m = try await ResettlementAPIController.missions(on: req.db).first(where: { $0.id == mid }) else {
            throw Abort(.notFound, reason: "No such mission.")
        }
        return ResettlementPages.mission(req, id, m, failure: failure)
    }

    /// The session with the members of accepted households of its country who have not left yet.
    func session(_ req: Request, _ id: Identity, _ sid: UUID, failure: SectionFailure?) async throws -> HTML {
        guard let s = try await ResettlementAPIController.sessions(on: req.db).first(where: { $0.id == sid }) else {
            throw Abort(.notFound, reason: "No such session.")
        }
        let attended = Set(
            try await RSAttendance.query(on: req.db).filter(\.$session.$id == sid).all().map { $0.$person.id })
        let referrals = try await RSReferral.query(on: req.db).filter(\.$countryOfAsylum == s.country)
            .filter(\.$decision == .accepted).filter(\.$stage ~~ [.accepted, .oriented, .ready, .booked])
            .with(\.$members) { $0.with(\.$person) }.sort(\.$unhcrCaseNumber).limit(300).all()
        let candidates = referrals.flatMap { r in
            r.members.map {
                ResettlementPages.Candidate(
                    personID: $0.$person.id, name: "\($0.person.familyName), \($0.person.givenNames)",
                    reference: $0.person.reference, unhcrCaseNumber: r.unhcrCaseNumber,
                    attended: attended.contains($0.$person.id))
            }
        }
        if failure == nil {
            try await AuditLog.listed(
                req.application, id.actor, entity: "rs_pdo_session", rows: candidates.map { (sid, $0.personID) },
                note: "orientation attendance list")
        }
        return ResettlementPages.session(req, id, s, candidates: candidates, failure: failure)
    }

    func movement(_ req: Request, _ id: Identity, _ mid: UUID, failure: SectionFailure?, audit: Bool) async throws
        -> HTML
    {
        let m = try await ResettlementAPIController.movement(mid, on: req.db)
        if audit {
            try await AuditLog.views(
                req.application, id.actor, entity: "rs_movement", entityID: mid,
                persons: m.households.flatMap { $0.travellers.map(\.personID) }, note: "page")
        }
        let ready = try await RSReferral.query(on: req.db).filter(\.$stage == .ready).sort(\.$unhcrCaseNumber)
            .limit(200).all()
        return ResettlementPages.movement(req, id, m, ready: ready, failure: failure)
    }

    func createReferral(_ req: Request, _ id: Identity) async throws -> Response {
        let f = try FormInput.fields(req)
        var e = ValidationErrors()
        func person(_ p: String) async throws -> (String?, PersonForm?) {
            try await PersonRecords.fromPage(f, prefix: p, into: &e, on: req.db)
        }
        var form = ResettlementReferralForm(
            unhcrCaseNumber: f["unhcrCaseNumber"], countryOfAsylum: f["countryOfAsylum"], category: f["category"],
            priority: f["priority"], municipality: f["municipality"], note: f["note"])
        (form.principalID, form.principal) = try await person("p")
        var members: [ResettlementReferralForm.MemberForm] = []
        var rows: [Int] = []
        for i in 1...ResettlementPages.memberRows {
            let (pid, details) = try await person("m\(i)")
            let rel = f["m\(i)Relationship"] ?? ""
            guard pid != nil || details != nil || !rel.isEmpty || e.message(for: "m\(i)Reference") != nil else {
                continue
            }
            members.append(.init(personID: pid, person: details, relationship: rel))
            rows.append(i)
        }
        form.members = members
        do {
            try e.throwIfAny()
            let r = try await ResettlementRecords.createReferral(form, by: id, on: req.application)
            return Response(status: .seeOther, headers: ["Location": ResettlementPaths.referral(r.id!)])
        } catch let v as ValidationErrors {
            var shown = e
            for item in v.items { shown.add(Self.pageField(item.field, rows: rows), item.message) }
            return ResettlementPages.newReferral(req, id, failure: .init(section: "referral", errors: shown, fields: f))
                .response(status: .unprocessableEntity)
        }
    }

    /// The page's name of a field the records name as the API does: `principal.familyName` is `pFamilyName`,
    /// `members.2.relationship` the relationship of the second member row filled in.
    static func pageField(_ field: String, rows: [Int]) -> String {
        let parts = field.split(separator: ".").map(String.init)
        func detail(_ prefix: String, _ rest: ArraySlice<String>) -> String {
            guard let last = rest.last, rest.count >= 1, last != "person", last != "personID", last != "principalID"
            else { return prefix + "Reference" }
            return prefix + last.prefix(1).uppercased() + last.dropFirst()
        }
        if parts.first == "principal" || parts.first == "principalID" { return detail("p", parts.dropFirst()) }
        if parts.first == "members", parts.count >= 3, let n = Int(parts[1]), n >= 1, n <= rows.count {
            let p = "m\(rows[n - 1])"
            return parts[2] == "relationship" ? p + "Relationship" : detail(p, parts.dropFirst(3))
        }
        return field
    }
}
