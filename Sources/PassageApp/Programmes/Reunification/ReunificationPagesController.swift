import Fluent
import PassageDomain
import Vapor

/// The family reunification pages and their forms.
struct ReunificationPagesController {
    func boot(_ app: Application) {
        let fr = app.grouped("reunification")
        fr.get(roles: ReunificationAccess.read) { req, id in try await overview(req, id, failure: nil) }
        fr.get("referrals", "new", roles: ReunificationAccess.write) { req, id in
            ReunificationPages.newReferral(
                req, id, centres: try await ReunificationAPIController.centres(on: req.db), failure: nil)
        }
        fr.post("referrals", "new", roles: ReunificationAccess.write, use: createReferral)
        fr.get("referrals", ":referralID", roles: ReunificationAccess.read) { req, id in
            try await referral(req, id, try req.uuid("referralID"), failure: nil, audit: true)
        }
        fr.post("referrals", ":referralID", "appointments", roles: ReunificationAccess.write) { req, id in
            let rid = try req.uuid("referralID")
            let f = try FormInput.fields(req)
            return try await attempt(req, id, rid, "book", f) {
                _ = try await ReunificationRecords.book(referralID: rid, f, by: id, on: req.application)
                return ReunificationPaths.referral(rid) + "#appointments"
            }
        }
        fr.post("appointments", ":appointmentID", "move", roles: ReunificationAccess.write) { req, id in
            let aid = try req.uuid("appointmentID")
            guard let a = try await FRAppointment.find(aid, on: req.db) else { throw Abort(.notFound) }
            let f = try FormInput.fields(req)
            let section = f["to"] == "rescheduled" ? "mv-\(aid.uuidString.prefix(8))" : "book"
            return try await attempt(req, id, a.$referral.id, section, f) {
                _ = try await ReunificationRecords.move(aid, f, by: id, on: req.application)
                return ReunificationPaths.referral(a.$referral.id) + "#appointments"
            }
        }
        for outcome in [false, true] {
            let path: [PathComponent] = ["appointments", ":appointmentID", "interview"] + (outcome ? ["outcome"] : [])
            fr.on(.POST, path, roles: ReunificationAccess.write) { req, id -> Response in
                let aid = try req.uuid("appointmentID")
                guard let a = try await FRAppointment.find(aid, on: req.db) else { throw Abort(.notFound) }
                let f = try FormInput.fields(req)
                let key = "iv-\(aid.uuidString.prefix(8))" + (outcome ? "-o" : "")
                return try await attempt(req, id, a.$referral.id, key, f) {
                    if outcome {
                        _ = try await ReunificationRecords.interviewOutcome(aid, f, by: id, on: req.application)
                    } else {
                        _ = try await ReunificationRecords.arrangeInterview(aid, f, by: id, on: req.application)
                    }
                    return ReunificationPaths.referral(a.$referral.id) + "#appointments"
                }
            }
        }
        fr.post("referrals", ":referralID", "mileage", roles: ReunificationAccess.write) { req, id in
            let rid = try req.uuid("referralID")
            var f = try FormInput.fields(req)
            f["kind"] = "ticket"
            f["referralID"] = rid.uuidString
            return try await attempt(req, id, rid, "ticket", f) {
                _ = try await ReunificationRecords.recordMileage(f, by: id, on: req.application)
                return ReunificationPaths.referral(rid) + "#travel"
            }
        }
        fr.get("visa-assistance", roles: ReunificationAccess.read) { req, id in
            ReunificationPages.visaAssistance(
                req, id, try await ReunificationAPIController.visaAssistance(req, page: try req.queryPage()),
                failure: nil)
        }
        fr.post("visa-assistance", roles: ReunificationAccess.write) { req, id -> Response in
            var f = try FormInput.fields(req)
            f["services"] = VisaService.allCases.filter { Input.flag(f["service_\($0.rawValue)"]) }.map(\.rawValue)
                .joined(separator: ",")
            do {
                _ = try await ReunificationRecords.recordVisaAssistance(f, by: id, on: req.application)
                return req.redirect(to: "/reunification/visa-assistance")
            } catch let e as ValidationErrors {
                return ReunificationPages.visaAssistance(
                    req, id, try await ReunificationAPIController.visaAssistance(req, page: 1),
                    failure: .init(section: "visa", errors: e, fields: f)
                ).response(status: .unprocessableEntity)
            }
        }
        fr.get("mileage-fund", roles: ReunificationAccess.read) { req, id in
            ReunificationPages.mileageFund(
                req, id, try await ReunificationAPIController.mileageFund(req), failure: nil)
        }
        fr.post("mileage-fund", roles: ReunificationAccess.write) { req, id -> Response in
            var f = try FormInput.fields(req)
            f["kind"] = "donation"
            do {
                _ = try await ReunificationRecords.recordMileage(f, by: id, on: req.application)
                return req.redirect(to: "/reunification/mileage-fund")
            } catch let e as ValidationErrors {
                return ReunificationPages.mileageFund(
                    req, id, try await ReunificationAPIController.mileageFund(req),
                    failure: .init(section: "donation", errors: e, fields: f)
                ).response(status: .unprocessableEntity)
            }
        }
        fr.post("referrals", ":referralID", "samples", roles: ReunificationAccess.write) { req, id in
            let rid = try req.uuid("referralID")
            let f = try FormInput.fields(req)
            return try await attempt(req, id, rid, "collect", f) {
                let s = try await ReunificationRecords.collect(referralID: rid, f, by: id, on: req.application)
                return ReunificationPaths.sample(s.id!)
            }
        }
        fr.get("samples", roles: ReunificationAccess.read) { req, id -> Response in
            let raw = (req.query[String.self, at: "identifier"] ?? "").trimmingCharacters(in: .whitespaces)
                .uppercased()
            guard !raw.isEmpty, raw.count <= 40,
                let s = try await FRSample.query(on: req.db).filter(\.$identifier == raw).first()
            else {
                return try await overview(req, id, failure: req.t("fr.sample.notFound", String(raw.prefix(40))))
                    .response(status: .notFound)
            }
            return req.redirect(to: ReunificationPaths.sample(s.id!))
        }
        fr.get("samples", ":sampleID", roles: ReunificationAccess.read) { req, id in
            try await sample(req, id, try req.uuid("sampleID"), failure: nil, view: .page)
        }
        fr.get("samples", ":sampleID", "label", roles: ReunificationAccess.read) { req, id in
            try await sample(req, id, try req.uuid("sampleID"), failure: nil, view: .label)
        }
        fr.get("samples", ":sampleID", "custody-form", roles: ReunificationAccess.read) { req, id in
            try await sample(req, id, try req.uuid("sampleID"), failure: nil, view: .form)
        }
        for (path, section) in [("handovers", "handover"), ("result", "result")] {
            fr.post("samples", ":sampleID", .constant(path), roles: ReunificationAccess.write) { req, id in
                let sid = try req.uuid("sampleID")
                let f = try FormInput.fields(req)
                do {
                    if section == "handover" {
                        _ = try await ReunificationRecords.handOver(sid, f, by: id, on: req.application)
                    } else {
                        _ = try await ReunificationRecords.recordResult(sid, f, by: id, on: req.application)
                    }
                    return req.redirect(to: ReunificationPaths.sample(sid))
                } catch let e as ValidationErrors {
                    return try await sample(
                        req, id, sid, failure: .init(section: section, errors: e, fields: f), view: .page
                    ).response(status: .unprocessableEntity)
                } catch let e as DomainError {
                    return try await sample(
                        req, id, sid, failure: .init(section: section, message: e.message, fields: f), view: .page
                    ).response(status: MovementsPagesController.status(e))
                }
            }
        }
        fr.get("centres", ":centreID", roles: ReunificationAccess.read.union(ReunificationAccess.centres)) {
            req, id in
            let c = try await ReunificationRecords.centre(try req.uuid("centreID"), on: req.db)
            return try await centre(req, id, c, failure: nil)
        }
        fr.post("centres", ":locationID", roles: ReunificationAccess.centres) { req, id -> Response in
            let lid = try req.uuid("locationID")
            let f = try FormInput.fields(req)
            do {
                let c = try await ReunificationRecords.saveCentre(
                    locationID: lid, f, actor: id.actor, on: req.application)
                return req.redirect(to: ReunificationPaths.centre(c.id!))
            } catch let e as ValidationErrors {
                guard
                    let c = try await FRCentre.query(on: req.db).filter(\.$location.$id == lid).with(\.$location)
                        .first()
                else { throw e }
                return try await centre(req, id, c, failure: .init(section: "schedule", errors: e, fields: f))
                    .response(status: .unprocessableEntity)
            }
        }
    }

    func overview(_ req: Request, _ id: Identity, failure: String?) async throws -> HTML {
        let page = try req.queryPage()
        let list = try await ReunificationAPIController.referrals(req, id, page: page, pageSize: 50)
        let transit = try await FRSample.query(on: req.db).filter(\.$status ~~ [.collected, .inTransit])
            .sort(\.$collectedAt).limit(50).all()
        return ReunificationPages.overview(
            req, id, referrals: list, centres: try await ReunificationAPIController.centres(on: req.db),
            inTransit: transit, failure: failure)
    }

    /// Runs a form of the referral page: on success to where it says, on a refusal back to the page with the reason.
    func attempt(
        _ req: Request, _ id: Identity, _ rid: UUID, _ section: String, _ f: FormFields,
        _ work: () async throws -> String
    ) async throws -> Response {
        do {
            return req.redirect(to: try await work())
        } catch let e as ValidationErrors {
            return try await referral(
                req, id, rid, failure: .init(section: section, errors: e, fields: f), audit: false
            )
            .response(status: .unprocessableEntity)
        } catch let e as DomainError {
            return try await referral(
                req, id, rid, failure: .init(section: section, message: e.message, fields: f), audit: false
            ).response(status: MovementsPagesController.status(e))
        }
    }

    func referral(_ req: Request, _ id: Identity, _ rid: UUID, failure: SectionFailure?, audit: Bool) async throws
        -> HTML
    {
        let file = try await ReferralFile.load(rid, for: id, on: req.db)
        if audit { try await file.recordView(by: id, via: "page", on: req.application) }
        let c = try await ReunificationRecords.centre(file.centreID, on: req.db)
        let sampled = file.members.filter { $0.verification.needsDNA }.map { ($0.person.personID, $0.person.name) }
        let consents = try await ConsentPages.missing(req, .dnaVerification, persons: sampled)
        return ReunificationPages.referral(req, id, file, schedule: c.schedule, failure: failure, consents: consents)
    }

    enum SampleView { case page, label, form }

    func sample(_ req: Request, _ id: Identity, _ sid: UUID, failure: SectionFailure?, view: SampleView) async throws
        -> HTML
    {
        let s = try await ReunificationRecords.sample(sid, for: id, on: req.db)
        let file = try await ReferralFile.load(s.$referral.id, for: id, on: req.db)
        guard let dto = file.samples.first(where: { $0.id == sid }) else { throw Abort(.notFound) }
        if failure == nil, let m = file.members.first(where: { $0.id == dto.memberID }) {
            try await AuditLog.views(
                req.application, id.actor, entity: "dna_sample", entityID: sid, persons: [m.person.personID],
                note: "page")
        }
        switch view {
        case .page: return ReunificationPages.sample(req, id, dto, referral: file, failure: failure)
        case .label: return ReunificationPages.label(req, id, dto, referral: file)
        case .form: return ReunificationPages.custodyForm(req, id, dto, referral: file)
        }
    }

    func centre(_ req: Request, _ id: Identity, _ c: FRCentre, failure: SectionFailure?) async throws -> HTML {
        var e = ValidationErrors()
        let raw = req.query[String.self, at: "day"]
        let local = PartialDate(parsing: String(CentreSchedule.local(Clock.now(), in: c.timeZone).prefix(10)))!
        let day = raw.map { _ in Input.day(raw, field: "day", required: true, into: &e) } ?? local
        try e.throwIfAny()
        let appointments = try await FRAppointment.query(on: req.db).filter(\.$centre.$id == c.id!)
            .filter(\.$day == day!.isoText).filter(\.$status ~~ [.booked, .waiting, .attended, .noShow])
            .with(\.$member) { $0.with(\.$person) }.with(\.$referral).sort(\.$minute).sort(\.$createdAt).all()
        let rows = appointments.map {
            (
                appointment: $0, person: "\($0.member.person.familyName), \($0.member.person.givenNames)",
                reference: $0.member.person.reference, indFile: $0.referral.indFileNumber, referral: $0.$referral.id
            )
        }
        // The day sheet names the families of the day: a reading of each of their records.
        try await AuditLog.listed(
            req.application, id.actor, entity: "fr_appointment",
            rows: appointments.map { ($0.id!, $0.member.$person.id) }, note: "day sheet")
        return ReunificationPages.centre(
            req, id, .init(centre: c, day: day!, rows: rows, waiting: rows.count), failure: failure)
    }

    func createReferral(_ req: Request, _ id: Identity) async throws -> Response {
        let f = try FormInput.fields(req)
        var form = ReferralForm(
            indFileNumber: f["indFileNumber"], deadline: f["deadline"], centreID: f["centreID"], note: f["note"])
        var e = ValidationErrors()
        func person(_ raw: String?, field: String) async throws -> String? {
            let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            if let uuid = UUID(uuidString: text) { return uuid.uuidString }
            if let p = try await Person.query(on: req.db).filter(\.$reference == text.uppercased()).first() {
                return p.id!.uuidString
            }
            e.add(field, "is not a person's reference (like P-000123)")
            return nil
        }
        form.sponsorID = try await person(f["sponsor"], field: "sponsor")
        if form.sponsorID == nil && e.message(for: "sponsor") == nil {
            e.add("sponsor", "is required: the sponsor's reference")
        }
        var members: [ReferralForm.MemberForm] = []
        for i in 1...ReunificationPages.memberRows {
            let pid = try await person(f["m\(i)Person"], field: "m\(i)Person")
            guard pid != nil || !(f["m\(i)Relationship"] ?? "").isEmpty else { continue }
            members.append(
                .init(personID: pid ?? "", relationship: f["m\(i)Relationship"], verification: f["m\(i)Verification"]))
        }
        form.members = members
        let centres = try await ReunificationAPIController.centres(on: req.db)
        do {
            try e.throwIfAny()
            let r = try await ReunificationRecords.createReferral(form, by: id, on: req.application)
            return req.redirect(to: ReunificationPaths.referral(r.id!))
        } catch let v as ValidationErrors {
            // Names of the API's fields as the page's.
            var shown = e.items.isEmpty ? ValidationErrors() : e
            if !e.items.isEmpty {
                for item in v.items where shown.message(for: item.field) == nil { shown.add(item.field, item.message) }
            } else {
                for item in v.items {
                    var field = item.field
                    if field.hasPrefix("members.") {
                        let parts = field.split(separator: ".")
                        if parts.count >= 3, let n = Int(parts[1]) {
                            let name = parts[2] == "person" || parts[2] == "personID" ? "Person" : parts[2].capitalized
                            field = "m\(n)\(name)"
                        }
                    } else if field.hasPrefix("sponsor") {
                        field = "sponsor"
                    }
                    shown.add(field, item.message)
                }
            }
            return ReunificationPages.newReferral(
                req, id, centres: centres, failure: .init(section: "referral", errors: shown, fields: f)
            ).response(status: .unprocessableEntity)
        }
    }
}
