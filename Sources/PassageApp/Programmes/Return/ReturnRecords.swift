import Vapor
import Fluent
import SQLKit
import PassageDomain

/// Who may do what in the return programme.
enum ReturnAccess {
    static let read: Set<Role> = [.counsellor, .medicalOfficer, .movementsOfficer, .manager]
    static let write: Set<Role> = [.counsellor, .manager]
    /// Moving a case along: counsellors and managers; the airport team confirms departures and no-shows.
    static let move: Set<Role> = [.counsellor, .manager, .movementsOfficer]
    static let medical: Set<Role> = CaseAccess.medical
    static let payments: Set<Role> = [.counsellor, .manager, .movementsOfficer]
    static let rulesRead: Set<Role> = [.counsellor, .manager, .administrator]
    static let rulesWrite: Set<Role> = [.administrator]
    static let outreach: Set<Role> = [.counsellor, .manager]
    /// Who reviews a departure whose checks were not met.
    static let review: Set<Role> = [.manager]

    /// Trafficking records: the roles that read the category, the case owner, and staff granted access by name.
    static func seesTrafficking(_ id: Identity, ownerID: UUID?, record: TraffickingRecord?) -> Bool {
        (record ?? TraffickingRecord()).visible(
            toUser: id.userID.uuidString, readsCategory: id.reads(.trafficking), caseOwnerID: ownerID?.uuidString)
    }
    static func seesMedical(_ id: Identity) -> Bool { id.reads(.medical) }
    /// Records medical details: a medical role that also reads the category.
    static func writesMedical(_ id: Identity) -> Bool { id.hasAny(medical) && id.reads(.medical) }
    /// The stages the airport team moves a case to; counsellors and managers make every move.
    static let airportMoves: Set<ReturnStage> = [.departed, .noShow]
    static func mayMove(_ id: Identity, to stage: ReturnStage) -> Bool {
        id.hasAny(write) || (id.has(.movementsOfficer) && airportMoves.contains(stage))
    }
}

enum ReturnRecords {
    static func today() -> PartialDate { Clock.today() }

    // MARK: loading

    struct Loaded: Sendable {
        let c: Case
        let r: ReturnCase
    }

    static func load(_ caseID: UUID, on db: any Database) async throws -> Loaded {
        guard
            let c = try await Case.query(on: db).filter(\.$id == caseID).with(\.$person).with(\.$owner).with(
                \.$officeLocation
            ).first(),
            c.programme == .voluntaryReturn
        else { throw Abort(.notFound, reason: "No such return case.") }
        guard let r = try await ReturnCase.query(on: db).filter(\.$caseRecord.$id == caseID).first() else {
            throw DomainError(.conflict, "The intake of this return case has not been recorded yet.")
        }
        return Loaded(c: c, r: r)
    }

    static func event(
        _ caseID: UUID, _ actor: Actor, _ kind: String, _ text: String, audience: TimelineAudience? = nil,
        phrase: Phrase? = nil, on db: any Database
    ) async throws {
        try await CaseEvent(
            caseID: caseID, at: Clock.now(), actorID: UUID(uuidString: actor.id), actorName: actor.name, kind: kind,
            text: text, audience: audience, phrase: phrase
        ).create(on: db)
    }

    /// A vulnerability's lines are for those who may read its record.
    static func audience(of kind: VulnerabilityKind) -> TimelineAudience {
        switch kind {
        case .unaccompaniedChild: .childProtection
        case .medical: .medical
        case .trafficking: .restricted
        }
    }

    /// What the timeline says when a flown booking departed a case whose checks were not met: one line for the
    /// programme's staff with the reasons they may read, and one for each restricted record that was not in order,
    /// for those who may read that record.
    static func departedWithChecksOpen(flight: String, reasons: [String] = []) -> String {
        "Flown on \(flight): departed with checks not met, for a manager to review: "
            + (reasons.isEmpty ? "listed in the return file" : reasons.joined(separator: "; "))
    }

    static func departedWithChecksOpen(flight: String, _ b: ReturnWorkflow.Blockers) -> [(String, TimelineAudience)] {
        var lines: [(String, TimelineAudience)] = []
        var general = b.general
        if !b.trafficking.isEmpty || !b.medical.isEmpty {
            general.append("a record not every reader may see is incomplete")
        }
        lines.append((departedWithChecksOpen(flight: flight, reasons: general), .programme))
        if !b.trafficking.isEmpty {
            lines.append((departedWithChecksOpen(flight: flight, reasons: b.trafficking), .restricted))
        }
        if !b.medical.isEmpty { lines.append((departedWithChecksOpen(flight: flight, reasons: b.medical), .medical)) }
        return lines
    }

    static func currentRules(on db: any Database) async throws -> EligibilityRuleSet {
        guard let r = try await RuleSetRecord.query(on: db).sort(\.$version, .descending).first() else {
            return .initial
        }
        return try r.ruleSet()
    }

    static func rules(version: Int, on db: any Database) async throws -> EligibilityRuleSet {
        guard let r = try await RuleSetRecord.query(on: db).filter(\.$version == version).first() else {
            return .initial
        }
        return try r.ruleSet()
    }

    static func latestDecision(_ caseID: UUID, on db: any Database) async throws -> DecisionRecord? {
        try await DecisionRecord.query(on: db).filter(\.$caseRecord.$id == caseID)
            .sort(\.$createdAt, .descending).sort(\.$decidedFor, .descending).first()
    }

    /// What the workflow's guards look at.
    static func facts(_ l: Loaded, on db: any Database) async throws -> ReturnFacts {
        let cid = l.c.id!
        var f = ReturnFacts()
        let sessions = try await CounsellingSession.query(on: db).filter(\.$caseRecord.$id == cid)
            .sort(\.$heldOn).sort(\.$createdAt).all()
        f.sessionOutcomes = sessions.map(\.outcome)
        f.firstSessionOn = sessions.first.flatMap { PartialDate(parsing: $0.heldOn) }
        f.decision = try await latestDecision(cid, on: db)?.decision
        for v in try await VulnerabilityRecord.query(on: db).filter(\.$caseRecord.$id == cid).all() {
            switch v.kind {
            case .unaccompaniedChild: f.child = v.decode(ChildSafeguards.self)
            case .trafficking: f.trafficking = v.decode(TraffickingRecord.self)
            case .medical: f.medical = v.decode(MedicalRecord.self)
            }
        }
        let issued = try await TravelDocumentRequest.query(on: db).filter(\.$caseRecord.$id == cid)
            .filter(\.$status == TravelDocumentStatus.issued).all()
        f.travelDocumentExpiries = issued.compactMap { $0.expiresOn.flatMap(PartialDate.init(parsing:)) }
        // A passport of the country of return that the migrant holds counts as well.
        let passports = try await IdentityDocument.query(on: db).filter(\.$person.$id == l.c.$person.id)
            .filter(
                \.$type ~~ [
                    IdentityDocumentType.passport, IdentityDocumentType.emergencyTravelDocument,
                    IdentityDocumentType.laissezPasser,
                ]
            )
            .filter(\.$issuingCountry == l.r.destinationCountry).all()
        f.travelDocumentExpiries += passports.compactMap { $0.expiresOn.flatMap(PartialDate.init(parsing:)) }
        f.grantCount = try await GrantRecord.query(on: db).filter(\.$caseRecord.$id == cid).count()
        return f
    }

    // MARK: intake

    static func activeStaff(_ raw: [String], field: String, on db: any Database) async throws -> [String] {
        var out: [String] = []
        for s in raw where !s.isEmpty {
            guard let id = UUID(uuidString: s), let u = try await User.find(id, on: db), u.active,
                !u.roles.contains(.partner)
            else {
                throw ValidationErrors(field, "'\(s)' is not an active member of staff")
            }
            out.append(id.uuidString)
        }
        return out
    }

    static func companions(_ raw: String?, personID: UUID, on db: any Database) async throws -> [String] {
        let ids = (raw ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        var out: [String] = []
        for s in ids {
            guard let id = UUID(uuidString: s), id != personID,
                try await HouseholdLink.query(on: db).filter(\.$person.$id == personID).filter(
                    \.$relatedPerson.$id == id
                ).first() != nil
            else {
                throw ValidationErrors("companionIDs", "'\(s)' is not a member of the person's household")
            }
            if !out.contains(id.uuidString) { out.append(id.uuidString) }
        }
        return out
    }

    static func stayLocation(_ raw: String?, on db: any Database) async throws -> UUID? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let id = UUID(uuidString: raw), try await Location.find(id, on: db) != nil else {
            throw ValidationErrors("stayLocationID", "is not a known location")
        }
        return id
    }

    /// Opens a return case with its intake, in one transaction.
    static func open(_ f: FormFields, actor: Actor, on app: Application) async throws -> Case {
        let caseForm = CaseForm(
            programme: Programme.voluntaryReturn.rawValue, personID: f["personID"], ownerID: f["ownerID"],
            officeLocationID: f["officeLocationID"], openedOn: f["openedOn"], summary: f["summary"])
        var errors = ValidationErrors()
        var details: CaseDetails?
        var intake: ReturnIntake?
        do { details = try CaseValidation.validate(caseForm, today: PersonRecords.today()) } catch let e
            as ValidationErrors
        { for i in e.items { errors.add(i.field, i.message) } }
        do { intake = try ReturnValidation.intake(f, companions: []) } catch let e as ValidationErrors {
            for i in e.items { errors.add(i.field, i.message) }
        }
        try errors.throwIfAny()
        guard let pid = UUID(uuidString: f["personID"] ?? ""), try await Person.find(pid, on: app.db) != nil else {
            throw ValidationErrors("personID", "is not a known person")
        }
        intake!.companionIDs = try await companions(f["companionIDs"], personID: pid, on: app.db)
        let stay = try await stayLocation(intake!.stayLocationID, on: app.db)
        let owner = try await CaseRecords.ownerID(f["ownerID"], on: app.db)
        let office = try await CaseRecords.officeID(f["officeLocationID"], on: app.db)
        let readyIntake = intake!
        let caseDetails = details!
        return try await app.writeTransaction { db in
            let c = try await CaseRecords.insert(
                caseDetails, personID: pid, ownerID: owner, officeID: office, actor: actor, on: db)
            let r = ReturnCase()
            r.$caseRecord.id = c.id!
            r.stage = .intake
            r.receivingOffice = ""
            apply(readyIntake, stay: stay, to: r)
            try await r.create(on: db)
            try await event(
                c.id!, actor, "intake",
                """
                Intake: referred by \(readyIntake.referralSource.rawValue), return to \
                \(CountryCode.name(readyIntake.destinationCountry))
                """,
                phrase: Phrase(
                    "tl.intake.opened", .word("referral.\(readyIntake.referralSource)"),
                    .country(readyIntake.destinationCountry)),
                on: db)
            try await AuditLog.change(db, actor, .create, "return_case", r.id, person: pid, after: r.auditSnapshot)
            return c
        }
    }

    static func apply(_ i: ReturnIntake, stay: UUID?, to r: ReturnCase) {
        r.referralSource = i.referralSource
        r.$stayLocation.id = stay
        r.preferredLanguage = i.preferredLanguage
        r.interpreterNeeded = i.interpreterNeeded
        r.destinationCountry = i.destinationCountry
        r.destinationPlace = i.destinationPlace
        r.companionsText = i.companionIDs.joined(separator: ",")
    }

    /// Records or corrects the intake of a return case (also of one opened as a plain case).
    static func saveIntake(_ caseID: UUID, _ f: FormFields, actor: Actor, on app: Application) async throws {
        guard let c = try await Case.find(caseID, on: app.db), c.programme == .voluntaryReturn else {
            throw Abort(.notFound, reason: "No such return case.")
        }
        var intake = try ReturnValidation.intake(f, companions: [])
        intake.companionIDs = try await companions(f["companionIDs"], personID: c.$person.id, on: app.db)
        let stay = try await stayLocation(intake.stayLocationID, on: app.db)
        let ready = intake
        try await app.writeTransaction { db in
            let existing = try await ReturnCase.query(on: db).filter(\.$caseRecord.$id == caseID).first()
            let r = existing ?? ReturnCase()
            let before = existing?.auditSnapshot ?? [:]
            if existing == nil {
                r.$caseRecord.id = caseID; r.stage = .intake; r.receivingOffice = ""
            }
            apply(ready, stay: stay, to: r)
            let after = r.auditSnapshot
            guard before != after else { return }
            try await r.save(on: db)
            try await event(
                caseID, actor, "intake", existing == nil ? "Intake recorded" : "Intake corrected",
                phrase: Phrase(existing == nil ? "tl.intake.recorded" : "tl.intake.corrected"), on: db)
            try await AuditLog.change(
                db, actor, existing == nil ? .create : .update, "return_case", r.id, person: c.$person.id,
                before: before, after: after)
        }
    }

    // MARK: counselling

    static func addSession(_ caseID: UUID, _ f: FormFields, identity: Identity, on app: Application) async throws {
        let l = try await load(caseID, on: app.db)
        let s = try ReturnValidation.session(f, today: today())
        guard let loc = UUID(uuidString: s.locationID), try await Location.find(loc, on: app.db) != nil else {
            throw ValidationErrors("locationID", "is not a known location")
        }
        var counsellor = identity.userID
        if let raw = f["counsellorID"], !raw.isEmpty {
            counsellor = UUID(uuidString: try await activeStaff([raw], field: "counsellorID", on: app.db)[0])!
        }
        guard l.r.stage.acceptsSessions else {
            throw DomainError(.conflict, "The case is finished; reopen it before recording sessions.")
        }
        let who = counsellor
        try await app.writeTransaction { db in
            let m = CounsellingSession()
            m.$caseRecord.id = caseID; m.personID = l.c.$person.id; m.heldOn = s.heldOn.isoText; m.$location.id = loc;
            m.$counsellor.id = who
            m.language = s.language; m.interpreter = s.interpreter; m.durationMinutes = s.durationMinutes
            m.notes = s.notes; m.outcome = s.outcome
            try await m.create(on: db)
            try await event(
                caseID, identity.actor, "counselling",
                """
                Counselling session on \(m.heldOn) (\(s.durationMinutes) min, \(LanguageCode.name(s.language))): \
                \(s.outcome.rawValue)
                """,
                phrase: Phrase(
                    "tl.session", .text(m.heldOn), .text(String(s.durationMinutes)), .language(s.language),
                    .word("counselling.\(s.outcome)")),
                on: db)
            try await AuditLog.change(
                db, identity.actor, .create, "counselling_session", m.id, person: l.c.$person.id, after: m.auditSnapshot
            )
        }
    }

    // MARK: eligibility

    static func decide(_ caseID: UUID, _ f: FormFields, actor: Actor, on app: Application) async throws
        -> EligibilityDecision
    {
        let l = try await load(caseID, on: app.db)
        var e = ValidationErrors()
        let day = Input.day(f["decidedFor"], field: "decidedFor", required: false, into: &e) ?? today()
        try e.throwIfAny()
        guard l.r.stage.acceptsEligibility else {
            throw DomainError(
                .conflict, "Eligibility is decided before departure; this case is at stage \(l.r.stage.rawValue).")
        }
        let nationality = l.c.person.nationality
        return try await app.writeTransaction { db in
            let rules = try await currentRules(on: db)
            let d = rules.decide(nationality: nationality, on: day)
            let m = DecisionRecord(caseID: caseID, d, decidedBy: actor.name)
            try await m.create(on: db)
            try await event(caseID, actor, "eligibility", "Eligibility: \(d.explanation)", on: db)
            try await AuditLog.change(
                db, actor, .create, "eligibility_decision", m.id, person: l.c.$person.id, after: m.auditSnapshot)
            return d
        }
    }

    /// Open return cases whose latest decision the current rules would now decide differently.
    static func flagged(on db: any Database) async throws -> [(
        caseID: UUID, reference: String, was: EligibilityDecision, now: EligibilityDecision
    )] {
        let rules = try await currentRules(on: db)
        // Every decision of the open cases in one read, newest first as `latestDecision` orders them.
        let decisions = try await DecisionRecord.query(on: db)
            .join(ReturnCase.self, on: \DecisionRecord.$caseRecord.$id == \ReturnCase.$caseRecord.$id)
            .filter(ReturnCase.self, \.$stage !~ [ReturnStage.closed, .withdrawn])
            .with(\.$caseRecord).sort(\.$createdAt, .descending).sort(\.$decidedFor, .descending).all()
        var seen = Set<UUID>()
        var out: [(UUID, String, EligibilityDecision, EligibilityDecision)] = []
        for record in decisions where seen.insert(record.$caseRecord.id).inserted {
            let d = record.decision
            let now = rules.decide(nationality: d.nationality, on: d.decidedFor)
            if d.ruleSetVersion != rules.version && d.differs(from: now) {
                out.append((record.$caseRecord.id, record.caseRecord.reference, d, now))
            }
        }
        return out.sorted { $0.1 < $1.1 }
    }

    static func saveRules(text: String, caps: [GrantType: String], note: String, actor: Actor, on app: Application)
        async throws -> EligibilityRuleSet
    {
        var e = ValidationErrors()
        let n = Input.text(note, field: "note", max: 500, required: true, into: &e)
        do { _ = try EligibilityRuleSet.parse(version: 0, text: text, caps: caps) } catch let v as ValidationErrors {
            for i in v.items { e.add(i.field, i.message) }
        }
        try e.throwIfAny()
        return try await app.writeTransaction { db in
            let previous = try await currentRules(on: db)
            let set = try EligibilityRuleSet.parse(version: previous.version + 1, text: text, caps: caps)
            let m = RuleSetRecord()
            m.version = set.version; m.body = String(decoding: try JSONEncoder().encode(set), as: UTF8.self)
            m.note = n; m.createdBy = actor.name
            try await m.create(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .create, entity: "eligibility_rule_set", entityID: String(set.version),
                personID: nil,
                changes: AuditRecord.diff(
                    before: ["rules": previous.text, "caps": "\(previous.caps.sorted { $0.key < $1.key })"],
                    after: ["rules": set.text, "caps": "\(set.caps.sorted { $0.key < $1.key })"]), note: n)
            return set
        }
    }

    // MARK: vulnerabilities

    static func saveVulnerability(
        _ caseID: UUID, kind: VulnerabilityKind, _ f: FormFields, identity: Identity, on app: Application
    ) async throws {
        let l = try await load(caseID, on: app.db)
        let existing = try await VulnerabilityRecord.query(on: app.db).filter(\.$caseRecord.$id == caseID).filter(
            \.$kind == kind
        ).first()
        let details: String
        switch kind {
        case .unaccompaniedChild:
            guard identity.hasAny(ReturnAccess.write) else {
                throw DomainError(.notAllowed, "Counsellors and managers record a child's safeguards.")
            }
            details = try json(try VulnerabilityValidation.child(f))
        case .medical:
            guard ReturnAccess.writesMedical(identity) else {
                throw DomainError(.notAllowed, "Medical details are recorded by medical officers and managers.")
            }
            details = try json(try VulnerabilityValidation.medical(f))
            // Medical data is recorded only on the register's basis for it (the person's consent).
            try await ProcessingBasis.require(.medicalData, person: l.c.$person.id, on: app.db)
        case .trafficking:
            let current = existing?.decode(TraffickingRecord.self)
            guard identity.hasAny(ReturnAccess.write),
                existing == nil || ReturnAccess.seesTrafficking(identity, ownerID: l.c.$owner.id, record: current)
            else {
                throw DomainError(
                    .notAllowed, "Only the case owner, managers and staff granted access may see or change this record."
                )
            }
            let raw = (f["grantedUserIDs"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            let granted = try await activeStaff(raw, field: "grantedUserIDs", on: app.db)
            details = try json(try VulnerabilityValidation.trafficking(f, granted: granted))
        }
        try await app.writeTransaction { db in
            let m = existing ?? VulnerabilityRecord()
            let before = existing.map { ["details": $0.details] } ?? [:]
            guard before["details"] != details else { return }
            m.$caseRecord.id = caseID; m.kind = kind; m.details = details
            try await m.save(on: db)
            // The timeline names the category only, and not even that for trafficking: everyone who reads the case
            // reads the timeline.
            let what = kind == .trafficking ? "a restricted record" : kind.rawValue
            try await event(
                caseID, identity.actor, "vulnerability",
                (existing == nil ? "Vulnerability recorded: " : "Vulnerability updated: ") + what,
                audience: Self.audience(of: kind), on: db)
            try await AuditLog.change(
                db, identity.actor, existing == nil ? .create : .update, "vulnerability.\(kind.rawValue)", m.id,
                person: l.c.$person.id, before: before, after: ["details": details])
        }
    }

    /// Removes a vulnerability recorded by mistake; the audit trail keeps what it said.
    static func removeVulnerability(_ caseID: UUID, kind: VulnerabilityKind, identity: Identity, on app: Application)
        async throws
    {
        let l = try await load(caseID, on: app.db)
        guard
            let existing = try await VulnerabilityRecord.query(on: app.db).filter(\.$caseRecord.$id == caseID).filter(
                \.$kind == kind
            ).first()
        else {
            throw Abort(.notFound, reason: "No such vulnerability on this case.")
        }
        let allowed: Bool
        switch kind {
        case .medical: allowed = ReturnAccess.writesMedical(identity)
        case .unaccompaniedChild: allowed = identity.hasAny(ReturnAccess.write)
        case .trafficking:
            allowed =
                identity.hasAny(ReturnAccess.write)
                && ReturnAccess.seesTrafficking(
                    identity, ownerID: l.c.$owner.id, record: existing.decode(TraffickingRecord.self))
        }
        guard allowed else { throw DomainError(.notAllowed, "Your role may not remove this record.") }
        try await app.writeTransaction { db in
            try await existing.delete(on: db)
            let what = kind == .trafficking ? "a restricted record" : kind.rawValue
            try await event(
                caseID, identity.actor, "vulnerability", "Vulnerability removed: \(what)",
                audience: Self.audience(of: kind), on: db)
            try await AuditLog.change(
                db, identity.actor, .delete, "vulnerability.\(kind.rawValue)", existing.id, person: l.c.$person.id,
                before: ["details": existing.details], after: [:])
        }
    }

    static func json<T: Encodable>(_ v: T) throws -> String {
        let e = JSONEncoder(); e.outputFormatting = .sortedKeys
        return String(decoding: try e.encode(v), as: UTF8.self)
    }

    // MARK: travel documents

    static func embassy(_ raw: String, on db: any Database) async throws -> Partner {
        guard let id = UUID(uuidString: raw), let p = try await Partner.find(id, on: db),
            p.kind == PartnerKind.embassy
        else {
            throw ValidationErrors("embassyID", "is not an embassy in the partner registry")
        }
        return p
    }

    static func saveTravelDocument(_ caseID: UUID, requestID: UUID?, _ f: FormFields, actor: Actor, on app: Application)
        async throws
    {
        let l = try await load(caseID, on: app.db)
        var fields = f
        let existing = try await requestID.asyncMap { rid -> TravelDocumentRequest in
            guard
                let t = try await TravelDocumentRequest.query(on: app.db).filter(\.$id == rid).filter(
                    \.$caseRecord.$id == caseID
                ).first()
            else {
                throw Abort(.notFound, reason: "No such travel document request.")
            }
            return t
        }
        if let x = existing {
            // A change names only what changes; the rest stays as it was.
            let old = [
                "embassyID": x.$embassy.id.uuidString, "kind": x.kind.rawValue, "status": x.status.rawValue,
                "requestedOn": x.requestedOn,
                "interviewOn": x.interviewOn ?? "", "number": x.number, "expiresOn": x.expiresOn ?? "",
                "issuedOn": x.issuedOn ?? "",
            ]
            fields = old.merging(f.filter { old[$0.key] != nil }) { $1 }
        }
        let t = try ReturnValidation.travelDocument(fields, today: today())
        // A document for the journey cannot have been issued after the person left on it.
        if let issued = t.issuedOn, let left = l.r.departedOn.flatMap(PartialDate.init(parsing:)), left < issued {
            throw ValidationErrors("issuedOn", "must not be after the departure")
        }
        let emb = try await embassy(t.embassyID, on: app.db)
        if let x = existing, !x.status.canBecome(t.status) {
            throw DomainError(
                .conflict, "A request that was \(x.status.rawValue) cannot change its status; make a new request.")
        }
        try await app.writeTransaction { db in
            let m = existing ?? TravelDocumentRequest()
            let before = existing?.auditSnapshot ?? [:]
            m.$caseRecord.id = caseID; m.$embassy.id = emb.id!; m.kind = t.kind; m.status = t.status
            m.requestedOn = t.requestedOn.isoText; m.interviewOn = t.interviewOn?.isoText; m.number = t.number;
            m.expiresOn = t.expiresOn?.isoText
            m.issuedOn = t.issuedOn?.isoText
            guard before != m.auditSnapshot else { return }
            try await m.save(on: db)
            let text =
                existing == nil
                ? "Travel document requested from \(emb.name) (\(t.kind.rawValue))"
                : "Travel document from \(emb.name): \(t.status.rawValue)"
                    + (t.status == .issued
                        ? " \(t.number) on \(t.issuedOn!.isoText), valid until \(t.expiresOn!.isoText)" : "")
            let phrase =
                existing == nil
                ? Phrase("tl.td.requested", .text(emb.name), .word("tdkind.\(t.kind)"))
                : t.status == .issued
                    ? Phrase(
                        "tl.td.issued", .text(emb.name), .text(t.number), .text(t.issuedOn!.isoText),
                        .text(t.expiresOn!.isoText))
                    : Phrase("tl.td.status", .text(emb.name), .word("tdstatus.\(t.status)"))
            try await event(caseID, actor, "travel_document", text, phrase: phrase, on: db)
            try await AuditLog.change(
                db, actor, existing == nil ? .create : .update, "travel_document_request", m.id, person: l.c.$person.id,
                before: before, after: m.auditSnapshot)
        }
    }

    // MARK: reintegration

    static func savePlan(_ caseID: UUID, _ f: FormFields, actor: Actor, on app: Application) async throws {
        let l = try await load(caseID, on: app.db)
        let p = try ReturnValidation.plan(f)
        let budget = try json(p.budget)
        try await app.writeTransaction { db in
            let existing = try await ReintegrationPlan.query(on: db).filter(\.$caseRecord.$id == caseID).first()
            let m = existing ?? ReintegrationPlan()
            let before = existing?.auditSnapshot ?? [:]
            m.$caseRecord.id = caseID; m.purpose = p.purpose; m.description = p.description; m.budget = budget
            guard before != m.auditSnapshot else { return }
            try await m.save(on: db)
            try await event(
                caseID, actor, "plan", "Reintegration plan (\(p.purpose.rawValue)), budget \(Money.format(p.total))",
                on: db)
            try await AuditLog.change(
                db, actor, existing == nil ? .create : .update, "reintegration_plan", m.id, person: l.c.$person.id,
                before: before, after: m.auditSnapshot)
        }
    }

    /// The case's departures count as reintegration with a grant from now on.
    static func markGranted(_ caseID: UUID, on db: any Database) async throws {
        try await Departure.query(on: db).filter(\.$caseID == caseID).set(\.$granted, to: true).update()
        try await DepartureWithoutFlight.query(on: db).filter(\.$caseID == caseID).set(\.$granted, to: true).update()
    }

    static func addGrant(_ caseID: UUID, _ f: FormFields, actor: Actor, on app: Application) async throws {
        let l = try await load(caseID, on: app.db)
        let decision = try await latestDecision(caseID, on: app.db)?.decision
        let caps = try await decision.asyncMap { try await rules(version: $0.ruleSetVersion, on: app.db).caps } ?? [:]
        let g = try ReturnValidation.grant(f, decision: decision, caps: caps, today: today())
        var funder: UUID?
        if let raw = g.funderID {
            guard let id = UUID(uuidString: raw), let p = try await Partner.find(id, on: app.db),
                p.kind == PartnerKind.ngo
            else {
                throw ValidationErrors(
                    "funderID", "is not an NGO in the partner registry (leave empty when the programme pays)")
            }
            funder = id
        }
        let funderID = funder
        try await app.writeTransaction { db in
            let m = GrantRecord()
            m.$caseRecord.id = caseID; m.type = g.type; m.amount = g.amount; m.cash = g.cash;
            m.inKind = g.inKind; m.$funder.id = funderID; m.paid = 0; m.grantedOn = g.grantedOn?.isoText
            try await m.create(on: db)
            try await markGranted(caseID, on: db)
            try await event(
                caseID, actor, "grant",
                """
                \(g.type.rawValue.capitalized) grant of \(Money.format(g.amount)): \(Money.format(g.cash)) cash at \
                departure, \(Money.format(g.inKind)) in kind
                """,
                phrase: Phrase(
                    "tl.grant", .word("grant.\(g.type)"), .text(Money.format(g.amount)), .text(Money.format(g.cash)),
                    .text(Money.format(g.inKind))),
                on: db)
            try await AuditLog.change(db, actor, .create, "grant", m.id, person: l.c.$person.id, after: m.auditSnapshot)
        }
    }

    static func addPayment(_ caseID: UUID, grantID: UUID, _ f: FormFields, actor: Actor, on app: Application)
        async throws
    {
        let l = try await load(caseID, on: app.db)
        let p = try ReturnValidation.payment(f, today: today())
        try await app.writeTransaction { db in
            if db.isPostgres {
                // Two payments on one grant at once would each see the other's absence: take the grant's row first.
                try await db.sql.raw("SELECT id FROM grants WHERE id = \(bind: grantID) FOR UPDATE").run()
            }
            guard
                let g = try await GrantRecord.query(on: db).filter(\.$id == grantID).filter(\.$caseRecord.$id == caseID)
                    .with(\.$payments).first()
            else {
                throw Abort(.notFound, reason: "No such grant on this case.")
            }
            try ReturnValidation.checkPayment(p, grant: g.grant, paid: g.payments.map(\.payment))
            let m = GrantPayment()
            m.$grant.id = grantID; m.kind = p.kind; m.amount = p.amount; m.paidOn = p.paidOn.isoText
            m.proofReference = p.proofReference; m.reportedBy = p.reportedBy
            try await m.create(on: db)
            g.paid += p.amount
            try await g.update(on: db)
            try await event(
                caseID, actor, "payment",
                "Paid \(Money.format(p.amount)) \(p.kind == .cash ? "in cash" : "in kind") on \(m.paidOn)"
                    + (p.proofReference.isEmpty ? "" : " (proof \(p.proofReference))"),
                phrase: p.proofReference.isEmpty
                    ? Phrase("tl.payment", .text(Money.format(p.amount)), .word("payment.\(p.kind)"), .text(m.paidOn))
                    : Phrase(
                        "tl.payment.proof", .text(Money.format(p.amount)), .word("payment.\(p.kind)"), .text(m.paidOn),
                        .text(p.proofReference)),
                on: db)
            try await AuditLog.change(
                db, actor, .create, "grant_payment", m.id, person: l.c.$person.id, after: m.auditSnapshot)
        }
    }

    static func saveCargo(_ caseID: UUID, cargoID: UUID?, _ f: FormFields, actor: Actor, on app: Application)
        async throws
    {
        let l = try await load(caseID, on: app.db)
        var fields = f
        let existing = try await cargoID.asyncMap { id -> CargoItem in
            guard
                let x = try await CargoItem.query(on: app.db).filter(\.$id == id).filter(\.$caseRecord.$id == caseID)
                    .first()
            else {
                throw Abort(.notFound, reason: "No such cargo item.")
            }
            return x
        }
        if let x = existing {
            let old = [
                "description": x.description, "volume": String(Double(x.volumeLitres) / 1000),
                "clearance": x.clearance.rawValue,
            ]
            fields = old.merging(f.filter { old[$0.key] != nil }) { $1 }
        }
        let c = try ReturnValidation.cargo(fields)
        try await app.writeTransaction { db in
            let m = existing ?? CargoItem()
            let before = existing?.auditSnapshot ?? [:]
            m.$caseRecord.id = caseID; m.description = c.description; m.volumeLitres = c.volumeLitres;
            m.clearance = c.clearance
            guard before != m.auditSnapshot else { return }
            try await m.save(on: db)
            try await event(
                caseID, actor, "cargo",
                "Cargo \(c.description) (\(Double(c.volumeLitres) / 1000) m³): \(c.clearance.rawValue)", on: db)
            try await AuditLog.change(
                db, actor, existing == nil ? .create : .update, "cargo_item", m.id, person: l.c.$person.id,
                before: before, after: m.auditSnapshot)
        }
    }

    // MARK: after return

    static func addMonitoring(_ caseID: UUID, _ f: FormFields, actor: Actor, on app: Application) async throws {
        let l = try await load(caseID, on: app.db)
        guard l.r.stage.acceptsMonitoring else {
            throw DomainError(
                .conflict,
                "Monitoring visits are recorded after departure; this case is at stage \(l.r.stage.rawValue).")
        }
        let v = try ReturnValidation.monitoring(
            f, departedOn: l.r.departedOn.flatMap(PartialDate.init(parsing:)), today: today())
        var e = ValidationErrors()
        let office = Input.text(f["receivingOffice"], field: "receivingOffice", max: 200, into: &e)
        try e.throwIfAny()
        try await app.writeTransaction { db in
            let m = MonitoringVisit()
            m.$caseRecord.id = caseID; m.visitedOn = v.visitedOn.isoText; m.visitor = v.visitor;
            m.findings = v.findings; m.progress = v.progress
            try await m.create(on: db)
            try await event(
                caseID, actor, "monitoring",
                "Monitoring visit on \(m.visitedOn) by \(v.visitor): \(v.progress.rawValue)",
                phrase: Phrase("tl.monitoring", .text(m.visitedOn), .text(v.visitor), .word("progress.\(v.progress)")),
                on: db)
            try await AuditLog.change(
                db, actor, .create, "monitoring_visit", m.id, person: l.c.$person.id, after: m.auditSnapshot)
            if !office.isEmpty && office != l.r.receivingOffice {
                let before = l.r.auditSnapshot
                l.r.receivingOffice = office
                try await l.r.update(on: db)
                try await event(caseID, actor, "referral", "Referred to the receiving office: \(office)", on: db)
                try await AuditLog.change(
                    db, actor, .update, "return_case", l.r.id, person: l.c.$person.id, before: before,
                    after: l.r.auditSnapshot)
            }
        }
    }

    // MARK: consent and the EU export

    static func setConsent(_ caseID: UUID, _ f: FormFields, actor: Actor, on app: Application) async throws {
        let l = try await load(caseID, on: app.db)
        var e = ValidationErrors()
        let given = Input.flag(f["consent"])
        let on = Input.day(f["consentOn"], field: "consentOn", required: given, into: &e)
        if let on, today() < on { e.add("consentOn", "must not be in the future") }
        try e.throwIfAny()
        let personID = l.c.$person.id
        let live = try await ProcessingBasis.liveConsent(.euReintegrationExport, person: personID, on: app.db)
        // The consent is the person's (one register of consents); the case's form records or withdraws it.
        let fresh =
            given && live?.givenOn != on!.isoText
            ? try await ConsentRecords.checked(
                personID,
                [
                    "purpose": ProcessingPurpose.euReintegrationExport.rawValue, "givenOn": on!.isoText,
                    "scope": "Return case \(l.c.reference)",
                ], actor: actor, on: app.db) : nil
        try await app.writeTransaction { db in
            if let fresh { try await ConsentRecords.insert(fresh, actor: actor, on: db) }
            if !given, let live {
                try await ConsentRecords.applyWithdrawal(live, day: today(), note: "", actor: actor, on: db)
            }
            let before = l.r.auditSnapshot
            l.r.euConsentOn = given ? on!.isoText : nil
            guard before != l.r.auditSnapshot else { return }
            try await l.r.update(on: db)
            try await event(
                caseID, actor, "consent",
                given
                    ? "Consent to share with the EU reintegration programme, signed \(on!.isoText)"
                    : "Consent to EU sharing withdrawn",
                phrase: given ? Phrase("tl.consent.given", .text(on!.isoText)) : Phrase("tl.consent.withdrawn"), on: db)
            try await AuditLog.change(
                db, actor, .update, "return_case", l.r.id, person: l.c.$person.id, before: before,
                after: l.r.auditSnapshot)
        }
    }

    struct EUExport: Content {
        struct Identity: Content {
            var reference: String; var familyName: String; var givenNames: String; var sex: String
            var dateOfBirth: String; var nationality: String; var documents: [String]
        }
        struct Member: Content {
            var relationship: String; var familyName: String; var givenNames: String; var dateOfBirth: String;
            var travelling: Bool
        }
        struct Assistance: Content { var purpose: String?; var grants: [String]; var budgetTotal: String? }
        var caseReference: String
        var consentSignedOn: String
        var exportedAt: String
        var identity: Identity
        var family: [Member]
        var vulnerabilityCategories: [String]
        var destination: String
        var assistanceRequested: Assistance
    }

    /// The application to the EU reintegration programme: only with the migrant's recorded consent,
    /// vulnerabilities by category only, and each export in the audit trail.
    static func euExport(_ caseID: UUID, actor: Actor, on app: Application) async throws -> EUExport {
        let l = try await load(caseID, on: app.db)
        let p = l.c.person
        // The register's basis for the purpose decides: with consent, one in force today.
        try await ProcessingBasis.require(.euReintegrationExport, person: p.id!, on: app.db)
        let live = try await ProcessingBasis.liveConsent(.euReintegrationExport, person: p.id!, on: app.db)
        let basis = try await ProcessingBasis.basis(of: .euReintegrationExport, on: app.db)
        let consent = live?.givenOn ?? ""
        let docs = try await IdentityDocument.query(on: app.db).filter(\.$person.$id == p.id!).all().map {
            "\($0.type) \($0.number) (\($0.issuingCountry))"
        }
        var family: [EUExport.Member] = []
        for link in try await HouseholdLink.query(on: app.db).filter(\.$person.$id == p.id!).with(\.$relatedPerson)
            .all()
        {
            let m = link.relatedPerson
            family.append(
                .init(
                    relationship: link.relationship, familyName: m.familyName, givenNames: m.givenNames,
                    dateOfBirth: PersonSummary(m).dateOfBirth ?? "",
                    travelling: l.r.companionIDs.contains(m.id!.uuidString)))
        }
        let vulns = try await VulnerabilityRecord.query(on: app.db).filter(\.$caseRecord.$id == caseID).all().map(
            \.kind.rawValue
        ).sorted()
        let plan = try await ReintegrationPlan.query(on: app.db).filter(\.$caseRecord.$id == caseID).first()
        let grants = try await GrantRecord.query(on: app.db).filter(\.$caseRecord.$id == caseID).all().map {
            "\($0.type) \(Money.format($0.amount))"
        }
        let export = EUExport(
            caseReference: l.c.reference, consentSignedOn: consent, exportedAt: AuditLog.timestamp(),
            identity: .init(
                reference: p.reference, familyName: p.familyName, givenNames: p.givenNames, sex: p.sex,
                dateOfBirth: PersonSummary(p).dateOfBirth ?? "", nationality: p.nationality, documents: docs),
            family: family, vulnerabilityCategories: vulns,
            destination: [l.r.destinationPlace, CountryCode.name(l.r.destinationCountry)].filter { !$0.isEmpty }.joined(
                separator: ", "),
            assistanceRequested: .init(
                purpose: plan?.purpose.rawValue, grants: grants,
                budgetTotal: plan.map { Money.format($0.budgetLines.reduce(0) { $0 + $1.amount }) }))
        try await app.writeTransaction { db in
            try await AuditLog.record(
                on: db, actor: actor, action: .export, entity: "eu_reintegration_export", entityID: caseID.uuidString,
                personID: p.id!, note: "Reintegration application exported for the EU programme")
            try await SharingGate.log(
                channel: "eu_export", recipient: "EU reintegration programme", purpose: .euReintegrationExport,
                basis: live.map { "consent given on \($0.givenOn)" } ?? (basis?.rawValue ?? ""),
                what: "Reintegration application for case \(l.c.reference)", person: p.id!, actor: actor, on: db)
            try await event(caseID, actor, "export", "Reintegration application exported for the EU programme", on: db)
        }
        return export
    }

    // MARK: the workflow

    /// The reasons a trafficking record gives, for someone who may not know the record exists.
    static func redact(_ text: String, facts: ReturnFacts, for identity: Identity, ownerID: UUID?) -> String {
        guard let v = facts.trafficking, !ReturnAccess.seesTrafficking(identity, ownerID: ownerID, record: v) else {
            return text
        }
        var out = text
        for b in v.blockers {
            out = out.replacingOccurrences(of: b, with: "a restricted record is incomplete (ask the case owner)")
        }
        return out
    }

    static func move(
        _ caseID: UUID, to: String?, reason: String?, on rawDay: String?, identity: Identity, on app: Application
    ) async throws -> ReturnStage {
        let actor = identity.actor
        let l = try await load(caseID, on: app.db)
        var e = ValidationErrors()
        let target = ReturnStage.read(to, field: "to", into: &e)
        let day = Input.day(rawDay, field: "on", required: false, into: &e) ?? today()
        if today() < day { e.add("on", "must not be in the future") }
        let why = Input.text(reason, field: "reason", max: 2000, into: &e)
        try e.throwIfAny()
        guard ReturnAccess.mayMove(identity, to: target!) else {
            throw DomainError(
                .notAllowed,
                "The airport team records departures and no-shows; counsellors and managers make the other moves.")
        }
        let from = l.r.stage
        return try await app.writeTransaction { db in
            // The guards read the records inside the transaction that moves the case.
            let f = try await facts(l, on: db)
            do {
                try ReturnWorkflow.check(from: from, to: target!, facts: f, on: day, reason: why)
            } catch let e as DomainError {
                throw DomainError(e.kind, redact(e.message, facts: f, for: identity, ownerID: l.c.$owner.id))
            }
            if target == .departed {
                // A flown booking departs the case by itself; by hand, say how the person left.
                guard !why.isEmpty else {
                    throw ValidationErrors(
                        "reason", "say how the person left without a flown booking (e.g. on their own ticket)")
                }
                try await departedWithoutFlight(l, day: day, how: why, actor: actor, on: db)
            }
            try await record(l, from: from, to: target!, on: day, reason: why, actor: actor, db: db)
            return target!
        }
    }

    /// Writes a move the guards allowed: the stage, the case's status, the timeline and the audit trail.
    static func record(
        _ l: Loaded, from: ReturnStage, to target: ReturnStage, on day: PartialDate, reason why: String, actor: Actor,
        db: any Database
    ) async throws {
        let before = l.r.auditSnapshot
        let caseBefore = l.c.auditSnapshot
        l.r.stage = target
        if target == .departed { l.r.departedOn = day.isoText }
        try await l.r.update(on: db)
        let status = target.caseStatus
        if status != l.c.status {
            l.c.status = status
            l.c.closedOn = status == .closed ? day.isoText : nil
            try await l.c.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "case", l.c.id, person: l.c.$person.id, before: caseBefore,
                after: l.c.auditSnapshot, note: why)
        }
        try await event(
            l.c.id!, actor, "stage",
            "Stage \(from.rawValue) → \(target.rawValue)" + (target == .departed ? " on \(day.isoText)" : "")
                + (why.isEmpty ? "" : ": \(why)"),
            phrase: target == .departed
                ? Phrase(
                    "tl.stage.departed", .word("stage.\(from)"), .word("stage.\(target)"), .text(day.isoText),
                    .text(why.isEmpty ? "" : ": \(why)"))
                : Phrase(
                    "tl.stage", .word("stage.\(from)"), .word("stage.\(target)"), .text(why.isEmpty ? "" : ": \(why)")),
            on: db)
        try await AuditLog.change(
            db, actor, .update, "return_case", l.r.id, person: l.c.$person.id, before: before, after: l.r.auditSnapshot,
            note: why)
    }

    /// A flown booking departs its return case: the person left. Checks that were not met (or a case that had not
    /// reached preparing departure) become an exception for a manager to review, with the reasons on the timeline
    /// for those who may read them. Answers what the booking should say at once.
    static func departedByFlight(_ c: Case, day: PartialDate, flight: String, actor: Actor, on db: any Database)
        async throws -> [String]
    {
        guard c.programme == .voluntaryReturn,
            let r = try await ReturnCase.query(on: db).filter(\.$caseRecord.$id == c.id!).first(),
            r.stage.beforeDeparture,
            let fresh = try await Case.find(c.id!, on: db)
        else { return [] }
        let l = Loaded(c: fresh, r: r)
        let from = r.stage
        let f = try await facts(l, on: db)
        var blockers = ReturnWorkflow.departureBlockersByReader(f, on: day)
        if from != .preparing {
            blockers.general.insert("the case was at \(from.rawValue), not preparing departure", at: 0)
        }
        if let first = f.firstSessionOn, day < first {
            blockers.general.append("the flight left before the first counselling session (\(first.isoText))")
        }
        try await record(l, from: from, to: .departed, on: day, reason: "flown on \(flight)", actor: actor, db: db)
        guard blockers != ReturnWorkflow.Blockers() else { return [] }
        let lines = departedWithChecksOpen(flight: flight, blockers)
        for (text, audience) in lines { try await event(c.id!, actor, "stage", text, audience: audience, on: db) }
        let x = ReturnException()
        x.$caseRecord.id = c.id!; x.kind = .departureChecks; x.raisedOn = day.isoText; x.raisedBy = actor.name
        x.summary = lines[0].0
        try await x.create(on: db)
        try await AuditLog.record(
            on: db, actor: actor, action: .create, entity: "return_exception", entityID: x.id!.uuidString,
            personID: c.$person.id, changes: [.init(field: "kind", before: nil, after: x.kind.rawValue)])
        return [
            "Case \(c.reference) is departed with checks not met; a manager reviews it (see the return file)."
        ]
    }

    struct ExceptionRow: Content {
        var id: UUID; var caseID: UUID; var reference: String; var person: String; var raisedOn: String
        var summary: String; var reviewedBy: String?; var reviewedAt: Date?; var reviewNote: String?
    }

    /// Exceptions across cases, the open ones first and the oldest of them first; at most 500.
    static func exceptions(open: Bool, on db: any Database) async throws -> [ExceptionRow] {
        // The open ones, oldest first; then the most recently reviewed, up to 500 in all.
        func query() -> QueryBuilder<ReturnException> {
            ReturnException.query(on: db).with(\.$caseRecord) { $0.with(\.$person) }
        }
        var found = try await query().filter(\.$reviewedAt == nil).sort(\.$raisedOn).limit(500).all()
        if !open && found.count < 500 {
            found += try await query().filter(\.$reviewedAt != nil).sort(\.$reviewedAt, .descending)
                .limit(500 - found.count).all()
        }
        return found.map {
            ExceptionRow(
                id: $0.id!, caseID: $0.$caseRecord.id, reference: $0.caseRecord.reference,
                person: "\($0.caseRecord.person.familyName), \($0.caseRecord.person.givenNames)",
                raisedOn: $0.raisedOn, summary: $0.summary, reviewedBy: $0.reviewedBy, reviewedAt: $0.reviewedAt,
                reviewNote: $0.reviewNote)
        }
    }

    /// A manager's review of an exception: who, when and what they concluded; the exception then closes.
    static func review(
        _ caseID: UUID, exceptionID: UUID, note rawNote: String?, actor: Actor, on app: Application
    ) async throws {
        var e = ValidationErrors()
        let note = Input.text(rawNote, field: "note", max: 2000, required: true, into: &e)
        try e.throwIfAny()
        try await app.writeTransaction { db in
            guard let x = try await ReturnException.find(exceptionID, on: db), x.$caseRecord.id == caseID else {
                throw Abort(.notFound, reason: "No such exception on this case.")
            }
            guard x.reviewedAt == nil else {
                throw DomainError(.conflict, "This exception was reviewed by \(x.reviewedBy ?? "a manager") already.")
            }
            x.reviewedBy = actor.name; x.reviewedAt = Clock.now(); x.reviewNote = note
            try await x.update(on: db)
            try await event(
                caseID, actor, "review", "Departure checks reviewed: \(note)", phrase: Phrase("tl.review", .text(note)),
                on: db)
            let c = try await Case.find(caseID, on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .update, entity: "return_exception", entityID: x.id!.uuidString,
                personID: c?.$person.id, changes: [.init(field: "reviewNote", before: nil, after: note)])
        }
    }

    /// A departure recorded by hand, without a flown booking: how the person left is required, and the report
    /// counts it like a flown one.
    static func departedWithoutFlight(_ l: Loaded, day: PartialDate, how: String, actor: Actor, on db: any Database)
        async throws
    {
        guard let person = try await Person.find(l.c.$person.id, on: db) else { return }
        let d = DepartureWithoutFlight()
        d.caseID = l.c.id!; d.personID = person.id!; d.programme = l.c.programme.rawValue; d.day = day.isoText
        d.destinationCountry = l.r.destinationCountry; d.nationality = person.nationality
        d.granted = try await GrantRecord.query(on: db).filter(\.$caseRecord.$id == l.c.id!).count() > 0
        d.how = how; d.recordedBy = actor.name
        try await d.create(on: db)
    }

    // MARK: outreach

    static func addOutreach(_ f: FormFields, actor: Actor, userID: UUID, on app: Application) async throws {
        let o = try ReturnValidation.outreach(f, today: today())
        let loc = try await o.locationID.asyncMap { raw -> UUID in
            guard let id = UUID(uuidString: raw), try await Location.find(id, on: app.db) != nil else {
                throw ValidationErrors("locationID", "is not a known location")
            }
            return id
        }
        try await app.writeTransaction { db in
            let m = OutreachActivity()
            m.kind = o.kind; m.heldOn = o.heldOn.isoText; m.$location.id = loc; m.audience = o.audience
            m.attendees = o.attendees; m.organisations = o.organisations; m.topic = o.topic; m.$counsellor.id = userID
            try await m.create(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .create, entity: "outreach_activity", entityID: m.id!.uuidString,
                personID: nil, changes: AuditRecord.diff(before: [:], after: m.auditSnapshot))
        }
    }
}
