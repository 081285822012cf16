import Foundation

/// The addresses of the shared pages; each programme has a paths type of its own (`ReturnPaths`, `MovementsPaths`).
enum CorePaths {
    static let persons = "/persons"
    static let cases = "/cases"
    static let myCases = "/cases/mine"
    static func person(_ id: UUID) -> String { "/persons/\(id.uuidString)" }
    static func `case`(_ id: UUID) -> String { "/cases/\(id.uuidString)" }
}
