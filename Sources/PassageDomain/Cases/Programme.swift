/// The office's programmes; every case belongs to one.
public enum Programme: String, CaseIterable, Codable, Sendable {
    case voluntaryReturn = "return"
    case familyReunification = "family_reunification"
    case resettlement
    case visaApplication = "visa_application"
    case diasporaAssignment = "diaspora_assignment"

    /// Short prefix of case references: R-2026-000123.
    public var referencePrefix: String {
        switch self {
        case .voluntaryReturn: "R"
        case .familyReunification: "FR"
        case .resettlement: "RS"
        case .visaApplication: "V"
        case .diasporaAssignment: "D"
        }
    }
}

/// The life of a case across programmes. Programme workflows refine `open` into their own stages.
public enum CaseStatus: String, CaseIterable, Codable, Sendable {
    case open
    case onHold = "on_hold"
    case closed

    public func canMove(to next: CaseStatus) -> Bool {
        switch (self, next) {
        case (.open, .onHold), (.open, .closed), (.onHold, .open), (.onHold, .closed), (.closed, .open): true
        default: false
        }
    }

    /// Checks a change of status: it must be allowed from here, and closing a case needs a reason.
    public func checkMove(to next: CaseStatus, reason: String) throws {
        guard canMove(to: next) else {
            throw DomainError(.conflict, "A case that is \(rawValue) cannot become \(next.rawValue).")
        }
        if next == .closed && reason.trimmingWhitespace.isEmpty {
            var e = ValidationErrors()
            e.add("reason", "say why the case is closed")
            throw e
        }
    }
}

public struct CaseForm: Sendable, Codable, Equatable {
    public var programme: String?
    public var personID: String?
    public var ownerID: String?
    public var officeLocationID: String?
    public var openedOn: String?
    public var summary: String?
    public init(
        programme: String? = nil, personID: String? = nil, ownerID: String? = nil,
        officeLocationID: String? = nil, openedOn: String? = nil, summary: String? = nil
    ) {
        self.programme = programme; self.personID = personID; self.ownerID = ownerID
        self.officeLocationID = officeLocationID; self.openedOn = openedOn; self.summary = summary
    }
}

public struct CaseDetails: Sendable, Equatable {
    public var programme: Programme
    public var openedOn: PartialDate
    public var summary: String
    public init(programme: Programme, openedOn: PartialDate, summary: String) {
        self.programme = programme; self.openedOn = openedOn; self.summary = summary
    }
}

public enum CaseValidation {
    public static func validate(_ form: CaseForm, today: (year: Int, month: Int, day: Int)) throws -> CaseDetails {
        var errors = ValidationErrors()
        var programme = Programme.voluntaryReturn
        if let raw = form.programme, let p = Programme(rawValue: raw) {
            programme = p
        } else {
            errors.add("programme", "must be one of " + Programme.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if (form.personID ?? "").trimmingWhitespace.isEmpty { errors.add("personID", "is required") }
        var opened = PartialDate(year: today.year, month: today.month, day: today.day)!
        if let raw = form.openedOn?.trimmingWhitespace, !raw.isEmpty {
            if let d = PartialDate(parsing: raw), d.day != nil, !d.estimated {
                if d.isAfter(today) { errors.add("openedOn", "must not be in the future") } else { opened = d }
            } else {
                errors.add("openedOn", "must be a full date like 2026-03-14")
            }
        }
        let summary = (form.summary ?? "").trimmingWhitespace
        if summary.count > 2000 { errors.add("summary", "must be at most 2000 characters") }
        try errors.throwIfAny()
        return CaseDetails(programme: programme, openedOn: opened, summary: summary)
    }

    /// `P-000123`
    public static func personReference(number: Int) -> String {
        let n = String(number)
        return "P-" + String(repeating: "0", count: max(0, 6 - n.count)) + n
    }

    /// `R-2026-000123`
    public static func reference(programme: Programme, year: Int, number: Int) -> String {
        let n = String(number)
        return "\(programme.referencePrefix)-\(year)-" + String(repeating: "0", count: max(0, 6 - n.count)) + n
    }
}

/// Written into text as the stored word (`return`, `on_hold`), never the Swift name of the case.
extension Programme: CustomStringConvertible { public var description: String { rawValue } }
extension CaseStatus: CustomStringConvertible { public var description: String { rawValue } }
