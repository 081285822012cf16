import Vapor
import Fluent
import PassageDomain

/// Movements in the browser: bookings, the hub manifest and counts, SMS templates, partner webhooks, CO2.
struct MovementsPagesController {
    /// Checkbox groups of the booking form folded into the fields the validation reads.
    static func bookingFields(_ f: FormFields) -> FormFields {
        var out = f
        var passengers: [String] = []
        for (k, _) in f where k.hasPrefix("passenger_") { passengers.append(String(k.dropFirst(10))) }
        out["passengers"] = passengers.sorted().joined(separator: ",")
        var assist: [String: [String]] = [:]
        for (k, _) in f where k.hasPrefix("assist_") {
            let rest = k.dropFirst(7)
            guard let cut = rest.firstIndex(of: "_") else { continue }
            assist[String(rest[..<cut]).uppercased(), default: []].append(String(rest[rest.index(after: cut)...]))
        }
        for (p, kinds) in assist { out["assist_" + p] = kinds.sorted().joined(separator: ",") }
        return out
    }

    static func status(_ e: DomainError) -> HTTPStatus {
        e.kind == .notAllowed ? .forbidden : e.kind == .conflict ? .conflict : .unprocessableEntity
    }

    /// Back to a page of ours only.
    static func back(_ f: FormFields, _ fallback: String) -> String {
        guard let b = f["back"], b.hasPrefix("/"), !b.hasPrefix("//") else { return fallback }
        return b
    }

    func boot(_ app: Application) {
        app.get("movements", roles: MovementsModule.pageReaders, use: overview)

        // Bookings
        app.get("cases", ":caseID", "bookings", "new", roles: MovementsAccess.book, use: newBookingForm)
        app.post("cases", ":caseID", "bookings", "new", roles: MovementsAccess.book, use: createBooking)
        app.get("bookings", ":bookingID", roles: MovementsAccess.read, use: bookingPage)
        app.post("bookings", ":bookingID", "move", roles: MovementsAccess.book, use: moveBooking)
        app.get("bookings", ":bookingID", "rebook", roles: MovementsAccess.book, use: rebookForm)
        app.post("bookings", ":bookingID", "rebook", roles: MovementsAccess.book, use: rebookBooking)
        app.post("messages", ":messageID", "resend", roles: MovementsAccess.messages, use: resendMessage)
        app.post("persons", ":personID", "sms-opt-out", roles: MovementsAccess.messages, use: setOptOut)

        // The hub airport
        let mv = app.grouped("movements")
        mv.get("ready", roles: MovementsAccess.book) { req, id -> HTML in
            let paging = try ListPaging.read(req, sorts: BookingQueue.sorts, default: "reference", pageSize: 50)
            let found = try await BookingQueue.page(req.application, paging, on: req.db)
            return BookingQueue.pageHTML(req, id, rows: found.rows, total: found.total, paging: paging)
        }
        mv.get("manifest", roles: MovementsAccess.airport, use: manifestPage)
        mv.post("manifest", ":bookingID", ":personID", ":type", roles: MovementsAccess.airport, use: saveHandling)
        mv.get("counts", roles: MovementsAccess.airport, use: countsPage)

        // CO2 and credits
        mv.get("carbon", roles: MovementsAccess.carbonRead, use: carbonPage)
        mv.post("carbon", roles: MovementsAccess.carbonWrite, use: addCredit)

        // SMS templates
        mv.get("sms-templates", roles: MovementsAccess.templates, use: templatesPage)
        mv.post("sms-templates", ":event", ":language", roles: MovementsAccess.templates, use: saveTemplate)

        // Partner webhooks
        let wh = app.grouped("admin", "webhooks")
        wh.get(roles: MovementsAccess.webhooks) { req, id in try await webhooks(req, id, failure: nil, secret: nil) }
        wh.post(roles: MovementsAccess.webhooks, use: subscribe)
        wh.post(":subscriptionID", "active", roles: MovementsAccess.webhooks, use: setSubscriptionActive)
        wh.post("deliveries", ":messageID", "redeliver", roles: MovementsAccess.webhooks, use: redeliver)
    }

    func overview(_ req: Request, _ id: Identity) async throws -> HTML {
        let soon = try await Booking.query(on: req.db).filter(
            \.$departsAt >= Clock.now().addingTimeInterval(-12 * 3600)
        )
        .filter(\.$departsAt <= Clock.now().addingTimeInterval(14 * 86400)).filter(
            \.$status ~~ [BookingStatus.requested, .held, .ticketed]
        )
        .sort(\.$departsAt).limit(100).all()
        var files: [BookingFile] = []
        for b in soon { files.append(try await BookingFile.load(b.id!, for: id, on: req.db)) }
        let problems = try await OutboxMessage.query(on: req.db).filter(\.$lastError != nil)
            .filter(\.$status ~~ [.pending, .failed]).sort(\.$createdAt, .descending).limit(50).all()
        let cases = try await Case.query(on: req.db).filter(\.$id ~~ problems.compactMap(\.caseID)).all()
        var caseOf: [UUID: (UUID, String)] = [:]
        for m in problems {
            if let c = cases.first(where: { $0.id == m.caseID }) { caseOf[m.id!] = (c.id!, c.reference) }
        }
        return BookingPages.overview(
            req, id, upcoming: files, problems: problems.map(BookingFile.MessageDTO.init), caseOf: caseOf)
    }

    func newBookingForm(_ req: Request, _ id: Identity) async throws -> HTML {
        return try await bookingForm(req, id, caseID: try req.uuid("caseID"), failure: nil, rebooking: nil)
    }

    func createBooking(_ req: Request, _ id: Identity) async throws -> Response {
        let cid = try req.uuid("caseID")
        let f = Self.bookingFields(try FormInput.fields(req))
        do {
            let b = try await BookingRecords.create(caseID: cid, f, actor: id.actor, on: req.application)
            return req.redirect(to: MovementsPaths.booking(b.id!))
        } catch let e as ValidationErrors {
            return try await bookingForm(
                req, id, caseID: cid, failure: .init(section: "booking", errors: e, fields: f), rebooking: nil
            ).response(status: .unprocessableEntity)
        }
    }

    func bookingPage(_ req: Request, _ id: Identity) async throws -> HTML {
        let file = try await BookingFile.load(try req.uuid("bookingID"), for: id, on: req.db)
        try await file.recordView(by: id, via: "page", on: req.application)
        return BookingPages.page(req, id, file, failure: nil)
    }

    func moveBooking(_ req: Request, _ id: Identity) async throws -> Response {
        let bid = try req.uuid("bookingID")
        let f = try FormInput.fields(req)
        let section = f["to"] == "cancelled" ? "cancel" : "move"
        do {
            _ = try await BookingRecords.move(
                bid, to: f["to"], note: f["note"], reference: f["reference"], actor: id.actor, on: req.application)
            return req.redirect(to: MovementsPaths.booking(bid))
        } catch let e as ValidationErrors {
            return BookingPages.page(
                req, id, try await BookingFile.load(bid, for: id, on: req.db),
                failure: .init(section: section, errors: e, fields: f)
            ).response(status: .unprocessableEntity)
        } catch let e as DomainError {
            return BookingPages.page(
                req, id, try await BookingFile.load(bid, for: id, on: req.db),
                failure: .init(section: section, message: e.message, fields: f)
            ).response(status: Self.status(e))
        }
    }

    func rebookForm(_ req: Request, _ id: Identity) async throws -> HTML {
        let old = try await BookingFile.load(try req.uuid("bookingID"), for: id, on: req.db)
        return try await bookingForm(req, id, caseID: old.caseID, failure: nil, rebooking: old)
    }

    func rebookBooking(_ req: Request, _ id: Identity) async throws -> Response {
        let old = try await BookingFile.load(try req.uuid("bookingID"), for: id, on: req.db)
        let f = Self.bookingFields(try FormInput.fields(req))
        do {
            let b = try await BookingRecords.create(
                caseID: old.caseID, f, actor: id.actor, rebooking: old.id, on: req.application)
            return req.redirect(to: MovementsPaths.booking(b.id!))
        } catch let e as ValidationErrors {
            return try await bookingForm(
                req, id, caseID: old.caseID, failure: .init(section: "booking", errors: e, fields: f),
                rebooking: old
            ).response(status: .unprocessableEntity)
        } catch let e as DomainError {
            return try await bookingForm(
                req, id, caseID: old.caseID, failure: .init(section: "booking", message: e.message, fields: f),
                rebooking: old
            ).response(status: Self.status(e))
        }
    }

    func resendMessage(_ req: Request, _ id: Identity) async throws -> Response {
        let f = try FormInput.fields(req)
        let m = try await BookingRecords.resend(
            messageID: try req.uuid("messageID"), actor: id.actor, on: req.application)
        return req.redirect(
            to: Self.back(f, m.bookingID.map { MovementsPaths.booking($0) } ?? "/movements") + "#messages")
    }

    func setOptOut(_ req: Request, _ id: Identity) async throws -> Response {
        let f = try FormInput.fields(req)
        let pid = try req.uuid("personID")
        try await BookingRecords.setOptOut(
            personID: pid, optedOut: f["optedOut"] == "true", actor: id.actor, on: req.application)
        return req.redirect(to: Self.back(f, CorePaths.person(pid)))
    }

    func manifestPage(_ req: Request, _ id: Identity) async throws -> Response {
        do {
            let (airport, date) = try MovementsAPIController.manifestQuery(req)
            return AirportPages.manifest(
                req, id, try await ManifestDay.load(airport: airport, date: date, on: req.db), failure: nil
            ).response(status: .ok)
        } catch let e as ValidationErrors {
            let m = try await ManifestDay.load(
                airport: req.application.passageConfig.hubAirport, date: Clock.today().isoText, on: req.db)
            let page = AirportPages.manifest(req, id, m, failure: nil)
            let note = HTML(
                "<div class=\"error-summary\" role=\"alert\">\(e.items.map { "\($0.field): \($0.message)" }.joined(separator: "; "))</div>"
            )
            return HTML(raw: page.raw.replacingOccurrences(of: "<main>", with: "<main>" + note.raw)).response(
                status: .unprocessableEntity)
        }
    }

    func saveHandling(_ req: Request, _ id: Identity) async throws -> Response {
        guard let type = MovementType(rawValue: req.parameters.get("type") ?? "") else {
            throw Abort(.notFound, reason: "Unknown movement.")
        }
        var f = try FormInput.fields(req)
        f["transitAssistance"] = TransitAssistance.allCases.filter { f["transit_\($0.rawValue)"] != nil }.map(
            \.rawValue
        ).joined(separator: ",")
        let bid = try req.uuid("bookingID")
        let pid = try req.uuid("personID")
        let key = "\(bid.uuidString)-\(pid.uuidString)-\(type.rawValue)"
        let airport = (f["airport"] ?? req.application.passageConfig.hubAirport).uppercased()
        let date = f["date"] ?? Clock.today().isoText
        do {
            try await BookingRecords.saveHandling(
                bid, personID: pid, type: type, f, actor: id.actor, on: req.application)
            return req.redirect(
                to: "/movements/manifest?airport=\(urlQuery(airport))&date=\(urlQuery(date))#m-\(key)")
        } catch let e as ValidationErrors {
            let m = try await ManifestDay.load(airport: airport, date: date, on: req.db)
            return AirportPages.manifest(req, id, m, failure: (key, .init(section: key, errors: e, fields: f)))
                .response(status: .unprocessableEntity)
        } catch let e as DomainError {
            let m = try await ManifestDay.load(airport: airport, date: date, on: req.db)
            return AirportPages.manifest(
                req, id, m, failure: (key, .init(section: key, message: e.message, fields: f))
            ).response(status: Self.status(e))
        }
    }

    func countsPage(_ req: Request, _ id: Identity) async throws -> HTML {
        let (airport, month) = try MovementsAPIController.monthQuery(req)
        return AirportPages.counts(
            req, id, try await MovementCounts.load(airport: airport, month: month, on: req.db))
    }

    func carbonPage(_ req: Request, _ id: Identity) async throws -> HTML {
        return MessagingPages.carbon(req, id, try await CarbonAccount.load(on: req.db), failure: nil)
    }

    func addCredit(_ req: Request, _ id: Identity) async throws -> Response {
        let f = try FormInput.fields(req)
        do {
            try await CarbonAccount.addCredit(f, actor: id.actor, on: req.application)
            return req.redirect(to: "/movements/carbon")
        } catch let e as ValidationErrors {
            return MessagingPages.carbon(
                req, id, try await CarbonAccount.load(on: req.db),
                failure: .init(section: "credit", errors: e, fields: f)
            ).response(status: .unprocessableEntity)
        }
    }

    func templatesPage(_ req: Request, _ id: Identity) async throws -> HTML {
        return try await templates(req, id, failure: nil)
    }

    func saveTemplate(_ req: Request, _ id: Identity) async throws -> Response {
        let f = try FormInput.fields(req)
        let event = req.parameters.get("event") ?? ""
        let language = req.parameters.get("language") ?? ""
        do {
            try await MessagingRecords.saveTemplate(
                event: event, language: language, text: f["text"] ?? "", actor: id.actor, on: req.application)
            return req.redirect(to: "/movements/sms-templates#t-\(event)-\(language)")
        } catch let e as ValidationErrors {
            let key = "\(event)-\(language)"
            return try await templates(req, id, failure: (key, .init(section: key, errors: e, fields: f))).response(
                status: .unprocessableEntity)
        }
    }

    func subscribe(_ req: Request, _ id: Identity) async throws -> Response {
        let f = try FormInput.fields(req)
        do {
            let (s, secret) = try await MessagingRecords.subscribe(f, actor: id.actor, on: req.application)
            return try await webhooks(req, id, failure: nil, secret: (s.id!, secret)).response(status: .created)
        } catch let e as ValidationErrors {
            return try await webhooks(
                req, id, failure: .init(section: "subscribe", errors: e, fields: f), secret: nil
            ).response(status: .unprocessableEntity)
        }
    }

    func setSubscriptionActive(_ req: Request, _ id: Identity) async throws -> Response {
        try await MessagingRecords.setActive(
            try req.uuid("subscriptionID"), active: try FormInput.fields(req)["active"] == "true", actor: id.actor,
            on: req.application)
        return req.redirect(to: "/admin/webhooks")
    }

    func redeliver(_ req: Request, _ id: Identity) async throws -> Response {
        try await BookingRecords.redeliver(
            messageID: try req.uuid("messageID"), actor: id.actor, on: req.application)
        return req.redirect(to: "/admin/webhooks#log")
    }

    func bookingForm(_ req: Request, _ id: Identity, caseID: UUID, failure: SectionFailure?, rebooking: BookingFile?)
        async throws -> HTML
    {
        let c = try await BookingRecords.loadCase(caseID, on: req.db)
        let persons = try await BookingRecords.casePersons(c, on: req.db)
            .sorted { ($0.id == c.$person.id ? 0 : 1, $0.familyName) < ($1.id == c.$person.id ? 0 : 1, $1.familyName) }
        if failure == nil {
            // The form names the case's household: a reading of each of their records.
            try await AuditLog.views(
                req.application, id.actor, entity: "case", entityID: caseID, persons: persons.compactMap(\.id),
                note: "booking form")
        }
        return BookingPages.form(
            req, id,
            .init(
                caseID: caseID, caseReference: c.reference,
                persons: persons.map { ($0.id!, "\($0.familyName), \($0.givenNames)") }, failure: failure,
                rebooking: rebooking, needs: try await Modules.travel(of: c, on: req.db)?.needs ?? TravelNeeds()))
    }

    func templates(_ req: Request, _ id: Identity, failure: (key: String, failure: SectionFailure)?) async throws
        -> HTML
    {
        let rows = try await SMSTemplateRecord.query(on: req.db).sort(\.$event).sort(\.$language).all().map {
            MovementsAPIController.TemplateDTO(
                event: $0.event, language: $0.language, text: $0.text, required: [], updatedBy: $0.updatedBy,
                updatedAt: $0.updatedAt)
        }
        return MessagingPages.templates(req, id, rows, failure: failure)
    }

    func webhooks(_ req: Request, _ id: Identity, failure: SectionFailure?, secret: (UUID, String)?) async throws
        -> HTML
    {
        let subs = try await WebhookSubscription.query(on: req.db).with(\.$partner).sort(\.$createdAt).all().map {
            MovementsAPIController.dto($0, secret: nil)
        }
        let failedOnly = req.query[String.self, at: "failed"] == "true"
        let partners = try await Partner.query(on: req.db).sort(\.$name).all().map {
            (value: $0.id!.uuidString, label: $0.name)
        }
        return MessagingPages.webhooks(
            req, id,
            .init(
                subscriptions: subs,
                deliveries: try await MessagingRecords.deliveries(failedOnly: failedOnly, limit: 100, on: req.db),
                partners: partners, failure: failure, newSecret: secret.map { (id: $0.0, secret: $0.1) },
                failedOnly: failedOnly))
    }
}
