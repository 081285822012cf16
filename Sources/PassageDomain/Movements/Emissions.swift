import Foundation

/// A conversion factor for air passenger travel, kg CO2e per passenger-km, for a reporting year.
/// The published factors already include the 8% uplift for routes longer than the great circle.
public struct EmissionFactor: Sendable, Equatable, Codable {
    public var year: Int
    public var route: String
    public var cabin: String
    public var withRF: Double
    public var withoutRF: Double
    public var source: String
}

/// The factor table, versioned by year (`Sources/PassageApp/Resources/emission-factors.csv`).
public struct EmissionFactorTable: Sendable {
    public let factors: [EmissionFactor]

    public init(_ factors: [EmissionFactor]) { self.factors = factors.sorted { $0.year < $1.year } }

    /// `year,route,cabin,with_rf,without_rf,source` lines; `#` lines are comments.
    public static func parse(csv text: String) throws -> EmissionFactorTable {
        var out: [EmissionFactor] = []
        for (n, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = String(raw)
            if line.hasPrefix("#") || line.hasPrefix("year,") { continue }
            let f = CSVLine.split(line)
            guard f.count == 6, let y = Int(f[0]), let w = Double(f[3]), let wo = Double(f[4]) else {
                throw DomainError(
                    .invalid, "emission-factors.csv line \(n + 1) is not year,route,cabin,with_rf,without_rf,source")
            }
            out.append(EmissionFactor(year: y, route: f[1], cabin: f[2], withRF: w, withoutRF: wo, source: f[5]))
        }
        return EmissionFactorTable(out)
    }

    /// The factor of the flight's year, or of the latest year before it (the next year's table comes out mid-year).
    public func factor(year: Int, route: String = "international", cabin: String = "economy") -> EmissionFactor? {
        let rows = factors.filter { $0.route == route && $0.cabin == cabin }
        return rows.last(where: { $0.year <= year }) ?? rows.first
    }
}

/// Per-passenger CO2e of one flown leg, in grams.
public struct LegEmission: Sendable, Equatable {
    public var distanceKm: Double
    public var gramsWithRF: Int
    public var gramsWithoutRF: Int
    public var factorYear: Int

    public init(distanceKm: Double, factor: EmissionFactor) {
        self.distanceKm = distanceKm
        gramsWithRF = Int((distanceKm * factor.withRF * 1000).rounded())
        gramsWithoutRF = Int((distanceKm * factor.withoutRF * 1000).rounded())
        factorYear = factor.year
    }

    /// A booking's CO2e in grams from its legs' per-passenger figures: every passenger and the escort on the
    /// passengers' flights, the escort alone on their own flight home.
    public static func booking(
        legs: [(gramsWithRF: Int?, gramsWithoutRF: Int?, escortOnly: Bool)], passengers: Int, escorted: Bool
    ) -> (withRF: Int, withoutRF: Int) {
        let travellers = passengers + (escorted ? 1 : 0)
        return (
            legs.reduce(0) { $0 + ($1.gramsWithRF ?? 0) * ($1.escortOnly ? 1 : travellers) },
            legs.reduce(0) { $0 + ($1.gramsWithoutRF ?? 0) * ($1.escortOnly ? 1 : travellers) }
        )
    }

    public static func tonnes(_ grams: Int) -> String { String(format: "%.3f t", Double(grams) / 1_000_000) }
}

/// A purchase of carbon credits.
public struct CarbonCreditInput: Sendable, Equatable {
    public var purchasedOn: PartialDate
    /// In thousandths of a tonne (kg).
    public var kilograms: Int
    public var vendor: String
    public var certificate: String

    public static func read(_ f: [String: String], today: PartialDate) throws -> CarbonCreditInput {
        var e = ValidationErrors()
        let day = Input.day(f["purchasedOn"], field: "purchasedOn", required: true, into: &e)
        if let d = day, today < d { e.add("purchasedOn", "must not be in the future") }
        var kg = 0
        let raw = (f["tonnes"] ?? "").trimmingCharacters(in: .whitespaces)
        let example = DecimalInput.format(12_500, decimals: 3)
        if raw.isEmpty {
            e.add("tonnes", "is required (tonnes of CO2e, like \(example))")
        } else {
            switch DecimalInput.parse(raw, decimals: 3, maximum: 999_999_999) {
            case .success(let v) where v > 0: kg = v
            case .failure(.ambiguous(let text)):
                e.add(
                    "tonnes",
                    "'\(text)' is ambiguous: write it with all three decimals (like \(example)) or without a separator")
            case .failure(.tooManyDecimals): e.add("tonnes", "must have at most three decimals (kilograms)")
            default: e.add("tonnes", "must be a positive number of tonnes below a million, like \(example)")
            }
        }
        let vendor = Input.text(f["vendor"], field: "vendor", max: 200, required: true, into: &e)
        let cert = Input.text(f["certificate"], field: "certificate", max: 200, required: true, into: &e)
        try e.throwIfAny()
        return CarbonCreditInput(purchasedOn: day!, kilograms: kg, vendor: vendor, certificate: cert)
    }
}
