import Foundation

/// A telephone number in E.164 form: `+`, a country code, at most 15 digits in all.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    public let e164: String
    public var description: String { e164 }

    /// Accepts spaces, dots, dashes and brackets between digits; "00" for "+"; and a national number
    /// (one leading 0, as "06 1234 5678") as a number of `region`, the office's country unless said.
    public init?(_ raw: String, region: String = PhoneNumber.defaultRegion) {
        var text = raw.trimmingWhitespace
        if text.hasPrefix("00") {
            text = "+" + text.dropFirst(2)
        } else if text.hasPrefix("0"), let code = Self.callingCodes[region] {
            text = "+" + code + text.dropFirst()
        }
        guard text.hasPrefix("+") else { return nil }
        var digits = ""
        for ch in text.dropFirst() {
            if ch.isASCII, ch.isNumber {
                digits.append(ch)
            } else if " .-()".contains(ch) {
                continue
            } else {
                return nil
            }
        }
        guard (8...15).contains(digits.count), digits.first != "0" else { return nil }
        e164 = "+" + digits
    }

    /// The country whose national numbers are read without a country code: `PASSAGE_PHONE_REGION`, NL unless set.
    public static let defaultRegion: String =
        ProcessInfo.processInfo.environment["PASSAGE_PHONE_REGION"].flatMap { $0.isEmpty ? nil : $0.uppercased() }
        ?? "NL"

    /// Calling codes of the countries whose national numbers start with a trunk 0 and drop it after the code.
    public static let callingCodes: [String: String] = [
        "NL": "31", "BE": "32", "FR": "33", "ES": "34", "IT": "39", "GB": "44", "DE": "49", "AT": "43",
        "CH": "41", "SE": "46", "TR": "90", "GR": "30", "PL": "48", "UA": "380", "GE": "995", "AF": "93",
        "IR": "98", "IQ": "964", "SY": "963", "ET": "251", "ER": "291", "NG": "234", "KE": "254", "MA": "212",
        "DZ": "213", "TN": "216", "EG": "20", "PK": "92", "BD": "880", "LK": "94", "MN": "976", "ID": "62",
    ]
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
