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
guard let url = env["PASSAGE_TEST_KANNEL_URL"], let user = env["PASSAGE_TEST_KANNEL_USER"],
    let password = env["PASSAGE_TEST_KANNEL_PASSWORD"]
else {
    print("Run under scripts/with-kannel: PASSAGE_TEST_KANNEL_URL, _USER and _PASSWORD are needed"); exit(2)
}
let kannel = AppConfig.Kannel(sendURL: url, username: user, password: password, sender: "Passage")
var config: AppConfig
switch database {
case "postgres":
    guard let db = env["DATABASE_URL"], !db.isEmpty else { print("--database postgres needs DATABASE_URL"); exit(2) }
    config = AppConfig(
        storage: .postgres(url: db), bcryptCost: 4, postgresSchema: "bench_\(UInt32.random(in: 0...UInt32.max))",
        kannel: kannel)
default:
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "passage-outbox-bench-\(UUID().uuidString.prefix(8))"
    ).path
    config = AppConfig(storage: .sqliteFile(path: dir + "/passage.sqlite"), bcryptCost: 4, kannel: kannel)
}
config.publicURL = "http://127.0.0.1:9"  // delivery reports are not part of this measurement
let app = try await PassageServices.open(config)
let text = SMSTemplates.render(
    SMSTemplates.defaults[.ticketed]!["ar"]!,
    ["flight": "TU791", "from": "AMS (Amsterdam)", "date": "2026-12-01", "time": "10:15", "reference": "BENCH1"])
let inFlight = 20

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

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

var q = URLComponents()
q.queryItems = [
    .init(name: "username", value: user), .init(name: "password", value: password),
    .init(name: "from", value: "Passage"),
    .init(name: "to", value: "+31600000001"), .init(name: "text", value: text), .init(name: "charset", value: "UTF-8"),
    .init(name: "coding", value: "2"), .init(name: "dlr-mask", value: "31"),
    .init(name: "dlr-url", value: "http://127.0.0.1:9/sms/dlr?id=x&status=%d"),
]
let rawURL = url + "?" + (q.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")

/// Kannel's own rate: sendsms, `inFlight` requests at a time, the same parameters the worker sends.
func raw(_ n: Int) async -> Double {
    var accepted = 0
    var sent = 0
    let start = ContinuousClock.now
    while sent < n {
        let k = min(inFlight, n - sent)
        accepted += await sendRaw(k, url: rawURL, client: app.client)
        sent += k
    }
    return Double(accepted) / seconds(ContinuousClock.now - start)
}

/// The outbox's rate: the same messages queued as rows, then delivered by the worker (claim, send, record).
func outbox(_ n: Int) async throws -> Double {
    let before = try await PassageServices.outboxCounts(on: app)
    try await PassageServices.queueSMS(count: n, to: "+31600000002", text: text, on: app)
    let start = ContinuousClock.now
    while try await PassageServices.deliverOutbox(on: app) > 0 {}
    let time = seconds(ContinuousClock.now - start)
    let after = try await PassageServices.outboxCounts(on: app)
    let sent = (after["sent"] ?? 0) + (after["delivered"] ?? 0) - (before["sent"] ?? 0) - (before["delivered"] ?? 0)
    if (after["pending"] ?? 0) > 0 { print("  \(after["pending"]!) messages still waiting") }
    return Double(sent) / time
}

// Alternating runs, each after Kannel has passed the previous run's messages on, so neither side pays for the other.
print(
    "SMS through Kannel: \(messages) messages per run on \(database), \(inFlight) in flight, 3 runs each, alternating")
var ratios: [Double] = []
for run in 1...3 {
    try await Task.sleep(nanoseconds: 3_000_000_000)
    let r = await raw(messages)
    try await Task.sleep(nanoseconds: 3_000_000_000)
    let o = try await outbox(messages)
    ratios.append(o / r)
    print(
        String(format: "  run %d: Kannel sendsms %.0f messages/s, outbox %.0f messages/s, ratio %.2f", run, r, o, o / r)
    )
}
print(String(format: "median ratio outbox / raw: %.2f (target ≥ 0.8)", ratios.sorted()[1]))
try await app.asyncShutdown()
