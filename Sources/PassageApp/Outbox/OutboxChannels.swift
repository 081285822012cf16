import Fluent
import PassageDomain
import Vapor

/// A way out of the outbox for one kind of message. The live channels are Kannel (SMS) and the partners'
/// receivers (notifications); each answers how the attempt went, and the worker records it.
protocol OutboxChannel: Sendable {
    var kind: OutboxMessage.Kind { get }
    /// What a message becomes once the channel took it.
    var acceptedStatus: OutboxMessage.Status { get }
    func deliver(_ m: OutboxMessage, app: Application) async -> OutboxWorker.Outcome
}

enum OutboxChannels {
    static let live: [any OutboxChannel] = [KannelChannel(), PartnerReceiverChannel()]
}

/// SMS through Kannel's sendsms interface, with a delivery-report address carrying the message's own token.
struct KannelChannel: OutboxChannel {
    var kind: OutboxMessage.Kind { .sms }
    var acceptedStatus: OutboxMessage.Status { .sent }

    func deliver(_ m: OutboxMessage, app: Application) async -> OutboxWorker.Outcome {
        let config = app.passageConfig
        guard let k = config.kannel else {
            return OutboxWorker.Outcome(
                ok: false, code: nil, detail: "no SMS gateway is configured (PASSAGE_KANNEL_URL)")
        }
        let unicode = SMSEncoding.needsUnicode(m.body)
        let dlr = config.publicURL + "/sms/dlr?id=\(m.id!.uuidString)&token=\(m.dlrToken ?? "")&status=%d&answer=%A"
        var q = URLComponents()
        q.queryItems = [
            .init(name: "username", value: k.username), .init(name: "password", value: k.password),
            .init(name: "from", value: k.sender),
            .init(name: "to", value: m.destination), .init(name: "text", value: m.body),
            .init(name: "charset", value: "UTF-8"),
            .init(name: "coding", value: unicode ? "2" : "0"), .init(name: "dlr-mask", value: "31"),
            .init(name: "dlr-url", value: dlr),
        ]
        // `+` would reach Kannel as a space: encode it (and the rest) strictly.
        let query = (q.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        do {
            var req = ClientRequest(method: .GET, url: URI(string: k.sendURL + "?" + query))
            req.timeout = .seconds(15)
            let res = try await app.client.send(req)
            let text = res.body.map { String(buffer: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return OutboxWorker.Outcome(
                ok: res.status.code == 202 || res.status.code == 200, code: Int(res.status.code),
                detail: "Kannel: " + String(text.prefix(200)))
        } catch {
            return OutboxWorker.Outcome(
                ok: false, code: nil, detail: "Kannel unreachable: " + String(String(describing: error).prefix(200)))
        }
    }
}

/// A signed POST of a notification to a partner's receiver, with the event id as idempotency key.
struct PartnerReceiverChannel: OutboxChannel {
    var kind: OutboxMessage.Kind { .webhook }
    var acceptedStatus: OutboxMessage.Status { .delivered }

    func deliver(_ m: OutboxMessage, app: Application) async -> OutboxWorker.Outcome {
        guard let sid = m.subscriptionID, let sub = try? await WebhookSubscription.find(sid, on: app.db) else {
            return OutboxWorker.Outcome(ok: false, code: nil, detail: "the subscription was removed")
        }
        let id = m.id!.uuidString
        let timestamp = String(Int(Clock.now().timeIntervalSince1970))
        do {
            var req = ClientRequest(method: .POST, url: URI(string: sub.url))
            req.headers.contentType = .json
            req.headers.add(name: "Passage-Event-Id", value: id)
            req.headers.add(name: "Passage-Event-Type", value: sub.eventType)
            req.headers.add(name: "Passage-Timestamp", value: timestamp)
            req.headers.add(
                name: "Passage-Signature",
                value: WebhookSignature.sign(secret: sub.secret, id: id, timestamp: timestamp, body: m.body))
            req.headers.add(name: "Idempotency-Key", value: id)
            req.body = ByteBuffer(string: m.body)
            req.timeout = .seconds(10)
            let res = try await app.client.send(req)
            let ok = (200..<300).contains(Int(res.status.code))
            return OutboxWorker.Outcome(
                ok: ok, code: Int(res.status.code), detail: ok ? "accepted" : "partner answered \(res.status.code)")
        } catch {
            return OutboxWorker.Outcome(
                ok: false, code: nil, detail: "partner unreachable: " + String(String(describing: error).prefix(200)))
        }
    }
}
