import Fluent
import PassageDomain
import SQLKit
import Vapor

/// Videoconference interviews, visa assistance at a consulate, and the Mileage Fund.
extension ReunificationRecords {
    // MARK: interviews

    static func interviewAppointment(_ id: UUID, for viewer: Identity, on db: any Database) async throws
        -> FRAppointment
    {
        guard let a = try await FRAppointment.find(id, on: db) else {
            throw Abort(.notFound, reason: "No such appointment.")
        }
        _ = try await referral(a.$referral.id, for: viewer, on: db)
        guard a.service == .interview else {
            throw DomainError(.conflict, "This appointment is for DNA sampling, not an interview.")
        }
        return a
    }

    /// Sets an interview's arrangements: caseworker (the IND's), language, interpreter, room.
    static func arrangeInterview(_ id: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> FRInterview
    {
        let a = try await interviewAppointment(id, for: viewer, on: app.db)
        var e = ValidationErrors()
        let caseworker = Input.text(f["caseworker"], field: "caseworker", max: 120, required: true, into: &e)
        let language = (f["language"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if ISOLanguages.names[language] == nil { e.add("language", "must be a language code, like ar or ti") }
        let interpreter = Input.text(f["interpreter"], field: "interpreter", max: 120, into: &e)
        let room = Input.text(f["room"], field: "room", max: 80, required: true, into: &e)
        try e.throwIfAny()
        guard a.status == .booked else {
            throw DomainError(
                .conflict, "The appointment is \(a.status.rawValue); only a booked interview is arranged.")
        }
        let actor = viewer.actor
        return try await app.writeTransaction { db in
            let existing = try await FRInterview.query(on: db).filter(\.$appointment.$id == id).first()
            let i = existing ?? FRInterview()
            let before = existing?.auditSnapshot ?? [:]
            i.$appointment.id = id; i.caseworker = caseworker; i.language = language; i.interpreter = interpreter
            i.room = room; i.updatedBy = actor.name
            if existing == nil { i.note = "" }
            try await i.save(on: db)
            let m = try await FRMember.find(a.$member.id, on: db)!
            try await AuditLog.change(
                db, actor, existing == nil ? .create : .update, "fr_interview", i.id, person: m.$person.id,
                before: before, after: i.auditSnapshot)
            return i
        }
    }

    /// Records how an interview went: held and no_show once it has begun; technical_failure frees the slot for a
    /// new appointment; rescheduled moves it (day, time).
    static func interviewOutcome(_ id: UUID, _ f: FormFields, by viewer: Identity, on app: Application)
        async throws -> FRInterview
    {
        let a = try await interviewAppointment(id, for: viewer, on: app.db)
        var e = ValidationErrors()
        let outcome = InterviewOutcome.read(f["outcome"], field: "outcome", into: &e)
        let note = Input.text(f["note"], field: "note", max: 1000, into: &e)
        try e.throwIfAny()
        guard try await FRInterview.query(on: app.db).filter(\.$appointment.$id == id).first() != nil else {
            throw DomainError(.conflict, "Arrange the interview first: the IND caseworker, the language and the room.")
        }
        let to: AppointmentStatus
        switch outcome! {
        case .held: to = .attended
        case .noShow: to = .noShow
        case .technicalFailure: to = .cancelled
        case .rescheduled: to = .rescheduled
        }
        if outcome == .technicalFailure && a.startsAt > Clock.now() {
            throw DomainError(.conflict, "The interview has not begun yet; a technical failure is recorded after.")
        }
        var moved = f
        moved["to"] = to.rawValue
        moved["note"] = note.isEmpty ? outcome!.rawValue.replacingOccurrences(of: "_", with: " ") : note
        // The appointment's move and the interview's outcome stand or fall together.
        let writeMove = try await prepareMove(id, moved, by: viewer, on: app)
        let actor = viewer.actor
        return try await app.writeTransaction { db in
            let after = try await writeMove(db)
            let i = try await FRInterview.query(on: db).filter(\.$appointment.$id == id).first()!
            let before = i.auditSnapshot
            i.outcome = outcome; i.note = note; i.updatedBy = actor.name
            try await i.update(on: db)
            if outcome == .rescheduled, let newID = after.id, newID != id {
                // The arrangements go with the interview to its new time.
                let copy = FRInterview()
                copy.$appointment.id = newID; copy.caseworker = i.caseworker; copy.language = i.language
                copy.interpreter = i.interpreter; copy.room = i.room; copy.note = ""; copy.updatedBy = actor.name
                try await copy.create(on: db)
            }
            let m = try await FRMember.find(a.$member.id, on: db)!
            try await AuditLog.change(
                db, actor, .update, "fr_interview", i.id, person: m.$person.id, before: before, after: i.auditSnapshot)
            return i
        }
    }

    // MARK: visa assistance

    /// Records a family helped at a consulate: day, place, family, personID (optional), persons, nationality,
    /// services (comma-separated), problems.
    static func recordVisaAssistance(_ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> FRVisaAssistance
    {
        var e = ValidationErrors()
        let day = Input.day(f["day"], field: "day", required: true, into: &e)
        if let d = day, d > Clock.today() { e.add("day", "is in the future") }
        let place = Input.text(f["place"], field: "place", max: 120, required: true, into: &e)
        let family = Input.text(f["family"], field: "family", max: 120, required: true, into: &e)
        let persons = Int((f["persons"] ?? "").trimmingCharacters(in: .whitespaces))
        if persons == nil || !(1...40).contains(persons!) {
            e.add("persons", "must be how many persons of the family were helped, 1 to 40")
        }
        let nationality = (f["nationality"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        if ISOCountries.names[nationality] == nil { e.add("nationality", "must be a country code, like SY") }
        var services: [VisaService] = []
        for part in (f["services"] ?? "").split(separator: ",") {
            guard let s = VisaService(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                e.add("services", VisaService.oneOf)
                break
            }
            if !services.contains(s) { services.append(s) }
        }
        if services.isEmpty && e.message(for: "services") == nil {
            e.add("services", "name at least one service given")
        }
        let problems = Input.text(f["problems"], field: "problems", max: 1000, into: &e)
        var personID: UUID?
        if let raw = f["personID"], !raw.isEmpty {
            if let pid = UUID(uuidString: raw), try await Person.find(pid, on: app.db) != nil {
                personID = pid
            } else {
                e.add("personID", "is not a known person")
            }
        }
        try e.throwIfAny()
        let actor = viewer.actor
        let (person, count, list) = (personID, persons!, services)
        return try await app.writeTransaction { db in
            let v = FRVisaAssistance()
            v.day = day!.isoText; v.place = place; v.family = family; v.$person.id = person; v.persons = count
            v.nationality = nationality; v.services = list.map(\.rawValue).joined(separator: ",")
            v.problems = problems; v.recordedBy = actor.name
            try await v.create(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .create, entity: "fr_visa_assistance", entityID: v.id!.uuidString,
                personID: person,
                changes: AuditRecord.diff(
                    before: [:],
                    after: [
                        "day": v.day, "place": place, "family": family, "persons": String(count),
                        "services": v.services, "problems": problems,
                    ]))
            return v
        }
    }

    // MARK: the Mileage Fund

    static func mileageBalance(on db: any Database) async throws -> Int {
        let rows = try await FRMileageEntry.query(on: db).all()
        return rows.reduce(0) { $0 + ($1.kind == .donation ? $1.amountCents : -$1.amountCents) }
    }

    /// Records a donation (kind donation: day, amount, donor) or a ticket paid for a traveller (kind ticket: day,
    /// amount, personID, referralID, eligibility, reason, bookingID); a ticket beyond the balance is refused.
    static func recordMileage(_ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> FRMileageEntry
    {
        var e = ValidationErrors()
        let kind = MileageEntryKind.read(f["kind"], field: "kind", into: &e)
        let day = Input.day(f["day"], field: "day", required: true, into: &e)
        if let d = day, d > Clock.today() { e.add("day", "is in the future") }
        let amount = Money.read(f["amount"], field: "amount", into: &e)
        if let a = amount, a <= 0 { e.add("amount", "must be more than zero") }
        let donor = Input.text(f["donor"], field: "donor", max: 120, required: kind == .donation, into: &e)
        let reason = Input.text(f["reason"], field: "reason", max: 1000, required: kind == .ticket, into: &e)
        var eligibility: MileageEligibility?
        var person: UUID?
        var referralID: UUID?
        var bookingID: UUID?
        if kind == .ticket {
            eligibility = MileageEligibility.read(f["eligibility"], field: "eligibility", into: &e)
            if let raw = f["referralID"], let rid = UUID(uuidString: raw),
                let r = try? await referral(rid, for: viewer, on: app.db)
            {
                referralID = r.id
                if let praw = f["personID"], let pid = UUID(uuidString: praw),
                    try await FRMember.query(on: app.db).filter(\.$referral.$id == rid).filter(\.$person.$id == pid)
                        .first() != nil
                {
                    person = pid
                } else {
                    e.add("personID", "must be a family member of the referral")
                }
            } else {
                e.add("referralID", "must be the traveller's referral")
            }
            if let raw = f["bookingID"], !raw.isEmpty {
                if let bid = UUID(uuidString: raw), try await Booking.find(bid, on: app.db) != nil {
                    bookingID = bid
                } else {
                    e.add("bookingID", "is not a booking")
                }
            }
        }
        try e.throwIfAny()
        let actor = viewer.actor
        let entry = (kind!, day!.isoText, amount!, donor, eligibility, reason, person, referralID, bookingID)
        return try await app.writeTransaction { db in
            if db.isPostgres {
                try await db.sql.raw("SELECT pg_advisory_xact_lock(7142019, hashtext(current_schema()))").run()
            }
            if entry.0 == .ticket {
                try MileageFund.checkTicket(amount: entry.2, balance: try await mileageBalance(on: db))
            }
            let m = FRMileageEntry()
            m.kind = entry.0; m.day = entry.1; m.amountCents = entry.2; m.donor = entry.0 == .donation ? entry.3 : ""
            m.eligibility = entry.4; m.reason = entry.5; m.$person.id = entry.6; m.$referral.id = entry.7
            m.bookingID = entry.8; m.recordedBy = actor.name
            try await m.create(on: db)
            var after = ["kind": m.kind.rawValue, "day": m.day, "amount": String(m.amountCents), "reason": m.reason]
            after["donor"] = m.donor.isEmpty ? nil : m.donor
            after["eligibility"] = m.eligibility?.rawValue
            try await AuditLog.record(
                on: db, actor: actor, action: .create, entity: "fr_mileage", entityID: m.id!.uuidString,
                personID: m.$person.id, changes: AuditRecord.diff(before: [:], after: after))
            if let rid = m.$referral.id {
                try await timeline(
                    referral: rid, actor, "Ticket of \(Money.format(m.amountCents)) paid from the Mileage Fund", on: db)
            }
            return m
        }
    }
}
