import Fluent
import PassageDomain
import Vapor

/// The visa centre's pages and their forms.
struct VisaCentrePagesController {
    func boot(_ app: Application) {
        let kv = app.grouped("visa")
        kv.get(roles: VisaAccess.read) { req, id in try await overview(req, id, failure: nil) }
        kv.post("batches", roles: VisaAccess.write) { req, id -> Response in
            var f = try FormInput.fields(req)
            f["applicationIDs"] = f.filter { $0.key.hasPrefix("a_") && Input.flag($0.value) }
                .map { String($0.key.dropFirst(2)) }.sorted().joined(separator: ",")
            var made: KVBatch?
            return try await SectionForms.attempt("batch", f, to: { VisaPaths.batch(made!.id!) }) {
                let ids = (f["applicationIDs"] ?? "").split(separator: ",").map(String.init)
                made = try await VisaCentreRecords.forward(ids, note: f["note"], by: id, on: req.application)
            } failed: {
                try await overview(req, id, failure: $0)
            }
        }
        kv.get("batches", ":batchID", roles: VisaAccess.read) { req, id -> HTML in
            let bid = try req.uuid("batchID")
            guard let b = try await KVBatch.find(bid, on: req.db) else {
                throw Abort(.notFound, reason: "No such batch.")
            }
            let apps = try await KVApplication.query(on: req.db).filter(\.$batch.$id == bid).with(\.$person)
                .sort(\.$number).all()
            try await AuditLog.listed(
                req.application, id.actor, entity: "kv_batch", rows: apps.map { (bid, $0.$person.id) },
                note: "manifest")
            return VisaCentrePages.manifest(req, id, b, apps)
        }
        kv.get("appointments", roles: VisaAccess.read) { req, id in
            try await day(req, id, failure: nil, audit: true)
        }
        kv.post("appointments", roles: VisaAccess.write) { req, id -> Response in
            let f = try FormInput.fields(req)
            let section = Input.flag(f["walkIn"]) ? "walkin" : "book"
            var made: KVAppointment?
            return try await SectionForms.attempt(
                section, f, to: { "\(VisaPaths.appointments)?day=\(made!.day)#counters" }
            ) {
                made = try await VisaCentreRecords.book(f, by: id, on: req.application)
            } failed: {
                try await day(req, id, failure: $0, audit: false)
            }
        }
        kv.post("appointments", ":appointmentID", "status", roles: VisaAccess.write) { req, id -> Response in
            let f = try FormInput.fields(req)
            let aid = try req.uuid("appointmentID")
            var made: KVAppointment?
            return try await SectionForms.attempt(
                "status", f, to: { "\(VisaPaths.appointments)?day=\(made!.day)#counters" }
            ) {
                made = try await VisaCentreRecords.setStatus(aid, f["status"], by: id, on: req.application)
            } failed: {
                try await day(req, id, failure: $0, audit: false)
            }
        }
        kv.get("applications", "new", roles: VisaAccess.write) { req, id in
            try await intake(req, id, failure: nil)
        }
        kv.post("applications", "new", roles: VisaAccess.write) { req, id -> Response in
            let f = try FormInput.fields(req)
            var made: KVApplication?
            return try await SectionForms.attempt("intake", f, to: { VisaPaths.application(made!.id!) }) {
                var form = VisaIntakeForm(
                    visaType: f["visaType"], mrz: f["mrz"], nationality: f["nationality"], phone: f["phone"],
                    paymentMethod: f["paymentMethod"], appointmentID: f["appointmentID"])
                let reference = (f["personReference"] ?? "").trimmingCharacters(in: .whitespaces).uppercased()
                if !reference.isEmpty {
                    guard let p = try await Person.query(on: req.db).filter(\.$reference == reference).first() else {
                        throw ValidationErrors("personReference", "is not a person's reference (like P-000123)")
                    }
                    form.personID = p.id!.uuidString
                }
                do {
                    made = try await VisaCentreRecords.intake(form, by: id, on: req.application)
                } catch let v as ValidationErrors {
                    throw v.renamed(Self.intakeField)
                }
            } failed: {
                try await intake(req, id, failure: $0)
            }
        }
        kv.get("applications", ":applicationID", roles: VisaAccess.read) { req, id in
            try await application(req, id, try req.uuid("applicationID"), failure: nil, audit: true)
        }
        kv.get("applications", ":applicationID", "receipt", roles: VisaAccess.read) { req, id -> HTML in
            let aid = try req.uuid("applicationID")
            let a = try await VisaCentreRecords.application(aid, on: req.db)
            try await AuditLog.views(
                req.application, id.actor, entity: "kv_application", entityID: aid, persons: [a.$person.id],
                note: "receipt")
            return VisaCentrePages.receipt(req, id, a)
        }
        let steps: [(String, String, VisaCentreRecords.Step)] = [
            ("verification", "verify", VisaCentreRecords.verify), ("decision", "decision", VisaCentreRecords.decide),
            ("return", "return", VisaCentreRecords.returnPassport),
        ]
        for (path, section, step) in steps {
            kv.post("applications", ":applicationID", .constant(path), roles: VisaAccess.write) {
                req, id -> Response in
                let aid = try req.uuid("applicationID")
                let f = try FormInput.fields(req)
                let anchor = section == "verify" ? "documents" : section
                return try await SectionForms.attempt(section, f, to: VisaPaths.application(aid) + "#\(anchor)") {
                    _ = try await step(aid, f, id, req.application)
                } failed: {
                    try await application(req, id, aid, failure: $0, audit: false)
                }
            }
        }
    }

    /// The intake page's name of a field the records name: the applicant's details come from the zone, but for
    /// the nationality and phone typed beside it.
    static func intakeField(_ field: String) -> String {
        switch field {
        case "personID": "personReference"
        case "person.nationality", "person.documents.1.issuingCountry": "nationality"
        case "person.phone": "phone"
        case _ where field.hasPrefix("person."): "mrz"
        default: field
        }
    }

    func overview(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        var e = ValidationErrors()
        let raw = req.query[String.self, at: "status"] ?? ""
        let status = raw.isEmpty ? nil : VisaApplicationStatus.read(raw, field: "status", into: &e)
        try e.throwIfAny()
        let paging = ListPaging(page: try req.queryPage(), pageSize: 50, sort: "received", descending: true)
        let (rows, total) = try await VisaCentreAPIController.applications(
            on: req.db, status: status, page: paging.page)
        let verified = try await KVApplication.query(on: req.db).filter(\.$status == .verified).with(\.$person)
            .sort(\.$number).limit(300).all()
        let batches = try await KVBatch.query(on: req.db).sort(\.$number, .descending).limit(20).all()
        let since = Calendar.current.startOfDay(for: Clock.now())
        let lookups = try await KVStatusLookup.query(on: req.db).filter(\.$at >= since).all()
        // An application both in the list and ready to forward is one reading.
        var seen: Set<UUID> = []
        let shown = (rows + verified).filter { seen.insert($0.id!).inserted }
        if failure == nil {
            try await AuditLog.listed(
                req.application, id.actor, entity: "kv_application", rows: shown.map { ($0.id!, $0.$person.id) },
                note: "application list")
        }
        return VisaCentrePages.overview(
            req, id,
            .init(
                applications: rows, total: total, paging: paging, status: status, verified: verified,
                batches: batches,
                lookupsToday: (
                    lookups.filter { $0.outcome != "limited" }.count, lookups.filter { $0.outcome == "limited" }.count
                ),
                pipeline: try await VisaCentrePages.pipeline(req)), failure: failure)
    }

    func day(_ req: Request, _ id: Identity, failure: SectionFailure?, audit: Bool) async throws -> HTML {
        let d = try VisaCentreAPIController.day(req)
        let rows = try await VisaCentreAPIController.appointments(on: d.isoText, on: req.db)
        if audit { try await VisaCentreRecords.auditDay(d, by: id, via: "page", on: req.application) }
        return VisaCentrePages.day(req, id, day: d, rows, failure: failure)
    }

    func intake(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        var appointment: KVAppointment?
        let raw = failure?.fields["appointmentID"] ?? req.query[String.self, at: "appointment"] ?? ""
        if !raw.isEmpty {
            guard let aid = UUID(uuidString: raw), let a = try await KVAppointment.find(aid, on: req.db) else {
                throw Abort(.notFound, reason: "No such appointment.")
            }
            appointment = a
        }
        return VisaCentrePages.intake(req, id, appointment: appointment, failure: failure)
    }

    func application(_ req: Request, _ id: Identity, _ aid: UUID, failure: SectionFailure?, audit: Bool)
        async throws -> HTML
    {
        let a = try await VisaCentreRecords.application(aid, on: req.db)
        if audit {
            try await AuditLog.views(
                req.application, id.actor, entity: "kv_application", entityID: aid, persons: [a.$person.id],
                note: "page")
        }
        return VisaCentrePages.application(req, id, a, failure: failure)
    }
}
