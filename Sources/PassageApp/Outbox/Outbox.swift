import Vapor
import Fluent
import SQLKit
import PassageDomain

/// Writing outbound work. Called inside the transaction of the change that causes it, so the message
/// exists exactly when the change does; the event key makes a second queueing of the same event a no-op.
enum Outbox {
    struct Draft: Sendable {
        var id: UUID = UUID()
        var kind: OutboxMessage.Kind
        var eventKey: String
        var caseID: UUID?
        var personID: UUID?
        var bookingID: UUID?
        var subscriptionID: UUID?
        var destination: String
        var body: String
        var label: String
        var dueAt: Date = Clock.now()
        /// After this moment the message is no longer true (the flight it is about has left): it is not sent.
        var expiresAt: Date?
    }

    /// Queues a message; nil when its event was queued before.
    @discardableResult
    static func enqueue(_ d: Draft, on db: any Database) async throws -> OutboxMessage? {
        if try await OutboxMessage.query(on: db).filter(\.$eventKey == d.eventKey).first() != nil { return nil }
        let m = OutboxMessage()
        m.id = d.id
        m.kind = d.kind; m.eventKey = d.eventKey; m.caseID = d.caseID; m.personID = d.personID;
        m.bookingID = d.bookingID
        m.subscriptionID = d.subscriptionID; m.destination = d.destination; m.body = d.body; m.label = d.label
        m.status = OutboxMessage.Status.pending; m.attempts = 0; m.dueAt = d.dueAt; m.firstDueAt = d.dueAt
        m.expiresAt = d.expiresAt
        if d.kind == .sms { m.dlrToken = randomToken() }
        try await m.create(on: db)
        return m
    }

    /// Stops messages that have not gone out yet (a reminder for a cancelled flight).
    static func cancelPending(bookingID: UUID, keyPrefix: String, reason: String, on db: any Database) async throws {
        let pending = try await OutboxMessage.query(on: db).filter(\.$bookingID == bookingID)
            .filter(\.$status == OutboxMessage.Status.pending).all()
        for m in pending where m.eventKey.hasPrefix(keyPrefix) {
            m.status = OutboxMessage.Status.cancelled
            m.lastError = reason
            try await m.update(on: db)
        }
    }

    static func randomToken() -> String {
        [UInt8].random(count: 18).base64String().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_")
    }
}

/// The signature a partner checks: HMAC-SHA256 with the subscription's secret over `id.timestamp.body`.
enum WebhookSignature {
    static func sign(secret: String, id: String, timestamp: String, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(id).\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
