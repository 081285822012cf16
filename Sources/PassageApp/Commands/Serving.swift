import Vapor

/// Starts the HTTP server from a command and keeps it up until SIGINT or SIGTERM,
/// as `serve` does, so that `demo` can seed and then serve in one go.
enum Serving {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func start(_ app: Application, hostname: String, port: Int) async throws {
        try await app.server.start(address: .hostname(hostname, port: port))
        let promise = app.eventLoopGroup.next().makePromise(of: Void.self)
        app.running = .start(using: promise)
        let queue = DispatchQueue(label: "passage.shutdown")
        for code in [SIGTERM, SIGINT] {
            signal(code, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: code, queue: queue)
            source.setEventHandler { promise.succeed(()) }
            source.resume()
            sources.append(source)
        }
    }
}

extension Application {
    /// A process that serves requests (`serve`, the default), outside tests: the one that starts background work.
    /// Other commands (migrate, users, duplicates) never do, and the demo starts its own once its data is in.
    var isServing: Bool {
        let args = environment.arguments
        return environment != .testing && (args.count < 2 || args[1] == "serve")
    }
}
