public struct IdentityDocumentForm: Sendable, Codable, Equatable {
    public var type: String?
    public var number: String?
    public var issuingCountry: String?
    public var expiresOn: String?
    public init(type: String? = nil, number: String? = nil, issuingCountry: String? = nil, expiresOn: String? = nil) {
        self.type = type; self.number = number; self.issuingCountry = issuingCountry; self.expiresOn = expiresOn
    }
}

public struct IdentityDocumentDetails: Sendable, Equatable {
    public var type: IdentityDocumentType
    public var number: String
    public var issuingCountry: String
    public var expiresOn: PartialDate?

    public init(type: IdentityDocumentType, number: String, issuingCountry: String, expiresOn: PartialDate?) {
        self.type = type; self.number = number; self.issuingCountry = issuingCountry; self.expiresOn = expiresOn
    }

    /// Document numbers are compared without spaces, dashes or case: "AB 123-456" finds "ab123456".
    public static func normaliseNumber(_ raw: String) -> String {
        String(
            raw.uppercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }
                .map(Character.init))
    }
}

public enum IdentityDocumentValidation {
    public static func validate(_ form: IdentityDocumentForm, prefix: String = "") throws -> IdentityDocumentDetails {
        var errors = ValidationErrors()
        var type = IdentityDocumentType.other
        if let raw = form.type?.trimmingWhitespace, !raw.isEmpty {
            if let t = IdentityDocumentType(rawValue: raw) {
                type = t
            } else {
                errors.add(
                    prefix + "type",
                    "must be one of " + IdentityDocumentType.allCases.map(\.rawValue).joined(separator: ", "))
            }
        } else {
            errors.add(prefix + "type", "is required")
        }
        let number = IdentityDocumentDetails.normaliseNumber(form.number ?? "")
        if TextSafety.hasHiddenCharacters(form.number ?? "") {
            errors.add(prefix + "number", TextSafety.message)
        } else if number.isEmpty {
            errors.add(prefix + "number", "is required (letters and digits)")
        } else if number.count > 30 {
            errors.add(prefix + "number", "must be at most 30 letters and digits")
        }
        var country = ""
        if let raw = form.issuingCountry, let c = CountryCode.normalise(raw) {
            country = c
        } else {
            errors.add(prefix + "issuingCountry", "must be an ISO 3166-1 country code, like SY")
        }
        var expires: PartialDate?
        if let raw = form.expiresOn?.trimmingWhitespace, !raw.isEmpty {
            if let d = PartialDate(parsing: raw), d.day != nil {
                expires = d
            } else {
                errors.add(prefix + "expiresOn", "must be a full date like 2031-04-30")
            }
        }
        try errors.throwIfAny()
        return IdentityDocumentDetails(type: type, number: number, issuingCountry: country, expiresOn: expires)
    }
}
