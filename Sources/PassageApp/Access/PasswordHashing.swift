import Vapor
import NIOPosix

/// bcrypt on threads of its own, a few at a time. Without a bound, a burst of sign-ins fills the thread pool
/// that SQLite also runs on, and every other request waits behind them until the database pool times out. A
/// burst larger than the queue is answered at once with 503 and Retry-After instead.
final class PasswordHashing: Sendable {
    let pool: NIOThreadPool
    private let slots: Slots
    let cost: Int
    /// A hash of a password no one has, checked when there is no account to check, so that the answer takes as
    /// long whether or not the username exists.
    let decoy: String

    init(threads: Int, queueLimit: Int, cost: Int) throws {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
        slots = Slots(running: max(1, threads), waiting: queueLimit)
        self.cost = cost
        decoy = try Bcrypt.hash(ApiTokens.generate(), cost: cost)
    }

    struct Busy: AbortError {
        var status: HTTPResponseStatus { .serviceUnavailable }
        var reason: String { "Too many sign-ins at once. Wait a moment and try again." }
        var headers: HTTPHeaders { ["Retry-After": "2"] }
    }

    func verify(_ password: String, created hash: String) async throws -> Bool {
        try await run { (try? Bcrypt.verify(password, created: hash)) ?? false }
    }

    func hash(_ password: String) async throws -> String {
        try await run { [cost] in try Bcrypt.hash(password, cost: cost) }
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        guard await slots.enter() else { throw Busy() }
        do {
            let result = try await pool.runIfActive(work)
            await slots.leave()
            return result
        } catch {
            await slots.leave()
            throw error
        }
    }

    func shutdown() { try? pool.syncShutdownGracefully() }

    /// At most `running` at a time and `waiting` in line; more are turned away.
    actor Slots {
        let running: Int
        let waiting: Int
        private var active = 0
        private var queue: [CheckedContinuation<Void, Never>] = []

        init(running: Int, waiting: Int) { self.running = running; self.waiting = waiting }

        func enter() async -> Bool {
            if active < running { active += 1; return true }
            guard queue.count < waiting else { return false }
            await withCheckedContinuation { queue.append($0) }
            return true
        }

        func leave() {
            if queue.isEmpty { active -= 1 } else { queue.removeFirst().resume() }
        }
    }
}

struct PasswordHashingKey: StorageKey { typealias Value = PasswordHashing }

extension Application {
    /// The application's password hasher, made by `configure` with the configured bcrypt cost.
    var passwordHashing: PasswordHashing {
        guard let h = storage[PasswordHashingKey.self] else {
            fatalError("configure(_:config:) sets up password hashing")
        }
        return h
    }

    func usePasswordHashing(cost: Int) throws {
        let h = try PasswordHashing(threads: max(1, System.coreCount - 1), queueLimit: 32, cost: cost)
        storage.set(PasswordHashingKey.self, to: h, onShutdown: { $0.shutdown() })
    }
}
