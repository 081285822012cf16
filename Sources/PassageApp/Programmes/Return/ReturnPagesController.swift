import Vapor
import Fluent
import PassageDomain

/// The return programme in the browser: worklist, the case file with its sections, rules, travel
/// documents per embassy, outreach and workload.
struct ReturnPagesController {
    func boot(_ app: Application) {
        let r = app.grouped("return")
        r.get(roles: ReturnAccess.read, use: worklistPage)
        r.get("new", roles: ReturnAccess.write, use: newCaseForm)
        r.post("new", roles: ReturnAccess.write, use: openCase)
        let one = r.grouped("cases", ":caseID")
        one.get(roles: ReturnAccess.read) { req, id in try await page(req, id, failure: nil, audit: true) }
        section(one, ["intake"], "intake", roles: ReturnAccess.write) { req, id, cid, f in
            var f = f
            f["companionIDs"] = Self.checked(f, prefix: "companion_")
            try await ReturnRecords.saveIntake(cid, f, actor: id.actor, on: req.application)
        }
        section(one, ["move"], "move", roles: ReturnAccess.move) { req, id, cid, f in
            _ = try await ReturnRecords.move(
                cid, to: f["to"], reason: f["reason"], on: f["on"], identity: id, on: req.application)
        }
        section(one, ["sessions"], "sessions", roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.addSession(cid, f, identity: id, on: req.application)
        }
        section(one, ["eligibility"], "eligibility", roles: ReturnAccess.write) { req, id, cid, f in
            _ = try await ReturnRecords.decide(cid, f, actor: id.actor, on: req.application)
        }
        section(one, ["emergency-access"], "emergency", roles: ReturnAccess.read) { req, id, cid, f in
            let l = try await ReturnRecords.load(cid, on: req.db)
            let readable = try await FieldAccess.readable(l.c, for: id, on: req.db)
            _ = try await BreakGlass.open(cid, f, by: id, mayRead: readable.contains, on: req.application)
        }
        for (kind, name) in [
            (VulnerabilityKind.unaccompaniedChild, "child"), (.trafficking, "vot"), (.medical, "medical"),
        ] {
            section(
                one, ["vulnerabilities", .constant(kind.rawValue)], name,
                roles: kind == .medical ? ReturnAccess.medical : ReturnAccess.write
            ) { req, id, cid, f in
                var f = f
                if kind == .trafficking { f["grantedUserIDs"] = Self.checked(f, prefix: "grant_") }
                try await ReturnRecords.saveVulnerability(cid, kind: kind, f, identity: id, on: req.application)
            }
        }
        for (kind, name) in [
            (VulnerabilityKind.unaccompaniedChild, "child"), (.trafficking, "vot"), (.medical, "medical"),
        ] {
            section(
                one, ["vulnerabilities", .constant(kind.rawValue), "remove"], name,
                roles: kind == .medical ? ReturnAccess.medical : ReturnAccess.write
            ) { req, id, cid, _ in
                try await ReturnRecords.removeVulnerability(cid, kind: kind, identity: id, on: req.application)
            }
        }
        section(one, ["travel-documents"], "td", roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.saveTravelDocument(cid, requestID: nil, f, actor: id.actor, on: req.application)
        }
        section(
            one, ["travel-documents", ":requestID"], { "td-" + ($0.parameters.get("requestID") ?? "") },
            roles: ReturnAccess.write
        ) { req, id, cid, f in
            try await ReturnRecords.saveTravelDocument(
                cid, requestID: try req.uuid("requestID"), f, actor: id.actor, on: req.application)
        }
        section(one, ["plan"], "plan", roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.savePlan(cid, f, actor: id.actor, on: req.application)
        }
        section(one, ["grants"], "grant", roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.addGrant(cid, f, actor: id.actor, on: req.application)
        }
        section(
            one, ["grants", ":grantID", "payments"], { "pay-" + ($0.parameters.get("grantID") ?? "") },
            roles: ReturnAccess.payments
        ) { req, id, cid, f in
            try await ReturnRecords.addPayment(
                cid, grantID: try req.uuid("grantID"), f, actor: id.actor, on: req.application)
        }
        section(one, ["cargo"], "cargo", roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.saveCargo(cid, cargoID: nil, f, actor: id.actor, on: req.application)
        }
        section(
            one, ["cargo", ":cargoID"], { "cargo-" + ($0.parameters.get("cargoID") ?? "") }, roles: ReturnAccess.write
        ) { req, id, cid, f in
            try await ReturnRecords.saveCargo(
                cid, cargoID: try req.uuid("cargoID"), f, actor: id.actor, on: req.application)
        }
        section(one, ["monitoring"], "monitoring", roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.addMonitoring(cid, f, actor: id.actor, on: req.application)
        }
        section(one, ["consent"], "consent", roles: ReturnAccess.write) { req, id, cid, f in
            try await ReturnRecords.setConsent(cid, f, actor: id.actor, on: req.application)
        }
        section(one, ["exceptions", ":exceptionID", "review"], "exceptions", roles: ReturnAccess.review) {
            req, id, cid, f in
            try await ReturnRecords.review(
                cid, exceptionID: try req.uuid("exceptionID"), note: f["note"], actor: id.actor, on: req.application)
        }

        r.get("rules", roles: ReturnAccess.rulesRead) { req, id in try await rules(req, id, failure: nil) }
        r.post("rules", roles: ReturnAccess.rulesWrite, use: saveRules)
        r.get("travel-documents", roles: ReturnAccess.read, use: openRequestsPage)
        r.get("travel-documents", "letter", ":embassyID", roles: ReturnAccess.read, use: embassyLetter)
        r.get("outreach", roles: ReturnAccess.read) { req, id in try await outreach(req, id, failure: nil) }
        r.post("outreach", roles: ReturnAccess.outreach, use: addOutreach)
        r.get("workload", roles: ReturnAccess.read, use: workloadPage)
        r.get("medical", roles: ReturnAccess.medical) { req, id -> HTML in
            ReturnQueues.medicalPage(req, id, try await ReturnQueues.medicalWorklist(req, id, note: "medical worklist"))
        }
        r.get("exceptions", roles: ReturnAccess.review) { req, id -> HTML in
            let all = req.query[String.self, at: "state"] == "all"
            return ReturnListPages.exceptions(
                req, id, try await ReturnRecords.exceptions(open: !all, on: req.db), all: all)
        }
    }

    func worklistPage(_ req: Request, _ id: Identity) async throws -> HTML {
        let f = try ReturnWorklist.filter(req, id)
        let paging = try ListPaging.read(req, sorts: ReturnWorklist.sorts, default: "opened", pageSize: 50)
        let found = try await ReturnWorklist.page(f, paging, on: req.db)
        return ReturnPages.worklist(
            req, id, .init(rows: found.rows, total: found.total, byStage: found.byStage, paging: paging),
            stage: f.stage, owner: f.ownerID == nil ? "all" : "me")
    }

    func newCaseForm(_ req: Request, _ id: Identity) async throws -> HTML {
        return try await openForm(req, id, personID: req.query[String.self, at: "personID"], failure: nil)
    }

    func openCase(_ req: Request, _ id: Identity) async throws -> Response {
        var f = try FormInput.fields(req)
        f["companionIDs"] = Self.checked(f, prefix: "companion_")
        do {
            let c = try await ReturnRecords.open(f, actor: id.actor, on: req.application)
            return req.redirect(to: ReturnPaths.file(c.id!))
        } catch let e as ValidationErrors {
            return try await openForm(
                req, id, personID: f["personID"], failure: .init(section: "open", errors: e, fields: f)
            ).response(status: .unprocessableEntity)
        }
    }

    func saveRules(_ req: Request, _ id: Identity) async throws -> Response {
        let f = try FormInput.fields(req)
        var caps: [GrantType: String] = [:]
        for t in GrantType.allCases { caps[t] = f["cap_\(t.rawValue)"] }
        do {
            _ = try await ReturnRecords.saveRules(
                text: f["rules"] ?? "", caps: caps, note: f["note"] ?? "", actor: id.actor, on: req.application)
            return req.redirect(to: "/return/rules")
        } catch let e as ValidationErrors {
            var renamed = ValidationErrors()
            for i in e.items { renamed.add(i.field.replacingOccurrences(of: "cap.", with: "cap_"), i.message) }
            return try await rules(req, id, failure: .init(section: "rules", errors: renamed, fields: f)).response(
                status: .unprocessableEntity)
        }
    }

    func openRequestsPage(_ req: Request, _ id: Identity) async throws -> HTML {
        return ReturnListPages.openRequests(req, id, try await ReturnReports.openRequests(embassyID: nil, on: req.db))
    }

    func embassyLetter(_ req: Request, _ id: Identity) async throws -> Response {
        let eid = try req.uuid("embassyID")
        guard let embassy = try await Partner.find(eid, on: req.db), embassy.kind == PartnerKind.embassy
        else {
            throw Abort(.notFound, reason: "No such embassy.")
        }
        let requests = try await TravelDocumentRequest.query(on: req.db).filter(\.$embassy.$id == eid)
            .filter(
                \.$status ~~ [
                    TravelDocumentStatus.requested, TravelDocumentStatus.interviewScheduled,
                ]
            )
            .with(\.$caseRecord) { $0.with(\.$person) { $0.with(\.$documents) } }.sort(\.$requestedOn).all()
        guard !requests.isEmpty else {
            return ReturnListPages.letter(req, id, embassy: embassy, requests: []).response(status: .ok)
        }
        // The letter goes to the embassy with each person's particulars: a transfer, made only under a live
        // sharing agreement with the embassy (without one it waits, shown to administrators) and logged with it.
        let agreement: SharingAgreement
        do {
            agreement = try await SharingGate.agreementOrHold(
                channel: "embassy_letter", partner: embassy, .partnerSharing, .ordinary,
                what: "travel document requests for \(requests.count) \(requests.count == 1 ? "person" : "persons")",
                actor: id.actor, on: req.application)
        } catch let e as DomainError where e.kind == .conflict {
            return ReturnListPages.letterWaits(req, id, embassy: embassy, reason: e.message, waiting: requests.count)
                .response(status: .conflict)
        }
        try await req.application.writeTransaction { db in
            for r in requests {
                try await SharingGate.log(
                    channel: "embassy_letter", recipient: embassy.name, purpose: .partnerSharing,
                    basis: "agreement \(agreement.documentReference)",
                    what: "Travel document request for case \(r.caseRecord.reference)", person: r.caseRecord.$person.id,
                    partner: eid, agreement: agreement.id, actor: id.actor, on: db)
            }
        }
        return ReturnListPages.letter(req, id, embassy: embassy, requests: requests).response(status: .ok)
    }

    func addOutreach(_ req: Request, _ id: Identity) async throws -> Response {
        let f = try FormInput.fields(req)
        do {
            try await ReturnRecords.addOutreach(f, actor: id.actor, userID: id.userID, on: req.application)
            return req.redirect(to: "/return/outreach")
        } catch let e as ValidationErrors {
            return try await outreach(req, id, failure: .init(section: "outreach", errors: e, fields: f)).response(
                status: .unprocessableEntity)
        }
    }

    func workloadPage(_ req: Request, _ id: Identity) async throws -> Response {
        do {
            let (from, to) = try ReturnReports.period(req)
            return try await ReturnListPages.workload(
                req, id, from: from.isoText, to: to.isoText,
                rows: try await ReturnReports.workload(from: from, to: to, on: req.db), errors: nil
            )
            .encodeResponse(for: req)
        } catch let e as ValidationErrors {
            return ReturnListPages.workload(
                req, id, from: req.query[String.self, at: "from"] ?? "", to: req.query[String.self, at: "to"] ?? "",
                rows: [], errors: e
            )
            .response(status: .unprocessableEntity)
        }
    }

    /// The ids of the checked boxes named `prefix<id>`, comma-separated.
    static func checked(_ f: FormFields, prefix: String) -> String {
        f.filter { $0.key.hasPrefix(prefix) && Input.flag($0.value) }.map { String($0.key.dropFirst(prefix.count)) }
            .sorted().joined(separator: ",")
    }

    /// A form of the case file: on success back to its section; on refusal the file again, with the
    /// section's messages and what was typed.
    func section(
        _ one: any RoutesBuilder, _ path: [PathComponent], _ name: String, roles: Set<Role>,
        _ op: @escaping @Sendable (Request, Identity, UUID, FormFields) async throws -> Void
    ) {
        section(one, path, { _ in name }, roles: roles, op)
    }

    func section(
        _ one: any RoutesBuilder, _ path: [PathComponent], _ name: @escaping @Sendable (Request) -> String,
        roles: Set<Role>,
        _ op: @escaping @Sendable (Request, Identity, UUID, FormFields) async throws -> Void
    ) {
        one.on(.POST, path, roles: roles) { req, id -> Response in
            let cid = try req.uuid("caseID")
            let f = try FormInput.fields(req)
            let s = name(req)
            do {
                try await op(req, id, cid, f)
                return req.redirect(to: "\(ReturnPaths.file(cid))?saved=\(s)#saved")
            } catch let e as ValidationErrors {
                return try await page(req, id, failure: .init(section: s, errors: e, fields: f), audit: false).response(
                    status: .unprocessableEntity)
            } catch let e as DomainError {
                let status: HTTPStatus =
                    e.kind == .notAllowed ? .forbidden : e.kind == .conflict ? .conflict : .unprocessableEntity
                // A case without its intake cannot show its file; the error page says why.
                if (try? await ReturnRecords.load(cid, on: req.db)) == nil { throw e }
                return try await page(req, id, failure: .init(section: s, message: e.message, fields: f), audit: false)
                    .response(status: status)
            }
        }
    }

    func page(_ req: Request, _ id: Identity, failure: SectionFailure?, audit: Bool) async throws -> HTML {
        let cid = try req.uuid("caseID")
        guard let c = try await Case.find(cid, on: req.db), c.programme == .voluntaryReturn else {
            throw Abort(.notFound, reason: "No such return case.")
        }
        if try await ReturnCase.query(on: req.db).filter(\.$caseRecord.$id == cid).first() == nil {
            // A return case opened as a plain case: its intake comes first.
            return try await intakeFirst(req, id, c, failure: failure)
        }
        let file = try await ReturnFile.load(cid, for: id, reader: req.t, on: req.db)
        if audit {
            try await AuditLog.views(
                req.application, id.actor, entity: "return_case", entityID: cid, persons: [c.$person.id])
        }
        let partners = try await Partner.query(on: req.db).sort(\.$name).all()
        let staff = try await User.query(on: req.db).filter(\.$active == true).sort(\.$displayName).all()
            .filter { !$0.roles.isDisjoint(with: ReturnAccess.read) && $0.id != c.$owner.id }.map {
                (value: $0.id!.uuidString, label: $0.displayName)
            }
        return ReturnPages.file(
            req, id,
            .init(
                file: file, locations: try await CasePagesController.locations(req.db),
                embassies: partners.filter { $0.kind == PartnerKind.embassy }.map {
                    (
                        $0.id!.uuidString,
                        $0.name + ($0.country.map { " (\($0))" } ?? "")
                            + ($0.proposedBy == nil ? "" : " — " + req.t("registry.proposed"))
                    )
                },
                ngos: partners.filter { $0.kind == PartnerKind.ngo }.map { ($0.id!.uuidString, $0.name) },
                staff: staff, household: try await household(c.$person.id, req.db), failure: failure,
                blocks: try await req.application.caseBlocks(req, id, caseID: cid), identity: id,
                medicalBasis: ReturnAccess.writesMedical(id)
                    ? try await ConsentPages.missing(req, .medicalData, personID: c.$person.id) : .empty))
    }

    func household(_ pid: UUID, _ db: any Database) async throws -> [(id: UUID, name: String, relationship: String)] {
        try await HouseholdLink.query(on: db).filter(\.$person.$id == pid).with(\.$relatedPerson).all()
            .map {
                (
                    $0.$relatedPerson.id, "\($0.relatedPerson.familyName), \($0.relatedPerson.givenNames)",
                    $0.relationship
                )
            }
    }

    func intakeFirst(_ req: Request, _ id: Identity, _ c: Case, failure: SectionFailure?) async throws -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let body = ReturnPages.intakeFields(
            f, "intake", nil, locations: try await CasePagesController.locations(req.db),
            household: try await household(c.$person.id, req.db))
        return Layout.page(
            req: req, identity: id, title: c.reference,
            body: """
                <h1>\(c.reference)</h1><p>\(t("return.intake.first"))</p>
                \(id.hasAny(ReturnAccess.write) ? f.form("\(ReturnPaths.file(c.id!))/intake", "intake",
                    button: "form.save", body) : .empty)
                """)
    }

    func openForm(_ req: Request, _ id: Identity, personID: String?, failure: SectionFailure?) async throws -> HTML {
        guard let pid = personID.flatMap(UUID.init(uuidString:)), let p = try await Person.find(pid, on: req.db) else {
            return Layout.page(
                req: req, identity: id, title: req.t("return.new.title"),
                body: """
                    <h1>\(req.t("return.new.title"))</h1><p class="empty">\(req.t("return.new.hint"))</p><p>\
                    <a class="btn" href="/persons">\(req.t("nav.persons"))</a></p>
                    """)
        }
        return ReturnPages.openForm(
            req, id,
            .init(
                person: PersonSummary(p), household: try await household(pid, req.db),
                locations: try await CasePagesController.locations(req.db),
                owners: try await CasePagesController.owners(req.db), failure: failure))
    }

    func rules(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        let versions = try await RuleSetRecord.query(on: req.db).sort(\.$version, .descending).all()
        let sets = try versions.map { (record: $0, set: try $0.ruleSet()) }
        return ReturnListPages.rules(
            req, id, versions: sets, flagged: try await ReturnRecords.flagged(on: req.db), failure: failure)
    }

    func outreach(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        ReturnListPages.outreach(
            req, id, rows: try await ReturnReports.outreach(on: req.db),
            locations: try await CasePagesController.locations(req.db), failure: failure)
    }
}
