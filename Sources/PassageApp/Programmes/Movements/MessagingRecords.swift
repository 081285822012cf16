import Vapor
import Fluent
import PassageDomain

/// SMS templates and partner webhook subscriptions: the administrators' side of outbound messages.
enum MessagingRecords {
    static func saveTemplate(event raw: String, language: String, text: String, actor: Actor, on app: Application)
        async throws
    {
        guard let event = SMSEvent(rawValue: raw) else {
            throw Abort(
                .notFound,
                reason: "Unknown SMS event; one of " + SMSEvent.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard SMSTemplates.languages.contains(language) else {
            throw Abort(
                .notFound,
                reason: "No templates for language '\(language)'; one of "
                    + SMSTemplates.languages.joined(separator: ", "))
        }
        let clean = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try SMSTemplates.validate(clean, event: event)
        try await app.writeTransaction { db in
            let t =
                try await SMSTemplateRecord.query(on: db).filter(\.$event == event.rawValue).filter(
                    \.$language == language
                ).first() ?? SMSTemplateRecord()
            let before = t.id == nil ? [:] : ["text": t.text]
            t.event = event.rawValue; t.language = language; t.text = clean; t.updatedBy = actor.name
            try await t.save(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: before.isEmpty ? .create : .update, entity: "sms_template",
                entityID: "\(event.rawValue)/\(language)",
                personID: nil, changes: AuditRecord.diff(before: before, after: ["text": clean]))
        }
    }

    /// A new subscription; its secret is returned this once and never shown again.
    static func subscribe(_ f: FormFields, actor: Actor, on app: Application) async throws -> (
        WebhookSubscription, String
    ) {
        var e = ValidationErrors()
        var partner: Partner?
        if let raw = f["partnerID"], let id = UUID(uuidString: raw) { partner = try await Partner.find(id, on: app.db) }
        if partner == nil { e.add("partnerID", "choose a partner organisation from the registry") }
        let type = WebhookEventType.read(f["eventType"], field: "eventType", default: .departureCompleted, into: &e)
        var url = ""
        do { url = try WebhookURL.check(f["url"] ?? "") } catch let v as ValidationErrors {
            for i in v.items { e.add(i.field, i.message) }
        }
        try e.throwIfAny()
        let secret = "whsec_" + Outbox.randomToken()
        let partnerName = partner!.name
        let address = url
        let s = WebhookSubscription()
        s.$partner.id = partner!.id!; s.eventType = type!.rawValue; s.url = url; s.secret = secret; s.active = true;
        s.createdBy = actor.name
        try await app.writeTransaction { db in
            try await s.create(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .create, entity: "webhook_subscription", entityID: s.id!.uuidString,
                personID: nil,
                changes: AuditRecord.diff(
                    before: [:], after: ["partner": partnerName, "eventType": s.eventType, "url": address]))
        }
        return (s, secret)
    }

    static func setActive(_ id: UUID, active: Bool, actor: Actor, on app: Application) async throws {
        try await app.writeTransaction { db in
            guard let s = try await WebhookSubscription.find(id, on: db) else {
                throw Abort(.notFound, reason: "No such subscription.")
            }
            guard s.active != active else { return }
            s.active = active
            try await s.update(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .update, entity: "webhook_subscription", entityID: id.uuidString,
                personID: nil,
                changes: AuditRecord.diff(before: ["active": String(!active)], after: ["active": String(active)]))
        }
    }

    struct Delivery: Content {
        var id: UUID; var subscriptionID: UUID?; var partner: String; var url: String; var label: String;
        var status: String
        var attempts: Int; var dueAt: Date; var sentAt: Date?; var lastError: String?; var createdAt: Date?
        var log: [Attempt]
    }
    struct Attempt: Content {
        var attempt: Int; var at: Date; var ok: Bool; var code: Int?; var detail: String; var durationMs: Int
    }

    /// The newest partner notifications with every attempt, optionally only those not delivered.
    static func deliveries(failedOnly: Bool, limit: Int = 200, on db: any Database) async throws -> [Delivery] {
        var q = OutboxMessage.query(on: db).filter(\.$kind == OutboxMessage.Kind.webhook)
        if failedOnly {
            q = q.filter(\.$status ~~ [OutboxMessage.Status.failed, OutboxMessage.Status.pending])
                .filter(\.$attempts > 0)
        }
        let rows = try await q.sort(\.$createdAt, .descending).limit(limit).all()
        let attempts = try await OutboxAttempt.query(on: db).filter(\.$messageID ~~ rows.map { $0.id! }).sort(\.$at)
            .all()
        let subs = try await WebhookSubscription.query(on: db).with(\.$partner).all()
        return rows.map { m in
            let s = subs.first { $0.id == m.subscriptionID }
            return Delivery(
                id: m.id!, subscriptionID: m.subscriptionID, partner: s?.partner.name ?? "—", url: m.destination,
                label: m.label, status: m.status.rawValue,
                attempts: m.attempts, dueAt: m.dueAt, sentAt: m.sentAt, lastError: m.lastError, createdAt: m.createdAt,
                log: attempts.filter { $0.messageID == m.id }.map {
                    Attempt(
                        attempt: $0.attempt, at: $0.at, ok: $0.ok, code: $0.code, detail: $0.detail,
                        durationMs: $0.durationMs)
                })
        }
    }
}
