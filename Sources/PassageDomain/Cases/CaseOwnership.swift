/// Who may own a case, and who may change its owner. An owner sees what only an owner sees (a trafficking
/// record among them), so ownership is never taken: a manager assigns it, or the owner hands it over.
public enum CaseOwnership {
    /// The staff who work the cases of a programme; with managers, the only possible owners.
    public static func workers(of programme: Programme) -> Set<Role> {
        switch programme {
        case .voluntaryReturn: [.counsellor]
        case .familyReunification: [.familyReunificationOfficer]
        case .resettlement: [.resettlementOfficer]
        case .visaApplication: [.visaClerk]
        case .diasporaAssignment: []
        }
    }

    public static func mayOwn(_ roles: Set<Role>, programme: Programme) -> Bool {
        !roles.isDisjoint(with: workers(of: programme).union([.manager]))
    }

    /// Checks a change of owner from `current` to `next` (nil: nobody) asked for by `actorID` with `actorRoles`.
    public static func checkChange(
        programme: Programme, current: String?, next: String?, nextRoles: Set<Role>?,
        actorID: String, actorRoles: Set<Role>
    ) throws {
        guard current != next else { return }
        let manager = actorRoles.contains(.manager)
        guard manager || (current != nil && current == actorID) else {
            throw DomainError(.notAllowed, "Only a manager or the case's owner may change who owns it.")
        }
        if next != nil, !mayOwn(nextRoles ?? [], programme: programme) {
            var e = ValidationErrors()
            e.add("ownerID", "does not work in this programme; a case is owned by its programme's staff or a manager")
            throw e
        }
    }
}
