/// How numbers are written in a language: which mark separates the decimals and which groups the thousands.
public enum NumberStyle: String, Sendable, CaseIterable {
    /// 1,500.50
    case english = "en"
    /// 1.500,50
    case dutch = "nl"

    public var decimalMark: Character { self == .dutch ? "," : "." }
    public var groupMark: Character { self == .dutch ? "." : "," }

    public init(language: String) { self = NumberStyle(rawValue: String(language.prefix(2))) ?? .english }

    /// The style of the request being answered; set once per request from the reader's language.
    @TaskLocal public static var current: NumberStyle = .english
}

/// Reading decimal numbers as people type them: "245,50" and "245.50" are both 245.50; "1.500,00" and
/// "1,500.00" are both 1500. A lone separator followed by three digits ("1,500", "1.500") is read as a
/// thousands separator only in the language that writes it so; in the other it is refused as ambiguous.
public enum DecimalInput {
    public enum Failure: Error, Equatable, Sendable {
        case notANumber, negative, tooLarge
        case tooManyDecimals(Int)
        case ambiguous(String)
    }

    /// The number as an integer count of `1 / 10^decimals`, e.g. cents for `decimals: 2`.
    public static func parse(
        _ raw: String, decimals: Int, style: NumberStyle = .current,
        maximum: Int = 10_000_000_000
    ) -> Result<Int, Failure> {
        var text = raw.trimmingWhitespace
        for unit in ["€", "EUR", "eur"] { text = text.replacingOccurrences(of: unit, with: "") }
        // Spaces of any width group thousands too (1 500,00).
        text = String(text.filter { !$0.isWhitespace && $0 != "\u{2009}" && $0 != "\u{202F}" && $0 != "'" })
        if text.hasPrefix("-") { return .failure(.negative) }
        if text.hasPrefix("+") { text.removeFirst() }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "," || $0 == ".") }),
            text.first!.isNumber || text.count > 1
        else { return .failure(.notANumber) }
        let commas = text.filter { $0 == "," }.count
        let dots = text.filter { $0 == "." }.count
        var decimalMark: Character?
        if commas > 0 && dots > 0 {
            // Both: the last one written separates the decimals, and it may appear once.
            let last = text.last(where: { $0 == "," || $0 == "." })!
            guard (last == "," ? commas : dots) == 1 else { return .failure(.notANumber) }
            decimalMark = last
        } else if commas + dots == 1 {
            let mark: Character = commas == 1 ? "," : "."
            let after = text.split(separator: mark, omittingEmptySubsequences: false)[1].count
            let lead = text.prefix(while: \.isNumber)
            if after == 3 && (1...3).contains(lead.count) && lead.first != "0" {
                if mark == style.groupMark {
                    decimalMark = nil
                } else if decimals >= 3 {
                    decimalMark = mark
                } else {
                    return .failure(.ambiguous(raw.trimmingWhitespace))
                }
            } else {
                decimalMark = mark
            }
        }
        let groupMark: Character? =
            text.contains(where: { ($0 == "," || $0 == ".") && $0 != decimalMark })
            ? text.first(where: { ($0 == "," || $0 == ".") && $0 != decimalMark }) : nil
        let pieces = text.split(separator: decimalMark ?? "\u{0}", omittingEmptySubsequences: false)
        let wholePart = String(pieces[0])
        let fraction = pieces.count > 1 ? String(pieces[1]) : ""
        if pieces.count > 1 && fraction.isEmpty { return .failure(.notANumber) }
        if fraction.contains(where: { !$0.isNumber }) { return .failure(.notANumber) }
        if fraction.count > decimals { return .failure(.tooManyDecimals(decimals)) }
        // Groups: a first group of one to three digits, then groups of exactly three.
        var digits = wholePart
        if let g = groupMark {
            let groups = wholePart.split(separator: g, omittingEmptySubsequences: false)
            guard let first = groups.first, (1...3).contains(first.count),
                groups.dropFirst().allSatisfy({ $0.count == 3 })
            else { return .failure(.notANumber) }
            digits = groups.joined()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return .failure(.notANumber) }
        let trimmed = digits.drop(while: { $0 == "0" })
        guard trimmed.count <= 15, let whole = Int(digits) else { return .failure(.tooLarge) }
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        var frac = Int(fraction.isEmpty ? "0" : fraction) ?? 0
        for _ in 0..<(decimals - fraction.count) { frac *= 10 }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow, scaled <= maximum - frac else { return .failure(.tooLarge) }
        return .success(scaled + frac)
    }

    /// `value / 10^decimals` written in a style: grouped thousands, the style's decimal mark.
    public static func format(_ value: Int, decimals: Int, style: NumberStyle = .current) -> String {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let magnitude = value.magnitude
        let whole = String(magnitude / UInt(scale))
        var grouped = ""
        for (i, ch) in whole.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { grouped.append(style.groupMark) }
            grouped.append(ch)
        }
        var out = (value < 0 ? "-" : "") + String(grouped.reversed())
        if decimals > 0 { out += String(style.decimalMark) + zeroPadded(Int(magnitude % UInt(scale)), decimals) }
        return out
    }

    /// A measured quantity with a fixed number of decimals, e.g. tonnes of CO2e.
    public static func format(_ value: Double, decimals: Int, style: NumberStyle = .current) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value * scale).rounded()
        guard scaled.isFinite, abs(scaled) < 9e18 else { return String(value) }
        return format(Int(scaled), decimals: decimals, style: style)
    }
}

/// Amounts of money in euro cents. Every amount Passage reads (fares, grants, payments, budgets, caps)
/// goes through `read`, and every amount it writes through `format`.
public enum Money {
    /// The largest amount accepted: one hundred million euros.
    public static let maximumCents = 10_000_000_000

    public static func parse(_ raw: String, style: NumberStyle = .current) -> Int? {
        try? DecimalInput.parse(raw, decimals: 2, style: style, maximum: maximumCents).get()
    }

    public static func read(
        _ raw: String?, field: String, required: Bool = true, style: NumberStyle = .current,
        into errors: inout ValidationErrors
    ) -> Int? {
        let text = (raw ?? "").trimmingWhitespace
        if text.isEmpty {
            if required { errors.add(field, "is required (an amount in euros, like \(example(style)))") }
            return nil
        }
        switch DecimalInput.parse(text, decimals: 2, style: style, maximum: maximumCents) {
        case .success(let v): return v
        case .failure(let f):
            errors.add(field, message(f, style: style))
            return nil
        }
    }

    /// An amount as people type it, without a thousands separator: 1500.00 or 1500,00.
    static func example(_ style: NumberStyle) -> String { "1500\(style.decimalMark)00" }

    static func message(_ f: DecimalInput.Failure, style: NumberStyle) -> String {
        switch f {
        case .ambiguous(let text):
            let other = style == .dutch ? "245,50" : "245.50"
            return "'\(text)' is ambiguous: write whole euros without a separator (like 1500) or with cents "
                + "(like \(example(style)) or \(other))"
        case .negative: return "must not be negative"
        case .tooManyDecimals: return "must have at most two decimals (cents)"
        case .tooLarge: return "must be at most \(format(maximumCents, style: style))"
        case .notANumber: return "must be an amount in euros, like \(example(style))"
        }
    }

    /// `€1,500.00` in English, `€ 1.500,00` in Dutch.
    public static func format(_ cents: Int, style: NumberStyle = .current) -> String {
        let number = DecimalInput.format(abs(cents), decimals: 2, style: style)
        return (cents < 0 ? "-" : "") + (style == .dutch ? "€ " : "€") + number
    }
}
