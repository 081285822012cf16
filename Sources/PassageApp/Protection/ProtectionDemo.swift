import Fluent
import PassageDomain
import Vapor

/// The demo's sharing agreements: with the reception agencies (notifications of departures and arrivals) and
/// the immigration service (DNA results); the return programme's demo gives the embassies theirs. The NGOs have
/// none, so what would go to them waits.
enum ProtectionDemo {
    static func seed(_ app: Application) async throws {
        let actor = Actor(id: "system", name: "demo")
        let year = Clock.today().year
        var n = 0
        for p in try await Partner.query(on: app.db).sort(\.$name).all() {
            let terms: (String, String)
            switch p.kind {
            case .receptionAgency: terms = ("partner_sharing", "ordinary")
            case .immigrationService: terms = ("dna_verification,partner_sharing", "genetic,ordinary")
            default: continue
            }
            n += 1
            _ = try await SharingAgreements.record(
                [
                    "partnerID": p.id!.uuidString, "purposes": terms.0, "categories": terms.1,
                    "startsOn": "\(year - 1)-01-01", "endsOn": "\(year + 2)-12-31",
                    "documentReference": String(format: "DSA-%04d-%03d", year - 1, n),
                ], actor: actor, on: app)
        }
    }
}
