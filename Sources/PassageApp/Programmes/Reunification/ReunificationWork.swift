import Fluent
import PassageDomain
import SQLKit
import Vapor

/// Appointments at the centres abroad, DNA samples and their chain of custody, and the laboratory's results.
extension ReunificationRecords {
    // MARK: appointments

    /// The appointments that hold a place in a slot.
    static func taken(centre: UUID, service: AppointmentService, day: String, minute: Int, on db: any Database)
        async throws -> Int
    {
        try await FRAppointment.query(on: db).filter(\.$centre.$id == centre).filter(\.$service == service)
            .filter(\.$day == day).filter(\.$minute == minute).filter(\.$status == .booked).count()
    }

    /// One booking of a slot at a time on PostgreSQL (SQLite has one writer already): no overbooking by a race.
    static func lockSlot(_ centre: UUID, _ day: String, on db: any Database) async throws {
        guard db.isPostgres else { return }
        try await db.sql.raw("SELECT pg_advisory_xact_lock(7142018, hashtext(\(bind: centre.uuidString + day)))").run()
    }

    struct Slot: Sendable {
        var day: PartialDate
        var minute: Int
    }

    static func readSlot(_ f: FormFields, schedule: CentreSchedule, into e: inout ValidationErrors) -> Slot? {
        let day = Input.day(f["day"], field: "day", required: true, into: &e)
        let raw = (f["time"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let minute = CentreSchedule.minute(raw)
        if minute == nil {
            e.add("time", raw.isEmpty ? "is required (a time like 09:30)" : "must be a time like 09:30")
        }
        guard let day, let minute else { return nil }
        let today = OfficeCalendar.day(Clock.now())
        let localToday = PartialDate(
            parsing: String(CentreSchedule.local(Clock.now(), in: schedule.timeZone).prefix(10)))
        if day < (localToday ?? today) { e.add("day", "is in the past") }
        schedule.check(day: day, minute: minute, field: "time", into: &e)
        return Slot(day: day, minute: minute)
    }

    /// Books a family member at the referral's centre, or puts them on the waiting list when the slot is full and
    /// `waitingList` is asked for. Fields: memberID, service, day, time, note, waitingList.
    static func book(referralID: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> FRAppointment
    {
        let r = try await referral(referralID, for: viewer, on: app.db)
        let centre = try await centre(r.$centre.id, on: app.db)
        var e = ValidationErrors()
        let service = AppointmentService.read(f["service"], field: "service", into: &e)
        var member: FRMember?
        if let raw = f["memberID"], let mid = UUID(uuidString: raw) {
            member = try await FRMember.query(on: app.db).filter(\.$id == mid).filter(\.$referral.$id == referralID)
                .with(\.$person).first()
        }
        if member == nil { e.add("memberID", "must be a family member of this referral") }
        if let m = member, let s = service {
            if s == .dnaSampling && !m.verification.needsDNA {
                e.add("service", "the IND asked for no DNA sample from this family member")
            }
            if s == .interview && !m.verification.needsInterview {
                e.add("service", "the IND asked for no interview with this family member")
            }
        }
        let slot = readSlot(f, schedule: centre.schedule, into: &e)
        let note = Input.text(f["note"], field: "note", max: 500, into: &e)
        try e.throwIfAny()
        let wait = Input.flag(f["waitingList"])
        let (m, s, when) = (member!, service!, slot!)
        return try await app.writeTransaction { db in
            try await place(
                r, m, centre, s, when, note: note, wait: wait, actor: viewer.actor, replacing: nil,
                on: db)
        }
    }

    /// Writes a booking (or a place on the waiting list) inside the caller's transaction.
    static func place(
        _ r: FRReferral, _ m: FRMember, _ centre: FRCentre, _ service: AppointmentService, _ slot: Slot,
        note: String, wait: Bool, actor: Actor, replacing old: FRAppointment?, on db: any Database
    ) async throws -> FRAppointment {
        let day = slot.day.isoText
        try await lockSlot(centre.id!, day, on: db)
        let live = try await FRAppointment.query(on: db).filter(\.$member.$id == m.id!).filter(\.$service == service)
            .filter(\.$status ~~ [.booked, .waiting]).all().filter { $0.id != old?.id }
        if let a = live.first {
            throw DomainError(
                .conflict,
                "\(m.person.givenNames) \(m.person.familyName) has an appointment for this already (\(a.day) "
                    + "\(CentreSchedule.clock(a.minute)), \(a.status.rawValue)): reschedule or cancel that one.")
        }
        let capacity = centre.schedule.capacity(service)
        let used = try await taken(centre: centre.id!, service: service, day: day, minute: slot.minute, on: db)
        var status = AppointmentStatus.booked
        if used >= capacity {
            guard wait else {
                throw DomainError(
                    .conflict,
                    "The \(CentreSchedule.clock(slot.minute)) slot on \(day) is full (\(used) of \(capacity)): "
                        + "choose another time, or put the family member on the waiting list.")
            }
            status = .waiting
        }
        let a = FRAppointment()
        a.$referral.id = r.id!; a.$member.id = m.id!; a.$centre.id = centre.id!; a.service = service; a.day = day
        a.minute = slot.minute; a.startsAt = centre.schedule.instant(day: slot.day, minute: slot.minute)
        a.status = status; a.note = note; a.createdBy = actor.name
        try await a.create(on: db)
        let who = "\(m.person.givenNames) \(m.person.familyName)"
        let what = service == .dnaSampling ? "DNA sampling" : "interview"
        try await AuditLog.change(
            db, actor, .create, "fr_appointment", a.id, person: m.$person.id, after: a.auditSnapshot,
            note: old == nil ? "" : "rescheduled")
        try await timeline(
            r.$caseRecord.id, actor,
            status == .waiting
                ? "\(who) on the waiting list for \(what) at \(centre.location.name) on \(day)"
                : (old == nil ? "Appointment" : "Rescheduled")
                    + " for \(who): \(what) at \(centre.location.name), \(day) \(CentreSchedule.clock(slot.minute))",
            on: db)
        if status == .booked { try await queueSMS(a, m.person, centre, on: db) }
        return a
    }

    /// Moves an appointment: attended, no_show, cancelled, or rescheduled (with a new day and time); a place freed
    /// goes to the first family member waiting for that day. Fields: to, day, time, note.
    static func move(_ id: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> FRAppointment
    {
        try await app.writeTransaction(try await prepareMove(id, f, by: viewer, on: app))
    }

    /// Checks a move of an appointment and answers the writing of it, for the caller's transaction.
    static func prepareMove(_ id: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> @Sendable (any Database) async throws -> FRAppointment
    {
        guard let a = try await FRAppointment.query(on: app.db).filter(\.$id == id).first() else {
            throw Abort(.notFound, reason: "No such appointment.")
        }
        let r = try await referral(a.$referral.id, for: viewer, on: app.db)
        let centre = try await centre(a.$centre.id, on: app.db)
        var e = ValidationErrors()
        let to = AppointmentStatus.read(f["to"], field: "to", into: &e)
        let note = Input.text(f["note"], field: "note", max: 500, into: &e)
        var slot: Slot?
        if to == .rescheduled || (to == .booked && a.status == .waiting) {
            slot = readSlot(f, schedule: centre.schedule, into: &e)
        }
        try e.throwIfAny()
        let target = to!
        try a.status.check(to: target)
        if (target == .attended || target == .noShow) && a.startsAt > Clock.now() {
            throw DomainError(
                .conflict, "The appointment has not begun yet (\(a.day) \(CentreSchedule.clock(a.minute)) local).")
        }
        let actor = viewer.actor
        let newSlot = slot
        return { db in
            let m = try await FRMember.query(on: db).filter(\.$id == a.$member.id).with(\.$person).first()!
            if target == .rescheduled || target == .booked {
                let fresh = try await place(
                    r, m, centre, a.service, newSlot!, note: note.isEmpty ? a.note : note, wait: false, actor: actor,
                    replacing: a, on: db)
                let before = a.auditSnapshot
                a.status = target == .booked ? .cancelled : .rescheduled
                a.replacedByID = fresh.id
                try await a.update(on: db)
                try await AuditLog.change(
                    db, actor, .update, "fr_appointment", a.id, person: m.$person.id, before: before,
                    after: a.auditSnapshot, note: "replaced by \(fresh.day) \(CentreSchedule.clock(fresh.minute))")
                if target == .rescheduled { try await promote(from: a, centre, on: db) }
                return fresh
            }
            let before = a.auditSnapshot
            let held = a.status.holdsPlace
            a.status = target
            if !note.isEmpty { a.note = note }
            try await a.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "fr_appointment", a.id, person: m.$person.id, before: before,
                after: a.auditSnapshot)
            try await timeline(
                r.$caseRecord.id, actor,
                "\(m.person.givenNames) \(m.person.familyName): appointment of \(a.day) "
                    + "\(CentreSchedule.clock(a.minute)) \(target.rawValue.replacingOccurrences(of: "_", with: "-"))",
                on: db)
            if target == .cancelled && held { try await promote(from: a, centre, on: db) }
            return a
        }
    }

    /// Gives the place `freed` held to the first family member waiting for that centre, service and day.
    static func promote(from freed: FRAppointment, _ centre: FRCentre, on db: any Database) async throws {
        guard
            try await taken(
                centre: centre.id!, service: freed.service, day: freed.day, minute: freed.minute, on: db)
                < centre.schedule.capacity(freed.service),
            let next = try await FRAppointment.query(on: db).filter(\.$centre.$id == centre.id!)
                .filter(\.$service == freed.service).filter(\.$day == freed.day).filter(\.$status == .waiting)
                .sort(\.$createdAt).sort(\.$id).first(),
            let m = try await FRMember.query(on: db).filter(\.$id == next.$member.id).with(\.$person).first()
        else { return }
        let before = next.auditSnapshot
        next.status = .booked; next.minute = freed.minute; next.startsAt = freed.startsAt
        try await next.update(on: db)
        try await AuditLog.change(
            db, .system, .update, "fr_appointment", next.id, person: m.$person.id, before: before,
            after: next.auditSnapshot, note: "from the waiting list")
        try await timeline(
            referral: next.$referral.id, .system,
            "\(m.person.givenNames) \(m.person.familyName) booked from the waiting list: "
                + "\(next.day) \(CentreSchedule.clock(next.minute)) at \(centre.location.name)", on: db)
        try await queueSMS(next, m.person, centre, on: db)
    }

    /// A timeline line on the case of a referral.
    static func timeline(referral referralID: UUID, _ actor: Actor, _ text: String, on db: any Database)
        async throws
    {
        guard let r = try await FRReferral.find(referralID, on: db) else { return }
        try await timeline(r.$caseRecord.id, actor, text, on: db)
    }

    /// The family member is told of the appointment by SMS in their language. The text names the place and the
    /// time, never what the appointment is for: a phone may be shared.
    static func queueSMS(_ a: FRAppointment, _ p: Person, _ centre: FRCentre, on db: any Database) async throws {
        guard let phone = p.phone, !phone.isEmpty, a.startsAt > Clock.now() else { return }
        if try await SMSOptOut.query(on: db).filter(\.$person.$id == p.id!).first() != nil { return }
        let language = AppointmentSMS.language(for: p.languages)
        let text = SMSTemplates.render(
            AppointmentSMS.texts[language]!,
            [
                "place": centre.location.name, "date": a.day, "time": CentreSchedule.clock(a.minute),
                "name": p.givenNames,
            ])
        try await Outbox.enqueue(
            .init(
                kind: .sms, eventKey: "sms:fr:\(a.id!.uuidString)", caseID: nil, personID: p.id, destination: phone,
                body: text, label: "SMS appointment (\(language)) to \(p.givenNames) \(p.familyName)",
                expiresAt: a.startsAt),
            on: db)
    }

    /// The appointment as an iCalendar invitation, in UTC, named by the centre.
    static func invitation(_ a: FRAppointment, _ centre: FRCentre, slotMinutes: Int) -> ICalendarEvent {
        ICalendarEvent(
            uid: "\(a.id!.uuidString)@passage", start: a.startsAt,
            end: a.startsAt.addingTimeInterval(Double(slotMinutes) * 60),
            summary: "Appointment at \(centre.location.name)",
            location: "\(centre.location.name), \(centre.location.city)",
            description: "Please come on time and bring your passport or identity document.",
            stamp: a.updatedAt ?? a.createdAt ?? Clock.now())
    }
}

/// The appointment SMS, in the languages families abroad read.
enum AppointmentSMS {
    static let texts: [String: String] = [
        "en": "Dear {name}, your appointment is at {place} on {date} at {time} (local time). Bring your passport.",
        "ar": "عزيزي {name}، موعدك في {place} يوم {date} الساعة {time} (بالتوقيت المحلي). أحضر جواز سفرك.",
        "fa": "{name} گرامی، وقت شما در {place} در تاریخ {date} ساعت {time} (به وقت محلی) است. گذرنامه خود را بیاورید.",
        "fr":
            "Bonjour {name}, votre rendez-vous est à {place} le {date} à {time} (heure locale). "
            + "Apportez votre passeport.",
        "ti": "ክቡር {name}፣ ቆጸራኹም ኣብ {place} ዕለት {date} ሰዓት {time} (ናይ ከባቢ ሰዓት) እዩ። ፓስፖርትኹም ኣምጽኡ።",
        "so": "{name}, ballantaadu waa {place} {date} saacadda {time} (waqtiga maxalliga). Keen baasaboorkaaga.",
        "ru": "{name}, ваша встреча в {place} {date} в {time} (местное время). Возьмите паспорт.",
        "es": "Estimado/a {name}, su cita es en {place} el {date} a las {time} (hora local). Traiga su pasaporte.",
        "tr":
            "Sayın {name}, randevunuz {date} tarihinde saat {time} (yerel saat) {place} adresindedir. "
            + "Pasaportunuzu getirin.",
    ]

    static func language(for spoken: [String]) -> String { spoken.first { texts[$0] != nil } ?? "en" }
}
