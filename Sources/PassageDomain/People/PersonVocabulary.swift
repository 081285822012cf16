/// Sex as recorded on identity documents.
public enum Sex: String, CaseIterable, Codable, Sendable { case female = "F", male = "M", other = "X", unknown = "U" }

/// Identity document types the office sees.
public enum IdentityDocumentType: String, CaseIterable, Codable, Sendable {
    case passport, nationalID = "national_id", residencePermit = "residence_permit",
        emergencyTravelDocument = "emergency_travel_document", laissezPasser = "laissez_passer",
        birthCertificate = "birth_certificate", other
}

/// How one person of a household stands to another. Stored once; read from both ends.
public enum Relationship: String, CaseIterable, Codable, Sendable {
    case spouse, child, parent, sibling, guardian, ward

    /// What the other person is to the first: if B is A's child, A is B's parent.
    public var inverse: Relationship {
        switch self {
        case .spouse: .spouse
        case .child: .parent
        case .parent: .child
        case .sibling: .sibling
        case .guardian: .ward
        case .ward: .guardian
        }
    }
}

public enum LocationKind: String, CaseIterable, Codable, Sendable {
    case receptionCentre = "reception_centre", city, detentionCentre = "detention_centre",
        office, officeAbroad = "office_abroad", medicalCentre = "medical_centre"
}

public enum PartnerKind: String, CaseIterable, Codable, Sendable {
    case receptionAgency = "reception_agency", departureService = "departure_service",
        immigrationService = "immigration_service", embassy, ngo, other
    /// The UN refugee agency, which refers households for resettlement.
    case unhcr
}
