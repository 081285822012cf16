/// A person's record as a form or the API submitted it, before any of it is trusted.
public struct PersonForm: Sendable, Codable, Equatable {
    public var familyName: String?
    public var givenNames: String?
    public var familyNameOriginal: String?
    public var givenNamesOriginal: String?
    public var originalScript: String?
    public var aliases: [String]?
    public var sex: String?
    public var dateOfBirth: String?
    public var dateOfBirthEstimated: Bool?
    public var nationality: String?
    public var languages: [String]?
    public var phone: String?
    public var locationID: String?

    public init(
        familyName: String? = nil, givenNames: String? = nil, familyNameOriginal: String? = nil,
        givenNamesOriginal: String? = nil, originalScript: String? = nil, aliases: [String]? = nil,
        sex: String? = nil, dateOfBirth: String? = nil, dateOfBirthEstimated: Bool? = nil,
        nationality: String? = nil, languages: [String]? = nil, phone: String? = nil, locationID: String? = nil
    ) {
        self.familyName = familyName; self.givenNames = givenNames
        self.familyNameOriginal = familyNameOriginal; self.givenNamesOriginal = givenNamesOriginal
        self.originalScript = originalScript; self.aliases = aliases; self.sex = sex
        self.dateOfBirth = dateOfBirth; self.dateOfBirthEstimated = dateOfBirthEstimated
        self.nationality = nationality; self.languages = languages; self.phone = phone; self.locationID = locationID
    }
}

/// A person's details that passed every check.
public struct PersonDetails: Sendable, Equatable {
    public var familyName: String
    public var givenNames: String
    public var familyNameOriginal: String?
    public var givenNamesOriginal: String?
    public var aliases: [String]
    public var sex: Sex
    public var dateOfBirth: PartialDate?
    public var nationality: String
    public var languages: [String]
    public var phone: PhoneNumber?
    public var locationID: String?
}

extension PersonForm {
    /// This form with every field the patch gives replaced: what a partial update asks for.
    public func overlaid(by patch: PersonForm) -> PersonForm {
        PersonForm(
            familyName: patch.familyName ?? familyName, givenNames: patch.givenNames ?? givenNames,
            familyNameOriginal: patch.familyNameOriginal ?? familyNameOriginal,
            givenNamesOriginal: patch.givenNamesOriginal ?? givenNamesOriginal,
            originalScript: patch.originalScript ?? originalScript, aliases: patch.aliases ?? aliases,
            sex: patch.sex ?? sex, dateOfBirth: patch.dateOfBirth ?? dateOfBirth,
            dateOfBirthEstimated: patch.dateOfBirthEstimated ?? dateOfBirthEstimated,
            nationality: patch.nationality ?? nationality, languages: patch.languages ?? languages,
            phone: patch.phone ?? phone, locationID: patch.locationID ?? locationID)
    }
}

public enum PersonValidation {
    public static let maxNameLength = 120

    /// A registration: the person and their documents, each document's fields named with
    /// `documentPrefix(index)`. Every reason from all of them is reported at once.
    public static func validate(
        _ form: PersonForm, documents: [IdentityDocumentForm], documentPrefix: (Int) -> String,
        today: (year: Int, month: Int, day: Int)
    ) throws -> (PersonDetails, [IdentityDocumentDetails]) {
        var errors = ValidationErrors()
        var details: PersonDetails?
        do { details = try validate(form, today: today) } catch let e as ValidationErrors { errors = e }
        var docs: [IdentityDocumentDetails] = []
        for (i, f) in documents.enumerated() {
            do { docs.append(try IdentityDocumentValidation.validate(f, prefix: documentPrefix(i))) } catch let e
                as ValidationErrors
            { for item in e.items { errors.add(item.field, item.message) } }
        }
        try errors.throwIfAny()
        return (details!, docs)
    }

    /// Checks every field and returns the clean details, or every reason it cannot.
    public static func validate(_ form: PersonForm, today: (year: Int, month: Int, day: Int)) throws -> PersonDetails {
        var errors = ValidationErrors()
        func name(_ value: String?, _ field: String, required: Bool) -> String? {
            let v = value?.trimmingWhitespace ?? ""
            if v.isEmpty {
                if required { errors.add(field, "is required") }
                return nil
            }
            if v.count > maxNameLength { errors.add(field, "must be at most \(maxNameLength) characters") }
            if TextSafety.hasHiddenCharacters(v) { errors.add(field, TextSafety.message) }
            return v
        }
        let family = name(form.familyName, "familyName", required: true)
        let given = name(form.givenNames, "givenNames", required: true)
        let familyOriginal = name(form.familyNameOriginal, "familyNameOriginal", required: false)
        let givenOriginal = name(form.givenNamesOriginal, "givenNamesOriginal", required: false)
        var aliases: [String] = []
        for (i, alias) in (form.aliases ?? []).enumerated() {
            if let a = name(alias, "aliases[\(i)]", required: false) { aliases.append(a) }
        }
        if aliases.count > 20 { errors.add("aliases", "at most 20 aliases") }

        var sex = Sex.unknown
        if let raw = form.sex?.trimmingWhitespace, !raw.isEmpty {
            if let s = Sex(rawValue: raw.uppercased()) {
                sex = s
            } else {
                errors.add("sex", "must be one of F, M, X or U")
            }
        }

        var dob: PartialDate?
        if let raw = form.dateOfBirth?.trimmingWhitespace, !raw.isEmpty {
            if let parsed = PartialDate(parsing: raw) {
                let d = PartialDate(
                    year: parsed.year, month: parsed.month, day: parsed.day,
                    estimated: parsed.estimated || (form.dateOfBirthEstimated ?? false))!
                if d.isAfter(today) {
                    errors.add("dateOfBirth", "must not be in the future")
                } else if d.year < today.year - 130 {
                    errors.add("dateOfBirth", "is more than 130 years ago")
                } else {
                    dob = d
                }
            } else {
                errors.add(
                    "dateOfBirth",
                    "must be a date like 1990-05-21, 1990-05 or 1990 (a year alone is fine when the day is unknown)")
            }
        }

        var nationality = ""
        if let raw = form.nationality?.trimmingWhitespace, !raw.isEmpty {
            if let c = CountryCode.normalise(raw) {
                nationality = c
            } else {
                errors.add(
                    "nationality", "'\(raw)' is not an ISO 3166-1 country code (e.g. SY, ER, AF); use XX for unknown")
            }
        } else {
            errors.add("nationality", "is required (XX when unknown)")
        }

        var languages: [String] = []
        for raw in form.languages ?? [] where !raw.trimmingWhitespace.isEmpty {
            if let l = LanguageCode.read(raw) {
                if !languages.contains(l) { languages.append(l) }
            } else {
                errors.add(
                    "languages",
                    "'\(raw)' is not a language we know: write its name (Arabic, Tigrinya) or its ISO 639 code (ar, ti)"
                )
            }
        }

        var phone: PhoneNumber?
        if let raw = form.phone?.trimmingWhitespace, !raw.isEmpty {
            if let p = PhoneNumber(raw) {
                phone = p
            } else {
                errors.add("phone", "must be a phone number, like 06 1234 5678 or +31 6 1234 5678")
            }
        }

        let location = form.locationID?.trimmingWhitespace
        try errors.throwIfAny()
        return PersonDetails(
            familyName: family!, givenNames: given!, familyNameOriginal: familyOriginal,
            givenNamesOriginal: givenOriginal, aliases: aliases, sex: sex, dateOfBirth: dob,
            nationality: nationality, languages: languages, phone: phone,
            locationID: (location?.isEmpty ?? true) ? nil : location)
    }
}
