import Foundation

/// An airport from the committed airport table (`Sources/PassageApp/Resources/airports.csv`).
public struct Airport: Sendable, Equatable, Codable {
    public var iata: String
    public var name: String
    public var city: String
    public var country: String
    public var latitude: Double
    public var longitude: Double
    /// An IANA time zone name, e.g. `Europe/Amsterdam`.
    public var timeZone: String

    public init(
        iata: String, name: String, city: String, country: String, latitude: Double, longitude: Double, timeZone: String
    ) {
        self.iata = iata; self.name = name; self.city = city; self.country = country
        self.latitude = latitude; self.longitude = longitude; self.timeZone = timeZone
    }

    public var label: String { "\(iata) \(city.isEmpty ? name : city)" }
}

/// The airports by IATA code, read once from the data file.
public struct AirportTable: Sendable {
    public let byCode: [String: Airport]
    /// The dataset the table came from (first line of the file: `# source: ...`).
    public let source: String

    public init(_ airports: [Airport], source: String = "") {
        var m: [String: Airport] = [:]
        for a in airports { m[a.iata] = a }
        byCode = m
        self.source = source
    }

    public subscript(code: String) -> Airport? { byCode[code.uppercased()] }

    /// Reads `iata,name,city,country,latitude,longitude,tz` lines; `#` lines are comments.
    public static func parse(csv text: String) throws -> AirportTable {
        var out: [Airport] = []
        var source = ""
        for (n, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = String(raw)
            if line.hasPrefix("#") {
                if line.hasPrefix("# source:") {
                    source = String(line.dropFirst(9)).trimmingCharacters(in: .whitespaces)
                }
                continue
            }
            if line.hasPrefix("iata,") { continue }
            let f = CSVLine.split(line)
            guard f.count == 7, let lat = Double(f[4]), let lon = Double(f[5]) else {
                throw DomainError(
                    .invalid, "airports.csv line \(n + 1) is not iata,name,city,country,latitude,longitude,tz")
            }
            out.append(
                Airport(
                    iata: f[0], name: f[1], city: f[2], country: f[3], latitude: lat, longitude: lon, timeZone: f[6]))
        }
        return AirportTable(out, source: source)
    }
}

/// Comma-separated fields with double-quoted fields that may hold commas and doubled quotes.
public enum CSVLine {
    public static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var cur = ""
        var quoted = false
        var it = Array(line)
        var i = 0
        while i < it.count {
            let c = it[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < it.count && it[i + 1] == "\"" { cur.append("\""); i += 1 } else { quoted = false }
                } else {
                    cur.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(cur); cur = ""
            } else {
                cur.append(c)
            }
            i += 1
        }
        fields.append(cur)
        it.removeAll()
        return fields
    }

    /// One CSV field, quoted when it needs to be.
    public static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// Great-circle distance on a sphere of the mean Earth radius (haversine).
public enum GreatCircle {
    public static let earthRadiusKm = 6371.0088

    public static func distanceKm(_ a: Airport, _ b: Airport) -> Double {
        distanceKm(lat1: a.latitude, lon1: a.longitude, lat2: b.latitude, lon2: b.longitude)
    }

    public static func distanceKm(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
        let r = Double.pi / 180
        let dLat = (lat2 - lat1) * r
        let dLon = (lon2 - lon1) * r
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * r) * cos(lat2 * r) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadiusKm * asin(min(1, sqrt(h)))
    }
}
