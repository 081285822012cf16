import Vapor
import Fluent
import PassageDomain

final class Person: Model, @unchecked Sendable {
    static let schema = "persons"
    @ID(key: .id) var id: UUID?
    /// The office's number for the person: P-000123.
    @Field(key: "reference") var reference: String
    @Field(key: "family_name") var familyName: String
    @Field(key: "given_names") var givenNames: String
    @OptionalField(key: "family_name_original") var familyNameOriginal: String?
    @OptionalField(key: "given_names_original") var givenNamesOriginal: String?
    /// JSON array of strings.
    @Field(key: "aliases") var aliasesJSON: String
    @Field(key: "sex") var sex: String
    @OptionalField(key: "dob_year") var dobYear: Int?
    @OptionalField(key: "dob_month") var dobMonth: Int?
    @OptionalField(key: "dob_day") var dobDay: Int?
    @Field(key: "dob_estimated") var dobEstimated: Bool
    @Field(key: "nationality") var nationality: String
    /// Comma-separated ISO 639 codes, most used first.
    @Field(key: "languages") var languagesText: String
    @OptionalField(key: "phone") var phone: String?
    @OptionalParent(key: "location_id") var location: Location?
    /// Normalised "family given" for sorting lists.
    @Field(key: "sort_name") var sortName: String
    /// Set when this record was merged into another: it stays only to lead there.
    @OptionalField(key: "merged_into") var mergedInto: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Children(for: \.$person) var documents: [IdentityDocument]

    init() {}

    var aliases: [String] {
        get { (try? JSONDecoder().decode([String].self, from: Data(aliasesJSON.utf8))) ?? [] }
        set { aliasesJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("[]".utf8), as: UTF8.self) }
    }

    var languages: [String] { languagesText.split(separator: ",").map(String.init) }

    var dateOfBirth: PartialDate? {
        guard let y = dobYear else { return nil }
        return PartialDate(year: y, month: dobMonth, day: dobDay, estimated: dobEstimated)
    }

    func apply(_ d: PersonDetails, locationID: UUID?) {
        familyName = d.familyName
        givenNames = d.givenNames
        familyNameOriginal = d.familyNameOriginal
        givenNamesOriginal = d.givenNamesOriginal
        aliases = d.aliases
        sex = d.sex.rawValue
        dobYear = d.dateOfBirth?.year
        dobMonth = d.dateOfBirth?.month
        dobDay = d.dateOfBirth?.day
        dobEstimated = d.dateOfBirth?.estimated ?? false
        nationality = d.nationality
        languagesText = d.languages.joined(separator: ",")
        phone = d.phone?.e164
        $location.id = locationID
        sortName = NameNormaliser.normalise(d.familyName + " " + d.givenNames)
    }

    /// The record as a form shows it, for editing and for partial updates.
    var form: PersonForm {
        PersonForm(
            familyName: familyName, givenNames: givenNames, familyNameOriginal: familyNameOriginal,
            givenNamesOriginal: givenNamesOriginal, aliases: aliases, sex: sex,
            dateOfBirth: dateOfBirth?.isoText, dateOfBirthEstimated: dobEstimated,
            nationality: nationality, languages: languages, phone: phone, locationID: $location.id?.uuidString)
    }

    /// The fields the audit trail compares, as text.
    var auditSnapshot: [String: String] {
        var s: [String: String] = [
            "familyName": familyName, "givenNames": givenNames, "sex": sex,
            "nationality": nationality, "languages": languagesText, "aliases": aliasesJSON,
        ]
        s["familyNameOriginal"] = familyNameOriginal
        s["givenNamesOriginal"] = givenNamesOriginal
        s["dateOfBirth"] = dateOfBirth?.description
        s["phone"] = phone
        s["location"] = $location.id?.uuidString
        return s
    }

    var allNames: [String] {
        [familyName, givenNames, familyNameOriginal ?? "", givenNamesOriginal ?? ""] + aliases
    }
}

final class IdentityDocument: Model, @unchecked Sendable {
    static let schema = "identity_documents"
    @ID(key: .id) var id: UUID?
    @Parent(key: "person_id") var person: Person
    @Field(key: "type") var type: IdentityDocumentType
    @Field(key: "number") var number: String
    @Field(key: "issuing_country") var issuingCountry: String
    @OptionalField(key: "expires_on") var expiresOn: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(personID: UUID, details: IdentityDocumentDetails) {
        self.$person.id = personID
        self.type = details.type
        self.number = details.number
        self.issuingCountry = details.issuingCountry
        self.expiresOn = details.expiresOn?.isoText
    }

    var auditSnapshot: [String: String] {
        var s = ["type": type.rawValue, "number": number, "issuingCountry": issuingCountry]
        s["expiresOn"] = expiresOn
        return s
    }
}

final class HouseholdLink: Model, @unchecked Sendable {
    static let schema = "household_links"
    @ID(key: .id) var id: UUID?
    @Parent(key: "person_id") var person: Person
    @Parent(key: "related_person_id") var relatedPerson: Person
    /// What the related person is to `person`.
    @Field(key: "relationship") var relationship: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(personID: UUID, relatedPersonID: UUID, relationship: Relationship) {
        self.$person.id = personID
        self.$relatedPerson.id = relatedPersonID
        self.relationship = relationship.rawValue
    }
}
