/// What a member of staff (or a partner's account) does in Passage; routes name the roles they admit.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    case counsellor
    case medicalOfficer = "medical_officer"
    case movementsOfficer = "movements_officer"
    case familyReunificationOfficer = "family_reunification_officer"
    case resettlementOfficer = "resettlement_officer"
    case visaClerk = "visa_clerk"
    case manager
    case administrator
    case partner

    public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }

    /// Staff of the office (everyone but partner accounts).
    public static let staff: Set<Role> = Set(allCases).subtracting([.partner])
    /// Staff who work with persons' case files.
    public static let caseworkers: Set<Role> = [
        .counsellor, .medicalOfficer, .movementsOfficer,
        .familyReunificationOfficer, .resettlementOfficer, .visaClerk, .manager,
    ]
}
