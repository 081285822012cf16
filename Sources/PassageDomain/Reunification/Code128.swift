import Foundation

/// Code 128 (code set B) barcodes, drawn as SVG for labels: printable ASCII only, with the mod-103 check symbol.
public enum Code128 {
    /// Bar and space widths, in modules, of the symbols 0–106; every symbol is 11 modules, the stop 13.
    static let patterns: [String] = [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
        "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
        "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
        "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
        "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
        "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
        "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
        "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
        "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
        "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
    ]
    static let startB = 104
    static let stop = 106

    /// Whether a text can be encoded: 1 to 40 printable ASCII characters.
    public static func encodable(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40 && text.unicodeScalars.allSatisfy { (32...126).contains($0.value) }
    }

    /// The symbol values of a text, start and check symbols included, stop excluded.
    public static func values(_ text: String) -> [Int] {
        let data = text.unicodeScalars.map { Int($0.value) - 32 }
        var sum = startB
        for (i, v) in data.enumerated() { sum += v * (i + 1) }
        return [startB] + data + [sum % 103]
    }

    /// The widths of bars and spaces, bar first, quiet zones excluded.
    public static func widths(_ text: String) -> [Int] {
        (values(text) + [stop]).flatMap { patterns[$0].map { Int(String($0))! } }
    }

    /// The barcode as an SVG image `height` modules high, with a quiet zone of ten modules each side and the text
    /// under it; nil when the text cannot be encoded.
    public static func svg(_ text: String, module: Double = 2, height: Double = 60) -> String? {
        guard encodable(text) else { return nil }
        let w = widths(text)
        let quiet = 10
        let total = w.reduce(0, +) + 2 * quiet
        var x = quiet
        var rects = ""
        for (i, width) in w.enumerated() {
            if i % 2 == 0 {
                rects +=
                    "<rect x=\"\(Double(x) * module)\" y=\"0\" width=\"\(Double(width) * module)\" "
                    + "height=\"\(height)\"/>"
            }
            x += width
        }
        let pixelWidth = Double(total) * module
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="barcode" width="\(pixelWidth)" height="\(height + 22)" \
            viewBox="0 0 \(pixelWidth) \(height + 22)" role="img" aria-label="Code 128 barcode \(escaped)">\
            <rect width="100%" height="100%" fill="#fff"/><g fill="#000">\(rects)</g>\
            <text x="\(pixelWidth / 2)" y="\(height + 18)" text-anchor="middle" font-family="monospace" \
            font-size="16">\(escaped)</text></svg>
            """
    }
}

/// An iCalendar (RFC 5545) invitation to one event.
public struct ICalendarEvent: Sendable, Equatable {
    public var uid: String
    public var start: Date
    public var end: Date
    public var summary: String
    public var location: String
    public var description: String
    public var stamp: Date

    public init(
        uid: String, start: Date, end: Date, summary: String, location: String, description: String, stamp: Date
    ) {
        self.uid = uid; self.start = start; self.end = end; self.summary = summary; self.location = location
        self.description = description; self.stamp = stamp
    }

    /// `20261207T083000Z`.
    static func utc(_ d: Date) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        let p = c.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!)
    }

    /// Text escaped as RFC 5545 says (backslash, semicolon, comma, newline).
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A content line folded at 75 octets, continuation lines starting with a space.
    static func fold(_ line: String) -> String {
        var out: [String] = []
        var current = ""
        var octets = 0
        for ch in line {
            let n = String(ch).utf8.count
            if octets + n > (out.isEmpty ? 75 : 74) {
                out.append(current)
                current = ""
                octets = 0
            }
            current.append(ch)
            octets += n
        }
        out.append(current)
        return out.joined(separator: "\r\n ")
    }

    /// The whole calendar object, lines ended by CRLF.
    public var text: String {
        let lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Passage//Appointments//EN", "METHOD:PUBLISH",
            "BEGIN:VEVENT", "UID:\(uid)", "DTSTAMP:\(Self.utc(stamp))", "DTSTART:\(Self.utc(start))",
            "DTEND:\(Self.utc(end))", "SUMMARY:\(Self.escape(summary))", "LOCATION:\(Self.escape(location))",
            "DESCRIPTION:\(Self.escape(description))", "END:VEVENT", "END:VCALENDAR",
        ]
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }
}
