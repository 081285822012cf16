import Testing
import VaporTesting
import Fluent
import NIOConcurrencyHelpers
import PassageDomain
@testable import PassageApp

/// A partner's webhook endpoint on loopback that records every request and can refuse or hold some.
final class WebhookReceiver: @unchecked Sendable {
    struct Hit: Sendable {
        var path: String; var id: String; var key: String; var timestamp: String; var signature: String;
        var body: String
    }
    let app: Application
    let port: Int
    private let lock = NIOLock()
    private var hits: [Hit] = []
    /// Event ids answered 503 on their first arrival.
    var refuseFirst: @Sendable (Hit) -> Bool = { _ in false }
    /// Seconds the very first request is held before it is answered.
    var holdFirst: Double = 0

    var received: [Hit] { lock.withLock { hits } }

    private init(app: Application, port: Int) { self.app = app; self.port = port }

    static func start() async throws -> WebhookReceiver {
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try freeLoopbackPort()
            let app = try await Application.make(.testing)
            app.logger.logLevel = .error
            let r = WebhookReceiver(app: app, port: port)
            app.post("hook", ":name") { req async throws -> HTTPStatus in
                let hit = Hit(
                    path: req.parameters.get("name") ?? "", id: req.headers.first(name: "Passage-Event-Id") ?? "",
                    key: req.headers.first(name: "Idempotency-Key") ?? "",
                    timestamp: req.headers.first(name: "Passage-Timestamp") ?? "",
                    signature: req.headers.first(name: "Passage-Signature") ?? "", body: req.body.string ?? "")
                let (first, seenBefore) = r.lock.withLock { () -> (Bool, Bool) in
                    let seen = r.hits.contains { $0.id == hit.id }
                    r.hits.append(hit)
                    return (r.hits.count == 1, seen)
                }
                if first && r.holdFirst > 0 { try await Task.sleep(nanoseconds: UInt64(r.holdFirst * 1_000_000_000)) }
                return !seenBefore && r.refuseFirst(hit) ? .serviceUnavailable : .ok
            }
            do {
                try await app.server.start(address: .hostname("127.0.0.1", port: port))
                return r
            } catch {
                lastError = error
                try? await app.asyncShutdown()
            }
        }
        throw lastError!
    }

    func url(_ name: String) -> String { "http://127.0.0.1:\(port)/hook/\(name)" }

    func stop() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

    func validSignature(_ h: Hit, secret: String) -> Bool {
        h.signature == WebhookSignature.sign(secret: secret, id: h.id, timestamp: h.timestamp, body: h.body)
    }
}

@Suite(.serialized) struct DeliveryTests {
    struct Partnered { let setup: MovementsTests.Setup; let secret: String; let subscription: UUID }

    /// A person in a centre of their own agency, the agency subscribed to departures at `url`.
    static func partnered(
        _ h: Harness, _ agency: String, url: String, phone: String? = nil, agreed: Bool = true
    ) async throws -> Partnered {
        let s = try await MovementsTests.setUp(h, phone: phone, agencyName: agency)
        if agreed { try await ProtectionFixtures.agreement(h, partner: s.agency) }
        let res = try await h.send(
            .POST, "/api/v1/webhooks/subscriptions", as: .administrator,
            json: ["partnerID": s.agency.uuidString, "eventType": "departure.completed", "url": url])
        #expect(res.status == .created, "\(res.body.string)")
        let sub = try decode(MovementsAPIController.SubscriptionDTO.self, res)
        #expect(sub.secret?.hasPrefix("whsec_") == true)
        let listed = try await h.send(.GET, "/api/v1/webhooks/subscriptions", as: .administrator)
        #expect(!listed.body.string.contains(sub.secret!), "a secret is shown once only")
        return Partnered(setup: s, secret: sub.secret!, subscription: sub.id)
    }

    /// Books yesterday's flight for the person and confirms it flown.
    static func departed(_ h: Harness, _ s: MovementsTests.Setup, reference: String) async throws {
        let b = decode2(
            try await MovementsTests.book(
                h, s.caseID, MovementsTests.tunis(s, days: -1, status: "ticketed", reference: reference)))
        #expect(try await MovementsTests.move(h, b, "flown").status == .ok)
    }

    static func until(_ seconds: Double, _ check: () async throws -> Bool) async throws -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try await check() { return true }
            try await Task.sleep(nanoseconds: 150_000_000)
        }
        return try await check()
    }

    @Test(arguments: TestDatabase.available)
    func partners_receive_signed_departures_only_for_their_locations_despite_failures(_ db: TestDatabase) async throws {
        let receiver = try await WebhookReceiver.start()
        receiver.refuseFirst = { $0.path == "north" }
        defer { Task { await receiver.stop() } }
        try await withHarness(db, adjust: { $0.outboxRetrySeconds = 1 }) { h in
            let north = try await Self.partnered(h, "Agency North", url: receiver.url("north"))
            let south = try await Self.partnered(h, "Agency South", url: receiver.url("south"))
            let idle = try await Self.partnered(h, "Agency Idle", url: receiver.url("idle"))
            // Only north's and south's people leave; idle's person stays.
            try await Self.departed(h, north.setup, reference: "NORTH1")
            try await Self.departed(h, south.setup, reference: "SOUTH1")
            _ = idle
            let worker = OutboxWorker(app: h.app)
            let done = try await Self.until(20) {
                try await worker.runOnce()
                return try await OutboxMessage.query(on: h.app.db).filter(\.$kind == .webhook).filter(
                    \.$status != .delivered
                ).count() == 0
            }
            #expect(done)
            let hits = receiver.received
            #expect(Set(hits.map(\.path)) == ["north", "south"])
            for (name, p) in [("north", north), ("south", south)] {
                let mine = hits.filter { $0.path == name }
                #expect(!mine.isEmpty)
                for hit in mine {
                    #expect(receiver.validSignature(hit, secret: p.secret), "signature of \(name)")
                    #expect(hit.key == hit.id)
                    let body = try JSONDecoder().decode(
                        PartnerNotice<DepartureCompleted>.self, from: Data(hit.body.utf8))
                    #expect(body.id == hit.id && body.type == "departure.completed")
                    #expect(
                        body.data.personReference == p.setup.person.reference,
                        "a partner only hears of its own locations")
                    #expect(body.data.location.id == p.setup.centre.uuidString)
                    #expect(body.data.flight == "TU791 AMS→TUN")
                }
            }
            // North refused the first try: the log shows it, and the retry carried the same event id.
            let north1 = hits.filter { $0.path == "north" }
            #expect(north1.count == 2 && north1[0].id == north1[1].id)
            let log = try decode(
                [MessagingRecords.Delivery].self,
                try await h.send(.GET, "/api/v1/webhooks/deliveries", as: .administrator))
            let northLog = try #require(log.first { $0.subscriptionID == north.subscription })
            #expect(northLog.log.map(\.ok) == [false, true])
            #expect(northLog.log.first?.code == 503)
            // Redelivery on request: the same event again.
            let southID = try #require(log.first { $0.subscriptionID == south.subscription }?.id)
            #expect(
                try await h.send(.POST, "/api/v1/webhooks/deliveries/\(southID)/redeliver", as: .administrator).status
                    == .accepted)
            try await worker.runOnce()
            #expect(receiver.received.filter { $0.id == southID.uuidString }.count == 2)
            #expect(try await h.send(.GET, "/api/v1/webhooks/deliveries", as: .counsellor).status == .forbidden)
        }
    }

    /// The root of the package, to find the built `passage` executable.
    static var binary: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent(".build/debug/passage").path
    }

    static func worker(_ h: Harness) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["worker"]
        var env = ProcessInfo.processInfo.environment
        env["PASSAGE_OUTBOX_LEASE_SECONDS"] = "2"
        env["PASSAGE_OUTBOX_RETRY_SECONDS"] = "1"
        env["PASSAGE_OUTBOX_POLL_MS"] = "100"
        switch h.app.passageConfig.storage {
        case .sqliteFile(let path):
            env["PASSAGE_DATA_DIR"] = (path as NSString).deletingLastPathComponent; env["DATABASE_URL"] = nil
        case .postgres(let url):
            env["DATABASE_URL"] = url; env["PASSAGE_DB_SCHEMA"] = h.app.passageConfig.postgresSchema
        case .sqliteMemory: Issue.record("a worker process needs a database on disk")
        }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @Test(arguments: TestDatabase.available)
    func a_worker_killed_mid_send_resumes_after_a_restart_and_loses_nothing(_ db: TestDatabase) async throws {
        let receiver = try await WebhookReceiver.start()
        receiver.holdFirst = 4
        defer { Task { await receiver.stop() } }
        try await withHarness(
            db, onDisk: true,
            adjust: {
                $0.outboxRetrySeconds = 1; $0.outboxLeaseSeconds = 2
            }
        ) { h in
            var partners: [Partnered] = []
            for name in ["East", "West", "Central"] {
                let p = try await Self.partnered(h, "Agency \(name)", url: receiver.url(name.lowercased()))
                try await Self.departed(h, p.setup, reference: name.uppercased() + "1")
                partners.append(p)
            }
            #expect(try await OutboxMessage.query(on: h.app.db).filter(\.$kind == .webhook).count() == 3)
            // The worker takes the first notification and is killed while the partner is still answering.
            let first = try Self.worker(h)
            #expect(try await Self.until(20) { !receiver.received.isEmpty })
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            #expect(first.terminationReason == .uncaughtSignal)
            let held = try #require(receiver.received.first)
            let claimed = try #require(try await OutboxMessage.find(UUID(uuidString: held.id), on: h.app.db))
            #expect(
                claimed.status.rawValue == "sending",
                "the interrupted send is still claimed, not lost and not marked sent")
            // A new worker takes it again once the lease is over, with the same event id, and delivers the rest.
            let second = try Self.worker(h)
            let done = try await Self.until(30) {
                try await OutboxMessage.query(on: h.app.db).filter(\.$kind == .webhook).filter(
                    \.$status == .delivered
                ).count() == 3
            }
            second.terminate()
            second.waitUntilExit()
            #expect(done)
            let hits = receiver.received
            #expect(Set(hits.map(\.id)).count == 3)
            #expect(hits.filter { $0.id == held.id }.count == 2, "the interrupted event came again with its own id")
            for hit in hits {
                let p = try #require(
                    partners.first { hit.body.contains("\"caseReference\":\"\($0.setup.caseReference)\"") })
                #expect(receiver.validSignature(hit, secret: p.secret))
                #expect(hit.key == hit.id)
            }
        }
    }

    @Test(
        .enabled(if: ProcessInfo.processInfo.environment["PASSAGE_TEST_KANNEL_URL"] != nil),
        arguments: TestDatabase.available)
    func sms_reach_the_fake_smsc_through_kannel_in_arabic_and_delivery_reports_come_back(_ db: TestDatabase)
        async throws
    {
        let env = ProcessInfo.processInfo.environment
        let port = try freeLoopbackPort()
        let phone = "+3161" + String(Int.random(in: 1_000_000...9_999_999))
        try await withHarness(
            db,
            adjust: {
                $0.kannel = .init(
                    sendURL: env["PASSAGE_TEST_KANNEL_URL"]!, username: env["PASSAGE_TEST_KANNEL_USER"]!,
                    password: env["PASSAGE_TEST_KANNEL_PASSWORD"]!, sender: "Passage")
                $0.publicURL = "http://127.0.0.1:\(port)"
                $0.outboxRetrySeconds = 1
            }
        ) { h in
            try await h.app.server.start(address: .hostname("127.0.0.1", port: port))
            let s = try await MovementsTests.setUp(h, phone: phone)
            let b = decode2(
                try await MovementsTests.book(
                    h, s.caseID, MovementsTests.tunis(s, days: 5, status: "ticketed", reference: "KAN001")))
            let worker = OutboxWorker(app: h.app)
            #expect(try await worker.runOnce() == 1, "the ticket's message goes now, the reminder waits for its day")
            let sms = try #require(
                try await OutboxMessage.query(on: h.app.db).filter(\.$bookingID == b.id).filter(\.$label ~~ "ticketed")
                    .first())
            #expect(sms.status.rawValue == "sent" || sms.status.rawValue == "delivered")
            // The fake SMSC prints what it received: UCS-2, URL-encoded.
            var text: String?
            _ = try await Self.until(10) {
                text = try Self.fakeSMSC(env["PASSAGE_TEST_FAKESMSC_LOG"]!, to: phone)
                return text != nil
            }
            #expect(text == sms.body, "the Arabic text arrived intact")
            #expect(sms.body.contains("تم حجز رحلتك"))
            // Kannel reports back through dlr-url: accepted by the SMS centre, then delivered.
            let reported = try await Self.until(20) {
                try await OutboxMessage.find(sms.id, on: h.app.db)?.report?.hasPrefix("delivered to the phone") == true
            }
            #expect(reported)
            #expect(try await OutboxMessage.find(sms.id, on: h.app.db)?.status.rawValue == "delivered")
            // A report with a wrong token changes nothing.
            #expect(try await h.send(.GET, "/sms/dlr?id=\(sms.id!)&token=forged&status=2", as: nil).status == .notFound)
            // Kannel down: the message waits, says why, and goes once Kannel is back.
            let good = h.app.passageConfig.kannel!
            h.app.passageConfig.kannel!.sendURL = "http://127.0.0.1:9/cgi-bin/sendsms"
            let c = decode2(
                try await MovementsTests.book(h, s.caseID, MovementsTests.tunis(s, days: 7, status: "requested")))
            #expect(try await MovementsTests.move(h, c, "cancelled").status == .ok)  // not ticketed: nothing to tell
            let d = decode2(
                try await MovementsTests.book(
                    h, s.caseID, MovementsTests.tunis(s, days: 8, status: "ticketed", reference: "KAN002")))
            try await worker.runOnce()
            let waiting = try decode(
                [BookingFile.MessageDTO].self,
                try await h.send(.GET, "/api/v1/cases/\(s.caseID)/messages", as: .counsellor)
            )
            .first { $0.body.contains("KAN002") && $0.label.contains("ticketed") }
            #expect(waiting?.status == "pending" && waiting?.attempts == 1)
            #expect(waiting?.lastError?.contains("Kannel unreachable") == true)
            // Kannel refusing (a wrong password) is the same: the message waits.
            h.app.passageConfig.kannel = good
            h.app.passageConfig.kannel!.password = "wrong"
            try await Self.due(waiting!.id, on: h.app.db)
            try await worker.runOnce()
            let refused = try #require(try await OutboxMessage.find(waiting!.id, on: h.app.db))
            #expect(
                refused.status.rawValue == "pending" && refused.attempts == 2
                    && refused.lastError?.hasPrefix("Kannel:") == true)
            h.app.passageConfig.kannel = good
            try await Self.due(waiting!.id, on: h.app.db)
            try await worker.runOnce()
            #expect(try await OutboxMessage.find(waiting!.id, on: h.app.db)?.status.rawValue != "pending")
            _ = d
            // Opt-out: the next message is not queued; resend is refused until consent is back.
            #expect(
                try await h.send(
                    .PUT, "/api/v1/persons/\(s.person.id)/sms-opt-out", as: .counsellor, json: ["optedOut": "true"]
                ).status == .noContent)
            #expect(try await h.send(.POST, "/api/v1/messages/\(sms.id!)/resend", as: .counsellor).status == .conflict)
            let e = decode2(
                try await MovementsTests.book(
                    h, s.caseID, MovementsTests.tunis(s, days: 9, status: "ticketed", reference: "KAN003")))
            #expect(e.messages.isEmpty)
            #expect(e.history.contains { $0.note.contains("opted out") })
            #expect(
                try await h.send(
                    .PUT, "/api/v1/persons/\(s.person.id)/sms-opt-out", as: .counsellor, json: ["optedOut": "maybe"]
                ).status == .unprocessableEntity)
            #expect(
                try await h.send(
                    .PUT, "/api/v1/persons/\(s.person.id)/sms-opt-out", as: .counsellor, json: ["optedOut": "false"]
                ).status == .noContent)
            let again = try await h.send(.POST, "/api/v1/messages/\(sms.id!)/resend", as: .counsellor)
            #expect(again.status == .created)
            #expect(try decode(BookingFile.MessageDTO.self, again).body == sms.body)
            await h.app.server.shutdown()
        }
    }

    /// Makes a waiting message due now, as if its retry time had come.
    static func due(_ id: UUID, on db: any Database) async throws {
        let m = try #require(try await OutboxMessage.find(id, on: db))
        m.dueAt = Date()
        try await m.update(on: db)
    }

    /// The first text the fake SMSC received for a number, decoded from its UCS-2 dump; a long text arrives
    /// in parts (`udh <header> data <part>`) that are put back together by their sequence numbers.
    static func fakeSMSC(_ log: String, to phone: String) throws -> String? {
        let text = try String(contentsOfFile: log, encoding: .utf8)
        func bytes(_ encoded: Substring) -> [UInt8] {
            var out: [UInt8] = []
            var i = encoded.startIndex
            while i < encoded.endIndex {
                let c = encoded[i]
                if c == "%", let end = encoded.index(i, offsetBy: 3, limitedBy: encoded.endIndex),
                    let b = UInt8(encoded[encoded.index(after: i)..<end], radix: 16)
                {
                    out.append(b); i = end
                } else {
                    out.append(c == "+" ? 0x20 : c.asciiValue ?? 0x3F); i = encoded.index(after: i)
                }
            }
            return out
        }
        func ucs2(_ b: [UInt8]) -> String {
            var units: [UInt16] = []
            for j in stride(from: 0, to: b.count - 1, by: 2) { units.append(UInt16(b[j]) << 8 | UInt16(b[j + 1])) }
            return String(decoding: units, as: UTF16.self)
        }
        var parts: [UInt8: [UInt8]] = [:]
        var ref: UInt8?
        var total: UInt8 = 0
        for line in text.split(separator: "\n") {
            guard let start = line.range(of: " \(phone) ")?.upperBound else { continue }
            let rest = line[start...].dropLast(line.hasSuffix(">") ? 1 : 0)
            if rest.hasPrefix("ucs-2 ") { if ref == nil { return ucs2(bytes(rest.dropFirst(6))) } else { continue } }
            guard rest.hasPrefix("udh "), let dataAt = rest.range(of: " data ") else { continue }
            let udh = bytes(rest[rest.index(rest.startIndex, offsetBy: 4)..<dataAt.lowerBound])
            guard udh.count == 6 else { continue }
            if ref == nil { ref = udh[3]; total = udh[4] }
            guard udh[3] == ref, parts[udh[5]] == nil else { continue }
            parts[udh[5]] = bytes(rest[dataAt.upperBound...])
            if parts.count == Int(total) { return ucs2(parts.keys.sorted().flatMap { parts[$0]! }) }
        }
        return nil
    }
}
