import Foundation

/// The addresses of the movements pages.
enum MovementsPaths {
    static let overview = "/movements"
    static let manifest = "/movements/manifest"
    static let counts = "/movements/counts"
    static let carbon = "/movements/carbon"
    static func booking(_ id: UUID) -> String { "/bookings/\(id.uuidString)" }
}
