import Foundation
import Fluent
import SQLKit
import PassageDomain

/// The data files shipped with Passage: airports and emission factors.
enum ReferenceData {
    static let airports: AirportTable = {
        guard let url = Bundle.module.url(forResource: "airports", withExtension: "csv"),
            let text = try? String(contentsOf: url, encoding: .utf8), let table = try? AirportTable.parse(csv: text)
        else {
            fatalError("airports.csv is missing from the PassageApp resources")
        }
        return table
    }()

    static let emissionFactors: EmissionFactorTable = {
        guard let url = Bundle.module.url(forResource: "emission-factors", withExtension: "csv"),
            let text = try? String(contentsOf: url, encoding: .utf8),
            let table = try? EmissionFactorTable.parse(csv: text)
        else {
            fatalError("emission-factors.csv is missing from the PassageApp resources")
        }
        return table
    }()

    /// Writes the airport table into `airports`, 100 rows per statement (SQLite's bind limit).
    static func loadAirports(on db: any Database) async throws {
        let all = airports.byCode.values.sorted { $0.iata < $1.iata }
        var i = 0
        while i < all.count {
            let chunk = all[i..<min(i + 100, all.count)]
            let insert = db.sql.insert(into: "airports").columns(
                "iata", "name", "city", "country", "latitude", "longitude", "time_zone")
            for a in chunk {
                insert.values(
                    SQLBind(a.iata), SQLBind(a.name), SQLBind(a.city), SQLBind(a.country), SQLBind(a.latitude),
                    SQLBind(a.longitude), SQLBind(a.timeZone))
            }
            try await insert.run()
            i += 100
        }
    }
}
