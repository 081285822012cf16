import Fluent
import PassageDomain
import Vapor

/// DNA samples: collection, the hand-overs of the chain of custody, and the laboratory's result for the IND.
extension ReunificationRecords {
    static func sample(_ id: UUID, for viewer: Identity, on db: any Database) async throws -> FRSample {
        guard let s = try await FRSample.query(on: db).filter(\.$id == id).first() else {
            throw Abort(.notFound, reason: "No such sample.")
        }
        _ = try await referral(s.$referral.id, for: viewer, on: db)
        return s
    }

    static func readTime(_ raw: String?, field: String, zone: String, into e: inout ValidationErrors) -> Date? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return Clock.now() }
        let parts = text.replacingOccurrences(of: "T", with: " ").split(separator: " ")
        guard parts.count == 2, let d = PartialDate(parsing: String(parts[0])), d.day != nil, !d.estimated,
            let minute = CentreSchedule.minute(String(parts[1].prefix(5)))
        else {
            e.add(field, "must be a local time like 2026-12-07 09:30")
            return nil
        }
        return CentreSchedule.instant(day: d, minute: minute, in: zone)
    }

    static func appendEvent(
        _ s: FRSample, kind: String, custodian: CustodianKind, holder: String, from: String, handedOverAt: Date?,
        receivedAt: Date, seal: String, intact: Bool, note: String, actor: Actor, on db: any Database
    ) async throws {
        let last =
            try await FRCustodyEvent.query(on: db).filter(\.$sample.$id == s.id!).sort(\.$seq, .descending)
            .first()?.seq ?? 0
        let ev = FRCustodyEvent()
        ev.$sample.id = s.id!; ev.seq = last + 1; ev.kind = kind; ev.custodian = custodian; ev.holderName = holder
        ev.fromName = from; ev.handedOverAt = handedOverAt; ev.receivedAt = receivedAt; ev.sealNumber = seal
        ev.sealIntact = intact; ev.note = note; ev.recordedBy = actor.name; ev.recordedAt = Clock.now()
        try await ev.create(on: db)
    }

    /// Records a collection: fields appointmentID (or memberID), collectedAt (local), place, documentSeen,
    /// photoTaken, witness, sealNumber. The collector is the member of staff who records it.
    static func collect(referralID: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> FRSample
    {
        let r = try await referral(referralID, for: viewer, on: app.db)
        let centre = try await centre(r.$centre.id, on: app.db)
        var e = ValidationErrors()
        var appointment: FRAppointment?
        var memberID: UUID?
        if let raw = f["appointmentID"], !raw.isEmpty {
            if let aid = UUID(uuidString: raw),
                let a = try await FRAppointment.query(on: app.db).filter(\.$id == aid)
                    .filter(\.$referral.$id == referralID).first()
            {
                appointment = a
                memberID = a.$member.id
                if a.service != .dnaSampling { e.add("appointmentID", "is not a DNA sampling appointment") }
                if a.status != .booked && a.status != .attended {
                    e.add("appointmentID", "is \(a.status.rawValue); a sample is taken at a booked appointment")
                }
            } else {
                e.add("appointmentID", "is not an appointment of this referral")
            }
        } else if let raw = f["memberID"], let mid = UUID(uuidString: raw) {
            memberID = mid
        }
        var member: FRMember?
        if let mid = memberID {
            member = try await FRMember.query(on: app.db).filter(\.$id == mid).filter(\.$referral.$id == referralID)
                .with(\.$person).first()
        }
        if member == nil && appointment == nil && e.message(for: "appointmentID") == nil {
            e.add("memberID", "name the family member sampled (or the appointment)")
        }
        if let m = member, !m.verification.needsDNA { e.add("memberID", "the IND asked for no DNA sample from them") }
        let at = readTime(f["collectedAt"], field: "collectedAt", zone: centre.timeZone, into: &e)
        if let at, at > Clock.now().addingTimeInterval(300) { e.add("collectedAt", "is in the future") }
        let place = Input.text(f["place"] ?? centre.location.name, field: "place", max: 200, into: &e)
        let document = Input.text(f["documentSeen"], field: "documentSeen", max: 200, required: true, into: &e)
        if !Input.flag(f["photoTaken"]) {
            e.add("photoTaken", "the identity check needs a photograph of the person sampled")
        }
        let witness = Input.text(f["witness"], field: "witness", max: 200, required: true, into: &e)
        let seal = Input.text(f["sealNumber"], field: "sealNumber", max: 40, required: true, into: &e)
        try e.throwIfAny()
        let m = member!
        // A sample is taken only on the basis the register names for DNA verification (the person's consent).
        try await ProcessingBasis.require(.dnaVerification, person: m.$person.id, on: app.db)
        let live = try await FRSample.query(on: app.db).filter(\.$member.$id == m.id!)
            .filter(\.$status != .compromised).first()
        if let live {
            throw DomainError(
                .conflict,
                "\(m.person.givenNames) \(m.person.familyName) gave sample \(live.identifier) already "
                    + "(\(live.status.rawValue)); a new collection is taken only when a sample is compromised.")
        }
        let actor = viewer.actor
        let collector = viewer.name
        let booked = appointment
        return try await app.writeTransaction { db in
            let n = try await CaseRecords.nextNumber(key: "DNA", on: db) ?? 1
            let s = FRSample()
            s.identifier = String(format: "DNA-%04d-%06d", OfficeCalendar.day(at!).year, n)
            s.$referral.id = referralID; s.$member.id = m.id!; s.$appointment.id = booked?.id
            s.status = .collected; s.collectedBy = collector; s.collectedAt = at!; s.place = place
            s.documentSeen = document; s.photoTaken = true; s.witness = witness; s.sealNumber = seal
            s.holderKind = .collector; s.holderName = collector; s.holderSince = at!
            try await s.create(on: db)
            try await appendEvent(
                s, kind: "collected", custodian: .collector, holder: collector, from: "", handedOverAt: nil,
                receivedAt: at!, seal: seal, intact: true, note: "witness \(witness); document \(document)",
                actor: actor, on: db)
            if let a = booked, a.status == .booked {
                a.status = .attended
                try await a.update(on: db)
            }
            try await AuditLog.change(
                db, actor, .create, "dna_sample", s.id, person: m.$person.id, after: s.auditSnapshot)
            try await timeline(
                r.$caseRecord.id, actor,
                "DNA sample \(s.identifier) collected from \(m.person.givenNames) \(m.person.familyName), seal \(seal)",
                on: db)
            return s
        }
    }

    /// Records a hand-over, by its receiver: from, to (courier, embassy, laboratory), receiver, handedOverAt and
    /// receivedAt (local to the centre), sealNumber, sealIntact, confirmMismatch.
    static func handOver(_ sampleID: UUID, _ f: FormFields, by viewer: Identity, on app: Application) async throws
        -> FRSample
    {
        let s = try await sample(sampleID, for: viewer, on: app.db)
        let r = try await referral(s.$referral.id, for: viewer, on: app.db)
        let centre = try await centre(r.$centre.id, on: app.db)
        var e = ValidationErrors()
        let from = Input.text(f["from"], field: "from", max: 200, required: true, into: &e)
        let to = CustodianKind.read(f["to"], field: "to", into: &e)
        let receiver = Input.text(f["receiver"] ?? viewer.name, field: "receiver", max: 200, into: &e)
        let handed = readTime(f["handedOverAt"], field: "handedOverAt", zone: centre.timeZone, into: &e)
        let received = readTime(f["receivedAt"], field: "receivedAt", zone: centre.timeZone, into: &e)
        let seal = Input.text(f["sealNumber"], field: "sealNumber", max: 40, into: &e)
        let rawIntact = (f["sealIntact"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if !["true", "false", "on", "yes", "no", "1", "0"].contains(rawIntact) {
            e.add("sealIntact", "say whether the seal was intact on receipt (true or false)")
        }
        try e.throwIfAny()
        let h = HandOver(
            from: from, to: to!, receiver: receiver, handedOverAt: handed!, receivedAt: received!, sealNumber: seal,
            sealIntact: Input.flag(rawIntact), confirmMismatch: Input.flag(f["confirmMismatch"]))
        let actor = viewer.actor
        return try await app.writeTransaction { db in
            // Read again inside the transaction: two receivers cannot both take the sample from one holder.
            guard let s = try await FRSample.find(sampleID, on: db) else { throw Abort(.notFound) }
            let compromised = try Custody.check(
                h, status: s.status, holder: s.holder, seal: s.sealNumber, now: Clock.now())
            let m = try await FRMember.query(on: db).filter(\.$id == s.$member.id).with(\.$person).first()!
            let before = s.auditSnapshot
            try await appendEvent(
                s, kind: "handover", custodian: h.to, holder: h.receiver, from: h.from, handedOverAt: h.handedOverAt,
                receivedAt: h.receivedAt, seal: h.sealNumber, intact: h.sealIntact, note: "", actor: actor, on: db)
            s.holderKind = h.to; s.holderName = h.receiver; s.holderSince = h.receivedAt
            s.status = h.to == .laboratory ? .atLaboratory : .inTransit
            var line = "Sample \(s.identifier) handed from \(h.from) to the \(h.to.rawValue) \(h.receiver)"
            if let why = compromised {
                s.status = .compromised
                s.compromisedReason = why
                try await appendEvent(
                    s, kind: "compromised", custodian: h.to, holder: h.receiver, from: "", handedOverAt: nil,
                    receivedAt: h.receivedAt, seal: h.sealNumber, intact: h.sealIntact,
                    note: why + "; a new collection is needed", actor: actor, on: db)
                line += ". Compromised (\(why)): a new collection is needed"
            }
            try await s.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "dna_sample", s.id, person: m.$person.id, before: before, after: s.auditSnapshot,
                note: "hand-over")
            try await timeline(r.$caseRecord.id, actor, line, on: db)
            return s
        }
    }

    /// Records the laboratory's result (outcome, reportReference) and reports it to the immigration service.
    static func recordResult(_ sampleID: UUID, _ f: FormFields, by viewer: Identity, on app: Application)
        async throws -> FRSample
    {
        _ = try await sample(sampleID, for: viewer, on: app.db)
        guard viewer.reads(.genetic) else {
            throw DomainError(.notAllowed, "Your role may not read genetic data, so it may not record a result.")
        }
        var e = ValidationErrors()
        let outcome = LabOutcome.read(f["outcome"], field: "outcome", into: &e)
        let reference = Input.text(f["reportReference"], field: "reportReference", max: 60, required: true, into: &e)
        try e.throwIfAny()
        let actor = viewer.actor
        return try await app.writeTransaction { db in
            guard let s = try await FRSample.find(sampleID, on: db) else { throw Abort(.notFound) }
            try Custody.checkResult(status: s.status, compromisedBecause: s.compromisedReason)
            let r = try await FRReferral.find(s.$referral.id, on: db)!
            let m = try await FRMember.query(on: db).filter(\.$id == s.$member.id).with(\.$person).first()!
            try await ProcessingBasis.require(.dnaVerification, person: m.$person.id, on: db)
            let before = s.auditSnapshot
            s.status = .resulted; s.outcome = outcome; s.reportReference = reference; s.resultAt = Clock.now()
            try await s.update(on: db)
            try await appendEvent(
                s, kind: "result", custodian: .laboratory, holder: s.holderName, from: "", handedOverAt: nil,
                receivedAt: Clock.now(), seal: s.sealNumber, intact: true,
                note: "result received, report \(reference)", actor: actor, on: db)
            try await AuditLog.change(
                db, actor, .update, "dna_sample", s.id, person: m.$person.id, before: before, after: s.auditSnapshot,
                note: "laboratory result")
            try await timeline(
                r.$caseRecord.id, actor,
                "Laboratory result for sample \(s.identifier): "
                    + "\(outcome!.rawValue.replacingOccurrences(of: "_", with: " ")) "
                    + "(report \(reference)); reported to the IND", audience: .genetic, on: db)
            try await reportResult(s, r, m.person, on: db)
            return s
        }
    }

    struct ResultNotice: Codable, Sendable {
        var indFileNumber: String
        var sample: String
        var personReference: String
        var outcome: String
        var reportReference: String
    }

    /// The result goes to the immigration service: the partner that referred the family, or every immigration
    /// service when the office entered the referral, on each of its `dna.result` subscriptions.
    static func reportResult(_ s: FRSample, _ r: FRReferral, _ p: Person, on db: any Database) async throws {
        var partners: [UUID] = []
        if let pid = r.$partner.id {
            partners = [pid]
        } else {
            partners = try await Partner.query(on: db).filter(\.$kind == .immigrationService).all().compactMap(\.id)
        }
        try await Outbox.notify(
            .dnaResult,
            ResultNotice(
                indFileNumber: r.indFileNumber, sample: s.identifier, personReference: p.reference,
                outcome: s.outcome!.rawValue, reportReference: s.reportReference ?? ""),
            to: try await Outbox.subscriptions(.dnaResult, of: partners, on: db), key: s.id!.uuidString,
            caseID: r.$caseRecord.id, personID: p.id, label: s.identifier, on: db)
    }
}
