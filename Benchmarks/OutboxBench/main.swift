import Foundation
import Vapor
import PassageApp
import PassageDomain

// passage-outbox-bench: SMS through the outbox and Kannel, against Kannel's own sendsms rate.
//   scripts/with-kannel .build/release/passage-outbox-bench [--messages 2000] [--database sqlite|postgres]
// Kannel comes from scripts/with-kannel (PASSAGE_TEST_KANNEL_URL, _USER, _PASSWORD). Both runs send the same
// Arabic text (UCS-2, coding=2) with the same number of requests in flight as the worker (its batch of 20).

var messages = 2000
var database = "sqlite"
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--messages": messages = Int(args.next() ?? "") ?? messages
    case "--database": database = args.next() ?? database
    default: print("unknown option \(a)"); exit(2)
    }
}
let env = ProcessInfo.processInfo.environment
guard let url = env["PASSAGE_TEST_KANNEL_URL"], let user = env["PASSAGE_TEST_KANNEL_USER"], let password = env["PASSAGE_TEST_KANNEL_PASSWORD"] else {
    print("Run under scripts/with-kannel: PASSAGE_TEST_KANNEL_URL, _USER and _PASSWORD are needed"); exit(2)
}
let kannel = AppConfig.Kannel(sendURL: url, username: user, password: password, sender: "Passage")
var config: AppConfig
switch database {
case "postgres":
    guard let db = env["DATABASE_URL"], !db.isEmpty else { print("--database postgres needs DATABASE_URL"); exit(2) }
    config = AppConfig(storage: .postgres(url: db), bcryptCost: 4, postgresSchema: "bench_\(UInt32.random(in: 0...UInt32.max))", kannel: kannel)
default:
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("passage-outbox-bench-\(UUID().uuidString.prefix(8))").path
    config = AppConfig(storage: .sqliteFile(path: dir + "/passage.sqlite"), bcryptCost: 4, kannel: kannel)
}
config.publicURL = "http://127.0.0.1:9"  // delivery reports are not part of this measurement
let app = try await PassageServices.open(config)
let text = SMSTemplates.render(SMSTemplates.defaults[.ticketed]!["ar"]!, ["flight": "TU791", "from": "AMS (Amsterdam)", "date": "2026-12-01", "time": "10:15", "reference": "BENCH1"])
let inFlight = 20

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

// Raw: Kannel's sendsms, `inFlight` requests at a time, the same parameters the worker sends.
print("Kannel raw sendsms: \(messages) messages, \(inFlight) at a time")
var accepted = 0
let rawStart = ContinuousClock.now
var q = URLComponents()
q.queryItems = [.init(name: "username", value: user), .init(name: "password", value: password), .init(name: "from", value: "Passage"),
                .init(name: "to", value: "+31600000001"), .init(name: "text", value: text), .init(name: "charset", value: "UTF-8"),
                .init(name: "coding", value: "2"), .init(name: "dlr-mask", value: "31"), .init(name: "dlr-url", value: "http://127.0.0.1:9/sms/dlr?id=x&status=%d")]
let rawURL = url + "?" + (q.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
func sendRaw(_ count: Int, url: String, client: any Client) async -> Int {
    await withTaskGroup(of: Int.self) { g in
        for _ in 0..<count {
            g.addTask {
                let res = try? await client.get(URI(string: url))
                return res?.status.code == 202 ? 1 : 0
            }
        }
        return await g.reduce(0, +)
    }
}
var sent = 0
while sent < messages {
    let n = min(inFlight, messages - sent)
    accepted += await sendRaw(n, url: rawURL, client: app.client)
    sent += n
}
let rawTime = seconds(ContinuousClock.now - rawStart)
let rawRate = Double(accepted) / rawTime
print(String(format: "  %d accepted in %.2f s: %.0f messages/s", accepted, rawTime, rawRate))

// Outbox: the same messages queued as rows, then delivered by the worker (claim, send, record each).
print("Outbox through Kannel on \(database): \(messages) messages")
try await PassageServices.queueSMS(count: messages, to: "+31600000002", text: text, on: app)
let outStart = ContinuousClock.now
var rounds = 0
while try await PassageServices.deliverOutbox(on: app) > 0 { rounds += 1 }
let outTime = seconds(ContinuousClock.now - outStart)
let counts = try await PassageServices.outboxCounts(on: app)
let delivered = (counts["sent"] ?? 0) + (counts["delivered"] ?? 0)
let outRate = Double(delivered) / outTime
print(String(format: "  %d sent in %.2f s (%d rounds): %.0f messages/s; still waiting: %d", delivered, outTime, rounds, outRate, counts["pending"] ?? 0))
print(String(format: "ratio outbox / raw: %.2f (target ≥ 0.8)", outRate / rawRate))
try await app.asyncShutdown()
