import Fluent
import PassageDomain
import Vapor

/// The envelope every partner notification shares: its id (the same on a redelivery), its type, when it was made,
/// and what it says.
struct PartnerNotice<Payload: Codable & Sendable>: Codable, Sendable {
    var id: String
    var type: String
    var createdAt: String
    var data: Payload
}

extension Outbox {
    /// The active subscriptions of `partners` to an event type.
    static func subscriptions(_ type: WebhookEventType, of partners: [UUID], on db: any Database) async throws
        -> [WebhookSubscription]
    {
        guard !partners.isEmpty else { return [] }
        return try await WebhookSubscription.query(on: db).filter(\.$partner.$id ~~ partners)
            .filter(\.$eventType == type.rawValue).filter(\.$active == true).all()
    }

    /// Queues `payload` as a `type` notification to each subscription, once per `key` (the event's own part of the
    /// key: a second queueing of the same event to the same subscription is a no-op). The worker signs and sends it.
    static func notify<Payload: Codable & Sendable>(
        _ type: WebhookEventType, _ payload: Payload, to subscriptions: [WebhookSubscription], key: String,
        caseID: UUID?, personID: UUID?, bookingID: UUID? = nil, label: String, on db: any Database
    ) async throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for sub in subscriptions {
            let id = UUID()
            let event = PartnerNotice(
                id: id.uuidString, type: type.rawValue, createdAt: AuditLog.timestamp(), data: payload)
            try await enqueue(
                .init(
                    id: id, kind: .webhook, eventKey: "webhook:\(sub.id!.uuidString):\(type.rawValue):\(key)",
                    caseID: caseID, personID: personID, bookingID: bookingID, subscriptionID: sub.id,
                    destination: sub.url, body: String(decoding: try enc.encode(event), as: UTF8.self),
                    label: "\(type.rawValue) for \(label) to \(sub.url)"), on: db)
        }
    }
}
