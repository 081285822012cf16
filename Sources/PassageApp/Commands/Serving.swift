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
