/// Which roles read each category of data. A field is tagged with its category where it is declared (see
/// `FieldTags` in the application); every page, API answer, export, audit view and timeline line that shows a
/// tagged field asks this matrix (and, for one record, what the record itself grants) before it shows it.
public struct CategoryMatrix: Sendable, Equatable, Codable {
    public var readers: [DataCategory: Set<Role>]

    public init(readers: [DataCategory: Set<Role>]) { self.readers = readers }

    /// The office's starting matrix: names and documents for the staff who work with case files; medical details
    /// for medical officers and managers; trafficking records for managers (and, per record, the case's owner and
    /// staff granted it by name); child-protection records for the caseworkers of the programmes that take
    /// children in; DNA samples and results for the family-reunification team and managers; counselling notes for
    /// counsellors and managers. Administrators and partners read none of them.
    public static let standard = CategoryMatrix(readers: [
        .ordinary: Role.caseworkers,
        .medical: [.medicalOfficer, .manager],
        .trafficking: [.manager],
        .childProtection: [
            .counsellor, .medicalOfficer, .movementsOfficer, .familyReunificationOfficer, .resettlementOfficer,
            .manager,
        ],
        .genetic: [.familyReunificationOfficer, .manager],
        .notes: [.counsellor, .manager],
    ])

    /// The categories a holder of `roles` reads.
    public func categories(for roles: Set<Role>) -> Set<DataCategory> {
        Set(DataCategory.allCases.filter { !(readers[$0] ?? []).isDisjoint(with: roles) })
    }

    public func may(_ roles: Set<Role>, read category: DataCategory) -> Bool {
        !(readers[category] ?? []).isDisjoint(with: roles)
    }

    /// Why a change to the matrix may not be made (nil when it may): nobody may be left to read a category (the
    /// records would be unreadable), and partner accounts read none of the restricted ones.
    public func refusal() -> (category: DataCategory, reason: String)? {
        for c in DataCategory.allCases {
            let r = readers[c] ?? []
            if r.isEmpty { return (c, "at least one role must read it") }
            if c != .ordinary && r.contains(.partner) { return (c, "partner accounts may not read it") }
        }
        return nil
    }
}
