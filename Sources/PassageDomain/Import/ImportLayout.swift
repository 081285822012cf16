/// The files of an import, one per kind of record, each a CSV file or a spreadsheet (`persons.csv` or
/// `persons.xlsx`), linked by the office's own references. The columns are the fields of the matching form; `ref` is
/// the office's own reference of the row, `personRef`, `caseRef` and `grantRef` point at rows of the other files (or
/// of an earlier import). Several values in one cell are separated by `;`.
public enum ImportKind: String, CaseIterable, Codable, Sendable {
    case persons, documents, households
    case returnCases = "return_cases"
    case bookings
    case sessions, decisions, vulnerabilities
    case travelDocuments = "travel_documents"
    case grants, payments, outreach

    /// The columns a file must have.
    public var required: [String] {
        switch self {
        case .persons: ["ref", "familyName", "sex", "nationality"]
        case .documents: ["personRef", "type", "number", "issuingCountry"]
        case .households: ["personRef", "relatedRef", "relationship"]
        case .returnCases:
            ["ref", "personRef", "openedOn", "referralSource", "destinationCountry", "destinationPlace"]
        case .bookings:
            [
                "ref", "caseRef", "status", "leg1_carrier", "leg1_flight", "leg1_from", "leg1_to", "leg1_departs",
                "leg1_arrives",
            ]
        case .sessions: ["ref", "caseRef", "heldOn", "location", "language", "durationMinutes", "outcome"]
        case .decisions: ["ref", "caseRef", "decidedFor", "outcome"]
        case .vulnerabilities: ["caseRef", "kind"]
        case .travelDocuments: ["ref", "caseRef", "embassy", "kind", "status", "requestedOn"]
        case .grants: ["ref", "caseRef", "type", "amount", "grantedOn"]
        case .payments: ["ref", "grantRef", "kind", "amount", "paidOn"]
        case .outreach: ["ref", "kind", "heldOn", "topic"]
        }
    }

    /// The columns a file may have besides.
    public var optional: [String] {
        switch self {
        case .persons:
            [
                "givenNames", "familyNameOriginal", "givenNamesOriginal", "originalScript", "aliases", "dateOfBirth",
                "dateOfBirthEstimated", "languages", "phone", "location",
            ]
        case .documents: ["expiresOn"]
        case .households: []
        case .returnCases:
            [
                "summary", "owner", "office", "preferredLanguage", "interpreterNeeded", "stayLocation", "companionRefs",
                "stage", "departedOn", "departedHow", "closedOn",
            ]
        case .bookings:
            ["passengerRefs", "reference", "fare", "baggageKg", "escort", "escortStaff", "note"]
                + (2...6).flatMap { i in
                    ["carrier", "flight", "from", "to", "departs", "arrives"].map { "leg\(i)_" + $0 }
                }
        case .sessions: ["counsellor", "interpreter", "notes"]
        case .decisions: ["grantTypes", "explanation", "decidedBy"]
        case .vulnerabilities: VulnerabilityKind.allCases.flatMap(\.importColumns)
        case .travelDocuments: ["interviewOn", "number", "issuedOn", "expiresOn"]
        case .grants: ["cash", "inKind", "funder"]
        case .payments: ["proofReference", "reportedBy"]
        case .outreach: ["location", "audience", "attendees", "organisations", "counsellor"]
        }
    }

    /// Rows of these kinds have no reference of their own: they are known by what they link.
    public var keyColumns: [String] {
        switch self {
        case .documents: ["personRef", "type", "number"]
        case .households: ["personRef", "relatedRef"]
        case .vulnerabilities: ["caseRef", "kind"]
        default: ["ref"]
        }
    }

    /// What a row of the file is, for the layout's description.
    public var summary: String {
        switch self {
        case .persons: "one person each: names, sex, date of birth, nationality, languages, phone, where they stay"
        case .documents: "identity documents of the persons"
        case .households: "who is whose spouse, child, parent, sibling, guardian or ward"
        case .returnCases: "a return case each, with its intake, stage, departure and closure"
        case .bookings: "a booking of a return case with its flights (local times), passengers and status"
        case .sessions: "counselling sessions of the return cases"
        case .decisions: "eligibility decisions as they were taken (outcome and grant types)"
        case .vulnerabilities: "a case's vulnerability each: unaccompanied child, medical, trafficking"
        case .travelDocuments: "travel documents requested from embassies"
        case .grants: "grants of the return cases"
        case .payments: "payments of the grants"
        case .outreach: "outreach activities (information sessions, network and embassy meetings)"
        }
    }

    /// Reads the problems of a file's header: a missing column, or one the layout does not know (a typo).
    public func headerProblems(_ table: ImportTable) -> [ImportProblem] {
        var out: [ImportProblem] = []
        let have = Set(table.columns)
        for c in required where !have.contains(c) {
            out.append(ImportProblem(file: table.file, line: 1, field: c, reason: "the column is missing"))
        }
        let known = Set(required + optional)
        for c in table.columns where !c.isEmpty && !known.contains(c) {
            out.append(
                ImportProblem(
                    file: table.file, line: 1, field: c,
                    reason: "is not a column of \(rawValue): the columns are "
                        + (required + optional).joined(separator: ", ")))
        }
        return out
    }
}

extension VulnerabilityKind {
    /// The columns of the vulnerabilities file that belong to this kind (the fields of its form).
    public var importColumns: [String] {
        switch self {
        case .unaccompaniedChild:
            [
                "familyAssessment", "assessmentOutcome", "guardianHostConfirmed", "guardianHostName",
                "guardianReturnConfirmed", "guardianReturnName",
            ]
        case .medical:
            [
                "category", "chronic", "treatmentAvailability", "recordsTranslated", "fitToFlyRequired", "fitToFly",
                "fitToFlyOn", "fitToFlyValidUntil", "escort", "postReturnBudget",
            ]
        case .trafficking: ["referralSource", "exploitation", "returnPlan", "postReturnPartner", "grantedUsers"]
        }
    }
}

/// A short, stable fingerprint of a row's content, to know whether a row imported before has changed.
public enum ImportDigest {
    public static func of(_ fields: [String: String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) {
            for b in k.utf8 { h = (h ^ UInt64(b)) &* 0x0100_0000_01b3 }
            h = (h ^ 0x1F) &* 0x0100_0000_01b3
            for b in v.utf8 { h = (h ^ UInt64(b)) &* 0x0100_0000_01b3 }
            h = (h ^ 0x1E) &* 0x0100_0000_01b3
        }
        return String(h, radix: 16)
    }

    /// The values of one cell: `a; b;c` is a, b and c.
    public static func list(_ raw: String?) -> [String] {
        (raw ?? "").split(separator: ";").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
    }
}
