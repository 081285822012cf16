/// A form's fields by name, as text (a JSON body is read into the same shape).
public typealias FormFields = [String: String]

/// Reading the plain values of forms, each refusal a field message.
public enum Input {
    /// A full calendar date (`2026-03-14`), required or not.
    public static func day(_ raw: String?, field: String, required: Bool, into errors: inout ValidationErrors)
        -> PartialDate?
    {
        let text = (raw ?? "").trimmingWhitespace
        if text.isEmpty {
            if required { errors.add(field, "is required (a date like 2026-03-14)") }
            return nil
        }
        guard let d = PartialDate(parsing: text), d.day != nil, !d.estimated else {
            errors.add(field, "must be a full date like 2026-03-14"); return nil
        }
        return d
    }

    public static func text(
        _ raw: String?, field: String, max: Int, required: Bool = false, into errors: inout ValidationErrors
    ) -> String {
        let text = (raw ?? "").trimmingWhitespace
        if required && text.isEmpty { errors.add(field, "is required") }
        if text.count > max {
            errors.add(field, "must be at most \(max) characters")
        } else if TextSafety.hasHiddenCharacters(text, multiline: true) {
            errors.add(field, TextSafety.message)
        }
        return text
    }

    /// A country as a code (`LB`), required; upper-cased as typed.
    public static func country(_ raw: String?, field: String, into errors: inout ValidationErrors) -> String {
        let t = (raw ?? "").trimmingWhitespace.uppercased()
        if t.isEmpty {
            errors.add(field, "is required (a country code like LB)")
        } else if CountryCode.normalise(t) == nil {
            errors.add(field, "must be a country code like LB (ISO 3166-1 alpha-2)")
        }
        return t
    }

    public static func flag(_ raw: String?) -> Bool {
        ["true", "on", "yes", "1"].contains((raw ?? "").trimmingWhitespace.lowercased())
    }

    public static func today(_ t: (year: Int, month: Int, day: Int)) -> PartialDate {
        PartialDate(year: t.year, month: t.month, day: t.day)!
    }
}
