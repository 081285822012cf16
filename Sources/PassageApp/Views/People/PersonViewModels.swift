import Foundation
import PassageDomain

/// What list and detail pages show of a person; views never see the database model.
struct PersonSummary: Sendable, Codable {
    let id: UUID
    let reference: String
    let familyName: String
    let givenNames: String
    let familyNameOriginal: String?
    let givenNamesOriginal: String?
    let aliases: [String]
    let sex: String
    let dateOfBirth: String?
    let nationality: String
    let nationalityName: String
    let languages: [String]
    let phone: String?
    let locationID: UUID?
    let locationName: String?
    let documents: [DocumentSummary]
    /// In search results: how each word sought met the person's names.
    var matches: [SearchTerms.Match]?
    /// In search results by date of birth: how the date sought met the person's.
    var dateOfBirthMatch: IdentityMatch.Reason.Code?

    struct DocumentSummary: Sendable, Codable {
        let id: UUID
        let type: String
        let number: String
        let issuingCountry: String
        let expiresOn: String?
    }

    init(_ p: Person) {
        id = p.id!
        reference = p.reference
        familyName = p.familyName
        givenNames = p.givenNames
        familyNameOriginal = p.familyNameOriginal
        givenNamesOriginal = p.givenNamesOriginal
        aliases = p.aliases
        sex = p.sex
        dateOfBirth = p.dateOfBirth?.description
        nationality = p.nationality
        nationalityName = CountryCode.name(p.nationality)
        languages = p.languages
        phone = p.phone
        locationID = p.$location.id
        locationName = p.$location.value??.name
        documents = (p.$documents.value ?? []).map {
            DocumentSummary(
                id: $0.id!, type: $0.type.rawValue, number: $0.number, issuingCountry: $0.issuingCountry,
                expiresOn: $0.expiresOn
            )
        }
    }

    var originalName: String? {
        let s = [givenNamesOriginal, familyNameOriginal].compactMap { $0 }.joined(separator: " ")
        return s.isEmpty ? nil : s
    }
}

struct HouseholdMember: Sendable, Codable {
    let linkID: UUID
    let personID: UUID
    let name: String
    /// What this member is to the person whose page it is.
    let relationship: String
}

struct CaseSummary: Sendable, Codable {
    let id: UUID
    let reference: String
    let programme: String
    let status: String
    let personID: UUID
    let personName: String?
    let ownerID: UUID?
    let ownerName: String?
    let officeLocationID: UUID?
    let officeName: String?
    let openedOn: String
    let closedOn: String?
    let summary: String

    init(_ c: Case) {
        id = c.id!
        reference = c.reference
        programme = c.programme.rawValue
        status = c.status.rawValue
        personID = c.$person.id
        personName = c.$person.value.map { "\($0.familyName), \($0.givenNames)" }
        ownerID = c.$owner.id
        ownerName = c.$owner.value??.displayName
        officeLocationID = c.$officeLocation.id
        officeName = c.$officeLocation.value??.name
        openedOn = c.openedOn
        closedOn = c.closedOn
        summary = c.summary
    }
}

/// Text direction of a script, so that Arabic and Hebrew names render right to left.
func textDirection(_ s: String) -> String {
    for scalar in s.unicodeScalars where scalar.properties.isAlphabetic {
        switch scalar.value {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF: return "rtl"
        default: return "ltr"
        }
    }
    return "auto"
}
