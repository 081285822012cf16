import Vapor

/// The entry point of the `passage` executable.
public enum Passage {
    public static func main() async throws {
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)
        var config: AppConfig
        do {
            config = try AppConfig.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("Passage cannot start: \(error)\n".utf8))
            exit(2)
        }
        let arguments = env.arguments
        if arguments.count > 1, arguments[1] == "demo" {
            // The demo always starts from a fresh database of its own and never touches real data.
            let dir =
                ProcessInfo.processInfo.environment["PASSAGE_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "data"
            let path = dir + "/demo/passage.sqlite"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            config.storage = .sqliteFile(path: path)
            // Its own audit key beside it, so that `PASSAGE_DATA_DIR=data/demo passage users token` signs alike.
            try? FileManager.default.removeItem(atPath: dir + "/demo/audit.key")
            try? FileManager.default.removeItem(atPath: dir + "/demo/data.key")
            do {
                config.auditKey = try AppConfig.auditKey(
                    ProcessInfo.processInfo.environment, dataDir: dir + "/demo", development: true)
                (config.dataKey, config.previousDataKeys) = try AppConfig.dataKeys(
                    ProcessInfo.processInfo.environment, dataDir: dir + "/demo", development: true)
            } catch {
                FileHandle.standardError.write(Data("Passage cannot start: \(error)\n".utf8))
                exit(2)
            }
        }
        let app = try await Application.make(env)
        do {
            try await configure(app, config: config)
            try await app.execute()
        } catch {
            FileHandle.standardError.write(Data("passage: \(error)\n".utf8))
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
