import Vapor
import PassageDomain

/// Numbers read from a query string. Absent or empty means the default; anything else must be a whole
/// number in range, or the request is refused with a 422 that names the field.
extension Request {
    /// The largest page any list accepts: far beyond any real list, far below an overflow.
    static let maxPage = 1_000_000

    func queryInteger(_ field: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let raw = query[String.self, at: field]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return fallback
        }
        guard let value = Int(raw), range.contains(value) else {
            throw ValidationErrors(field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The `page` of a list: 1 by default.
    func queryPage(_ field: String = "page") throws -> Int {
        try queryInteger(field, default: 1, in: 1...Request.maxPage)
    }
}
