import Vapor
import Fluent
import SQLKit
import PassageDomain

/// The return programme in the JSON API. Every operation answers with the case as the caller may see it.
struct ReturnAPIController {
    struct WorklistItem: Content {
        var caseID: UUID; var reference: String; var person: String; var stage: String; var owner: String?;
        var destination: String; var openedOn: String
    }
    struct RuleSetDTO: Content {
        var version: Int; var note: String; var createdBy: String; var createdAt: Date?; var rules: [EligibilityRule];
        var caps: [String: Int]
    }
    struct RulesBody: Content { var rules: String; var caps: [String: String]?; var note: String? }
    struct Flagged: Content { var caseID: UUID; var reference: String; var decided: String; var wouldNowBe: String }
    struct OpenRequest: Content {
        var id: UUID; var caseID: UUID; var reference: String; var person: String; var embassy: String;
        var embassyID: UUID; var status: String; var requestedOn: String; var ageDays: Int
    }
    struct OutreachDTO: Content {
        var id: UUID; var kind: String; var heldOn: String; var location: String?; var audience: String;
        var attendees: Int; var organisations: String; var topic: String; var counsellor: String
    }

    func boot(_ api: any RoutesBuilder) {
        let r = api.grouped("return")
        r.get("cases", roles: ReturnAccess.read, use: worklist)
        r.post("cases", roles: ReturnAccess.write, use: openCase)
        let one = r.grouped("cases", ":caseID")
        one.get(roles: ReturnAccess.read, use: file)
        func op(
            _ path: [PathComponent], _ method: HTTPMethod = .POST, roles: Set<Role>, status: HTTPStatus = .ok,
            _ body: @escaping @Sendable (Request, Identity, UUID, FormFields) async throws -> Void
        ) {
            one.on(method, path, roles: roles) { req, id -> Response in
                let cid = try req.uuid("caseID")
                try await body(req, id, cid, try FormInput.fields(req))
                return try await ReturnFile.load(cid, for: id, on: req.db).encodeResponse(status: status, for: req)
            }
        }
        op(["intake"], .PUT, roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.saveIntake(cid, f, actor: id.actor, on: req.application)
        }
        op(["sessions"], roles: ReturnAccess.write, status: .created) { req, id, cid, f in
            try await ReturnRecords.addSession(cid, f, identity: id, on: req.application)
        }
        op(["eligibility"], roles: ReturnAccess.write, status: .created) { req, id, cid, f in
            _ = try await ReturnRecords.decide(cid, f, actor: id.actor, on: req.application)
        }
        op(["vulnerabilities", ":kind"], .PUT, roles: ReturnAccess.write.union(ReturnAccess.medical)) {
            req, id, cid, f in
            guard let kind = VulnerabilityKind(rawValue: req.parameters.get("kind") ?? "") else {
                throw Abort(.notFound, reason: "Unknown vulnerability: " + VulnerabilityKind.oneOf)
            }
            try await ReturnRecords.saveVulnerability(cid, kind: kind, f, identity: id, on: req.application)
        }
        op(["vulnerabilities", ":kind"], .DELETE, roles: ReturnAccess.write.union(ReturnAccess.medical)) {
            req, id, cid, _ in
            guard let kind = VulnerabilityKind(rawValue: req.parameters.get("kind") ?? "") else {
                throw Abort(.notFound, reason: "Unknown vulnerability: " + VulnerabilityKind.oneOf)
            }
            try await ReturnRecords.removeVulnerability(cid, kind: kind, identity: id, on: req.application)
        }
        op(["travel-documents"], roles: ReturnAccess.write, status: .created) { req, id, cid, f in
            try await ReturnRecords.saveTravelDocument(cid, requestID: nil, f, actor: id.actor, on: req.application)
        }
        op(["travel-documents", ":requestID"], .PATCH, roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.saveTravelDocument(
                cid, requestID: try req.uuid("requestID"), f, actor: id.actor, on: req.application)
        }
        op(["plan"], .PUT, roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.savePlan(cid, f, actor: id.actor, on: req.application)
        }
        op(["grants"], roles: ReturnAccess.write, status: .created) { req, id, cid, f in
            try await ReturnRecords.addGrant(cid, f, actor: id.actor, on: req.application)
        }
        op(["grants", ":grantID", "payments"], roles: ReturnAccess.payments, status: .created) { req, id, cid, f in
            try await ReturnRecords.addPayment(
                cid, grantID: try req.uuid("grantID"), f, actor: id.actor, on: req.application)
        }
        op(["cargo"], roles: ReturnAccess.write, status: .created) { req, id, cid, f in
            try await ReturnRecords.saveCargo(cid, cargoID: nil, f, actor: id.actor, on: req.application)
        }
        op(["cargo", ":cargoID"], .PATCH, roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.saveCargo(
                cid, cargoID: try req.uuid("cargoID"), f, actor: id.actor, on: req.application)
        }
        op(["monitoring"], roles: ReturnAccess.write, status: .created) { req, id, cid, f in
            try await ReturnRecords.addMonitoring(cid, f, actor: id.actor, on: req.application)
        }
        op(["consent"], .PUT, roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.setConsent(cid, f, actor: id.actor, on: req.application)
        }
        op(["transitions"], roles: ReturnAccess.move) { req, id, cid, f in
            _ = try await ReturnRecords.move(
                cid, to: f["to"], reason: f["reason"], on: f["on"], identity: id, on: req.application)
        }
        op(["exceptions", ":exceptionID", "review"], roles: ReturnAccess.review) { req, id, cid, f in
            try await ReturnRecords.review(
                cid, exceptionID: try req.uuid("exceptionID"), note: f["note"], actor: id.actor, on: req.application)
        }
        one.get("eu-export", roles: ReturnAccess.write, use: euExport)

        r.get("rules", roles: ReturnAccess.rulesRead, use: ruleSets)
        r.post("rules", roles: ReturnAccess.rulesWrite, use: saveRules)
        r.get("rules", "flagged", roles: ReturnAccess.rulesRead, use: flagged)
        r.get("travel-documents", roles: ReturnAccess.read, use: openRequests)
        r.get("outreach", roles: ReturnAccess.read, use: outreach)
        r.post("outreach", roles: ReturnAccess.outreach, use: addOutreach)
        r.get("workload", roles: ReturnAccess.read, use: workload)
        r.get("medical-worklist", roles: ReturnAccess.medical) { req, id -> ReturnQueues.MedicalAnswer in
            let m = try await ReturnQueues.medicalWorklist(req, id, note: "medical worklist (api)")
            return .init(
                items: m.rows, total: m.total, page: m.paging.page, pageSize: m.paging.pageSize,
                byTask: Dictionary(uniqueKeysWithValues: m.byTask.map { ($0.rawValue, $1) }))
        }
        r.get("exceptions", roles: ReturnAccess.review) { req, _ -> [ReturnRecords.ExceptionRow] in
            try await ReturnRecords.exceptions(open: req.query[String.self, at: "state"] != "all", on: req.db)
        }
    }

    func worklist(_ req: Request, _ id: Identity) async throws -> [WorklistItem] {
        let f = try ReturnWorklist.filter(req, id)
        return try await ReturnWorklist.run(f, on: req.db).map {
            WorklistItem(
                caseID: $0.caseID, reference: $0.reference, person: $0.person, stage: $0.stage, owner: $0.owner,
                destination: $0.destination, openedOn: $0.openedOn)
        }
    }

    func openCase(_ req: Request, _ id: Identity) async throws -> Response {
        let c = try await ReturnRecords.open(try FormInput.fields(req), actor: id.actor, on: req.application)
        return try await ReturnFile.load(c.id!, for: id, on: req.db).encodeResponse(status: .created, for: req)
    }

    func file(_ req: Request, _ id: Identity) async throws -> ReturnFile {
        let file = try await ReturnFile.load(try req.uuid("caseID"), for: id, on: req.db)
        try await CaseRecords.recordView(of: file.case, by: id, via: "api", on: req.application)
        return file
    }

    func euExport(_ req: Request, _ id: Identity) async throws -> ReturnRecords.EUExport {
        return try await ReturnRecords.euExport(try req.uuid("caseID"), actor: id.actor, on: req.application)
    }

    func ruleSets(_ req: Request, _: Identity) async throws -> [RuleSetDTO] {
        try await RuleSetRecord.query(on: req.db).sort(\.$version, .descending).all().map { rec in
            let s = try rec.ruleSet()
            return RuleSetDTO(
                version: s.version, note: rec.note, createdBy: rec.createdBy, createdAt: rec.createdAt,
                rules: s.rules,
                caps: Dictionary(uniqueKeysWithValues: s.caps.map { ($0.key.rawValue, $0.value) }))
        }
    }

    func saveRules(_ req: Request, _ id: Identity) async throws -> Response {
        let b = try req.content.decode(RulesBody.self)
        var caps: [GrantType: String] = [:]
        for t in GrantType.allCases { caps[t] = b.caps?[t.rawValue] }
        let s = try await ReturnRecords.saveRules(
            text: b.rules, caps: caps, note: b.note ?? "", actor: id.actor, on: req.application)
        return try await ["version": s.version].encodeResponse(status: .created, for: req)
    }

    func flagged(_ req: Request, _: Identity) async throws -> [Flagged] {
        try await ReturnRecords.flagged(on: req.db).map {
            Flagged(
                caseID: $0.caseID, reference: $0.reference, decided: $0.was.explanation,
                wouldNowBe: $0.now.explanation)
        }
    }

    func openRequests(_ req: Request, _: Identity) async throws -> [OpenRequest] {
        return try await ReturnReports.openRequests(embassyID: nil, on: req.db)
    }

    func outreach(_ req: Request, _: Identity) async throws -> [OutreachDTO] {
        return try await ReturnReports.outreach(on: req.db)
    }

    func addOutreach(_ req: Request, _ id: Identity) async throws -> Response {
        try await ReturnRecords.addOutreach(
            try FormInput.fields(req), actor: id.actor, userID: id.userID, on: req.application)
        return Response(status: .created)
    }

    func workload(_ req: Request, _: Identity) async throws -> [ReturnReports.Workload] {
        let (from, to) = try ReturnReports.period(req)
        return try await ReturnReports.workload(from: from, to: to, on: req.db)
    }
}

/// The counsellor's worklist: return cases by stage.
enum ReturnWorklist {
    struct Filter: Sendable { var stage: String?; var ownerID: UUID?; var includeFinished = false }
    struct Row: Sendable {
        var caseID: UUID; var reference: String; var person: String; var personID: UUID; var stage: String;
        var owner: String?; var destinationCode: String; var openedOn: String
        var destination: String { CountryCode.name(destinationCode) }
    }

    static func filter(_ req: Request, _ id: Identity) throws -> Filter {
        var e = ValidationErrors()
        let stage = req.query[String.self, at: "stage"].flatMap { $0.isEmpty ? nil : $0 }
        if let s = stage, ReturnStage(rawValue: s) == nil { e.add("stage", ReturnStage.oneOf) }
        var owner: UUID?
        let rawOwner = req.query[String.self, at: "owner"] ?? "me"
        if rawOwner == "me" {
            owner = id.userID
        } else if rawOwner == "all" || rawOwner.isEmpty {
            owner = nil
        } else if let u = UUID(uuidString: rawOwner) {
            owner = u
        } else {
            e.add("owner", "must be me, all or a user id")
        }
        try e.throwIfAny()
        return Filter(stage: stage, ownerID: owner, includeFinished: stage != nil)
    }

    static func query(_ f: Filter, on db: any Database) -> QueryBuilder<ReturnCase> {
        let q = ReturnCase.query(on: db).join(Case.self, on: \ReturnCase.$caseRecord.$id == \Case.$id)
        if let s = f.stage.flatMap(ReturnStage.init(rawValue:)) {
            q.filter(\.$stage == s)
        } else if !f.includeFinished {
            q.filter(\.$stage !~ [ReturnStage.closed, .withdrawn])
        }
        if let o = f.ownerID { q.filter(Case.self, \.$owner.$id == o) }
        return q
    }

    static func run(_ f: Filter, on db: any Database) async throws -> [Row] {
        rows(
            try await query(f, on: db).with(\.$caseRecord) { $0.with(\.$person).with(\.$owner) }
                .sort(Case.self, \.$openedOn).limit(1000).all())
    }

    static let sorts = ["reference", "person", "stage", "destination", "opened"]

    /// One page of the worklist in the chosen order, the number of cases in all, and how many are at each stage.
    static func page(_ f: Filter, _ p: ListPaging, on db: any Database) async throws
        -> (rows: [Row], total: Int, byStage: [ReturnStage: Int])
    {
        // How many are at each stage, in one grouped count; the total is what the list shows of them.
        var counting = db.sql.select().column(SQLColumn("stage", table: ReturnCase.schema))
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from(ReturnCase.schema)
            .join(
                Case.schema, on: SQLColumn("case_id", table: ReturnCase.schema), .equal,
                SQLColumn("id", table: Case.schema))
        if let o = f.ownerID {
            counting = counting.where(SQLColumn("owner_id", table: Case.schema), .equal, SQLBind(o))
        }
        var byStage: [ReturnStage: Int] = [:]
        for row in try await counting.groupBy(SQLColumn("stage", table: ReturnCase.schema)).all() {
            guard let s = ReturnStage(rawValue: try row.decode(column: "stage", as: String.self)),
                f.includeFinished || (s != .closed && s != .withdrawn)
            else { continue }
            byStage[s] = try row.decode(column: "n", as: Int.self)
        }
        let total = f.stage.flatMap(ReturnStage.init(rawValue:)).map { byStage[$0] ?? 0 } ?? byStage.values.reduce(0, +)
        let q = query(f, on: db)
        let d: DatabaseQuery.Sort.Direction = p.descending ? .descending : .ascending
        switch p.sort {
        case "reference": q.sort(Case.self, \.$reference, d)
        case "person":
            q.join(Person.self, on: \Case.$person.$id == \Person.$id).sort(Person.self, \.$familyName, d)
                .sort(Person.self, \.$givenNames, d)
        case "stage": q.sort(\.$stage, d).sort(Case.self, \.$openedOn, .ascending)
        case "destination": q.sort(\.$destinationCountry, d)
        default: q.sort(Case.self, \.$openedOn, d)
        }
        let found = try await q.with(\.$caseRecord) { $0.with(\.$person).with(\.$owner) }
            .sort(Case.self, \.$reference).range(p.range).all()
        return (rows(found), total, byStage)
    }

    static func rows(_ rows: [ReturnCase]) -> [Row] {
        return rows.map { r in
            Row(
                caseID: r.$caseRecord.id, reference: r.caseRecord.reference,
                person: "\(r.caseRecord.person.familyName), \(r.caseRecord.person.givenNames)",
                personID: r.caseRecord.$person.id, stage: r.stage.rawValue, owner: r.caseRecord.owner?.displayName,
                destinationCode: r.destinationCountry, openedOn: r.caseRecord.openedOn)
        }
    }
}

/// Lists across return cases: open travel-document requests, outreach, counsellors' workload.
enum ReturnReports {
    static func daysBetween(_ a: String, _ b: PartialDate) -> Int {
        guard let d = PartialDate(parsing: a) else { return 0 }
        var cal = Calendar(identifier: .gregorian); cal.timeZone = TimeZone(identifier: "UTC")!
        let x = cal.date(from: DateComponents(year: d.year, month: d.month, day: d.day))!
        let y = cal.date(from: DateComponents(year: b.year, month: b.month, day: b.day))!
        return cal.dateComponents([.day], from: x, to: y).day ?? 0
    }

    static func openRequests(embassyID: UUID?, on db: any Database) async throws -> [ReturnAPIController.OpenRequest] {
        let q = TravelDocumentRequest.query(on: db).filter(
            \.$status ~~ [TravelDocumentStatus.requested, TravelDocumentStatus.interviewScheduled])
        if let e = embassyID { q.filter(\.$embassy.$id == e) }
        let today = ReturnRecords.today()
        return try await q.with(\.$embassy).with(\.$caseRecord) { $0.with(\.$person) }.sort(\.$requestedOn).all().map {
            .init(
                id: $0.id!, caseID: $0.$caseRecord.id, reference: $0.caseRecord.reference,
                person: "\($0.caseRecord.person.familyName), \($0.caseRecord.person.givenNames)",
                embassy: $0.embassy.name, embassyID: $0.$embassy.id,
                status: $0.status.rawValue, requestedOn: $0.requestedOn, ageDays: daysBetween($0.requestedOn, today))
        }.sorted { ($0.embassy, -$0.ageDays) < ($1.embassy, -$1.ageDays) }
    }

    static func outreach(on db: any Database) async throws -> [ReturnAPIController.OutreachDTO] {
        try await OutreachActivity.query(on: db).with(\.$location).with(\.$counsellor).sort(\.$heldOn, .descending)
            .limit(500).all().map {
                .init(
                    id: $0.id!, kind: $0.kind.rawValue, heldOn: $0.heldOn, location: $0.location?.name,
                    audience: $0.audience,
                    attendees: $0.attendees,
                    organisations: $0.organisations, topic: $0.topic, counsellor: $0.counsellor.displayName)
            }
    }

    struct Workload: Content {
        var location: String; var counsellor: String; var sessions: Int; var minutes: Int; var cases: Int
    }

    /// The period of a report from `from` and `to`; the last 30 days by default.
    static func period(_ req: Request) throws -> (PartialDate, PartialDate) {
        var e = ValidationErrors()
        let to =
            Input.day(req.query[String.self, at: "to"], field: "to", required: false, into: &e) ?? ReturnRecords.today()
        let from =
            Input.day(req.query[String.self, at: "from"], field: "from", required: false, into: &e)
            ?? PartialDate(
                parsing: String(
                    Calendar(identifier: .gregorian).date(byAdding: .day, value: -30, to: Clock.now())!.ISO8601Format()
                        .prefix(10)))!
        if to < from { e.add("from", "must not be after 'to'") }
        try e.throwIfAny()
        return (from, to)
    }

    static func workload(from: PartialDate, to: PartialDate, on db: any Database) async throws -> [Workload] {
        let sessions = try await CounsellingSession.query(on: db).filter(\.$heldOn >= from.isoText).filter(
            \.$heldOn <= to.isoText
        )
        .with(\.$location).with(\.$counsellor).all()
        var groups: [String: (location: String, counsellor: String, sessions: Int, minutes: Int, cases: Set<UUID>)] =
            [:]
        for s in sessions {
            let key = s.location.name + "\u{1}" + s.counsellor.displayName
            var g = groups[key] ?? (s.location.name, s.counsellor.displayName, 0, 0, [])
            g.sessions += 1; g.minutes += s.durationMinutes; g.cases.insert(s.$caseRecord.id)
            groups[key] = g
        }
        return groups.values.map {
            Workload(
                location: $0.location, counsellor: $0.counsellor, sessions: $0.sessions, minutes: $0.minutes,
                cases: $0.cases.count)
        }
        .sorted { ($0.location, $0.counsellor) < ($1.location, $1.counsellor) }
    }
}
