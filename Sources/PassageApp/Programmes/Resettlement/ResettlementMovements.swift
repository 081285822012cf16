import Fluent
import PassageDomain
import Vapor

extension ResettlementRecords {
    static func movement(_ id: UUID, on db: any Database) async throws -> RSMovement {
        guard let m = try await RSMovement.query(on: db).filter(\.$id == id).with(\.$households).first() else {
            throw Abort(.notFound, reason: "No such movement.")
        }
        return m
    }

    /// A group movement: the flights every household of it takes (up to six, as a booking's), whether it is a
    /// charter, and the airports where the group is helped through transit.
    /// `history` lets a movement that has left already be written (demo data and imports of past years).
    static func createMovement(_ f: FormFields, by viewer: Identity, history: Bool = false, on app: Application)
        async throws -> RSMovement
    {
        var e = ValidationErrors()
        let legs = BookingValidation.legs(f, prefix: "leg", airports: ReferenceData.airports, into: &e)
        if legs.isEmpty && e.items.allSatisfy({ !$0.field.hasPrefix("leg") }) {
            e.add("leg1_carrier", "a movement needs at least one flight")
        }
        let connections = Set(legs.dropLast().map(\.to.iata))
        var transit: [String] = []
        for raw in (f["transitAssistance"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }) {
            let code = raw.uppercased()
            if !connections.contains(code) {
                e.add(
                    "transitAssistance",
                    "'\(code)' is not an airport where the group changes flights"
                        + (connections.isEmpty ? " (the itinerary has no connection)" : ""))
            } else if !transit.contains(code) {
                transit.append(code)
            }
        }
        if !history, let first = legs.first, first.departsAt < Clock.now() {
            e.add("leg1_departs", "is in the past: a movement is planned before it leaves")
        }
        try e.throwIfAny()
        let itinerary = f.filter { key, value in
            key.hasPrefix("leg") && !value.trimmingCharacters(in: .whitespaces).isEmpty
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let json = String(decoding: try enc.encode(itinerary), as: UTF8.self)
        let transitAirports = transit.joined(separator: ",")
        return try await app.writeTransaction { db in
            let year = legs[0].departsLocal.prefix(4)
            let n = try await CaseRecords.nextNumber(key: "RSM\(year)", on: db) ?? 1
            let m = RSMovement()
            m.reference = String(format: "RSM-%@-%03d", String(year), n); m.status = .planned
            m.charter = Input.flag(f["charter"]); m.departsOn = String(legs[0].departsLocal.prefix(10))
            m.departsAt = legs[0].departsAt; m.fromCountry = legs[0].from.country; m.itinerary = json
            m.transitAssistance = transitAirports; m.arrivalNote = ""; m.createdBy = viewer.name
            try await m.create(on: db)
            try await AuditLog.change(
                db, viewer.actor, .create, "rs_movement", m.id, person: nil,
                after: [
                    "reference": m.reference, "departsOn": m.departsOn, "charter": String(m.charter),
                    "flights": legs.map(\.flight).joined(separator: " + "), "transitAssistance": m.transitAssistance,
                ])
            return m
        }
    }

    /// Books a household on the movement's flights through the movements module, in one transaction: refused with
    /// the reasons while it may not travel that day, when a person of it is in another household of the movement,
    /// or when it is on another movement already.
    static func addHousehold(_ movementID: UUID, _ f: FormFields, by viewer: Identity, on app: Application)
        async throws -> RSMovementHousehold
    {
        try await app.writeTransaction { db in
            let m = try await movement(movementID, on: db)
            guard m.status == .planned else {
                throw DomainError(
                    .conflict, "The movement has \(m.status.rawValue): households are added before it leaves.")
            }
            var e = ValidationErrors()
            let found = try await referralNamed(f, into: &e, on: db)
            try e.throwIfAny()
            let r = found!
            let c = try await BookingRecords.loadCase(r.$caseRecord.id, on: db)
            if let other = try await RSMovementHousehold.query(on: db).filter(\.$referral.$id == r.id!)
                .with(\.$movement).with(\.$booking).all()
                .first(where: { $0.booking.bookingStatus.isLive || $0.booking.status == .flown })
            {
                throw DomainError(
                    .conflict,
                    "The household \(r.unhcrCaseNumber) is on movement \(other.movement.reference) already.")
            }
            let members = try await RSMember.query(on: db).filter(\.$referral.$id == r.id!).with(\.$person).all()
            let ids = Set(members.map { $0.$person.id })
            let others = try await RSMovementHousehold.query(on: db).filter(\.$movement.$id == m.id!)
                .filter(\.$referral.$id != r.id!).with(\.$booking).all().filter { $0.booking.status != .cancelled }
            for h in others {
                let theirs = try await RSMember.query(on: db).filter(\.$referral.$id == h.$referral.id).all()
                if let shared = theirs.first(where: { ids.contains($0.$person.id) }),
                    let p = members.first(where: { $0.$person.id == shared.$person.id })?.person
                {
                    throw DomainError(
                        .conflict,
                        "\(p.givenNames) \(p.familyName) (\(p.reference)) is in another household of this movement.")
                }
            }
            let day = PartialDate(parsing: m.departsOn)!
            let refusals = try await refusals(r, day: day, on: db)
            if !refusals.isEmpty {
                throw DomainError(
                    .conflict,
                    "The household \(r.unhcrCaseNumber) may not travel on \(m.departsOn): "
                        + refusals.joined(separator: "; ") + ".")
            }
            // What the latest checks say each member needs; everyone is met at the hub.
            let checks = try await RSHealthCheck.query(on: db).filter(\.$referral.$id == r.id!).all()
                .filter { $0.kind.decidesFitness }
            var fields = m.legFields
            var escort = EscortKind.none
            for member in members {
                let pid = member.$person.id
                let latest = checks.filter { $0.$person.id == pid }.max { $0.examinedOn < $1.examinedOn }
                var assist = latest?.assistance ?? []
                assist.append(.meetAndAssist)
                fields["assist_\(pid.uuidString)"] = assist.map(\.rawValue).joined(separator: ",")
                if latest?.escort == .medical { escort = .medical }
                if latest?.escort == .operational && escort == .none { escort = .operational }
            }
            fields["passengers"] = members.map { $0.$person.id.uuidString }.joined(separator: ",")
            fields["escort"] = escort.rawValue
            fields["escortStaff"] = escort == .none ? "" : (f["escortStaff"] ?? "")
            fields["status"] = f["status"] ?? BookingStatus.held.rawValue
            fields["reference"] = f["reference"] ?? ""
            fields["note"] = "Resettlement movement \(m.reference)"
            let (input, status) = try await BookingRecords.validate(c, fields, on: db)
            let b = try await BookingRecords.insert(
                c, input, status: status, actor: viewer.actor, rebooking: nil, on: db)
            // A household taken off the movement (its booking cancelled) comes back on its own row.
            let h =
                try await RSMovementHousehold.query(on: db).filter(\.$movement.$id == m.id!)
                .filter(\.$referral.$id == r.id!).first() ?? RSMovementHousehold()
            h.$movement.id = m.id!; h.$referral.id = r.id!; h.$booking.id = b.id!; h.persons = members.count
            h.medicalEscort = escort == .medical
            try await h.save(on: db)
            try await AuditLog.change(
                db, viewer.actor, .create, "rs_movement_household", h.id, person: c.$person.id,
                after: ["movement": m.reference, "unhcrCaseNumber": r.unhcrCaseNumber, "persons": String(h.persons)])
            try await timeline(r.$caseRecord.id, viewer.actor, "On movement \(m.reference) of \(m.departsOn)", on: db)
            try await refreshStage(r, on: db)
            return h
        }
    }

    /// A booking of one of the movement's households was flown: the household has departed, and the movement once
    /// all have.
    static func flown(caseID: UUID, on db: any Database) async throws -> [String] {
        guard let r = try await RSReferral.query(on: db).filter(\.$caseRecord.$id == caseID).first() else { return [] }
        try await refreshStage(r, on: db)
        guard
            let h = try await RSMovementHousehold.query(on: db).filter(\.$referral.$id == r.id!).with(\.$movement)
                .all().first(where: { $0.movement.status == .planned })
        else { return [] }
        let m = h.movement
        let all = try await RSMovementHousehold.query(on: db).filter(\.$movement.$id == m.id!).with(\.$booking).all()
            .filter { $0.booking.status != .cancelled }
        if all.allSatisfy({ $0.booking.status == .flown || $0.booking.status == .noShow }) {
            m.status = .departed
            try await m.update(on: db)
            return ["Resettlement movement \(m.reference): every household has left."]
        }
        return ["Resettlement movement \(m.reference): household \(r.unhcrCaseNumber) has left."]
    }

    /// A booking of a movement's household was cancelled: a re-booking keeps the household on the movement with
    /// its new booking; otherwise it is off the movement, and its stage says where it stands again.
    static func cancelled(bookingID: UUID, replacedBy: UUID?, on db: any Database) async throws -> [String] {
        guard
            let h = try await RSMovementHousehold.query(on: db).filter(\.$booking.$id == bookingID)
                .with(\.$movement).with(\.$referral).first()
        else { return [] }
        if let replacedBy {
            h.$booking.id = replacedBy
            try await h.update(on: db)
        }
        try await refreshStage(h.referral, on: db)
        return replacedBy == nil
            ? ["Resettlement movement \(h.movement.reference): household \(h.referral.unhcrCaseNumber) is off it."] : []
    }

    /// The group arrived at its last airport (`arrivedAt`, local time there) and was handed over: each household's
    /// reception agency is told by a signed notification.
    static func recordArrival(_ movementID: UUID, _ f: FormFields, by viewer: Identity, on app: Application)
        async throws -> RSMovement
    {
        try await app.writeTransaction { db in
            let m = try await movement(movementID, on: db)
            guard m.status != .arrived else {
                throw DomainError(.conflict, "The movement's arrival is recorded already.")
            }
            let households = try await RSMovementHousehold.query(on: db).filter(\.$movement.$id == m.id!)
                .with(\.$booking).with(\.$referral).all().filter { $0.booking.status != .cancelled }
            guard !households.isEmpty else { throw DomainError(.conflict, "The movement has no household on it.") }
            if let waiting = households.first(where: { $0.booking.status != .flown }) {
                throw DomainError(
                    .conflict,
                    "The household \(waiting.referral.unhcrCaseNumber) has not departed (its booking is "
                        + "\(waiting.booking.status.rawValue)): mark the booking flown first.")
            }
            let legs = try await Leg.query(on: db).filter(\.$booking.$id == households[0].booking.id!).all()
                .filter { !$0.escortOnly }.sorted { $0.seq < $1.seq }
            let airport = ReferenceData.airports[legs.last!.toCode]!
            var e = ValidationErrors()
            let raw = (f["arrivedAt"] ?? "").trimmingCharacters(in: .whitespaces)
            let at = LocalTime.parse(raw, timeZone: airport.timeZone)
            if raw.isEmpty {
                e.add("arrivedAt", "is required (local time at \(airport.iata), like 2026-05-02T14:30)")
            } else if at == nil {
                e.add("arrivedAt", "must be a local time at \(airport.iata) like 2026-05-02T14:30")
            } else if at! <= m.departsAt {
                e.add(
                    "arrivedAt",
                    "is before the movement left (\(LocalTime.format(m.departsAt, timeZone: airport.timeZone)) at "
                        + "\(airport.iata) time)")
            } else if at! > Clock.now().addingTimeInterval(600) {
                e.add("arrivedAt", "is in the future")
            }
            let note = Input.text(f["note"], field: "note", max: 1000, into: &e)
            try e.throwIfAny()
            m.status = .arrived; m.arrivedAt = at; m.arrivalNote = note
            try await m.update(on: db)
            try await AuditLog.change(
                db, viewer.actor, .update, "rs_movement", m.id, person: nil,
                before: ["status": GroupMovementStatus.departed.rawValue],
                after: ["status": m.status.rawValue, "arrivedAt": raw, "note": note])
            for h in households {
                let r = h.referral
                try await refreshStage(r, on: db)
                try await timeline(
                    r.$caseRecord.id, viewer.actor,
                    "Arrived at \(airport.iata) on \(raw.replacingOccurrences(of: "T", with: " ")) and handed over"
                        + (r.municipality.isEmpty ? "" : " for \(r.municipality)"), on: db)
                try await notifyArrival(m, r, at: raw, airport: airport.iata, on: db)
            }
            return m
        }
    }

    struct ArrivalNotice: Codable, Sendable {
        var movement: String
        var unhcrCaseNumber: String
        var caseReference: String
        var personReferences: [String]
        var municipality: String
        var airport: String
        var arrivedAt: String
    }

    /// Every reception agency gets `arrival.completed` on each of its subscriptions, through the outbox (signed,
    /// retried until it answers).
    static func notifyArrival(_ m: RSMovement, _ r: RSReferral, at: String, airport: String, on db: any Database)
        async throws
    {
        let partners = try await Partner.query(on: db).filter(\.$kind == .receptionAgency).all().compactMap(\.id)
        let subs = try await Outbox.subscriptions(.arrivalCompleted, of: partners, on: db)
        guard !subs.isEmpty else { return }
        let c = try await Case.find(r.$caseRecord.id, on: db)!
        let persons = try await RSMember.query(on: db).filter(\.$referral.$id == r.id!).with(\.$person).all()
            .map(\.person.reference).sorted()
        try await Outbox.notify(
            .arrivalCompleted,
            ArrivalNotice(
                movement: m.reference, unhcrCaseNumber: r.unhcrCaseNumber, caseReference: c.reference,
                personReferences: persons, municipality: r.municipality, airport: airport, arrivedAt: at),
            to: subs, key: "\(m.id!.uuidString):\(r.id!.uuidString)", caseID: c.id, personID: c.$person.id,
            label: r.unhcrCaseNumber, on: db)
    }
}
