import Vapor
import Fluent
import PassageDomain

/// Bookings, the hub manifest, SMS and partner notifications, CO2 and credits in the JSON API.
struct MovementsAPIController {
    struct AirportDTO: Content {
        var iata: String; var name: String; var city: String; var country: String; var latitude: Double;
        var longitude: Double; var timeZone: String
    }
    struct LegBody: Content {
        var carrier: String?; var flight: String?; var from: String?; var to: String?; var departs: String?;
        var arrives: String?
    }
    struct PassengerBody: Content { var personID: String; var assistance: [String]? }
    /// Fare and baggage come as text or numbers and are read by the same rules as the form's.
    struct BookingBody: Content {
        var reference: String?; var status: String?; var passengers: [PassengerBody]?; var legs: [LegBody]?
        var fare: FormInput.Value?; var baggageKg: FormInput.Value?; var escort: String?; var escortStaff: String?;
        var escortReturnLegs: [LegBody]?; var note: String?
    }
    struct TemplateDTO: Content {
        var event: String; var language: String; var text: String; var required: [String]; var updatedBy: String;
        var updatedAt: Date?
    }
    struct SubscriptionDTO: Content {
        var id: UUID; var partnerID: UUID; var partner: String; var eventType: String; var url: String;
        var active: Bool; var createdBy: String; var createdAt: Date?; var secret: String?
    }

    /// A JSON booking becomes the same flat fields the form sends, so both pass one validation.
    static func fields(_ req: Request) throws -> FormFields {
        guard req.headers.contentType == .json else { return try FormInput.fields(req) }
        let b = try req.content.decode(BookingBody.self)
        var f: FormFields = [:]
        f["reference"] = b.reference; f["status"] = b.status; f["fare"] = b.fare?.string;
        f["baggageKg"] = b.baggageKg?.string
        f["escort"] = b.escort; f["escortStaff"] = b.escortStaff; f["note"] = b.note
        f["passengers"] = (b.passengers ?? []).map(\.personID).joined(separator: ",")
        for p in b.passengers ?? [] {
            f["assist_" + p.personID.uppercased()] = (p.assistance ?? []).joined(separator: ",")
        }
        func legs(_ list: [LegBody]?, _ prefix: String) throws {
            guard let list else { return }
            if list.count > BookingValidation.maxLegs {
                var e = ValidationErrors(); e.add(prefix + "s", "at most \(BookingValidation.maxLegs) flights"); throw e
            }
            for (i, l) in list.enumerated() {
                let p = "\(prefix)\(i + 1)_"
                f[p + "carrier"] = l.carrier ?? ""; f[p + "flight"] = l.flight ?? ""; f[p + "from"] = l.from ?? "";
                f[p + "to"] = l.to ?? ""
                f[p + "departs"] = l.departs ?? ""; f[p + "arrives"] = l.arrives ?? ""
            }
        }
        try legs(b.legs, "leg")
        try legs(b.escortReturnLegs, "escortleg")
        return f
    }

    func boot(_ api: any RoutesBuilder) {
        api.get("airports", roles: MovementsAccess.read, use: airports)
        api.get("cases", ":caseID", "bookings", roles: MovementsAccess.read, use: caseBookings)
        api.post("cases", ":caseID", "bookings", roles: MovementsAccess.book, use: book)
        let one = api.grouped("bookings", ":bookingID")
        one.get(roles: MovementsAccess.read, use: booking)
        one.post("transitions", roles: MovementsAccess.book, use: transition)
        one.post("rebook", roles: MovementsAccess.book, use: rebook)
        one.on(.PUT, ["handling", ":personID", ":type"], roles: MovementsAccess.airport, use: saveHandling)
        let mv = api.grouped("movements")
        mv.get("ready", roles: MovementsAccess.book) { req, _ -> BookingQueue.Answer in
            let paging = try ListPaging.read(req, sorts: BookingQueue.sorts, default: "reference", pageSize: 50)
            let found = try await BookingQueue.page(req.application, paging, on: req.db)
            return .init(items: found.rows, total: found.total, page: paging.page, pageSize: paging.pageSize)
        }
        mv.get("manifest", roles: MovementsAccess.airport, use: manifest)
        mv.get("counts", roles: MovementsAccess.airport, use: counts)
        mv.get("emissions", roles: MovementsAccess.carbonRead) { req, _ in try await CarbonAccount.load(on: req.db) }
        mv.post("carbon-credits", roles: MovementsAccess.carbonWrite, use: addCredit)
        api.get("cases", ":caseID", "messages", roles: MovementsAccess.read, use: caseMessages)
        api.post("messages", ":messageID", "resend", roles: MovementsAccess.messages, use: resend)
        api.on(.PUT, ["persons", ":personID", "sms-opt-out"], roles: MovementsAccess.messages, use: setOptOut)
        api.get("sms-templates", roles: MovementsAccess.templates, use: templates)
        api.on(.PUT, ["sms-templates", ":event", ":language"], roles: MovementsAccess.templates, use: saveTemplate)
        let wh = api.grouped("webhooks")
        wh.get("subscriptions", roles: MovementsAccess.webhooks, use: subscriptions)
        wh.post("subscriptions", roles: MovementsAccess.webhooks, use: subscribe)
        wh.patch("subscriptions", ":subscriptionID", roles: MovementsAccess.webhooks, use: setSubscriptionActive)
        wh.get("deliveries", roles: MovementsAccess.webhooks, use: deliveries)
        wh.post("deliveries", ":messageID", "redeliver", roles: MovementsAccess.webhooks, use: redeliver)
    }

    func airports(_ req: Request, _: Identity) async throws -> [AirportDTO] {
        let q = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard q.count >= 2 else {
            throw Abort(
                .badRequest, reason: "Give q: an IATA code or at least two letters of a city or airport name.")
        }
        return ReferenceData.airports.byCode.values
            .filter {
                $0.iata.lowercased() == q || $0.city.lowercased().hasPrefix(q) || $0.name.lowercased().contains(q)
            }
            .sorted { ($0.iata.lowercased() == q ? 0 : 1, $0.iata) < ($1.iata.lowercased() == q ? 0 : 1, $1.iata) }
            .prefix(25).map {
                AirportDTO(
                    iata: $0.iata, name: $0.name, city: $0.city, country: $0.country, latitude: $0.latitude,
                    longitude: $0.longitude, timeZone: $0.timeZone)
            }
    }

    func caseBookings(_ req: Request, _ id: Identity) async throws -> [BookingFile] {
        let cid = try req.uuid("caseID")
        _ = try await BookingRecords.loadCase(cid, on: req.db)
        let files = try await BookingFile.forCase(cid, for: id, on: req.db)
        for f in files { try await f.recordView(by: id, via: "api", on: req.application) }
        return files
    }

    func book(_ req: Request, _ id: Identity) async throws -> Response {
        let b = try await BookingRecords.create(
            caseID: try req.uuid("caseID"), try Self.fields(req), actor: id.actor, on: req.application)
        return try await BookingFile.load(b.id!, for: id, on: req.db).encodeResponse(status: .created, for: req)
    }

    func booking(_ req: Request, _ id: Identity) async throws -> BookingFile {
        let file = try await BookingFile.load(try req.uuid("bookingID"), for: id, on: req.db)
        try await file.recordView(by: id, via: "api", on: req.application)
        return file
    }

    func transition(_ req: Request, _ id: Identity) async throws -> BookingFile {
        let f = try FormInput.fields(req)
        let b = try await BookingRecords.move(
            try req.uuid("bookingID"), to: f["to"], note: f["note"], reference: f["reference"], actor: id.actor,
            on: req.application)
        return try await BookingFile.load(b.id!, for: id, on: req.db)
    }

    func rebook(_ req: Request, _ id: Identity) async throws -> Response {
        let old = try await BookingRecords.loadBooking(try req.uuid("bookingID"), on: req.db)
        let b = try await BookingRecords.create(
            caseID: old.$caseRecord.id, try Self.fields(req), actor: id.actor, rebooking: old.id,
            on: req.application)
        return try await BookingFile.load(b.id!, for: id, on: req.db).encodeResponse(status: .created, for: req)
    }

    func saveHandling(_ req: Request, _ id: Identity) async throws -> BookingFile {
        guard let type = MovementType(rawValue: req.parameters.get("type") ?? "") else {
            throw Abort(.notFound, reason: "Unknown movement; one of departure, transit, arrival.")
        }
        let bid = try req.uuid("bookingID")
        try await BookingRecords.saveHandling(
            bid, personID: try req.uuid("personID"), type: type, try FormInput.fields(req), actor: id.actor,
            on: req.application)
        return try await BookingFile.load(bid, for: id, on: req.db)
    }

    func manifest(_ req: Request, _: Identity) async throws -> ManifestDay {
        let (airport, date) = try Self.manifestQuery(req)
        return try await ManifestDay.load(airport: airport, date: date, on: req.db)
    }

    func counts(_ req: Request, _: Identity) async throws -> MovementCounts {
        let (airport, month) = try Self.monthQuery(req)
        return try await MovementCounts.load(airport: airport, month: month, on: req.db)
    }

    func addCredit(_ req: Request, _ id: Identity) async throws -> Response {
        try await CarbonAccount.addCredit(try FormInput.fields(req), actor: id.actor, on: req.application)
        return try await CarbonAccount.load(on: req.db).encodeResponse(status: .created, for: req)
    }

    func caseMessages(_ req: Request, _ id: Identity) async throws -> [BookingFile.MessageDTO] {
        let c = try await BookingRecords.loadCase(try req.uuid("caseID"), on: req.db)
        let messages = try await OutboxMessage.query(on: req.db).filter(\.$caseID == c.id).filter(
            \.$kind == OutboxMessage.Kind.sms
        )
        .sort(\.$createdAt).all().map(BookingFile.MessageDTO.init)
        try await CaseRecords.recordView(of: CaseSummary(c), by: id, via: "api: messages", on: req.application)
        return messages
    }

    func resend(_ req: Request, _ id: Identity) async throws -> Response {
        let m = try await BookingRecords.resend(
            messageID: try req.uuid("messageID"), actor: id.actor, on: req.application)
        return try await BookingFile.MessageDTO(m).encodeResponse(status: .created, for: req)
    }

    func setOptOut(_ req: Request, _ id: Identity) async throws -> HTTPStatus {
        let f = try FormInput.fields(req)
        guard let raw = f["optedOut"], ["true", "false"].contains(raw) else {
            throw ValidationErrors("optedOut", "must be true or false")
        }
        try await BookingRecords.setOptOut(
            personID: try req.uuid("personID"), optedOut: raw == "true", actor: id.actor, on: req.application)
        return .noContent
    }

    func templates(_ req: Request, _: Identity) async throws -> [TemplateDTO] {
        try await SMSTemplateRecord.query(on: req.db).sort(\.$event).sort(\.$language).all().map {
            TemplateDTO(
                event: $0.event, language: $0.language, text: $0.text,
                required: SMSEvent(rawValue: $0.event)?.required ?? [], updatedBy: $0.updatedBy,
                updatedAt: $0.updatedAt)
        }
    }

    func saveTemplate(_ req: Request, _ id: Identity) async throws -> HTTPStatus {
        try await MessagingRecords.saveTemplate(
            event: req.parameters.get("event") ?? "", language: req.parameters.get("language") ?? "",
            text: try FormInput.fields(req)["text"] ?? "", actor: id.actor, on: req.application)
        return .noContent
    }

    func subscriptions(_ req: Request, _: Identity) async throws -> [SubscriptionDTO] {
        try await WebhookSubscription.query(on: req.db).with(\.$partner).sort(\.$createdAt).all().map {
            Self.dto($0, secret: nil)
        }
    }

    func subscribe(_ req: Request, _ id: Identity) async throws -> Response {
        let (s, secret) = try await MessagingRecords.subscribe(
            try FormInput.fields(req), actor: id.actor, on: req.application)
        try await s.$partner.load(on: req.db)
        return try await Self.dto(s, secret: secret).encodeResponse(status: .created, for: req)
    }

    func setSubscriptionActive(_ req: Request, _ id: Identity) async throws -> HTTPStatus {
        let f = try FormInput.fields(req)
        guard let raw = f["active"], ["true", "false"].contains(raw) else {
            throw ValidationErrors("active", "must be true or false")
        }
        try await MessagingRecords.setActive(
            try req.uuid("subscriptionID"), active: raw == "true", actor: id.actor, on: req.application)
        return .noContent
    }

    func deliveries(_ req: Request, _: Identity) async throws -> [MessagingRecords.Delivery] {
        try await MessagingRecords.deliveries(
            failedOnly: req.query[String.self, at: "failed"] == "true", on: req.db)
    }

    func redeliver(_ req: Request, _ id: Identity) async throws -> HTTPStatus {
        try await BookingRecords.redeliver(
            messageID: try req.uuid("messageID"), actor: id.actor, on: req.application)
        return .accepted
    }

    static func dto(_ s: WebhookSubscription, secret: String?) -> SubscriptionDTO {
        SubscriptionDTO(
            id: s.id!, partnerID: s.$partner.id, partner: s.$partner.value?.name ?? "", eventType: s.eventType,
            url: s.url, active: s.active,
            createdBy: s.createdBy, createdAt: s.createdAt, secret: secret)
    }

    static func manifestQuery(_ req: Request) throws -> (String, String) {
        var e = ValidationErrors()
        let airport = (req.query[String.self, at: "airport"] ?? req.application.passageConfig.hubAirport).uppercased()
        if ReferenceData.airports[airport] == nil { e.add("airport", "'\(airport)' is not a known IATA airport code") }
        let raw = req.query[String.self, at: "date"] ?? ""
        let date = raw.isEmpty ? Clock.today().isoText : raw
        _ = Input.day(date, field: "date", required: true, into: &e)
        try e.throwIfAny()
        return (airport, date)
    }

    static func monthQuery(_ req: Request) throws -> (String, String) {
        var e = ValidationErrors()
        let airport = (req.query[String.self, at: "airport"] ?? req.application.passageConfig.hubAirport).uppercased()
        if ReferenceData.airports[airport] == nil { e.add("airport", "'\(airport)' is not a known IATA airport code") }
        let raw = req.query[String.self, at: "month"] ?? ""
        let month = raw.isEmpty ? String(Clock.today().isoText.prefix(7)) : raw
        let parts = month.split(separator: "-")
        if month.count != 7 || parts.count != 2 || Int(parts[0]) == nil || !(1...12).contains(Int(parts[1]) ?? 0) {
            e.add("month", "must be a month like 2026-11")
        }
        try e.throwIfAny()
        return (airport, month)
    }
}

/// Kannel's delivery reports (`dlr-url`). Kannel signs in with nothing but the message's own token.
struct KannelController {
    func boot(_ app: Application) {
        app.open(.GET, "sms", "dlr") { req -> HTTPStatus in
            guard let id = req.query[UUID.self, at: "id"], let token = req.query[String.self, at: "token"],
                let status = req.query[Int.self, at: "status"]
            else {
                throw Abort(.badRequest, reason: "id, token and status are required")
            }
            try await BookingRecords.deliveryReport(
                id: id, token: token, status: status, answer: req.query[String.self, at: "answer"] ?? "",
                on: req.application)
            return .ok
        }
    }
}
