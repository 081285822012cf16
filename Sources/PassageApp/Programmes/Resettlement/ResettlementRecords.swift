import Fluent
import PassageDomain
import Vapor

/// Who may do what in resettlement. The medical details of a health check are for medical officers only; what a
/// journey needs because of them (an escort, a wheelchair, oxygen) is for everyone who arranges it.
enum ResettlementAccess {
    static let read: Set<Role> = [.resettlementOfficer, .movementsOfficer, .medicalOfficer, .manager]
    static let write: Set<Role> = [.resettlementOfficer, .manager]
    /// The referral API: the office's staff, and UNHCR's own accounts.
    static let referrers: Set<Role> = [.resettlementOfficer, .manager, .partner]
    static let health: Set<Role> = [.medicalOfficer]
    static let movements: Set<Role> = [.resettlementOfficer, .movementsOfficer, .manager]

    /// The details of a health assessment: the programme's health role, when the office's matrix lets it read
    /// medical data (the assessments are shared with the resettlement country's doctors, not the office's managers).
    static func seesMedicalDetails(_ viewer: Identity) -> Bool { viewer.hasAny(health) && viewer.reads(.medical) }
}

/// A referral as sent: by UNHCR through the API or typed in by the office.
struct ResettlementReferralForm: Content, Sendable {
    var unhcrCaseNumber: String?
    var countryOfAsylum: String?
    var category: String?
    var priority: String?
    var municipality: String?
    var note: String?
    var principalID: String?
    var principal: PersonForm?
    /// The identity documents of a principal who is a new record.
    var principalDocuments: [IdentityDocumentForm]?
    var members: [MemberForm]?

    struct MemberForm: Content, Sendable {
        var personID: String?
        var person: PersonForm?
        var documents: [IdentityDocumentForm]?
        var relationship: String?
    }
}

enum ResettlementRecords {
    static func referral(_ id: UUID, for viewer: Identity, on db: any Database) async throws -> RSReferral {
        guard let r = try await RSReferral.query(on: db).filter(\.$id == id).with(\.$caseRecord).first(),
            mayRead(r, viewer)
        else { throw Abort(.notFound, reason: "No such referral.") }
        return r
    }

    /// The office's staff read every referral; a partner only those it sent.
    static func mayRead(_ r: RSReferral, _ viewer: Identity) -> Bool {
        if viewer.hasAny(ResettlementAccess.read) { return true }
        return viewer.has(.partner) && viewer.partnerID != nil && r.$partner.id == viewer.partnerID
    }

    static func timeline(_ caseID: UUID, _ actor: Actor, _ text: String, on db: any Database) async throws {
        try await CaseEvent.note(caseID, actor, kind: "resettlement", text, on: db)
    }

    // MARK: referrals

    /// Validates and stores a referral: a resettlement case for the principal applicant, with the household.
    static func createReferral(_ form: ResettlementReferralForm, by viewer: Identity, on app: Application)
        async throws -> RSReferral
    {
        var e = ValidationErrors()
        let number = UNHCRCaseNumber.read(form.unhcrCaseNumber, field: "unhcrCaseNumber", into: &e)
        let asylum = Input.country(form.countryOfAsylum, field: "countryOfAsylum", into: &e)
        let category = SubmissionCategory.read(form.category, field: "category", into: &e)
        let priority = SubmissionPriority.read(form.priority, field: "priority", default: .normal, into: &e)
        let municipality = Input.text(form.municipality, field: "municipality", max: 100, into: &e)
        let note = Input.text(form.note, field: "note", max: 2000, into: &e)
        let principal = try await PersonRecords.choose(
            form.principalID, form.principal, documents: form.principalDocuments, field: "principal", into: &e,
            on: app.db)
        let members = form.members ?? []
        if members.count > 20 { e.add("members", "at most 20 other members in one household") }
        var people: [(PersonChoice, FamilyRelationship)] = []
        for (i, m) in members.prefix(20).enumerated() {
            let field = "members.\(i + 1)"
            let p = try await PersonRecords.choose(
                m.personID, m.person, documents: m.documents, field: field + ".person", into: &e, on: app.db)
            let rel = FamilyRelationship.read(m.relationship, field: field + ".relationship", into: &e)
            if rel == .other {
                e.add(field + ".relationship", "a household travels as spouse, partner, child, parent or sibling")
            }
            if let p, let rel { people.append((p, rel)) }
        }
        let existing = people.compactMap { $0.0.existingID }
        if let p = principal?.existingID, existing.contains(p) {
            e.add("members", "the principal applicant is named again as a member")
        }
        if Set(existing).count != existing.count { e.add("members", "a person is named twice") }
        if e.items.allSatisfy({ $0.field != "unhcrCaseNumber" }),
            try await RSReferral.query(on: app.db).filter(\.$unhcrCaseNumber == number).first() != nil
        {
            e.add("unhcrCaseNumber", "has been referred already")
        }
        try e.throwIfAny()
        var partnerID: UUID?
        if viewer.has(.partner) && !viewer.hasAny(ResettlementAccess.write) {
            guard let pid = viewer.partnerID, let p = try await Partner.find(pid, on: app.db), p.kind == .unhcr else {
                throw Abort(.forbidden, reason: "Only UNHCR refers households for resettlement.")
            }
            partnerID = pid
        }
        let actor = viewer.actor
        let creator = viewer.name
        let owner = viewer.has(.resettlementOfficer) ? viewer.userID : nil
        let household = (principal!, people)
        let referrer = partnerID
        return try await app.writeTransaction { db in
            let principalID = try await household.0.id(actor: actor, on: db)
            let c = try await CaseRecords.insert(
                CaseDetails(
                    programme: .resettlement, openedOn: Clock.today(),
                    summary: "Resettlement from \(CountryCode.name(asylum)), UNHCR case \(number)"),
                personID: principalID, ownerID: owner, officeID: nil, actor: actor, on: db)
            let r = RSReferral()
            r.$caseRecord.id = c.id!; r.$partner.id = referrer; r.unhcrCaseNumber = number
            r.countryOfAsylum = asylum; r.category = category!; r.priority = priority!; r.decision = .pending
            r.stage = .referred; r.municipality = municipality; r.note = note; r.createdBy = creator
            try await r.create(on: db)
            try await addMember(r, principalID, relationship: "principal", actor: actor, on: db)
            var seen: Set<UUID> = [principalID]
            for (p, rel) in household.1 {
                let pid = try await p.id(actor: actor, on: db)
                guard seen.insert(pid).inserted else { continue }
                try await addMember(r, pid, relationship: rel.rawValue, actor: actor, on: db)
                try await ReunificationRecords.linkHousehold(principalID, pid, rel, actor: actor, on: db)
            }
            try await AuditLog.change(
                db, actor, .create, "rs_referral", r.id, person: principalID, after: r.auditSnapshot)
            try await timeline(
                c.id!, actor,
                "Referral from UNHCR (case \(number), \(category!.rawValue), \(priority!.rawValue)): "
                    + "\(seen.count) person(s)", on: db)
            return r
        }
    }

    static func addMember(_ r: RSReferral, _ pid: UUID, relationship: String, actor: Actor, on db: any Database)
        async throws
    {
        let m = RSMember()
        m.$referral.id = r.id!; m.$person.id = pid; m.relationship = relationship
        try await m.create(on: db)
        try await AuditLog.change(
            db, actor, .create, "rs_member", m.id, person: pid,
            after: ["unhcrCaseNumber": r.unhcrCaseNumber, "relationship": relationship])
    }

    /// The immigration service's decision on a household, on its file or after a mission's interview.
    static func decide(
        _ r: RSReferral, outcome: SelectionOutcome, on day: PartialDate?, note: String, actor: Actor,
        on db: any Database
    ) async throws {
        if r.stage >= .booked && r.stage <= .arrived && outcome != .accepted {
            throw DomainError(.conflict, "The household is \(r.stage.rawValue): its acceptance can no longer change.")
        }
        let before = r.auditSnapshot
        r.decision = outcome; r.decidedOn = outcome == .pending ? nil : day?.isoText
        try await r.update(on: db)
        try await AuditLog.change(
            db, actor, .update, "rs_referral", r.id, person: try await principal(of: r, on: db), before: before,
            after: r.auditSnapshot, note: note)
        try await timeline(
            r.$caseRecord.id, actor,
            "Decision of the IND: \(outcome.rawValue)" + (day.map { " on \($0.isoText)" } ?? "")
                + (note.isEmpty ? "" : " (\(note))"), on: db)
        try await refreshStage(r, on: db)
    }

    static func recordDecision(_ referralID: UUID, _ f: FormFields, by viewer: Identity, on app: Application)
        async throws -> RSReferral
    {
        var e = ValidationErrors()
        let outcome = SelectionOutcome.read(f["outcome"], field: "outcome", into: &e)
        let day = Input.day(f["decidedOn"], field: "decidedOn", required: outcome != .pending, into: &e)
        if let d = day, Clock.today() < d { e.add("decidedOn", "must not be in the future") }
        let note = Input.text(f["note"], field: "note", max: 1000, into: &e)
        try e.throwIfAny()
        return try await app.writeTransaction { db in
            let r = try await referral(referralID, for: viewer, on: db)
            try await decide(r, outcome: outcome!, on: day, note: note, actor: viewer.actor, on: db)
            return r
        }
    }

    static func principal(of r: RSReferral, on db: any Database) async throws -> UUID {
        if let c = r.$caseRecord.value { return c.$person.id }
        return try await Case.find(r.$caseRecord.id, on: db)!.$person.id
    }

    // MARK: documents and health

    static func member(
        _ r: RSReferral, _ raw: String?, field: String, into e: inout ValidationErrors, on db: any Database
    )
        async throws -> UUID?
    {
        guard let raw, let pid = UUID(uuidString: raw.trimmingCharacters(in: .whitespaces)),
            try await RSMember.query(on: db).filter(\.$referral.$id == r.id!).filter(\.$person.$id == pid).first()
                != nil
        else {
            e.add(field, "must be a person of this household")
            return nil
        }
        return pid
    }

    /// A visa or laissez-passer issued to a member.
    static func recordDocument(_ referralID: UUID, _ f: FormFields, by viewer: Identity, on app: Application)
        async throws -> RSDocument
    {
        try await app.writeTransaction { db in
            let r = try await referral(referralID, for: viewer, on: db)
            var e = ValidationErrors()
            let pid = try await member(r, f["personID"], field: "personID", into: &e, on: db)
            let kind = ResettlementDocumentKind.read(f["kind"], field: "kind", into: &e)
            let number = Input.text(f["number"], field: "number", max: 30, required: true, into: &e).uppercased()
            if !number.isEmpty && !number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                e.add("number", "must be the document's number: letters, digits and -")
            }
            let issued = Input.day(f["issuedOn"], field: "issuedOn", required: true, into: &e)
            let until = Input.day(f["validUntil"], field: "validUntil", required: true, into: &e)
            if let i = issued, Clock.today() < i { e.add("issuedOn", "must not be in the future") }
            if let i = issued, let u = until, u < i { e.add("validUntil", "must not be before the day of issue") }
            if let k = kind, !number.isEmpty,
                try await RSDocument.query(on: db).filter(\.$kind == k).filter(\.$number == number).first() != nil
            {
                e.add("number", "is recorded already")
            }
            try e.throwIfAny()
            let d = RSDocument()
            d.$referral.id = r.id!; d.$person.id = pid!; d.kind = kind!; d.number = number
            d.issuedOn = issued!.isoText; d.validUntil = until!.isoText; d.recordedBy = viewer.name
            try await d.create(on: db)
            try await AuditLog.change(
                db, viewer.actor, .create, "rs_document", d.id, person: pid,
                after: ["kind": d.kind.rawValue, "number": number, "issuedOn": d.issuedOn, "validUntil": d.validUntil])
            try await timeline(
                r.$caseRecord.id, viewer.actor, "\(kind!.rawValue) \(number) valid until \(d.validUntil)", on: db)
            try await refreshStage(r, on: db)
            return d
        }
    }

    /// A health check by a medical officer: the finding on travel, its validity, what the journey needs, and the
    /// medical details behind it.
    static func recordHealthCheck(_ referralID: UUID, _ f: FormFields, by viewer: Identity, on app: Application)
        async throws -> RSHealthCheck
    {
        try await app.writeTransaction { db in
            let r = try await referral(referralID, for: viewer, on: db)
            var e = ValidationErrors()
            let pid = try await member(r, f["personID"], field: "personID", into: &e, on: db)
            let kind = HealthCheckKind.read(f["kind"], field: "kind", into: &e)
            let examined = Input.day(f["examinedOn"], field: "examinedOn", required: true, into: &e)
            if let d = examined, Clock.today() < d { e.add("examinedOn", "must not be in the future") }
            let fitness = TravelFitness.read(f["fitness"], field: "fitness", into: &e)
            let until = Input.day(f["validUntil"], field: "validUntil", required: fitness?.mayTravel == true, into: &e)
            if let d = examined, let u = until {
                if u < d { e.add("validUntil", "must not be before the day of the check") }
                if ReportPeriod(from: d, to: u).days > 183 {
                    e.add("validUntil", "a check is valid six months at most")
                }
            }
            let escort = EscortKind.read(f["escort"], field: "escort", default: EscortKind.none, into: &e)
            if fitness == .fitWithEscort && escort == EscortKind.none {
                e.add("escort", "a person fit to travel with an escort needs the kind of escort")
            }
            var assistance: [AssistanceKind] = []
            for raw in (f["assistance"] ?? "").split(separator: ",") {
                let t = raw.trimmingCharacters(in: .whitespaces)
                guard !t.isEmpty else { continue }
                guard let k = AssistanceKind(rawValue: t) else { e.add("assistance", AssistanceKind.oneOf); continue }
                if !assistance.contains(k) { assistance.append(k) }
            }
            let details = Input.text(f["medicalDetails"], field: "medicalDetails", max: 4000, into: &e)
            try e.throwIfAny()
            // A health check is medical data: only on the register's basis for it (the person's consent).
            try await ProcessingBasis.require(.medicalData, person: pid!, on: db)
            let h = RSHealthCheck()
            h.$referral.id = r.id!; h.$person.id = pid!; h.kind = kind!; h.examinedOn = examined!.isoText
            h.validUntil = fitness!.mayTravel ? until?.isoText : nil; h.fitness = fitness!; h.escort = escort!
            h.assistanceText = assistance.map(\.rawValue).joined(separator: ","); h.medicalDetails = details
            h.recordedBy = viewer.name
            try await h.create(on: db)
            // The audit names that details were written, never what they say.
            try await AuditLog.change(
                db, viewer.actor, .create, "rs_health_check", h.id, person: pid,
                after: [
                    "kind": h.kind.rawValue, "examinedOn": h.examinedOn, "validUntil": h.validUntil ?? "",
                    "fitness": h.fitness.rawValue, "escort": h.escort.rawValue, "assistance": h.assistanceText,
                    "medicalDetails": details.isEmpty ? "" : "(recorded)",
                ])
            try await timeline(
                r.$caseRecord.id, viewer.actor,
                "Health check (\(h.kind.rawValue)): \(h.fitness.rawValue)"
                    + (h.validUntil.map { ", valid until \($0)" } ?? ""), on: db)
            try await refreshStage(r, on: db)
            return h
        }
    }

    // MARK: readiness

    /// What each member has towards a journey: orientation, document and latest fitness.
    static func readiness(_ r: RSReferral, on db: any Database) async throws -> [UUID: TravellerReadiness] {
        let members = try await RSMember.query(on: db).filter(\.$referral.$id == r.id!).with(\.$person).all()
        let ids = members.map { $0.$person.id }
        let attended = Set(
            try await RSAttendance.query(on: db).filter(\.$person.$id ~~ ids).all().map { $0.$person.id })
        let documents = try await RSDocument.query(on: db).filter(\.$referral.$id == r.id!).all()
        let checks = try await RSHealthCheck.query(on: db).filter(\.$referral.$id == r.id!).all()
            .filter { $0.kind.decidesFitness }
        var out: [UUID: TravellerReadiness] = [:]
        for m in members {
            let p = m.person
            let doc = documents.filter { $0.$person.id == p.id! }.map(\.validUntil).max()
            let latest = checks.filter { $0.$person.id == p.id! }.max {
                ($0.examinedOn, $0.createdAt ?? .distantPast) < ($1.examinedOn, $1.createdAt ?? .distantPast)
            }
            out[p.id!] = TravellerReadiness(
                name: "\(p.givenNames) \(p.familyName)",
                birth: p.dobYear.flatMap { PartialDate(year: $0, month: p.dobMonth, day: p.dobDay) },
                attendedOrientation: attended.contains(p.id!), documentValidUntil: doc.flatMap(PartialDate.init),
                fitness: latest?.fitness, fitnessValidUntil: latest?.validUntil.flatMap(PartialDate.init))
        }
        return out
    }

    /// Why the household may not travel on `day`; empty when it may.
    static func refusals(_ r: RSReferral, day: PartialDate, on db: any Database) async throws -> [String] {
        let ready = try await readiness(r, on: db)
        return ResettlementGuard.refusals(
            accepted: r.decision, members: ready.values.sorted { $0.name < $1.name }, day: day)
    }

    /// Sets the household's stage from what is recorded: the decision, orientation, documents and checks (as of
    /// today), then its movement.
    static func refreshStage(_ r: RSReferral, on db: any Database) async throws {
        var stage: ResettlementStage
        switch r.decision {
        case .rejected: stage = .rejected
        case .deferred: stage = .deferred
        case .pending: stage = .referred
        case .accepted:
            let ready = Array(try await readiness(r, on: db).values)
            let today = Clock.today()
            if ResettlementGuard.refusals(accepted: .accepted, members: ready, day: today).isEmpty {
                stage = .ready
            } else {
                stage = ResettlementGuard.oriented(ready, on: today) ? .oriented : .accepted
            }
            if let mh = try await RSMovementHousehold.query(on: db).filter(\.$referral.$id == r.id!)
                .with(\.$movement).with(\.$booking).all()
                .first(where: { $0.booking.bookingStatus.isLive || $0.booking.status == .flown })
            {
                switch (mh.movement.status, mh.booking.status) {
                case (.arrived, _): stage = .arrived
                case (_, .flown): stage = .departed
                default: stage = .booked
                }
            }
        }
        if stage != r.stage {
            r.stage = stage
            try await r.update(on: db)
        }
    }
}
