/// A telephone number in E.164 form: `+`, a country code, at most 15 digits in all.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    public let e164: String
    public var description: String { e164 }

    /// Accepts spaces, dots, dashes and brackets between digits; "00" for "+".
    public init?(_ raw: String) {
        var text = raw.trimmingWhitespace
        if text.hasPrefix("00") { text = "+" + text.dropFirst(2) }
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
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
