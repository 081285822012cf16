import Fluent
import Foundation
import PassageDomain
import SQLKit

/// How each kind of row is checked (by the validation its form uses) and written.
extension Importer {
    func plan(_ kind: ImportKind, _ f: FormFields, key: String, digest: String, known: UUID?) async throws -> Step {
        switch kind {
        case .persons: try planPerson(f, key: key, digest: digest, known: known)
        case .documents: try planDocument(f, key: key, digest: digest, known: known)
        case .households: try planLink(f, key: key, digest: digest, known: known)
        case .returnCases: try await planCase(f, key: key, digest: digest, known: known)
        case .bookings: try await planBooking(f, key: key, digest: digest, known: known)
        case .sessions: try await planSession(f, key: key, digest: digest, known: known)
        case .decisions: try await planDecision(f, key: key, digest: digest, known: known)
        case .vulnerabilities: try await planVulnerability(f, key: key, digest: digest, known: known)
        case .travelDocuments: try await planTravelDocument(f, key: key, digest: digest, known: known)
        case .grants: try await planGrant(f, key: key, digest: digest, known: known)
        case .payments: try await planPayment(f, key: key, digest: digest, known: known)
        case .outreach: try planOutreach(f, key: key, digest: digest, known: known)
        }
    }

    /// A step that creates a record (with a new id) or, for a row imported before, sets the same fields on its
    /// record; either is audited with what changed.
    func step<M: Model>(
        _ type: M.Type, key: String, digest: String, known: UUID?, entity: String, person: UUID?,
        snapshot: @escaping (M) -> [String: String], fill: @escaping (M) -> Void,
        created: ((M, any Database, ImportBatch) async throws -> Void)? = nil,
        updated: ((M, any Database, ImportBatch) async throws -> Void)? = nil
    ) -> Step where M.IDValue == UUID {
        let id = known ?? UUID()
        let note = self.note
        return Step(ref: key, digest: digest, id: id, existing: known != nil) { db, batch in
            if known != nil {
                guard let m = try await M.find(id, on: db) else {
                    throw DomainError(.conflict, "The record of '\(key)' was removed since it was imported.")
                }
                let before = snapshot(m)
                fill(m)
                let after = snapshot(m)
                guard before != after else { return }
                try await m.save(on: db)
                try await updated?(m, db, batch)
                batch.audit(.update, entity, id, person: person, before: before, after: after, note: note)
            } else {
                let m = M()
                m.id = id
                fill(m)
                batch.insert(m)
                batch.audit(.create, entity, id, person: person, after: snapshot(m), note: note)
                try await created?(m, db, batch)
            }
        }
    }

    /// Runs one check of a row: its refusals join the row's others (so that all are reported at once); nil when it
    /// refused. Anything else (the database) is thrown.
    func gather<T>(_ e: inout ValidationErrors, _ work: () throws -> T?) throws -> T? {
        do { return try work() } catch let x as ValidationErrors {
            for i in x.items { e.add(i.field, i.message) }
            return nil
        }
    }

    func gather<T>(_ e: inout ValidationErrors, _ work: () async throws -> T?) async throws -> T? {
        do { return try await work() } catch let x as ValidationErrors {
            for i in x.items { e.add(i.field, i.message) }
            return nil
        }
    }

    /// A line of the case's timeline, dated when it happened.
    func event(
        _ batch: ImportBatch, _ caseID: UUID, on day: PartialDate, _ kind: String, _ text: String,
        audience: TimelineAudience? = nil, phrase: Phrase? = nil
    ) {
        let e = CaseEvent(
            caseID: caseID, at: Self.instant(day), actorID: UUID(uuidString: actor.id), actorName: actor.name,
            kind: kind, text: text + " (imported)", audience: audience, phrase: phrase)
        e.id = UUID()
        batch.insert(e)
    }

    // MARK: persons

    private func planPerson(_ f: FormFields, key: String, digest: String, known: UUID?) throws -> Step {
        if let known, let into = merged[known] {
            throw ValidationErrors("ref", "the person of '\(key)' was merged into another record (\(into) was it)")
        }
        var e = ValidationErrors()
        var locationID: UUID?
        locationID = try gather(&e) { try self.location(f["location"], field: "location") }
        let form = PersonForm(
            familyName: f["familyName"], givenNames: f["givenNames"], familyNameOriginal: f["familyNameOriginal"],
            givenNamesOriginal: f["givenNamesOriginal"], originalScript: f["originalScript"],
            aliases: ImportDigest.list(f["aliases"]), sex: f["sex"], dateOfBirth: f["dateOfBirth"],
            dateOfBirthEstimated: f["dateOfBirthEstimated"].map { Input.flag($0) },
            nationality: f["nationality"], languages: ImportDigest.list(f["languages"]), phone: f["phone"],
            locationID: locationID?.uuidString)
        var details: PersonDetails?
        do { details = try PersonValidation.validate(form, today: Clock.todayParts()) } catch let x
            as ValidationErrors
        { for i in x.items { e.add(i.field, i.message) } }
        try e.throwIfAny()
        let d = details!
        let s = step(
            Person.self, key: key, digest: digest, known: known, entity: "person", person: known,
            snapshot: { $0.auditSnapshot }, fill: { $0.apply(d, locationID: locationID) },
            created: { p, db, batch in
                p.reference = CaseValidation.personReference(number: try await batch.next("P", on: db))
                batch.searchTerms(of: p)
            },
            updated: { p, db, _ in
                try await db.sql.delete(from: "person_search_terms").where("person_id", .equal, SQLBind(p.id!)).run()
                try await PersonRecords.writeTerms(for: p, on: db)
            })
        personNationality[s.id] = d.nationality
        return s
    }

    private func planDocument(_ f: FormFields, key: String, digest: String, known: UUID?) throws -> Step {
        var e = ValidationErrors()
        var personID: UUID?
        personID = try gather(&e) { try self.resolve(.persons, f["personRef"], field: "personRef") }
        var details: IdentityDocumentDetails?
        do {
            details = try IdentityDocumentValidation.validate(
                IdentityDocumentForm(
                    type: f["type"], number: f["number"], issuingCountry: f["issuingCountry"],
                    expiresOn: f["expiresOn"]))
        } catch let x as ValidationErrors { for i in x.items { e.add(i.field, i.message) } }
        try e.throwIfAny()
        let d = details!
        let pid = personID!
        return step(
            IdentityDocument.self, key: key, digest: digest, known: known, entity: "identity_document", person: pid,
            snapshot: { $0.auditSnapshot },
            fill: { m in
                m.$person.id = pid; m.type = d.type; m.number = d.number; m.issuingCountry = d.issuingCountry
                m.expiresOn = d.expiresOn?.isoText
            })
    }

    private func planLink(_ f: FormFields, key: String, digest: String, known: UUID?) throws -> Step {
        var e = ValidationErrors()
        var ids: [UUID?] = [nil, nil]
        for (i, field) in ["personRef", "relatedRef"].enumerated() {
            ids[i] = try gather(&e) { try self.resolve(.persons, f[field], field: field) }
        }
        let relationship = Relationship.read(f["relationship"], field: "relationship", into: &e)
        if let a = ids[0], a == ids[1] { e.add("relatedRef", "a person cannot be linked to themselves") }
        try e.throwIfAny()
        let (a, b, rel) = (ids[0]!, ids[1]!, relationship!)
        return step(
            HouseholdLink.self, key: key, digest: digest, known: known, entity: "household_link", person: a,
            snapshot: { [rel.rawValue: $0.$relatedPerson.id.uuidString, "relationship": $0.relationship] },
            fill: { m in
                m.$person.id = a; m.$relatedPerson.id = b; m.relationship = rel.rawValue
            },
            created: { m, _, batch in
                batch.audit(
                    .create, "household_link", m.id, person: b, after: [rel.inverse.rawValue: a.uuidString],
                    note: self.note)
            })
    }

    // MARK: return cases

    private func planCase(_ f: FormFields, key: String, digest: String, known: UUID?) async throws -> Step {
        var e = ValidationErrors()
        var personID: UUID?
        var owner: UUID?
        var office: UUID?
        var stay: UUID?
        var companions: [UUID] = []
        func collect(_ work: () throws -> Void) {
            do { try work() } catch let x as ValidationErrors { for i in x.items { e.add(i.field, i.message) } } catch {
            }
        }
        collect { personID = try resolve(.persons, f["personRef"], field: "personRef") }
        collect { owner = try f["owner"].map { try member($0, field: "owner") } }
        collect { office = try location(f["office"], field: "office") }
        collect { stay = try location(f["stayLocation"], field: "stayLocation") }
        collect {
            for ref in ImportDigest.list(f["companionRefs"]) {
                companions.append(try resolve(.persons, ref, field: "companionRefs")!)
            }
        }
        var details: CaseDetails?
        collect {
            details = try CaseValidation.validate(
                CaseForm(
                    programme: Programme.voluntaryReturn.rawValue, personID: personID?.uuidString,
                    openedOn: f["openedOn"], summary: f["summary"] ?? "Return case (imported)"),
                today: Clock.todayParts())
        }
        var intake: ReturnIntake?
        collect { intake = try ReturnValidation.intake(f, companions: companions.map(\.uuidString)) }
        let stage = ReturnStage.read(f["stage"], field: "stage", default: .intake, into: &e) ?? .intake
        let away: Set<ReturnStage> = [.departed, .reintegration, .monitoring]
        let departed = Input.day(f["departedOn"], field: "departedOn", required: away.contains(stage), into: &e)
        if departed != nil, !away.contains(stage), stage != .closed {
            e.add("departedOn", "is only for a case that departed (stage departed, reintegration, monitoring, closed)")
        }
        if let departed, today < departed { e.add("departedOn", "must not be in the future") }
        if let departed, let opened = details?.openedOn, departed < opened {
            e.add("departedOn", "must not be before the case was opened")
        }
        let closed = Input.day(f["closedOn"], field: "closedOn", required: false, into: &e)
        if closed != nil, !stage.isFinal { e.add("closedOn", "is only for a closed or withdrawn case") }
        if let closed, let opened = details?.openedOn, closed < opened {
            e.add("closedOn", "must not be before the case was opened")
        }
        let how = Input.text(f["departedHow"], field: "departedHow", max: 200, into: &e)
        try e.throwIfAny()
        let (pid, d, i) = (personID!, details!, intake!)
        let nationality = try await self.nationality(of: pid)
        let s = step(
            Case.self, key: key, digest: digest, known: known, entity: "case", person: pid,
            snapshot: { $0.auditSnapshot },
            fill: { c in
                c.programme = .voluntaryReturn; c.$person.id = pid; c.$owner.id = owner; c.$officeLocation.id = office
                c.openedOn = d.openedOn.isoText; c.summary = d.summary; c.status = stage.caseStatus
                c.closedOn = stage.isFinal ? (closed ?? departed ?? d.openedOn).isoText : nil
            },
            created: { c, db, batch in
                c.reference = CaseValidation.reference(
                    programme: .voluntaryReturn, year: d.openedOn.year,
                    number: try await batch.next(
                        "\(Programme.voluntaryReturn.referencePrefix)-\(d.openedOn.year)", on: db))
                let r = ReturnCase()
                r.id = UUID()
                r.$caseRecord.id = c.id!
                r.stage = stage
                r.receivingOffice = ""
                r.departedOn = departed?.isoText
                ReturnRecords.apply(i, stay: stay, to: r)
                batch.insert(r)
                batch.audit(.create, "return_case", r.id, person: pid, after: r.auditSnapshot, note: self.note)
                self.event(batch, c.id!, on: d.openedOn, "opened", "Case opened", phrase: Phrase("tl.case.opened"))
                self.event(
                    batch, c.id!, on: d.openedOn, "intake",
                    "Intake: referred by \(i.referralSource.rawValue), return to "
                        + CountryCode.name(i.destinationCountry),
                    phrase: Phrase(
                        "tl.intake.opened", .word("referral.\(i.referralSource)"), .country(i.destinationCountry)))
                if let departed {
                    let w = DepartureWithoutFlight()
                    w.id = UUID()
                    w.caseID = c.id!; w.personID = pid; w.programme = Programme.voluntaryReturn.rawValue
                    w.day = departed.isoText; w.destinationCountry = i.destinationCountry; w.nationality = nationality
                    w.granted = false; w.how = how.isEmpty ? "recorded before Passage" : how
                    w.recordedBy = self.actor.name
                    batch.insert(w)
                    self.event(
                        batch, c.id!, on: departed, "stage", "Departed on \(departed.isoText)",
                        phrase: Phrase(
                            "tl.stage.departed", .word("stage.\(ReturnStage.intake)"), .word("stage.\(stage)"),
                            .text(departed.isoText), .text("")))
                }
            },
            updated: { c, db, batch in
                guard let r = try await ReturnCase.query(on: db).filter(\.$caseRecord.$id == c.id!).first() else {
                    return
                }
                let before = r.auditSnapshot
                r.stage = stage
                r.departedOn = departed?.isoText
                ReturnRecords.apply(i, stay: stay, to: r)
                guard before != r.auditSnapshot else { return }
                try await r.save(on: db)
                batch.audit(
                    .update, "return_case", r.id, person: pid, before: before, after: r.auditSnapshot, note: self.note)
                try await DepartureWithoutFlight.query(on: db).filter(\.$caseID == c.id!).delete()
                let flown = try await Departure.query(on: db).filter(\.$caseID == c.id!).count() > 0
                if let departed, !flown {
                    let w = DepartureWithoutFlight()
                    w.caseID = c.id!; w.personID = pid; w.programme = Programme.voluntaryReturn.rawValue
                    w.day = departed.isoText; w.destinationCountry = i.destinationCountry; w.nationality = nationality
                    w.granted = try await GrantRecord.query(on: db).filter(\.$caseRecord.$id == c.id!).count() > 0
                    w.how = how.isEmpty ? "recorded before Passage" : how
                    w.recordedBy = self.actor.name
                    try await w.create(on: db)
                }
            })
        casePerson[s.id] = pid
        return s
    }

    // MARK: bookings

    /// A booking as it was: its flights in local time, its passengers (the case's person unless named) and its
    /// status. A flown booking is the case's departure (its passengers counted on the day of the first flight, with
    /// the flights' CO2e); no SMS and no partner notification are sent for it.
    private func planBooking(_ f: FormFields, key: String, digest: String, known: UUID?) async throws -> Step {
        if known != nil {
            throw ValidationErrors(
                "ref", "a booking imported before is not changed by an import; correct it in Passage")
        }
        var e = ValidationErrors()
        let link = try await gather(&e) { try await self.returnCase(f["caseRef"]) }
        var passengers: [UUID] = []
        for ref in ImportDigest.list(f["passengerRefs"]) {
            if let id = try gather(&e, { try self.resolve(.persons, ref, field: "passengerRefs") }) {
                passengers.append(id)
            }
        }
        if passengers.isEmpty, let l = link { passengers = [l.personID] }
        let status = BookingStatus.read(f["status"], field: "status", into: &e)
        var fields = f
        fields["passengers"] = passengers.map(\.uuidString).joined(separator: ",")
        let input = try gather(&e) {
            try BookingValidation.booking(
                fields, airports: ReferenceData.airports, casePersons: Set(passengers.map(\.uuidString)))
        }
        if let first = input?.legs.first, first.departsAt > Clock.now(), status == .flown {
            e.add("leg1_departs", "a flown booking's first flight must have left already")
        }
        try e.throwIfAny()
        let (l, b, state) = (link!, input!, status!)
        let note = self.note
        let actor = self.actor
        let id = UUID()
        return Step(ref: key, digest: digest, id: id, existing: false) { db, batch in
            let m = Booking()
            m.id = id
            m.$caseRecord.id = l.caseID; m.reference = b.reference; m.status = state; m.fareCents = b.fareCents
            m.baggageKg = b.baggageKg; m.escort = b.escort; m.escortStaff = b.escortStaff; m.note = b.note
            m.departsAt = b.legs[0].departsAt; m.createdBy = actor.name
            m.firstDay = String(b.legs[0].departsLocal.prefix(10))
            let riding = b.passengerIDs.map { p -> BookingPassenger in
                let bp = BookingPassenger()
                bp.$booking.id = id; bp.$person.id = UUID(uuidString: p)!
                bp.assistanceText = (b.assistance[p] ?? []).map(\.rawValue).joined(separator: ",")
                return bp
            }
            let legs = (b.legs.map { ($0, false) } + b.escortReturnLegs.map { ($0, true) }).enumerated().map {
                i, x -> Leg in
                let leg = Leg()
                leg.$booking.id = id; leg.seq = i + 1; leg.escortOnly = x.1; leg.carrier = x.0.carrier
                leg.flightNumber = x.0.flightNumber; leg.cancelled = state == .cancelled
                leg.fromCode = x.0.from.iata; leg.toCode = x.0.to.iata; leg.departsLocal = x.0.departsLocal
                leg.arrivesLocal = x.0.arrivesLocal; leg.departsAt = x.0.departsAt; leg.arrivesAt = x.0.arrivesAt
                leg.distanceKm = (x.0.distanceKm * 10).rounded() / 10
                return leg
            }
            Leg.linkItinerary(legs.filter { !$0.escortOnly }, passengers: b.passengerIDs.count)
            m.$legs.value = legs
            m.$passengers.value = riding
            // A flown booking's CO2e is set before it is written: one statement per kind of row, not per row.
            if state == .flown { BookingRecords.computeEmissions(m) }
            try await m.create(on: db)
            try await riding.create(on: db)
            try await legs.create(on: db)
            let route =
                b.legs.map(\.flight).joined(separator: " + ") + " "
                + ([b.legs[0].from.iata] + b.legs.map(\.to.iata)).joined(separator: "→")
            if state == .flown {
                guard let c = try await Case.find(l.caseID, on: db) else { return }
                // The flight is the departure: a departure recorded by hand for the case gives way to it.
                try await DepartureWithoutFlight.query(on: db).filter(\.$caseID == l.caseID).delete()
                try await BookingRecords.recordDepartures(m, case: c, on: db)
            }
            batch.audit(
                .create, "booking", id, person: l.personID,
                after: m.auditSnapshot.merging(["route": route]) { a, _ in a }, note: note)
            let day = PartialDate(parsing: String(b.legs[0].departsLocal.prefix(10))) ?? self.today
            self.event(batch, l.caseID, on: day, "booking", "Booking " + route + " (\(state.rawValue))")
        }
    }

    /// The nationality of a person of this import (as its row says) or of the registry.
    private func nationality(of personID: UUID) async throws -> String {
        if let n = personNationality[personID] { return n }
        return try await Person.find(personID, on: app.db)?.nationality ?? CountryCode.unknown
    }

    /// The case of a reference, and the person it is about.
    private func returnCase(_ raw: String?, field: String = "caseRef") async throws -> (caseID: UUID, personID: UUID) {
        let id = try resolve(.returnCases, raw, field: field)!
        if let p = casePerson[id] { return (id, p) }
        guard let c = try await Case.find(id, on: app.db), c.programme == .voluntaryReturn else {
            throw ValidationErrors(field, "'\(raw ?? "")' is not a return case")
        }
        return (id, c.$person.id)
    }

    // MARK: counselling, eligibility, vulnerabilities

    private func planSession(_ f: FormFields, key: String, digest: String, known: UUID?) async throws -> Step {
        var e = ValidationErrors()
        var link: (caseID: UUID, personID: UUID)?
        var loc: UUID?
        var counsellor: UUID?
        link = try await gather(&e) { try await self.returnCase(f["caseRef"]) }
        loc = try gather(&e) { try self.location(f["location"], field: "location", required: true) }
        counsellor = try gather(&e) { try self.member(f["counsellor"], field: "counsellor") }
        var fields = f
        fields["locationID"] = loc?.uuidString ?? UUID().uuidString
        var s: ReturnValidation.Session?
        do { s = try ReturnValidation.session(fields, today: today) } catch let x as ValidationErrors {
            for i in x.items where i.field != "locationID" { e.add(i.field, i.message) }
        }
        try e.throwIfAny()
        let (l, session, location, who) = (link!, s!, loc!, counsellor!)
        return step(
            CounsellingSession.self, key: key, digest: digest, known: known, entity: "counselling_session",
            person: l.personID, snapshot: { $0.auditSnapshot },
            fill: { m in
                m.$caseRecord.id = l.caseID; m.personID = l.personID; m.heldOn = session.heldOn.isoText
                m.$location.id = location; m.$counsellor.id = who; m.language = session.language
                m.interpreter = session.interpreter; m.durationMinutes = session.durationMinutes
                m.notes = session.notes; m.outcome = session.outcome
            },
            created: { m, _, batch in
                self.event(
                    batch, l.caseID, on: session.heldOn, "counselling",
                    """
                    Counselling session on \(m.heldOn) (\(session.durationMinutes) min, \
                    \(LanguageCode.name(session.language))): \(session.outcome.rawValue)
                    """,
                    phrase: Phrase(
                        "tl.session", .text(m.heldOn), .text(String(session.durationMinutes)),
                        .language(session.language), .word("counselling.\(session.outcome)")))
            })
    }

    private func planDecision(_ f: FormFields, key: String, digest: String, known: UUID?) async throws -> Step {
        var e = ValidationErrors()
        var link: (caseID: UUID, personID: UUID)?
        link = try await gather(&e) { try await self.returnCase(f["caseRef"]) }
        let day = Input.day(f["decidedFor"], field: "decidedFor", required: true, into: &e)
        if let day, today < day { e.add("decidedFor", "must not be in the future") }
        let outcome = EligibilityOutcome.read(f["outcome"], field: "outcome", into: &e)
        var types: [GrantType] = []
        for raw in ImportDigest.list(f["grantTypes"]) {
            if let t = GrantType(rawValue: raw) { types.append(t) } else { e.add("grantTypes", GrantType.oneOf) }
        }
        let explanation = Input.text(f["explanation"], field: "explanation", max: 2000, into: &e)
        let decidedBy = Input.text(f["decidedBy"], field: "decidedBy", max: 200, into: &e)
        try e.throwIfAny()
        let l = link!
        let nationality = try await self.nationality(of: l.personID)
        let d = EligibilityDecision(
            decidedFor: day!, nationality: nationality, outcome: outcome!, grantTypes: types, ruleSetVersion: 0,
            explanation: explanation.isEmpty ? "Decided before Passage" : explanation)
        decisions[l.caseID, default: []].append(d)
        return step(
            DecisionRecord.self, key: key, digest: digest, known: known, entity: "eligibility_decision",
            person: l.personID, snapshot: { $0.auditSnapshot },
            fill: { m in
                m.$caseRecord.id = l.caseID; m.decidedFor = d.decidedFor.isoText; m.nationality = d.nationality
                m.outcome = d.outcome; m.grantTypes = d.grantTypes.map(\.rawValue).joined(separator: ",")
                m.ruleSetVersion = 0; m.explanation = d.explanation
                m.decidedBy = decidedBy.isEmpty ? self.actor.name : decidedBy
            },
            created: { _, _, batch in
                self.event(batch, l.caseID, on: d.decidedFor, "eligibility", "Eligibility: \(d.explanation)")
            })
    }

    private func planVulnerability(_ f: FormFields, key: String, digest: String, known: UUID?) async throws -> Step {
        var e = ValidationErrors()
        var link: (caseID: UUID, personID: UUID)?
        link = try await gather(&e) { try await self.returnCase(f["caseRef"]) }
        let kind = VulnerabilityKind.read(f["kind"], field: "kind", into: &e)
        var details = ""
        if let kind {
            do {
                switch kind {
                case .unaccompaniedChild: details = try ReturnRecords.json(try VulnerabilityValidation.child(f))
                case .medical: details = try ReturnRecords.json(try VulnerabilityValidation.medical(f))
                case .trafficking:
                    var granted: [String] = []
                    for name in ImportDigest.list(f["grantedUsers"]) {
                        granted.append(try member(name, field: "grantedUsers").uuidString)
                    }
                    details = try ReturnRecords.json(try VulnerabilityValidation.trafficking(f, granted: granted))
                }
            } catch let x as ValidationErrors { for i in x.items { e.add(i.field, i.message) } }
        }
        try e.throwIfAny()
        let (l, k, text) = (link!, kind!, details)
        return step(
            VulnerabilityRecord.self, key: key, digest: digest, known: known, entity: "vulnerability.\(k.rawValue)",
            person: l.personID, snapshot: { ["details": $0.details] },
            fill: { m in
                m.$caseRecord.id = l.caseID; m.kind = k; m.details = text
            },
            created: { _, _, batch in
                self.event(
                    batch, l.caseID, on: self.today, "vulnerability",
                    "Vulnerability recorded: " + (k == .trafficking ? "a restricted record" : k.rawValue),
                    audience: ReturnRecords.audience(of: k))
            })
    }

    // MARK: travel documents, grants, payments, outreach

    private func planTravelDocument(_ f: FormFields, key: String, digest: String, known: UUID?) async throws -> Step {
        var e = ValidationErrors()
        var link: (caseID: UUID, personID: UUID)?
        var embassy: UUID?
        link = try await gather(&e) { try await self.returnCase(f["caseRef"]) }
        embassy = try gather(&e) { try self.partner(f["embassy"], field: "embassy", required: true) }
        var fields = f
        fields["embassyID"] = embassy?.uuidString ?? "-"
        var t: ReturnValidation.TravelDocument?
        do { t = try ReturnValidation.travelDocument(fields, today: today) } catch let x as ValidationErrors {
            for i in x.items { e.add(i.field == "embassyID" ? "embassy" : i.field, i.message) }
        }
        try e.throwIfAny()
        let (l, doc, emb) = (link!, t!, embassy!)
        return step(
            TravelDocumentRequest.self, key: key, digest: digest, known: known, entity: "travel_document_request",
            person: l.personID, snapshot: { $0.auditSnapshot },
            fill: { m in
                m.$caseRecord.id = l.caseID; m.$embassy.id = emb; m.kind = doc.kind; m.status = doc.status
                m.requestedOn = doc.requestedOn.isoText; m.interviewOn = doc.interviewOn?.isoText
                m.number = doc.number; m.expiresOn = doc.expiresOn?.isoText; m.issuedOn = doc.issuedOn?.isoText
            },
            created: { _, _, batch in
                self.event(
                    batch, l.caseID, on: doc.requestedOn, "travel_document",
                    "Travel document requested: \(doc.kind.rawValue), \(doc.status.rawValue)",
                    phrase: Phrase("tl.td.status", .text(f["embassy"] ?? ""), .word("tdstatus.\(doc.status)")))
            })
    }

    private func planGrant(_ f: FormFields, key: String, digest: String, known: UUID?) async throws -> Step {
        var e = ValidationErrors()
        var link: (caseID: UUID, personID: UUID)?
        var funder: UUID?
        link = try await gather(&e) { try await self.returnCase(f["caseRef"]) }
        funder = try gather(&e) { try self.partner(f["funder"], field: "funder") }
        var g: ReturnValidation.Grant?
        if let l = link {
            let grantedOn = PartialDate(parsing: f["grantedOn"] ?? "")
            let decision = try await decision(of: l.caseID, onOrBefore: grantedOn)
            var fields = f
            fields["funderID"] = funder?.uuidString
            // The caps of the rules in force then are not known: the amounts are the office's own.
            do { g = try ReturnValidation.grant(fields, decision: decision, caps: [:], today: today) } catch let x
                as ValidationErrors
            { for i in x.items { e.add(i.field == "funderID" ? "funder" : i.field, i.message) } }
        }
        try e.throwIfAny()
        let (l, grant) = (link!, g!)
        grants[key] = grant
        let s = step(
            GrantRecord.self, key: key, digest: digest, known: known, entity: "grant", person: l.personID,
            snapshot: { $0.auditSnapshot },
            fill: { m in
                m.$caseRecord.id = l.caseID; m.type = grant.type; m.amount = grant.amount; m.cash = grant.cash
                m.inKind = grant.inKind; m.$funder.id = funder; m.grantedOn = grant.grantedOn?.isoText
                if known == nil { m.paid = 0 }
            },
            created: { _, db, batch in
                self.event(
                    batch, l.caseID, on: grant.grantedOn ?? self.today, "grant",
                    """
                    \(grant.type.rawValue.capitalized) grant of \(Money.format(grant.amount)): \
                    \(Money.format(grant.cash)) cash at departure, \(Money.format(grant.inKind)) in kind
                    """,
                    phrase: Phrase(
                        "tl.grant", .word("grant.\(grant.type)"), .text(Money.format(grant.amount)),
                        .text(Money.format(grant.cash)), .text(Money.format(grant.inKind))))
            })
        grantCase[s.id] = l.caseID
        return s
    }

    /// The latest decision of a case on or before a day: of this import, else of the registry.
    private func decision(of caseID: UUID, onOrBefore day: PartialDate?) async throws -> EligibilityDecision? {
        let mine = (decisions[caseID] ?? []).filter { day == nil || !(day! < $0.decidedFor) }
            .max { $0.decidedFor < $1.decidedFor }
        if let mine { return mine }
        return try await ReturnRecords.latestDecision(caseID, on: app.db)?.decision
    }

    private func planPayment(_ f: FormFields, key: String, digest: String, known: UUID?) async throws -> Step {
        var e = ValidationErrors()
        var grantID: UUID?
        grantID = try gather(&e) { try self.resolve(.grants, f["grantRef"], field: "grantRef") }
        var p: ReturnValidation.Payment?
        p = try gather(&e) { try ReturnValidation.payment(f, today: today) }
        try e.throwIfAny()
        let (gid, payment) = (grantID!, p!)
        // Never more than the grant's cash or in-kind part, counting the other payments of this import.
        let grantRef = f["grantRef"]!.trimmingCharacters(in: .whitespacesAndNewlines)
        var grant = grants[grantRef]
        var caseID = grantCase[gid]
        var personID: UUID?
        var paid = payments[gid] ?? []
        if grant == nil, let g = try await GrantRecord.query(on: app.db).filter(\.$id == gid).with(\.$payments).first()
        {
            grant = g.grant
            caseID = g.$caseRecord.id
            if payments[gid] == nil { paid = g.payments.filter { $0.id != known }.map(\.payment) }
        }
        guard let grant, let cid = caseID else { throw ValidationErrors("grantRef", "the grant is not known") }
        if let l = try? await caseLink(cid) { personID = l.personID }
        try ReturnValidation.checkPayment(payment, grant: grant, paid: paid)
        payments[gid] = paid + [payment]
        return step(
            GrantPayment.self, key: key, digest: digest, known: known, entity: "grant_payment", person: personID,
            snapshot: { $0.auditSnapshot },
            fill: { m in
                m.$grant.id = gid; m.kind = payment.kind; m.amount = payment.amount; m.paidOn = payment.paidOn.isoText
                m.proofReference = payment.proofReference; m.reportedBy = payment.reportedBy
            },
            created: { m, _, batch in
                self.event(
                    batch, cid, on: payment.paidOn, "payment",
                    "Paid \(Money.format(payment.amount)) " + (payment.kind == .cash ? "in cash" : "in kind")
                        + " on \(m.paidOn)",
                    phrase: Phrase(
                        "tl.payment", .text(Money.format(payment.amount)), .word("payment.\(payment.kind)"),
                        .text(m.paidOn)))
            })
    }

    private func caseLink(_ id: UUID) async throws -> (caseID: UUID, personID: UUID) {
        if let p = casePerson[id] { return (id, p) }
        guard let c = try await Case.find(id, on: app.db) else { throw ValidationErrors("caseRef", "unknown") }
        return (id, c.$person.id)
    }

    private func planOutreach(_ f: FormFields, key: String, digest: String, known: UUID?) throws -> Step {
        var e = ValidationErrors()
        var loc: UUID?
        var who: UUID?
        loc = try gather(&e) { try self.location(f["location"], field: "location") }
        who = try gather(&e) { try self.member(f["counsellor"], field: "counsellor") }
        var o: ReturnValidation.Outreach?
        o = try gather(&e) { try ReturnValidation.outreach(f, today: today) }
        try e.throwIfAny()
        let (a, counsellor) = (o!, who!)
        return step(
            OutreachActivity.self, key: key, digest: digest, known: known, entity: "outreach_activity", person: nil,
            snapshot: { $0.auditSnapshot },
            fill: { m in
                m.kind = a.kind; m.heldOn = a.heldOn.isoText; m.$location.id = loc; m.audience = a.audience
                m.attendees = a.attendees; m.organisations = a.organisations; m.topic = a.topic
                m.$counsellor.id = counsellor
            })
    }
}
