import Fluent
import PassageDomain
import SQLKit
import Vapor

/// Who may do what at the visa application centre.
enum VisaAccess {
    static let read: Set<Role> = [.visaClerk, .manager]
    static let write: Set<Role> = [.visaClerk, .manager]
}

/// An application as taken in at the counter (or sent through the API).
struct VisaIntakeForm: Content, Sendable {
    var visaType: String?
    /// The passport's machine-readable zone, typed or pasted: the applicant's names, sex and date of birth come
    /// from it when the applicant is new.
    var mrz: String?
    /// An applicant registered already; else a new record from the zone, with `nationality` and `phone`.
    var personID: String?
    var nationality: String?
    var phone: String?
    var paymentMethod: String?
    var appointmentID: String?
}

enum VisaCentreRecords {
    /// A step of an application's way, from a form.
    typealias Step = @Sendable (UUID, FormFields, Identity, Application) async throws -> KVApplication
    static let hours = VisaCentreHours()
    /// The centre's own service fee, in euro cents, on top of the embassy's.
    static let serviceFeeCents = 2_500
    static let lookupLimit = StatusLookupLimit()
    /// Days ahead an appointment may be booked.
    static let bookingHorizon = 90

    static func timeline(_ caseID: UUID, _ actor: Actor, _ text: String, on db: any Database) async throws {
        try await CaseEvent.note(caseID, actor, kind: "visa", text, on: db)
    }

    static func application(_ id: UUID, on db: any Database) async throws -> KVApplication {
        guard
            let a = try await KVApplication.query(on: db).filter(\.$id == id).with(\.$caseRecord)
                .with(\.$person).with(\.$documents).with(\.$batch).first()
        else { throw Abort(.notFound, reason: "No such application.") }
        return a
    }

    // MARK: appointments

    /// The time on the centre's clock now, `HH:MM`.
    static func nowTime() -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: hours.schedule.timeZone) ?? OfficeCalendar.timeZone
        let p = c.dateComponents([.hour, .minute], from: Clock.now())
        return String(format: "%02d:%02d", p.hour ?? 0, p.minute ?? 0)
    }

    /// The slots of a day that hold an applicant (booked or attended), as `time#counter`.
    static func taken(on day: String, on db: any Database) async throws -> Set<String> {
        Set(
            try await KVAppointment.query(on: db).filter(\.$day == day).filter(\.$status ~~ [.booked, .attended])
                .all().map { "\($0.time)#\($0.counter)" })
    }

    /// A reading of a day's appointments (applicants' names and contacts, not yet records of persons).
    static func auditDay(_ day: PartialDate, by viewer: Identity, via: String, on app: Application) async throws {
        try await app.writeTransaction { db in
            try await AuditLog.record(
                on: db, actor: viewer.actor, action: .view, entity: "kv_appointments", entityID: day.isoText,
                personID: nil, note: via)
        }
    }

    /// Books an appointment at a counter, or (`walkIn`) gives a walk-in the next free counter today.
    static func book(_ f: FormFields, by viewer: Identity, on app: Application) async throws -> KVAppointment {
        var e = ValidationErrors()
        let walkIn = Input.flag(f["walkIn"])
        let name = Input.text(f["name"], field: "name", max: 200, required: true, into: &e)
        let contact = Input.text(f["contact"], field: "contact", max: 200, into: &e)
        let type = KoreanVisaType.read(f["visaType"], field: "visaType", into: &e)
        let today = Clock.today()
        var day = today
        var time = ""
        var counter = 0
        if walkIn {
            if let why = hours.schedule.closedReason(on: today) { e.add("walkIn", "no walk-ins today: \(why)") }
        } else if let d = Input.day(f["day"], field: "day", required: true, into: &e) {
            day = d
            if d < today { e.add("day", "must not be in the past") }
            if d > Clock.today(plus: bookingHorizon) { e.add("day", "must be within \(bookingHorizon) days") }
            time = hours.slot(day: d, time: f["time"], counter: f["counter"], into: &e)
            counter = Int((f["counter"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            if d == today && time < nowTime() && e.message(for: "time") == nil {
                e.add("time", "has passed today: choose a later time")
            }
        }
        try e.throwIfAny()
        let (at, number, slot, onDay) = (day.isoText, counter, time, day)
        let actor = viewer.actor
        return try await app.writeTransaction { db in
            let held = try await taken(on: at, on: db)
            var chosen = (slot, number)
            if walkIn {
                let now = nowTime()
                let times = hours.times(on: onDay)
                // The slot under way, or a later one.
                let current = times.last { $0 <= now } ?? times.first ?? now
                let free = times.filter { $0 >= current }.lazy.flatMap { t in (1...hours.counters).map { (t, $0) } }
                    .first { !held.contains("\($0.0)#\($0.1)") }
                guard let free else {
                    throw DomainError(.conflict, "Every counter is taken for the rest of today: book an appointment.")
                }
                chosen = free
            } else if held.contains("\(slot)#\(number)") {
                throw DomainError(.conflict, "Counter \(number) at \(slot) on \(at) is taken: choose another time.")
            }
            let a = KVAppointment()
            a.day = at; a.time = chosen.0; a.counter = chosen.1; a.name = name; a.contact = contact
            a.visaType = type!; a.walkIn = walkIn; a.status = .booked; a.createdBy = viewer.name
            try await a.create(on: db)
            try await AuditLog.change(db, actor, .create, "kv_appointment", a.id, person: nil, after: a.auditSnapshot)
            return a
        }
    }

    /// Marks an appointment cancelled or missed.
    static func setStatus(_ id: UUID, _ raw: String?, by viewer: Identity, on app: Application) async throws
        -> KVAppointment
    {
        var e = ValidationErrors()
        let target = AppointmentStatus.read(raw, field: "status", into: &e)
        if let t = target, ![.cancelled, .noShow].contains(t) {
            e.add("status", "must be cancelled or no_show (an applicant attends by being taken in)")
        }
        try e.throwIfAny()
        let actor = viewer.actor
        return try await app.writeTransaction { db in
            guard let a = try await KVAppointment.find(id, on: db) else {
                throw Abort(.notFound, reason: "No such appointment.")
            }
            try a.status.check(to: target!)
            let before = a.auditSnapshot
            a.status = target!
            try await a.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "kv_appointment", a.id, person: nil, before: before, after: a.auditSnapshot)
            return a
        }
    }

    // MARK: intake

    /// Takes an application in: the zone checked, the applicant found or registered from it, a visa-application
    /// case, the checklist of the visa type, the fee and a numbered receipt.
    static func intake(_ form: VisaIntakeForm, by viewer: Identity, on app: Application) async throws
        -> KVApplication
    {
        var e = ValidationErrors()
        let today = Clock.today()
        let type = KoreanVisaType.read(form.visaType, field: "visaType", into: &e)
        let payment = VisaPaymentMethod.read(form.paymentMethod, field: "paymentMethod", into: &e)
        var zone: MachineReadableZone?
        do {
            zone = try MRZ.read(form.mrz ?? "", field: "mrz")
        } catch let v as ValidationErrors {
            for i in v.items { e.add(i.field, i.message) }
        }
        let birth = zone?.birthDay(today: today)
        if let z = zone, let expiry = z.expiryDay {
            let needed = VisaCentreRules.passportValidUntil(applyingOn: today)
            if expiry < needed {
                e.add(
                    "mrz",
                    "the passport expires on \(expiry.isoText): it must be valid for six months after the application"
                        + " (until \(needed.isoText) at least)")
            }
        }
        var appointment: KVAppointment?
        if let raw = form.appointmentID, !raw.isEmpty {
            if let id = UUID(uuidString: raw), let a = try await KVAppointment.find(id, on: app.db) {
                if a.status != .booked { e.add("appointmentID", "is \(a.status.rawValue), not an applicant waiting") }
                appointment = a
            } else {
                e.add("appointmentID", "is not an appointment")
            }
        }
        var person: PersonChoice?
        if let raw = form.personID, !raw.isEmpty {
            person = try await PersonRecords.choose(raw, nil, field: "person", into: &e, on: app.db)
            if case .existing(let pid) = person, let p = try await Person.find(pid, on: app.db), let b = birth,
                let held = p.dateOfBirth, held.day != nil, !held.estimated, held != b
            {
                e.add(
                    "mrz",
                    "the date of birth in the zone (\(b.isoText)) is not the applicant's (\(held.isoText)): "
                        + "check the passport and the record")
            }
        } else if let z = zone, let b = birth {
            let details = PersonForm(
                familyName: MachineReadableZone.properCase(z.surname),
                givenNames: MachineReadableZone.properCase(z.givenNames),
                sex: z.sex == "<" ? Sex.unknown.rawValue : z.sex, dateOfBirth: b.isoText,
                nationality: form.nationality, phone: form.phone)
            let passport = IdentityDocumentForm(
                type: IdentityDocumentType.passport.rawValue, number: z.documentNumber,
                issuingCountry: form.nationality, expiresOn: z.expiryDay?.isoText)
            person = try await PersonRecords.choose(
                nil, details, documents: [passport], field: "person", into: &e, on: app.db)
        }
        if let z = zone, e.items.allSatisfy({ $0.field != "mrz" }),
            let open = try await KVApplication.query(on: app.db).filter(\.$passportNumber == z.documentNumber)
                .filter(\.$status != .returned).first()
        {
            e.add("mrz", "passport \(z.documentNumber) has an application in progress (\(open.number))")
        }
        try e.throwIfAny()
        let (z, b, chosen, kind, method) = (zone!, birth!, person!, type!, payment!)
        let appointmentID = appointment?.id
        let actor = viewer.actor
        let clerk = viewer.name
        let owner = viewer.has(.visaClerk) ? viewer.userID : nil
        return try await app.writeTransaction { db in
            let pid = try await chosen.id(actor: actor, on: db)
            let n = try await CaseRecords.nextNumber(key: "KV-\(today.year)", on: db) ?? 1
            let number = VisaCentreNumber.application(year: today.year, n)
            let c = try await CaseRecords.insert(
                CaseDetails(
                    programme: .visaApplication, openedOn: today,
                    summary: "Korean visa application \(number) (\(kind.rawValue))"),
                personID: pid, ownerID: owner, officeID: nil, actor: actor, on: db)
            let a = KVApplication()
            a.$caseRecord.id = c.id!; a.$person.id = pid; a.number = number
            a.receiptNumber = VisaCentreNumber.receipt(year: today.year, n)
            a.visaType = kind; a.status = .received; a.receivedOn = today.isoText; a.birthDate = b.isoText
            a.passportNumber = z.documentNumber; a.passportExpiresOn = z.expiryDay?.isoText ?? ""
            a.feeCents = kind.feeCents; a.serviceFeeCents = serviceFeeCents; a.paymentMethod = method
            a.createdBy = clerk
            try await a.create(on: db)
            for item in kind.checklist {
                let d = KVDocument()
                d.$application.id = a.id!; d.kind = item.kind; d.required = item.required; d.reason = ""
                try await d.create(on: db)
            }
            if let aid = appointmentID, let ap = try await KVAppointment.find(aid, on: db) {
                ap.status = .attended; ap.$application.id = a.id
                try await ap.update(on: db)
            }
            try await AuditLog.change(db, actor, .create, "kv_application", a.id, person: pid, after: a.auditSnapshot)
            try await timeline(
                c.id!, actor,
                "Application \(number) taken in (\(kind.rawValue)); fee \(Money.format(a.feeCents + a.serviceFeeCents))"
                    + " paid by \(method.rawValue), receipt \(a.receiptNumber)", on: db)
            return a
        }
    }

    // MARK: verification

    /// Records what the clerk found of each document (`doc_<kind>`: seen, original, copy or refused; a refusal's
    /// reason in `reason_<kind>`); a document left blank keeps what it had.
    static func verify(_ id: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> KVApplication
    {
        let a = try await application(id, on: app.db)
        if a.status > .verified {
            throw DomainError(.conflict, "Application \(a.number) is \(a.status.rawValue): its documents are settled.")
        }
        var e = ValidationErrors()
        var changes: [(UUID, VerificationOutcome, String)] = []
        for d in a.documents {
            let key = "doc_\(d.kind.rawValue)"
            guard let raw = f[key], !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
            guard let outcome = VerificationOutcome.read(raw, field: key, into: &e) else { continue }
            let reason = Input.text(
                f["reason_\(d.kind.rawValue)"], field: "reason_\(d.kind.rawValue)", max: 500, into: &e)
            if outcome == .refused && reason.isEmpty {
                e.add("reason_\(d.kind.rawValue)", "is required when the document is refused: say why")
            }
            changes.append((d.id!, outcome, outcome == .refused ? reason : ""))
        }
        let known = Set(a.documents.map { "doc_\($0.kind.rawValue)" })
        for key in f.keys where key.hasPrefix("doc_") && !known.contains(key) {
            e.add(key, "is not on this application's checklist")
        }
        if changes.isEmpty && e.items.isEmpty { e.add("documents", "record what was found of at least one document") }
        try e.throwIfAny()
        let actor = viewer.actor
        let clerk = viewer.name
        let work = changes
        return try await app.writeTransaction { db in
            let before = a.auditSnapshot
            var lines: [String] = []
            for (did, outcome, reason) in work {
                guard let d = try await KVDocument.find(did, on: db) else { continue }
                d.outcome = outcome; d.reason = reason; d.checkedBy = clerk; d.checkedAt = Clock.now()
                try await d.update(on: db)
                lines.append("\(d.kind.rawValue): \(outcome.rawValue)" + (reason.isEmpty ? "" : " (\(reason))"))
            }
            let docs = try await KVDocument.query(on: db).filter(\.$application.$id == a.id!).all()
            a.status = VisaApplicationStatus.afterChecks(docs.map { ($0.required, $0.outcome) })
            try await a.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "kv_application", a.id, person: a.$person.id, before: before,
                after: a.auditSnapshot, note: lines.joined(separator: "; "))
            try await timeline(
                a.$caseRecord.id, actor,
                "Documents checked: \(lines.joined(separator: ", ")); now \(a.status.rawValue)",
                on: db)
            return a
        }
    }

    // MARK: forwarding, decision, return

    /// Forwards verified applications to the embassy in one numbered batch.
    static func forward(_ ids: [String], note raw: String?, by viewer: Identity, on app: Application) async throws
        -> KVBatch
    {
        var e = ValidationErrors()
        let note = Input.text(raw, field: "note", max: 1000, into: &e)
        var wanted: [UUID] = []
        for raw in ids.prefix(301) {
            guard let id = UUID(uuidString: raw.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                e.add("applications", "'\(raw.prefix(40))' is not an application")
                continue
            }
            if !wanted.contains(id) { wanted.append(id) }
        }
        if wanted.isEmpty { e.add("applications", "choose at least one verified application") }
        if wanted.count > 300 { e.add("applications", "at most 300 applications in one batch") }
        try e.throwIfAny()
        let found = try await KVApplication.query(on: app.db).filter(\.$id ~~ wanted).all()
        for id in wanted where !found.contains(where: { $0.id == id }) {
            e.add("applications", "\(id.uuidString) is not an application")
        }
        for a in found.sorted(by: { $0.number < $1.number }) where a.status != .verified {
            e.add(
                "applications",
                "\(a.number) is \(a.status.rawValue), not verified: only verified applications are forwarded")
        }
        try e.throwIfAny()
        let today = Clock.today()
        let actor = viewer.actor
        let clerk = viewer.name
        let chosen = wanted
        return try await app.writeTransaction { db in
            let n = try await CaseRecords.nextNumber(key: "KB-\(today.year)", on: db) ?? 1
            let b = KVBatch()
            b.number = VisaCentreNumber.batch(year: today.year, n); b.forwardedOn = today.isoText; b.note = note
            b.createdBy = clerk
            try await b.create(on: db)
            let apps = try await KVApplication.query(on: db).filter(\.$id ~~ chosen).all()
            for a in apps {
                // Read again inside the transaction: another clerk may have forwarded it meanwhile.
                guard a.status == .verified else {
                    throw DomainError(.conflict, "\(a.number) is \(a.status.rawValue) now: nothing was forwarded.")
                }
                let before = a.auditSnapshot
                a.status = .forwarded; a.$batch.id = b.id
                try await a.update(on: db)
                try await AuditLog.change(
                    db, actor, .update, "kv_application", a.id, person: a.$person.id, before: before,
                    after: a.auditSnapshot, note: "batch \(b.number)")
                try await timeline(a.$caseRecord.id, actor, "Forwarded to the embassy in batch \(b.number)", on: db)
            }
            try await AuditLog.change(
                db, actor, .create, "kv_batch", b.id, person: nil,
                after: ["number": b.number, "applications": String(apps.count), "note": note])
            return b
        }
    }

    /// The embassy's decision on a forwarded application.
    static func decide(_ id: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> KVApplication
    {
        var e = ValidationErrors()
        let decision = VisaDecision.read(f["decision"], field: "decision", into: &e)
        let day = Input.day(f["decidedOn"], field: "decidedOn", required: true, into: &e)
        if let d = day, Clock.today() < d { e.add("decidedOn", "must not be in the future") }
        try e.throwIfAny()
        let a = try await application(id, on: app.db)
        guard a.status == .forwarded else {
            throw DomainError(
                .conflict,
                "Application \(a.number) is \(a.status.rawValue): a decision is recorded once it is at the embassy"
                    + (a.status > .forwarded ? " (it has one already)." : "."))
        }
        if let b = a.batch, let d = day, d.isoText < b.forwardedOn {
            throw ValidationErrors("decidedOn", "must not be before the application was forwarded (\(b.forwardedOn))")
        }
        let actor = viewer.actor
        return try await app.writeTransaction { db in
            let before = a.auditSnapshot
            a.status = .decided; a.decision = decision; a.decidedOn = day!.isoText
            try await a.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "kv_application", a.id, person: a.$person.id, before: before,
                after: a.auditSnapshot)
            try await timeline(
                a.$caseRecord.id, actor, "Decision of the embassy: visa \(decision!.rawValue) on \(day!.isoText)",
                on: db)
            return a
        }
    }

    /// The passport back to its holder: collected against a signature, or sent by courier.
    static func returnPassport(_ id: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> KVApplication
    {
        var e = ValidationErrors()
        let how = PassportReturn.read(f["how"], field: "how", into: &e)
        let day = Input.day(f["returnedOn"], field: "returnedOn", required: false, into: &e) ?? Clock.today()
        if Clock.today() < day { e.add("returnedOn", "must not be in the future") }
        let collectedBy = Input.text(f["collectedBy"], field: "collectedBy", max: 200, into: &e)
        let courier = Input.text(f["courierReference"], field: "courierReference", max: 100, into: &e)
        if how == .collected {
            if collectedBy.isEmpty { e.add("collectedBy", "is required: the name of who collected the passport") }
            if !Input.flag(f["signed"]) { e.add("signed", "the passport is handed over against a signature") }
        }
        if how == .courier && courier.isEmpty { e.add("courierReference", "is required: the courier's number") }
        try e.throwIfAny()
        let a = try await application(id, on: app.db)
        if a.status == .returned {
            throw DomainError(.conflict, "The passport of \(a.number) was returned already on \(a.returnedOn ?? "").")
        }
        guard a.status == .decided else {
            throw DomainError(
                .conflict, "Application \(a.number) is \(a.status.rawValue): the passport goes back after the decision."
            )
        }
        if let d = a.decidedOn, day.isoText < d {
            throw ValidationErrors("returnedOn", "must not be before the decision (\(d))")
        }
        let actor = viewer.actor
        return try await app.writeTransaction { db in
            // Read again: two clerks must not hand the same passport over twice.
            guard let fresh = try await KVApplication.find(id, on: db), fresh.status == .decided else {
                throw DomainError(.conflict, "The passport of \(a.number) was returned already.")
            }
            let before = fresh.auditSnapshot
            fresh.status = .returned; fresh.returnedOn = day.isoText; fresh.returnedHow = how
            fresh.collectedBy = how == .collected ? collectedBy : nil
            fresh.courierReference = how == .courier ? courier : nil
            try await fresh.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "kv_application", fresh.id, person: fresh.$person.id, before: before,
                after: fresh.auditSnapshot)
            try await timeline(
                fresh.$caseRecord.id, actor,
                how == .collected
                    ? "Passport collected by \(collectedBy) against a signature on \(day.isoText)"
                    : "Passport sent by courier (\(courier)) on \(day.isoText)", on: db)
            return fresh
        }
    }

    // MARK: the public status page

    enum LookupAnswer: Equatable {
        case found(VisaApplicationStatus, returnedOn: String?)
        case notFound
        case limited
    }

    /// Answers the public status page: the status only, when the number and the date of birth belong together. A
    /// wrong date of birth is answered as an unknown number, and counts towards the limits like any lookup.
    static func lookup(number raw: String?, birth rawBirth: String?, address: String, on app: Application)
        async throws -> LookupAnswer
    {
        let typed = String((raw ?? "").uppercased().filter { !$0.isWhitespace }.prefix(20))
        let since = Clock.now().addingTimeInterval(-lookupLimit.windowSeconds)
        let fromAddress = try await KVStatusLookup.query(on: app.db).filter(\.$address == address)
            .filter(\.$at >= since).filter(\.$outcome != "limited").count()
        let forNumber = try await KVStatusLookup.query(on: app.db).filter(\.$number == typed)
            .filter(\.$at >= since).filter(\.$outcome != "limited").count()
        var answer = LookupAnswer.notFound
        if !lookupLimit.allows(fromAddress: fromAddress, forApplication: forNumber) {
            answer = .limited
        } else if let number = VisaCentreNumber.readApplication(typed),
            let birth = PartialDate(parsing: (rawBirth ?? "").trimmingCharacters(in: .whitespacesAndNewlines)),
            birth.day != nil,
            let a = try await KVApplication.query(on: app.db).filter(\.$number == number)
                .filter(\.$birthDate == birth.isoText).first()
        {
            answer = .found(a.status, returnedOn: a.returnedOn)
        }
        let outcome: String
        switch answer {
        case .found: outcome = "found"
        case .notFound: outcome = "not_found"
        case .limited: outcome = "limited"
        }
        try await app.writeTransaction { db in
            let l = KVStatusLookup()
            l.at = Clock.now(); l.address = String(address.prefix(64)); l.number = typed; l.outcome = outcome
            try await l.create(on: db)
        }
        return answer
    }
}
