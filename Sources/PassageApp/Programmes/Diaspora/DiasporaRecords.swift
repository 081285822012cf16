import Fluent
import PassageDomain
import Vapor

/// Who may do what in diaspora engagement: the programme is run by managers.
enum DiasporaAccess {
    static let read: Set<Role> = [.manager]
    static let write: Set<Role> = [.manager]
}

/// An expert as sent: a person held (`personID`) or a new one (`person`), and what they bring.
struct DiasporaExpertForm: Content, Sendable {
    var personID: String?
    var person: PersonForm?
    var profession: String?
    var skills: String?
    var languages: String?
    var countries: String?
    var email: String?
}

enum DiasporaRecords {
    /// A comma-separated list of codes, each checked; the field's message names the one that is not a code.
    static func codes(
        _ raw: String?, field: String, required: Bool, into e: inout ValidationErrors,
        normalise: (String) -> String?, example: String
    ) -> [String] {
        let parts = (raw ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        if parts.isEmpty && required { e.add(field, "is required (codes like \(example), comma-separated)") }
        if parts.count > 30 { e.add(field, "at most 30 codes") }
        var out: [String] = []
        for p in parts.prefix(30) {
            guard let c = normalise(p) else {
                e.add(field, "'\(p.prefix(20))' is not a code like \(example)")
                continue
            }
            if !out.contains(c) { out.append(c) }
        }
        return out
    }

    static func timeline(_ caseID: UUID, _ actor: Actor, _ text: String, on db: any Database) async throws {
        try await CaseEvent.note(caseID, actor, kind: "diaspora", text, on: db)
    }

    // MARK: experts and institutions

    static func createExpert(_ form: DiasporaExpertForm, by viewer: Identity, on app: Application) async throws
        -> DPExpert
    {
        var e = ValidationErrors()
        let person = try await PersonRecords.choose(form.personID, form.person, field: "person", into: &e, on: app.db)
        let profession = Input.text(form.profession, field: "profession", max: 200, required: true, into: &e)
        let skills = Input.text(form.skills, field: "skills", max: 1000, required: true, into: &e)
        let languages = codes(
            form.languages, field: "languages", required: true, into: &e, normalise: LanguageCode.normalise,
            example: "so, en")
        let countries = codes(
            form.countries, field: "countries", required: true, into: &e,
            normalise: { CountryCode.normalise($0.uppercased()) }, example: "SO, ET")
        let email = Input.text(form.email, field: "email", max: 200, into: &e)
        if !email.isEmpty && (email.split(separator: "@").count != 2 || email.contains(" ")) {
            e.add("email", "must be an e-mail address like name@example.org")
        }
        if let pid = person?.existingID,
            try await DPExpert.query(on: app.db).filter(\.$person.$id == pid).first() != nil
        {
            e.add("personID", "is an expert already")
        }
        try e.throwIfAny()
        let chosen = person!
        let actor = viewer.actor
        let creator = viewer.name
        return try await app.writeTransaction { db in
            let x = DPExpert()
            x.$person.id = try await chosen.id(actor: actor, on: db)
            x.profession = profession; x.skills = skills; x.languages = languages.joined(separator: ",")
            x.countries = countries.joined(separator: ","); x.email = email; x.createdBy = creator
            try await x.create(on: db)
            try await AuditLog.change(
                db, actor, .create, "dp_expert", x.id, person: x.$person.id, after: x.auditSnapshot)
            return x
        }
    }

    static func createInstitution(_ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> DPInstitution
    {
        var e = ValidationErrors()
        let name = Input.text(f["name"], field: "name", max: 200, required: true, into: &e)
        let country = Input.country(f["country"], field: "country", into: &e)
        let city = Input.text(f["city"], field: "city", max: 100, into: &e)
        let sector = HostSector.read(f["sector"], field: "sector", into: &e)
        let contact = Input.text(f["contact"], field: "contact", max: 200, into: &e)
        if !name.isEmpty,
            try await DPInstitution.query(on: app.db).filter(\.$name == name).filter(\.$country == country).first()
                != nil
        {
            e.add("name", "is registered already in this country")
        }
        try e.throwIfAny()
        let actor = viewer.actor
        let creator = viewer.name
        return try await app.writeTransaction { db in
            let i = DPInstitution()
            i.name = name; i.country = country; i.city = city; i.sector = sector!; i.contact = contact
            i.createdBy = creator
            try await i.create(on: db)
            try await AuditLog.change(
                db, actor, .create, "dp_institution", i.id, person: nil,
                after: ["name": name, "country": country, "city": city, "sector": sector!.rawValue])
            return i
        }
    }

    // MARK: assignments

    static func assignment(_ id: UUID, on db: any Database) async throws -> DPAssignment {
        guard
            let a = try await DPAssignment.query(on: db).filter(\.$id == id).with(\.$caseRecord)
                .with(\.$expert, { $0.with(\.$person) }).with(\.$institution).first()
        else { throw Abort(.notFound, reason: "No such assignment.") }
        return a
    }

    /// An expert's assignment at a host institution, as a diaspora-assignment case of the expert. An expert is on one
    /// physical assignment at a time.
    static func createAssignment(_ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> DPAssignment
    {
        var e = ValidationErrors()
        var expert: DPExpert?
        var host: DPInstitution?
        if let id = UUID(uuidString: f["expertID"] ?? "") { expert = try await DPExpert.find(id, on: app.db) }
        if let id = UUID(uuidString: f["institutionID"] ?? "") { host = try await DPInstitution.find(id, on: app.db) }
        if expert == nil { e.add("expertID", "is not an expert") }
        if host == nil { e.add("institutionID", "is not a host institution") }
        let mode = AssignmentMode.read(f["mode"], field: "mode", into: &e)
        let period = DiasporaRules.period(f["startsOn"], f["endsOn"], into: &e)
        let tasks = Input.text(f["tasks"], field: "tasks", max: 4000, required: true, into: &e)
        let deliverables = Input.text(f["deliverables"], field: "deliverables", max: 4000, into: &e)
        try e.throwIfAny()
        if mode == .physical, let x = expert, let p = period {
            let others = try await DPAssignment.query(on: app.db).filter(\.$expert.$id == x.id!)
                .filter(\.$mode == .physical).filter(\.$status != .cancelled).with(\.$institution).all()
            if let clash = others.first(where: {
                DiasporaRules.overlap(p, (PartialDate(parsing: $0.startsOn)!, PartialDate(parsing: $0.endsOn)!))
            }) {
                throw DomainError(
                    .conflict,
                    "The expert is at \(clash.institution.name) from \(clash.startsOn) to \(clash.endsOn): one "
                        + "physical assignment at a time.")
            }
        }
        let (x, i, m, p) = (expert!, host!, mode!, period!)
        let actor = viewer.actor
        let creator = viewer.name
        return try await app.writeTransaction { db in
            let c = try await CaseRecords.insert(
                CaseDetails(
                    programme: .diasporaAssignment, openedOn: Clock.today(),
                    summary: "Assignment at \(i.name), \(CountryCode.name(i.country)) (\(m.rawValue))"),
                personID: x.$person.id, ownerID: viewer.has(.manager) ? viewer.userID : nil, officeID: nil,
                actor: actor, on: db)
            let a = DPAssignment()
            a.$caseRecord.id = c.id!; a.$expert.id = x.id!; a.$institution.id = i.id!; a.mode = m
            a.status = .planned; a.startsOn = p.0.isoText; a.endsOn = p.1.isoText; a.tasks = tasks
            a.deliverables = deliverables; a.evaluation = ""; a.createdBy = creator
            try await a.create(on: db)
            try await AuditLog.change(
                db, actor, .create, "dp_assignment", a.id, person: x.$person.id, after: a.auditSnapshot)
            try await timeline(
                c.id!, actor, "Assignment at \(i.name) planned, \(m.rawValue), \(p.0.isoText) to \(p.1.isoText)",
                on: db)
            return a
        }
    }

    static func setStatus(_ id: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> DPAssignment
    {
        var e = ValidationErrors()
        let target = AssignmentStatus.read(f["status"], field: "status", into: &e)
        try e.throwIfAny()
        let a = try await assignment(id, on: app.db)
        try a.status.check(to: target!)
        if target == .completed, let start = PartialDate(parsing: a.startsOn), Clock.today() < start {
            throw DomainError(.conflict, "The assignment begins on \(a.startsOn): it cannot be completed before.")
        }
        let actor = viewer.actor
        return try await app.writeTransaction { db in
            let before = a.auditSnapshot
            a.status = target!
            try await a.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "dp_assignment", a.id, person: a.expert.$person.id, before: before,
                after: a.auditSnapshot)
            try await timeline(
                a.$caseRecord.id, actor, "Assignment \(target!.rawValue.replacingOccurrences(of: "_", with: " "))",
                on: db)
            if target == .completed || target == .cancelled {
                if let c = try await Case.find(a.$caseRecord.id, on: db), c.status == .open {
                    c.status = .closed
                    try await c.update(on: db)
                }
            }
            return a
        }
    }

    /// The host institution's evaluation of a completed assignment.
    static func evaluate(_ id: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> DPAssignment
    {
        var e = ValidationErrors()
        let score = DiasporaRules.score(f["score"], into: &e)
        let comment = Input.text(f["evaluation"], field: "evaluation", max: 4000, into: &e)
        let day = Input.day(f["evaluatedOn"], field: "evaluatedOn", required: false, into: &e) ?? Clock.today()
        if Clock.today() < day { e.add("evaluatedOn", "must not be in the future") }
        try e.throwIfAny()
        let a = try await assignment(id, on: app.db)
        guard a.status == .completed else {
            throw DomainError(
                .conflict,
                "The assignment is \(a.status.rawValue.replacingOccurrences(of: "_", with: " ")): the host "
                    + "evaluates it once it is completed.")
        }
        if day.isoText < a.startsOn { throw ValidationErrors("evaluatedOn", "must not be before the assignment began") }
        let actor = viewer.actor
        return try await app.writeTransaction { db in
            let before = a.auditSnapshot
            a.score = score; a.evaluation = comment; a.evaluatedOn = day.isoText
            try await a.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "dp_assignment", a.id, person: a.expert.$person.id, before: before,
                after: a.auditSnapshot)
            try await timeline(a.$caseRecord.id, actor, "The host evaluated the assignment: \(score!) of 5", on: db)
            return a
        }
    }
}
