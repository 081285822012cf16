import Fluent
import PassageDomain
import Vapor

/// Who may do what in family reunification. DNA results and relationship findings are special-category data: the
/// programme's officers and managers read them, and the immigration service reads what it referred (by API).
enum ReunificationAccess {
    static let read: Set<Role> = [.familyReunificationOfficer, .manager]
    static let write: Set<Role> = [.familyReunificationOfficer, .manager]
    /// The referral API: the office's staff, and the immigration service's own accounts.
    static let referrers: Set<Role> = [.familyReunificationOfficer, .manager, .partner]
    /// Centres' schedules: the programme's staff, managers and administrators.
    static let centres: Set<Role> = [.familyReunificationOfficer, .manager, .administrator]
}

/// A referral as sent: by the immigration service through the API or typed in by the office.
struct ReferralForm: Content, Sendable {
    var indFileNumber: String?
    var deadline: String?
    var centreID: String?
    var sponsorID: String?
    var sponsor: PersonForm?
    var members: [MemberForm]?
    var note: String?

    struct MemberForm: Content, Sendable {
        var personID: String?
        var person: PersonForm?
        var relationship: String?
        var verification: String?
    }
}

enum ReunificationRecords {
    static func centre(_ id: UUID, on db: any Database) async throws -> FRCentre {
        guard let c = try await FRCentre.query(on: db).filter(\.$id == id).with(\.$location).first() else {
            throw Abort(.notFound, reason: "No such centre.")
        }
        return c
    }

    /// The referral, as `viewer` may read it: a partner reads only the referrals it sent.
    static func referral(_ id: UUID, for viewer: Identity, on db: any Database) async throws -> FRReferral {
        guard let r = try await FRReferral.query(on: db).filter(\.$id == id).with(\.$caseRecord).first(),
            mayRead(r, viewer)
        else { throw Abort(.notFound, reason: "No such referral.") }
        return r
    }

    static func mayRead(_ r: FRReferral, _ viewer: Identity) -> Bool {
        if viewer.hasAny(ReunificationAccess.read) { return true }
        return viewer.has(.partner) && viewer.partnerID != nil && r.$partner.id == viewer.partnerID
    }

    static func timeline(
        _ caseID: UUID, _ actor: Actor, _ text: String, audience: TimelineAudience = .programme, on db: any Database
    ) async throws {
        try await CaseEvent.note(caseID, actor, kind: "reunification", text, audience: audience, on: db)
    }

    // MARK: centres

    /// Sets the schedule of an office abroad (a new centre the first time).
    static func saveCentre(locationID: UUID, _ f: FormFields, actor: Actor, on app: Application) async throws
        -> FRCentre
    {
        guard let location = try await Location.find(locationID, on: app.db) else {
            throw Abort(.notFound, reason: "No such location.")
        }
        guard location.kind == .officeAbroad || location.kind == .medicalCentre else {
            throw ValidationErrors("locationID", "must be an office abroad or a medical centre")
        }
        let s = try CentreSchedule.read(f)
        return try await app.writeTransaction { db in
            let existing = try await FRCentre.query(on: db).filter(\.$location.$id == locationID).first()
            let c = existing ?? FRCentre()
            let before = existing?.auditSnapshot ?? [:]
            c.$location.id = locationID
            c.apply(s)
            c.updatedBy = actor.name
            try await c.save(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: existing == nil ? .create : .update, entity: "fr_centre",
                entityID: c.id!.uuidString, personID: nil,
                changes: AuditRecord.diff(before: before, after: c.auditSnapshot), note: location.name)
            return c
        }
    }

    // MARK: referrals

    /// Validates and stores a referral: a new reunification case for the sponsor, with the family members.
    static func createReferral(_ form: ReferralForm, by viewer: Identity, on app: Application) async throws
        -> FRReferral
    {
        var e = ValidationErrors()
        let file = Input.text(form.indFileNumber, field: "indFileNumber", max: 40, required: true, into: &e)
        if !file.isEmpty && !file.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "/") }) {
            e.add("indFileNumber", "must be the IND's file number: letters, digits, - and /")
        }
        let deadline = Input.day(form.deadline, field: "deadline", required: true, into: &e)
        if let d = deadline, d < Clock.today() { e.add("deadline", "is in the past") }
        let note = Input.text(form.note, field: "note", max: 2000, into: &e)
        var centre: FRCentre?
        if let raw = form.centreID, let cid = UUID(uuidString: raw) {
            centre = try await FRCentre.find(cid, on: app.db)
        }
        if centre == nil { e.add("centreID", "must be one of the centres abroad") }
        let sponsor = try await PersonRecords.choose(
            form.sponsorID, form.sponsor, field: "sponsor", into: &e, on: app.db)
        let members = form.members ?? []
        if members.isEmpty { e.add("members", "name at least one family member to verify") }
        if members.count > 20 { e.add("members", "at most 20 family members in one referral") }
        var people: [(PersonChoice, FamilyRelationship, VerificationKind)] = []
        for (i, m) in members.prefix(20).enumerated() {
            let field = "members.\(i + 1)"
            let p = try await PersonRecords.choose(m.personID, m.person, field: field + ".person", into: &e, on: app.db)
            let rel = FamilyRelationship.read(m.relationship, field: field + ".relationship", into: &e)
            let ver = VerificationKind.read(m.verification, field: field + ".verification", into: &e)
            if let p, let rel, let ver { people.append((p, rel, ver)) }
        }
        let existing = people.compactMap { $0.0.existingID }
        if let s = sponsor?.existingID, existing.contains(s) {
            e.add("members", "the sponsor cannot also be a family member to verify")
        }
        if Set(existing).count != existing.count { e.add("members", "a person is named twice") }
        if !file.isEmpty, try await FRReferral.query(on: app.db).filter(\.$indFileNumber == file).first() != nil {
            e.add("indFileNumber", "has been referred already")
        }
        try e.throwIfAny()
        var partnerID: UUID?
        if viewer.has(.partner) && !viewer.hasAny(ReunificationAccess.write) {
            guard let pid = viewer.partnerID, let p = try await Partner.find(pid, on: app.db),
                p.kind == .immigrationService
            else {
                throw Abort(.forbidden, reason: "Only the immigration service refers families for verification.")
            }
            partnerID = pid
        }
        let actor = viewer.actor
        let referrerName = viewer.name
        let owner = viewer.has(.familyReunificationOfficer) ? viewer.userID : nil
        let centreID = centre!.id!
        let locationID = centre!.$location.id
        let resolved = (sponsor!, people)
        let referrer = partnerID
        return try await app.writeTransaction { db in
            let sponsorID = try await resolved.0.id(actor: actor, on: db)
            let c = try await CaseRecords.insert(
                CaseDetails(
                    programme: .familyReunification, openedOn: Clock.today(),
                    summary: "Verification for the IND, file \(file)"),
                personID: sponsorID, ownerID: owner, officeID: locationID, actor: actor, on: db)
            let r = FRReferral()
            r.$caseRecord.id = c.id!; r.$partner.id = referrer; r.indFileNumber = file; r.$sponsor.id = sponsorID
            r.deadline = deadline!.isoText; r.$centre.id = centreID; r.note = note; r.createdBy = referrerName
            try await r.create(on: db)
            var seen = Set<UUID>()
            for (p, rel, ver) in resolved.1 {
                let pid = try await p.id(actor: actor, on: db)
                guard seen.insert(pid).inserted else { continue }
                let m = FRMember()
                m.$referral.id = r.id!; m.$person.id = pid; m.relationship = rel; m.verification = ver
                try await m.create(on: db)
                try await AuditLog.change(
                    db, actor, .create, "fr_member", m.id, person: pid,
                    after: ["referral": file, "relationship": rel.rawValue, "verification": ver.rawValue])
                try await linkHousehold(sponsorID, pid, rel, actor: actor, on: db)
            }
            try await AuditLog.change(
                db, actor, .create, "fr_referral", r.id, person: sponsorID,
                after: ["indFileNumber": file, "deadline": r.deadline, "members": String(seen.count), "note": note])
            try await timeline(
                c.id!, actor,
                "Referral from the IND (file \(file)): \(seen.count) family member(s) to verify by \(r.deadline)",
                on: db)
            return r
        }
    }

    /// The family member joins the sponsor's household as the IND declared them (what travel books as one family),
    /// unless the two are linked already.
    static func linkHousehold(
        _ sponsor: UUID, _ member: UUID, _ rel: FamilyRelationship, actor: Actor, on db: any Database
    ) async throws {
        let relationship: Relationship
        switch rel {
        case .spouse, .partner: relationship = .spouse
        case .child: relationship = .child
        case .parent: relationship = .parent
        case .sibling: relationship = .sibling
        case .other: return
        }
        guard try await !PersonRecords.linked(sponsor, member, on: db) else { return }
        try await PersonRecords.writeLink(
            sponsor, to: member, as: relationship, actor: actor, note: "family reunification referral", on: db)
    }
}
