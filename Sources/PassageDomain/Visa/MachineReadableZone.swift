import Foundation

/// The machine-readable zone of a passport (ICAO Doc 9303, part 4: TD3, two lines of 44 characters), read and
/// checked digit by digit.
public struct MachineReadableZone: Sendable, Equatable {
    public var documentCode: String
    public var issuingState: String
    public var surname: String
    public var givenNames: String
    public var documentNumber: String
    public var nationality: String
    /// `YYMMDD` as printed; the century is the reader's to decide.
    public var birthDate: String
    /// `M`, `F` or `<` (unspecified).
    public var sex: String
    public var expiryDate: String
    public var optionalData: String
}

public enum MRZ {
    public static let lineLength = 44

    /// ICAO 9303's check digit: each character's value (digits as themselves, A–Z as 10–35, the filler `<` as 0)
    /// times 7, 3, 1 in turn, summed, modulo 10.
    public static func checkDigit<S: StringProtocol>(_ s: S) -> Int {
        let weights = [7, 3, 1]
        var sum = 0
        for (i, c) in s.enumerated() {
            let v: Int
            if let d = c.wholeNumberValue, c.isASCII {
                v = d
            } else if let a = c.asciiValue, a >= 65, a <= 90 {
                v = Int(a) - 55
            } else {
                v = 0
            }
            sum += v * weights[i % 3]
        }
        return sum % 10
    }

    /// Reads a zone typed or pasted in (two lines, or the 88 characters as one; spaces and lower case forgiven) and
    /// checks its characters, dates and check digits. Each fault is a message under `field`, naming the part of the
    /// zone that fails ("the check digit of the date of birth is 2, the zone says 3").
    public static func read(_ raw: String, field: String = "mrz") throws -> MachineReadableZone {
        var e = ValidationErrors()
        let text = raw.uppercased().filter { !$0.isWhitespace }
        guard text.count == 2 * lineLength else {
            e.add(field, "must be the passport's two lines of 44 characters (\(text.count) given)")
            throw e
        }
        if let bad = text.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "<")) }) {
            e.add(field, "may hold only letters, digits and <, not '\(bad)'")
            throw e
        }
        let chars = Array(text)
        func part(_ from: Int, _ to: Int) -> String { String(chars[from..<to]) }
        let l2 = lineLength
        let documentCode = part(0, 2)
        if chars[0] != "P" {
            e.add(field, "must be a passport's zone: the first line begins with P (it begins with \(chars[0]))")
        }
        let names = part(5, lineLength)
        let nameParts = names.components(separatedBy: "<<")
        let surname = nameParts[0].replacingOccurrences(of: "<", with: " ").trimmingWhitespace
        let given = nameParts.dropFirst().joined(separator: " ").replacingOccurrences(of: "<", with: " ")
            .split(separator: " ").joined(separator: " ")
        if surname.isEmpty { e.add(field, "the first line names no surname") }
        func check(_ value: String, _ digit: Character, _ name: String, fillerAllowed: Bool = false) {
            if fillerAllowed && digit == "<" && value.allSatisfy({ $0 == "<" }) { return }
            let expected = checkDigit(value)
            guard let given = digit.wholeNumberValue, digit.isASCII else {
                e.add(field, "the check digit of \(name) must be a digit (the zone says \(digit)); it is \(expected)")
                return
            }
            if given != expected {
                e.add(field, "the check digit of \(name) is \(expected), the zone says \(given)")
            }
        }
        func date(_ value: String, _ name: String) {
            let d = Array(value)
            guard d.allSatisfy({ $0.isNumber }), let m = Int(String(d[2...3])), let day = Int(String(d[4...5])),
                let y = Int(String(d[0...1])), PartialDate(year: 2000 + y, month: m, day: day) != nil
            else {
                e.add(field, "\(name) '\(value)' is not a date (YYMMDD)")
                return
            }
        }
        let number = part(l2, l2 + 9)
        check(number, chars[l2 + 9], "the document number")
        let birth = part(l2 + 13, l2 + 19)
        date(birth, "the date of birth")
        check(birth, chars[l2 + 19], "the date of birth")
        let sex = part(l2 + 20, l2 + 21)
        if !["M", "F", "<", "X"].contains(sex) { e.add(field, "the sex must be M, F or < (the zone says \(sex))") }
        let expiry = part(l2 + 21, l2 + 27)
        date(expiry, "the date of expiry")
        check(expiry, chars[l2 + 27], "the date of expiry")
        let optional = part(l2 + 28, l2 + 42)
        check(optional, chars[l2 + 42], "the personal number", fillerAllowed: true)
        let composite = part(l2, l2 + 10) + part(l2 + 13, l2 + 20) + part(l2 + 21, l2 + 43)
        check(composite, chars[l2 + 43], "the whole second line (composite)")
        try e.throwIfAny()
        func bare(_ s: String) -> String { s.replacingOccurrences(of: "<", with: "") }
        return MachineReadableZone(
            documentCode: bare(documentCode), issuingState: bare(part(2, 5)), surname: surname, givenNames: given,
            documentNumber: bare(number), nationality: bare(part(l2 + 10, l2 + 13)), birthDate: birth, sex: sex,
            expiryDate: expiry, optionalData: bare(optional))
    }
}

extension MRZ {
    /// A passport's zone written out with its check digits: the inverse of `read`, for forms and examples.
    public static func compose(
        issuingState: String, surname: String, givenNames: String, number: String, nationality: String,
        birthDate: String, sex: String, expiryDate: String
    ) -> String {
        func field(_ s: String, _ n: Int) -> String {
            let t = s.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "<" }.joined()
            return String((t + String(repeating: "<", count: n)).prefix(n))
        }
        let full = field(
            surname.uppercased().replacingOccurrences(of: " ", with: "<") + "<<"
                + givenNames.uppercased().replacingOccurrences(of: " ", with: "<"), 39)
        let line1 = "P<" + field(issuingState, 3) + full
        let doc = field(number, 9)
        let optional = String(repeating: "<", count: 14)
        let d1 = "\(checkDigit(doc))"
        let d2 = "\(checkDigit(birthDate))"
        let d3 = "\(checkDigit(expiryDate))"
        let composite = doc + d1 + birthDate + d2 + expiryDate + d3 + optional + "0"
        let line2 =
            doc + d1 + field(nationality, 3) + birthDate + d2 + field(sex, 1) + expiryDate + d3 + optional + "0"
            + "\(checkDigit(composite))"
        return line1 + "\n" + line2
    }
}
