import Vapor
import Fluent
import SQLKit
import PassageDomain

/// Who may do what with bookings, manifests and messages.
enum MovementsAccess {
    /// Staff who see bookings of their cases.
    static let read: Set<Role> = [
        .movementsOfficer, .counsellor, .manager, .medicalOfficer, .familyReunificationOfficer, .resettlementOfficer,
    ]
    /// The movements team books; managers may too.
    static let book: Set<Role> = [.movementsOfficer, .manager]
    /// Airport handling and the manifest.
    static let airport: Set<Role> = [.movementsOfficer, .manager]
    /// SMS: opt-out and resend (counsellors speak with the migrant).
    static let messages: Set<Role> = [.movementsOfficer, .counsellor, .manager]
    static let templates: Set<Role> = [.administrator, .manager]
    static let webhooks: Set<Role> = [.administrator]
    static let carbonRead: Set<Role> = [.movementsOfficer, .manager, .administrator]
    static let carbonWrite: Set<Role> = [.manager, .administrator]
}

enum BookingRecords {

    /// The persons a booking of this case may carry: the case's person and their household.
    static func casePersons(_ c: Case, on db: any Database) async throws -> [Person] {
        let pid = c.$person.id
        let related = try await HouseholdLink.query(on: db).filter(\.$person.$id == pid).all().map {
            $0.$relatedPerson.id
        }
        return try await Person.query(on: db).filter(\.$id ~~ ([pid] + related)).all()
    }

    static func loadCase(_ id: UUID, on db: any Database) async throws -> Case {
        guard let c = try await Case.query(on: db).filter(\.$id == id).with(\.$person).first() else {
            throw Abort(.notFound, reason: "No such case.")
        }
        return c
    }

    static func loadBooking(_ id: UUID, on db: any Database) async throws -> Booking {
        guard let b = try await Booking.query(on: db).filter(\.$id == id).with(\.$legs).with(\.$passengers).first()
        else {
            throw Abort(.notFound, reason: "No such booking.")
        }
        return b
    }

    static func timeline(_ caseID: UUID, _ actor: Actor, _ text: String, on db: any Database) async throws {
        try await CaseEvent.note(caseID, actor, kind: "booking", text, audience: nil, on: db)
    }

    static func history(
        _ b: Booking, from: BookingStatus?, to: BookingStatus, _ actor: Actor, _ note: String, on db: any Database
    ) async throws {
        let e = BookingEvent()
        e.$booking.id = b.id!; e.at = Clock.now(); e.actorName = actor.name; e.fromStatus = from?.rawValue;
        e.toStatus = to.rawValue; e.note = note
        try await e.create(on: db)
    }

    // MARK: create and re-book

    /// Validates and stores a new booking (and, when re-booking, cancels the old one in the same transaction).
    static func create(caseID: UUID, _ f: FormFields, actor: Actor, rebooking old: UUID? = nil, on app: Application)
        async throws -> Booking
    {
        let c = try await loadCase(caseID, on: app.db)
        let (input, status) = try await validate(c, f, on: app.db)
        return try await app.writeTransaction { db in
            try await insert(c, input, status: status, actor: actor, rebooking: old, on: db)
        }
    }

    /// A booking's fields read against its case: the flights, the passengers and the first status.
    static func validate(_ c: Case, _ f: FormFields, on db: any Database) async throws
        -> (BookingInput, BookingStatus)
    {
        let persons = try await casePersons(c, on: db)
        let input = try BookingValidation.booking(
            f, airports: ReferenceData.airports, casePersons: Set(persons.map { $0.id!.uuidString }))
        var e = ValidationErrors()
        let initial = BookingStatus.read(f["status"], field: "status", default: .requested, into: &e)
        if let s = initial, !(s == .requested || s == .held || s == .ticketed) {
            e.add("status", "a new booking is requested, held or ticketed")
        }
        if initial == .ticketed && input.reference.isEmpty {
            e.add("reference", "a ticketed booking needs the airline's booking reference")
        }
        try e.throwIfAny()
        return (input, initial!)
    }

    /// Stores a validated booking in the caller's transaction, when the case's programme lets it travel that day.
    static func insert(
        _ c: Case, _ input: BookingInput, status: BookingStatus, actor: Actor, rebooking old: UUID?,
        on db: any Database
    ) async throws -> Booking {
        let caseID = c.id!
        if let day = PartialDate(parsing: String(input.legs[0].departsLocal.prefix(10))) {
            let refusals = try await Modules.travelRefusals(of: c, day: day, on: db)
            if !refusals.isEmpty {
                throw DomainError(
                    .conflict,
                    "This case may not travel on \(day.isoText) yet: " + refusals.joined(separator: "; ") + ".")
            }
        }
        var previous: Booking?
        if let oid = old {
            guard
                let ob = try await Booking.query(on: db).filter(\.$id == oid).filter(\.$caseRecord.$id == caseID)
                    .first()
            else {
                throw Abort(.notFound, reason: "No such booking on this case.")
            }
            guard ob.bookingStatus.isLive else {
                throw DomainError(
                    .conflict, "A booking that is \(ob.status) cannot be re-booked; make a new booking instead.")
            }
            previous = ob
        }
        let b = Booking()
        b.$caseRecord.id = caseID; b.reference = input.reference; b.status = status;
        b.fareCents = input.fareCents
        b.baggageKg = input.baggageKg; b.escort = input.escort; b.escortStaff = input.escortStaff;
        b.note = input.note
        b.rebookedFromID = old; b.departsAt = input.legs[0].departsAt; b.createdBy = actor.name
        b.firstDay = String(input.legs[0].departsLocal.prefix(10))
        try await b.create(on: db)
        for p in input.passengerIDs {
            let bp = BookingPassenger()
            bp.$booking.id = b.id!; bp.$person.id = UUID(uuidString: p)!
            bp.assistanceText = (input.assistance[p] ?? []).map(\.rawValue).joined(separator: ",")
            try await bp.create(on: db)
        }
        let legs = (input.legs.map { ($0, false) } + input.escortReturnLegs.map { ($0, true) }).enumerated().map {
            i, l -> Leg in
            let m = Leg()
            m.$booking.id = b.id!; m.seq = i + 1; m.escortOnly = l.1; m.carrier = l.0.carrier;
            m.flightNumber = l.0.flightNumber
            m.cancelled = false
            m.fromCode = l.0.from.iata; m.toCode = l.0.to.iata; m.departsLocal = l.0.departsLocal;
            m.arrivesLocal = l.0.arrivesLocal
            m.departsAt = l.0.departsAt; m.arrivesAt = l.0.arrivesAt;
            m.distanceKm = (l.0.distanceKm * 10).rounded() / 10
            return m
        }
        Leg.linkItinerary(legs.filter { !$0.escortOnly }, passengers: input.passengerIDs.count)
        for m in legs { try await m.create(on: db) }
        let route =
            input.legs.map(\.flight).joined(separator: " + ") + " "
            + ([input.legs[0].from.iata] + input.legs.map(\.to.iata)).joined(separator: "→")
        if let ob = previous {
            let before = ob.auditSnapshot
            let was = ob.bookingStatus
            ob.status = .cancelled
            try await ob.update(on: db)
            try await markCancelled(ob, on: db)
            try await history(
                ob, from: was, to: .cancelled, actor, "re-booked as \(b.reference.isEmpty ? route : b.reference)",
                on: db)
            try await AuditLog.change(
                db, actor, .update, "booking", ob.id, person: c.$person.id, before: before, after: ob.auditSnapshot,
                note: "re-booked")
            try await Outbox.cancelPending(
                bookingID: ob.id!, keyPrefix: "sms:", reason: "booking re-booked", on: db)
            _ = try await Modules.announce(
                .bookingCancelled(caseID: caseID, bookingID: ob.id!, replacedBy: b.id!), on: db)
        }
        try await history(
            b, from: nil, to: status, actor,
            previous == nil
                ? "booked"
                : "re-booking of \(previous!.reference.isEmpty ? "an earlier booking" : previous!.reference)",
            on: db)
        try await timeline(
            caseID, actor, (previous == nil ? "Booking " : "Re-booked: ") + route + " (\(status.rawValue))", on: db)
        try await AuditLog.change(
            db, actor, .create, "booking", b.id, person: c.$person.id,
            after: b.auditSnapshot.merging(["route": route]) { a, _ in a })
        if status == .ticketed {
            try await queueSMS(b, event: previous == nil ? .ticketed : .rebooked, case: c, on: db)
            try await queueReminder(b, case: c, on: db)
        }
        return b
    }

    // MARK: status

    static func move(
        _ bookingID: UUID, to raw: String?, note rawNote: String?, reference rawRef: String?, actor: Actor,
        on app: Application
    ) async throws -> Booking {
        var e = ValidationErrors()
        let target = BookingStatus.read(raw, field: "to", into: &e)
        let note = Input.text(rawNote, field: "note", max: 1000, into: &e)
        let ref = (rawRef ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        if !ref.isEmpty && (ref.count > 12 || !ref.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })) {
            e.add("reference", "must be the airline's booking reference, letters and digits (at most 12)")
        }
        try e.throwIfAny()
        let to = target!
        return try await app.writeTransaction { db in
            let b = try await loadBooking(bookingID, on: db)
            let c = try await loadCase(b.$caseRecord.id, on: db)
            let from = b.bookingStatus
            try from.check(to: to)
            if to == .ticketed && ref.isEmpty && b.reference.isEmpty {
                throw ValidationErrors("reference", "a ticketed booking needs the airline's booking reference")
            }
            if to == .ticketed, let raw = b.firstDay, let day = PartialDate(parsing: raw) {
                let refusals = try await Modules.travelRefusals(of: c, day: day, on: db)
                if !refusals.isEmpty {
                    throw DomainError(
                        .conflict, "This booking may not be ticketed yet: " + refusals.joined(separator: "; ") + ".")
                }
            }
            if to == .flown || to == .noShow,
                let first = b.legs.filter({ !$0.escortOnly }).min(by: { $0.seq < $1.seq }),
                first.departsAt > Clock.now()
            {
                throw DomainError(
                    .conflict,
                    """
                    The flight \(first.flight) has not left yet \
                    (\(first.departsLocal.replacingOccurrences(of: "T", with: " ")) at \(first.fromCode)).
                    """
                )
            }
            let before = b.auditSnapshot
            if !ref.isEmpty { b.reference = ref }
            b.status = to
            try await b.update(on: db)
            try await history(b, from: from, to: to, actor, note, on: db)
            try await timeline(
                c.id!, actor,
                "Booking \(b.reference.isEmpty ? "" : b.reference + " ")\(from.rawValue) → \(to.rawValue)"
                    + (note.isEmpty ? "" : ": \(note)"), on: db)
            try await AuditLog.change(
                db, actor, .update, "booking", b.id, person: c.$person.id, before: before, after: b.auditSnapshot,
                note: note)
            switch to {
            case .ticketed:
                try await queueSMS(b, event: b.rebookedFromID == nil ? .ticketed : .rebooked, case: c, on: db)
                try await queueReminder(b, case: c, on: db)
            case .cancelled:
                try await markCancelled(b, on: db)
                try await Outbox.cancelPending(bookingID: b.id!, keyPrefix: "sms:", reason: "booking cancelled", on: db)
                if from == .ticketed { try await queueSMS(b, event: .cancelled, case: c, on: db) }
                let notes = try await app.announce(
                    .bookingCancelled(caseID: c.id!, bookingID: b.id!, replacedBy: nil), on: db)
                for note in notes { try await history(b, from: .cancelled, to: .cancelled, actor, note, on: db) }
            case .noShow:
                try await Outbox.cancelPending(bookingID: b.id!, keyPrefix: "sms:", reason: "no-show", on: db)
            case .flown:
                try await Outbox.cancelPending(bookingID: b.id!, keyPrefix: "sms:", reason: "flown", on: db)
                try await recordEmissions(b, on: db)
                try await recordDepartures(b, case: c, on: db)
                try await notifyDeparture(b, case: c, actor: actor, on: db)
                if let first = b.legs.filter({ !$0.escortOnly }).min(by: { $0.seq < $1.seq }),
                    let day = PartialDate(parsing: String(first.departsLocal.prefix(10)))
                {
                    let notes = try await app.announce(
                        .bookingFlown(caseID: c.id!, day: day, flight: first.flight, actor: actor), on: db)
                    for note in notes { try await history(b, from: .flown, to: .flown, actor, note, on: db) }
                }
            case .requested, .held:
                break
            }
            return b
        }
    }

    /// Per-passenger CO2e of every leg, with the factor of the flight's year, fixed at the moment it was flown,
    /// and the booking's total.
    static func recordEmissions(_ b: Booking, on db: any Database) async throws {
        for leg in computeEmissions(b) { try await leg.update(on: db) }
        try await b.update(on: db)
    }

    /// Sets each leg's CO2e with its year's factor and the booking's total, saving nothing; the legs it set.
    @discardableResult
    static func computeEmissions(_ b: Booking) -> [Leg] {
        var set: [Leg] = []
        for leg in b.legs {
            let year = Int(leg.departsLocal.prefix(4)) ?? 2025
            guard let factor = ReferenceData.emissionFactors.factor(year: year) else { continue }
            let e = LegEmission(distanceKm: leg.distanceKm, factor: factor)
            leg.co2GramsRF = e.gramsWithRF; leg.co2Grams = e.gramsWithoutRF; leg.factorYear = e.factorYear
            set.append(leg)
        }
        b.fixCO2Total()
        return set
    }

    /// A flown booking's passengers as the reports count them, with their case's country of return and their
    /// nationality.
    static func recordDepartures(_ b: Booking, case c: Case, on db: any Database) async throws {
        let destination = try await Modules.travel(of: c, on: db)?.destinationCountry
        let persons = try await Person.query(on: db).filter(\.$id ~~ b.passengers.map { $0.$person.id }).all()
        let granted = try await GrantRecord.query(on: db).filter(\.$caseRecord.$id == c.id!).count() > 0
        let departures = persons.map { p -> Departure in
            let d = Departure()
            d.$booking.id = b.id!; d.personID = p.id!; d.caseID = c.id!; d.programme = c.programme.rawValue
            d.day = b.firstDay ?? String(b.passengerLegs.first?.departsLocal.prefix(10) ?? "")
            d.escorted = b.escort != EscortKind.none; d.destinationCountry = destination;
            d.nationality = p.nationality
            d.granted = granted
            return d
        }
        try await departures.create(on: db)
    }

    /// The hub's figures leave out the flights of a cancelled booking.
    static func markCancelled(_ b: Booking, on db: any Database) async throws {
        try await Leg.query(on: db).filter(\.$booking.$id == b.id!).set(\.$cancelled, to: true).update()
    }

    // MARK: SMS

    static func smsValues(_ b: Booking, legs all: [Leg], person: Person) -> [String: String] {
        let legs = all.filter { !$0.escortOnly }.sorted { $0.seq < $1.seq }
        guard let first = legs.first, let last = legs.last else { return [:] }
        let airport = ReferenceData.airports[first.fromCode]
        return [
            "name": person.givenNames, "flight": legs.map(\.flight).joined(separator: "+"),
            "from": first.fromCode + (airport.map { " (\($0.city))" } ?? ""), "to": last.toCode,
            "date": String(first.departsLocal.prefix(10)), "time": String(first.departsLocal.suffix(5)),
            "reference": b.reference,
        ]
    }

    /// One message per passenger for this event of the booking, in the passenger's language; never a second one.
    static func queueSMS(_ b: Booking, event: SMSEvent, case c: Case, dueAt: Date = Clock.now(), on db: any Database)
        async throws
    {
        // No message about a flight in the past: one recorded after it left says so on the booking instead.
        guard b.departsAt > Clock.now() else {
            try await history(
                b, from: nil, to: b.bookingStatus, .system,
                "no \(event.rawValue) SMS: the flight left before it was recorded", on: db)
            return
        }
        let travel = try await Modules.travel(of: c, on: db)
        let legs = try await b.$legs.query(on: db).all()
        let passengers = try await b.$passengers.query(on: db).all()
        let optedOut = Set(
            try await SMSOptOut.query(on: db).filter(\.$person.$id ~~ passengers.map { $0.$person.id }).all().map {
                $0.$person.id
            })
        for p in passengers {
            guard let person = try await Person.find(p.$person.id, on: db) else { continue }
            let key = "sms:\(b.id!.uuidString):\(event.rawValue):\(person.id!.uuidString)"
            let who = "\(person.givenNames) \(person.familyName)"
            guard let phone = person.phone, !phone.isEmpty else {
                try await history(
                    b, from: nil, to: b.bookingStatus, .system, "no \(event.rawValue) SMS to \(who): no phone number",
                    on: db)
                continue
            }
            if optedOut.contains(person.id!) {
                try await history(
                    b, from: nil, to: b.bookingStatus, .system, "no \(event.rawValue) SMS to \(who): opted out of SMS",
                    on: db)
                continue
            }
            var spoken = person.languages
            if person.id == c.$person.id, let pref = travel?.preferredLanguage { spoken.insert(pref, at: 0) }
            let language = SMSTemplates.language(for: spoken)
            let template =
                try await SMSTemplateRecord.query(on: db).filter(\.$event == event.rawValue).filter(
                    \.$language == language
                ).first()?.text
                ?? SMSTemplates.defaults[event]?[language] ?? SMSTemplates.defaults[event]!["en"]!
            let text = SMSTemplates.render(template, smsValues(b, legs: legs, person: person))
            try await Outbox.enqueue(
                .init(
                    kind: .sms, eventKey: key, caseID: c.id, personID: person.id, bookingID: b.id, destination: phone,
                    body: text, label: "SMS \(event.rawValue) (\(language)) to \(who)", dueAt: dueAt,
                    expiresAt: b.departsAt), on: db)
        }
    }

    /// The reminder goes 24 hours before the first departure; none when that moment has passed.
    static func queueReminder(_ b: Booking, case c: Case, on db: any Database) async throws {
        let due = b.departsAt.addingTimeInterval(-24 * 3600)
        guard due > Clock.now() else { return }
        try await queueSMS(b, event: .reminder, case: c, dueAt: due, on: db)
    }

    static func setOptOut(personID: UUID, optedOut: Bool, actor: Actor, on app: Application) async throws {
        guard try await Person.find(personID, on: app.db) != nil else {
            throw Abort(.notFound, reason: "No such person.")
        }
        try await app.writeTransaction { db in
            let existing = try await SMSOptOut.query(on: db).filter(\.$person.$id == personID).first()
            if optedOut, existing == nil {
                let o = SMSOptOut(); o.$person.id = personID; o.recordedBy = actor.name
                try await o.create(on: db)
            } else if !optedOut, let o = existing {
                try await o.delete(on: db)
            } else {
                return
            }
            try await AuditLog.change(
                db, actor, .update, "person", personID, person: personID, before: ["smsOptOut": String(!optedOut)],
                after: ["smsOptOut": String(optedOut)])
        }
    }

    /// Sends a message again on request, as a new message; the first one stays in the log.
    static func resend(messageID: UUID, actor: Actor, on app: Application) async throws -> OutboxMessage {
        guard let m = try await OutboxMessage.find(messageID, on: app.db), m.kind == OutboxMessage.Kind.sms
        else {
            throw Abort(.notFound, reason: "No such SMS.")
        }
        if let pid = m.personID, try await SMSOptOut.query(on: app.db).filter(\.$person.$id == pid).first() != nil {
            throw DomainError(
                .conflict, "This person has opted out of SMS; record their consent again before resending.")
        }
        return try await app.writeTransaction { db in
            let n =
                try await OutboxMessage.query(on: db).filter(\.$eventKey =~ "resend:\(messageID.uuidString):").count()
                + 1
            guard
                let copy = try await Outbox.enqueue(
                    .init(
                        kind: .sms, eventKey: "resend:\(messageID.uuidString):\(n)", caseID: m.caseID,
                        personID: m.personID,
                        bookingID: m.bookingID, destination: m.destination, body: m.body,
                        label: m.label + " (resent by \(actor.name))"), on: db)
            else {
                throw DomainError(.conflict, "This message is being resent already.")
            }
            if let cid = m.caseID { try await timeline(cid, actor, "SMS resent: \(m.label)", on: db) }
            if let pid = m.personID {
                try await AuditLog.change(
                    db, actor, .other, "sms", copy.id, person: pid, after: ["resentFrom": messageID.uuidString],
                    note: "SMS resent")
            }
            return copy
        }
    }

    /// A delivery report from Kannel (`dlr-url`): 1 delivered, 2 failed at the phone, 4 buffered, 8 accepted by the
    /// SMSC, 16 refused by the SMSC.
    static func deliveryReport(id: UUID, token: String, status: Int, answer: String, on app: Application) async throws {
        try await app.writeTransaction { db in
            // Kannel sends "accepted by the SMS centre" and "delivered" moments apart: take the row so one does not
            // undo the other.
            if db.isPostgres {
                try await db.sql.raw("SELECT id FROM outbox_messages WHERE id = \(bind: id) FOR UPDATE").run()
            }
            guard let m = try await OutboxMessage.find(id, on: db), let t = m.dlrToken, !t.isEmpty,
                t.utf8.count == token.utf8.count, zip(t.utf8, token.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
            else {
                throw Abort(.notFound, reason: "No such message.")
            }
            let text: String
            switch status {
            case 1: text = "delivered to the phone"; m.status = OutboxMessage.Status.delivered
            case 2: text = "not delivered to the phone"; m.status = OutboxMessage.Status.failed
            case 4: text = "waiting at the SMS centre"
            case 8: text = "accepted by the SMS centre"
            case 16: text = "refused by the SMS centre"; m.status = OutboxMessage.Status.failed
            default: text = "report \(status)"
            }
            // A report of acceptance never overrides a final one that came first.
            if status == 8 || status == 4, m.report == "delivered to the phone" { return }
            m.report = text + (answer.isEmpty ? "" : " (\(String(answer.prefix(100))))")
            m.reportAt = Clock.now()
            if status == 8 || status == 4, m.status == OutboxMessage.Status.sending {
                m.status = OutboxMessage.Status.sent
            }
            try await m.update(on: db)
        }
    }

    // MARK: partner notifications

    /// The organisation responsible for where the person stayed gets `departure.completed`, on each of its
    /// subscriptions.
    static func notifyDeparture(_ b: Booking, case c: Case, actor: Actor, on db: any Database) async throws {
        let travel = try await Modules.travel(of: c, on: db)
        let legs = try await b.$legs.query(on: db).all().filter { !$0.escortOnly }.sorted { $0.seq < $1.seq }
        guard let first = legs.first else { return }
        let flight = legs.map { "\($0.flight) \($0.fromCode)→\($0.toCode)" }.joined(separator: ", ")
        for p in try await b.$passengers.query(on: db).all() {
            guard let person = try await Person.find(p.$person.id, on: db) else { continue }
            let stay = (person.id == c.$person.id ? travel?.stayLocationID : nil) ?? person.$location.id
            guard let lid = stay, let location = try await Location.find(lid, on: db),
                let partner = location.$partner.id
            else { continue }
            try await Outbox.notify(
                .departureCompleted,
                DepartureCompleted(
                    caseReference: c.reference, personReference: person.reference,
                    location: .init(id: lid.uuidString, name: location.name),
                    date: String(first.departsLocal.prefix(10)), flight: flight),
                to: try await Outbox.subscriptions(.departureCompleted, of: [partner], on: db),
                key: "\(b.id!.uuidString):\(person.id!.uuidString)", caseID: c.id, personID: person.id,
                bookingID: b.id, label: person.reference, on: db)
        }
    }

    /// Sends a partner notification again with the same event id, so a partner that has it already can tell.
    static func redeliver(messageID: UUID, actor: Actor, on app: Application) async throws {
        try await app.writeTransaction { db in
            guard let m = try await OutboxMessage.find(messageID, on: db), m.kind == OutboxMessage.Kind.webhook
            else {
                throw Abort(.notFound, reason: "No such notification.")
            }
            guard m.status != OutboxMessage.Status.sending else {
                throw DomainError(.conflict, "This notification is being sent right now.")
            }
            let now = Clock.now()
            m.status = OutboxMessage.Status.pending; m.dueAt = now; m.firstDueAt = now; m.claimedUntil = nil
            try await m.update(on: db)
            if let pid = m.personID {
                try await AuditLog.change(
                    db, actor, .other, "webhook_delivery", m.id, person: pid, after: ["redelivery": "requested"],
                    note: "manual redelivery")
            }
        }
    }

    // MARK: airport handling

    static func saveHandling(
        _ bookingID: UUID, personID: UUID, type: MovementType, _ f: FormFields, actor: Actor, on app: Application
    ) async throws {
        let b = try await loadBooking(bookingID, on: app.db)
        guard b.passengers.contains(where: { $0.$person.id == personID }) else {
            throw Abort(.notFound, reason: "This person is not a passenger of the booking.")
        }
        let hub = app.passageConfig.hubAirport
        let moves = b.movements(at: hub)
        guard moves.contains(where: { $0.type == type }) else {
            throw DomainError(.conflict, "This booking has no \(type.rawValue) at \(hub).")
        }
        let h = try HandlingInput.read(f, type: type)
        try await app.writeTransaction { db in
            let m =
                try await MovementHandling.query(on: db).filter(\.$booking.$id == bookingID).filter(
                    \.$person.$id == personID
                )
                .filter(\.$type == type).first() ?? MovementHandling()
            let before = m.id == nil ? [:] : m.auditSnapshot
            m.$booking.id = bookingID; m.$person.id = personID; m.type = type
            m.checkedIn = h.checkedIn; m.exitFormalities = h.exitFormalities; m.handoverTo = h.handoverTo;
            m.handoverName = h.handoverName
            m.transitAssistance = h.transitAssistance.map(\.rawValue).joined(separator: ","); m.note = h.note;
            m.updatedBy = actor.name
            try await m.save(on: db)
            try await AuditLog.change(
                db, actor, before.isEmpty ? .create : .update, "movement_handling", m.id, person: personID,
                before: before, after: m.auditSnapshot)
        }
    }
}
