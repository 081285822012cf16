/// Intake of a return case: how the migrant came, where they stay, where they want to go.
public struct ReturnIntake: Codable, Equatable, Sendable {
    public var referralSource: ReferralSource
    public var stayLocationID: String?
    public var preferredLanguage: String?
    public var interpreterNeeded: Bool
    public var destinationCountry: String
    public var destinationPlace: String
    public var companionIDs: [String]
}

/// Every form of the return programme arrives as text fields, from a page or from JSON.
public enum ReturnValidation {
    public static func intake(_ f: FormFields, companions: [String]) throws -> ReturnIntake {
        var e = ValidationErrors()
        let source = ReferralSource.read(f["referralSource"], field: "referralSource", into: &e)
        var language: String?
        if let raw = f["preferredLanguage"], !raw.trimmingWhitespace.isEmpty {
            language = LanguageCode.read(raw)
            if language == nil {
                e.add(
                    "preferredLanguage", "must be a language: its name (Arabic, Tigrinya) or its ISO 639 code (ar, ti)")
            }
        }
        var country = ""
        let rawCountry = (f["destinationCountry"] ?? "").trimmingWhitespace
        if rawCountry.isEmpty {
            e.add("destinationCountry", "is required")
        } else if let c = CountryCode.normalise(rawCountry), c != CountryCode.unknown {
            country = c
        } else if CountryCode.normalise(rawCountry) == CountryCode.unknown {
            e.add("destinationCountry", "must be the country the person goes to, not XX (unknown)")
        } else {
            e.add("destinationCountry", "must be an ISO 3166-1 country code, like MA")
        }
        if country == "NL" { e.add("destinationCountry", "must be a country other than the host country") }
        let place = Input.text(f["destinationPlace"], field: "destinationPlace", max: 200, into: &e)
        let stay = (f["stayLocationID"] ?? "").trimmingWhitespace
        try e.throwIfAny()
        return ReturnIntake(
            referralSource: source!, stayLocationID: stay.isEmpty ? nil : stay, preferredLanguage: language,
            interpreterNeeded: Input.flag(f["interpreterNeeded"]), destinationCountry: country,
            destinationPlace: place, companionIDs: companions)
    }

    public struct Session: Equatable, Sendable {
        public var heldOn: PartialDate
        public var locationID: String
        public var language: String
        public var interpreter: Bool
        public var durationMinutes: Int
        public var notes: String
        public var outcome: CounsellingOutcome
    }

    public static func session(_ f: FormFields, today: PartialDate) throws -> Session {
        var e = ValidationErrors()
        let held = Input.day(f["heldOn"], field: "heldOn", required: true, into: &e)
        if let held, today < held { e.add("heldOn", "must not be in the future") }
        let location = (f["locationID"] ?? "").trimmingWhitespace
        if location.isEmpty { e.add("locationID", "is required") }
        var language = ""
        let rawLang = (f["language"] ?? "").trimmingWhitespace
        if rawLang.isEmpty {
            e.add("language", "is required")
        } else if let l = LanguageCode.read(rawLang) {
            language = l
        } else {
            e.add("language", "must be a language: its name (Arabic, Tigrinya) or its ISO 639 code (ar, ti)")
        }
        let minutes = Int((f["durationMinutes"] ?? "").trimmingWhitespace)
        if minutes == nil || !(5...600).contains(minutes!) {
            e.add("durationMinutes", "must be a number of minutes from 5 to 600")
        }
        let notes = Input.text(f["notes"], field: "notes", max: 8000, into: &e)
        let outcome = CounsellingOutcome.read(f["outcome"], field: "outcome", into: &e)
        try e.throwIfAny()
        return Session(
            heldOn: held!, locationID: location, language: language, interpreter: Input.flag(f["interpreter"]),
            durationMinutes: minutes!, notes: notes, outcome: outcome!)
    }

    public struct TravelDocument: Equatable, Sendable {
        public var embassyID: String
        public var kind: TravelDocumentKind
        public var status: TravelDocumentStatus
        public var requestedOn: PartialDate
        public var interviewOn: PartialDate?
        public var number: String
        public var expiresOn: PartialDate?
        /// The day the embassy issued it; only for an issued document.
        public var issuedOn: PartialDate?
    }

    public static func travelDocument(_ f: FormFields, today: PartialDate) throws -> TravelDocument {
        var e = ValidationErrors()
        let embassy = (f["embassyID"] ?? "").trimmingWhitespace
        if embassy.isEmpty { e.add("embassyID", "is required") }
        let kind = TravelDocumentKind.read(f["kind"], field: "kind", default: .emergency, into: &e) ?? .emergency
        let status =
            TravelDocumentStatus.read(f["status"], field: "status", default: .requested, into: &e) ?? .requested
        let requested = Input.day(f["requestedOn"], field: "requestedOn", required: false, into: &e) ?? today
        if today < requested { e.add("requestedOn", "must not be in the future") }
        let interview = Input.day(
            f["interviewOn"], field: "interviewOn", required: status == .interviewScheduled, into: &e)
        if let interview, interview < requested { e.add("interviewOn", "must not be before the request date") }
        let number = Input.text(f["number"], field: "number", max: 40, required: status == .issued, into: &e)
            .uppercased()
        let expires = Input.day(f["expiresOn"], field: "expiresOn", required: status == .issued, into: &e)
        if let expires, expires < requested { e.add("expiresOn", "must not be before the request date") }
        var issued = Input.day(f["issuedOn"], field: "issuedOn", required: false, into: &e)
        if let day = issued {
            if status != .issued {
                e.add("issuedOn", "is only for an issued document")
            } else if day < requested {
                e.add("issuedOn", "must not be before the request date")
            } else if today < day {
                e.add("issuedOn", "must not be in the future")
            }
        } else if status == .issued {
            issued = today
        }
        try e.throwIfAny()
        return TravelDocument(
            embassyID: embassy, kind: kind, status: status, requestedOn: requested, interviewOn: interview,
            number: number, expiresOn: expires, issuedOn: issued)
    }

    public struct BudgetLine: Codable, Equatable, Sendable {
        public var item: String
        public var amount: Int
        public init(item: String, amount: Int) { self.item = item; self.amount = amount }
    }
    public struct Plan: Equatable, Sendable {
        public var purpose: PlanPurpose
        public var description: String
        public var budget: [BudgetLine]
        public var total: Int { budget.reduce(0) { $0 + $1.amount } }
    }

    /// The most budget lines a plan has.
    public static let budgetLines = 50

    /// Budget lines come as rows (`budgetItem_1`, `budgetAmount_1`, … from the page) or as text, one per line:
    /// `Carpentry tools; 650.00`.
    public static func plan(_ f: FormFields) throws -> Plan {
        var e = ValidationErrors()
        let purpose = PlanPurpose.read(f["purpose"], field: "purpose", into: &e)
        let description = Input.text(f["description"], field: "description", max: 8000, required: true, into: &e)
        var lines: [BudgetLine] = []
        if f.keys.contains(where: { $0.hasPrefix("budgetItem_") || $0.hasPrefix("budgetAmount_") }) {
            for i in 1...budgetLines {
                let item = (f["budgetItem_\(i)"] ?? "").trimmingWhitespace
                let rawAmount = (f["budgetAmount_\(i)"] ?? "").trimmingWhitespace
                if item.isEmpty && rawAmount.isEmpty { continue }
                if item.isEmpty { e.add("budgetItem_\(i)", "say what the amount is for"); continue }
                if item.count > 200 { e.add("budgetItem_\(i)", "must be at most 200 characters") }
                let amount = Money.read(rawAmount, field: "budgetAmount_\(i)", into: &e)
                if let amount, item.count <= 200 { lines.append(BudgetLine(item: item, amount: amount)) }
            }
            if f.keys.contains(where: {
                $0.hasPrefix("budgetItem_") && Int($0.dropFirst(11)).map { $0 > budgetLines } ?? true
            }) {
                e.add("budget", "at most \(budgetLines) lines")
            }
            try e.throwIfAny()
            return Plan(purpose: purpose!, description: description, budget: lines)
        }
        for (i, raw) in (f["budget"] ?? "").split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
        {
            let line = String(raw).trimmingWhitespace
            if line.isEmpty { continue }
            let parts = line.split(separator: ";", omittingEmptySubsequences: false).map {
                String($0).trimmingWhitespace
            }
            guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 200, let amount = Money.parse(parts[1]) else {
                e.add("budget", "line \(i + 1): write an item and an amount in euros, like: Carpentry tools; 650.00");
                continue
            }
            lines.append(BudgetLine(item: parts[0], amount: amount))
        }
        if lines.count > 50 { e.add("budget", "at most 50 lines") }
        try e.throwIfAny()
        return Plan(purpose: purpose!, description: description, budget: lines)
    }

    public struct Grant: Equatable, Sendable {
        public var type: GrantType
        public var amount: Int
        public var cash: Int
        public var inKind: Int
        public var funderID: String?
        /// The day it was granted: the period it counts in.
        public var grantedOn: PartialDate?
        public init(
            type: GrantType, amount: Int, cash: Int, inKind: Int, funderID: String?, grantedOn: PartialDate? = nil
        ) {
            self.type = type; self.amount = amount; self.cash = cash; self.inKind = inKind; self.funderID = funderID
            self.grantedOn = grantedOn
        }
    }

    /// A grant must be of a type the decision allows, within the rule set's cap, and split exactly
    /// into cash at departure and in kind after return.
    public static func grant(
        _ f: FormFields, decision: EligibilityDecision?, caps: [GrantType: Int], today: PartialDate? = nil
    ) throws -> Grant {
        var e = ValidationErrors()
        let grantedOn = Input.day(f["grantedOn"], field: "grantedOn", required: false, into: &e) ?? today
        if let today, let grantedOn, today < grantedOn { e.add("grantedOn", "must not be in the future") }
        if let d = decision, let grantedOn, grantedOn < d.decidedFor {
            e.add("grantedOn", "must not be before the eligibility decision")
        }
        let type = GrantType.read(f["type"], field: "type", into: &e)
        let amount = Money.read(f["amount"], field: "amount", into: &e)
        let cash = Money.read(f["cash"], field: "cash", required: false, into: &e) ?? 0
        var inKind = Money.read(f["inKind"], field: "inKind", required: false, into: &e)
        if let amount {
            if amount == 0 { e.add("amount", "must be more than zero") }
            if inKind == nil { inKind = max(0, amount - cash) }
            if cash + (inKind ?? 0) != amount {
                e.add(
                    "inKind",
                    """
                    cash (\(Money.format(cash))) and in kind (\(Money.format(inKind ?? 0))) must add up to the \
                    amount (\(Money.format(amount)))
                    """
                )
            }
            if let type, let cap = caps[type], amount > cap {
                e.add("amount", "is over the cap for \(type.rawValue) grants (\(Money.format(cap)))")
            }
        }
        if let type {
            if decision == nil {
                e.add("type", "decide eligibility before granting")
            } else if let d = decision, !d.grantTypes.contains(type) {
                e.add("type", "the eligibility decision does not include \(type.rawValue) grants")
            }
        }
        let funder = (f["funderID"] ?? "").trimmingWhitespace
        try e.throwIfAny()
        return Grant(
            type: type!, amount: amount!, cash: cash, inKind: inKind ?? 0, funderID: funder.isEmpty ? nil : funder,
            grantedOn: grantedOn)
    }

    public struct Payment: Equatable, Sendable {
        public var kind: PaymentKind
        public var amount: Int
        public var paidOn: PartialDate
        public var proofReference: String
        public var reportedBy: String
        public init(
            kind: PaymentKind, amount: Int, paidOn: PartialDate, proofReference: String = "", reportedBy: String = ""
        ) {
            self.kind = kind; self.amount = amount; self.paidOn = paidOn; self.proofReference = proofReference;
            self.reportedBy = reportedBy
        }
    }

    public static func payment(_ f: FormFields, today: PartialDate) throws -> Payment {
        var e = ValidationErrors()
        let kind = PaymentKind.read(f["kind"], field: "kind", into: &e)
        let amount = Money.read(f["amount"], field: "amount", into: &e)
        if amount == 0 { e.add("amount", "must be more than zero") }
        let paid = Input.day(f["paidOn"], field: "paidOn", required: true, into: &e)
        if let paid, today < paid { e.add("paidOn", "must not be in the future") }
        let proof = Input.text(
            f["proofReference"], field: "proofReference", max: 200, required: kind == .inKind, into: &e)
        let office = Input.text(f["reportedBy"], field: "reportedBy", max: 200, required: kind == .inKind, into: &e)
        try e.throwIfAny()
        return Payment(kind: kind!, amount: amount!, paidOn: paid!, proofReference: proof, reportedBy: office)
    }

    /// Payments never exceed the grant: neither its cash part, nor its in-kind part.
    public static func checkPayment(_ p: Payment, grant: Grant, paid: [Payment]) throws {
        let part = p.kind == .cash ? grant.cash : grant.inKind
        let already = paid.filter { $0.kind == p.kind }.reduce(0) { $0 + $1.amount }
        if already + p.amount > part {
            let what = p.kind == .cash ? "cash at departure" : "in kind after return"
            throw DomainError(
                .conflict,
                """
                This payment of \(Money.format(p.amount)) would bring the \(what) to \
                \(Money.format(already + p.amount)), over the \(Money.format(part)) granted \
                (\(Money.format(max(0, part - already))) remains).
                """
            )
        }
    }

    public struct Cargo: Equatable, Sendable {
        public var description: String
        public var volumeLitres: Int
        public var clearance: CargoClearance
    }

    public static func cargo(_ f: FormFields) throws -> Cargo {
        var e = ValidationErrors()
        let d = Input.text(f["description"], field: "description", max: 500, required: true, into: &e)
        // Volumes are given in cubic metres and kept in litres.
        var litres = 0
        let raw = (f["volume"] ?? "").trimmingWhitespace.replacingOccurrences(of: ",", with: ".")
        if let v = Double(raw), v > 0, v <= 100 {
            litres = Int((v * 1000).rounded())
        } else {
            e.add("volume", "must be a volume in m³ from 0.001 to 100, like 1 or 0.5")
        }
        let c = CargoClearance.read(f["clearance"], field: "clearance", default: .pending, into: &e) ?? .pending
        try e.throwIfAny()
        return Cargo(description: d, volumeLitres: litres, clearance: c)
    }

    public struct Monitoring: Equatable, Sendable {
        public var visitedOn: PartialDate
        public var visitor: String
        public var findings: String
        public var progress: ReintegrationProgress
    }

    public static func monitoring(_ f: FormFields, departedOn: PartialDate?, today: PartialDate) throws -> Monitoring {
        var e = ValidationErrors()
        let on = Input.day(f["visitedOn"], field: "visitedOn", required: true, into: &e)
        if let on, today < on { e.add("visitedOn", "must not be in the future") }
        if let on, let d = departedOn, on < d { e.add("visitedOn", "must not be before the departure (\(d.isoText))") }
        let visitor = Input.text(f["visitor"], field: "visitor", max: 200, required: true, into: &e)
        let findings = Input.text(f["findings"], field: "findings", max: 8000, required: true, into: &e)
        let progress = ReintegrationProgress.read(f["progress"], field: "progress", into: &e)
        try e.throwIfAny()
        return Monitoring(visitedOn: on!, visitor: visitor, findings: findings, progress: progress!)
    }

    public struct Outreach: Equatable, Sendable {
        public var kind: OutreachKind
        public var heldOn: PartialDate
        public var locationID: String?
        public var audience: String
        public var attendees: Int
        public var organisations: String
        public var topic: String
    }

    public static func outreach(_ f: FormFields, today: PartialDate) throws -> Outreach {
        var e = ValidationErrors()
        let kind = OutreachKind.read(f["kind"], field: "kind", into: &e)
        let on = Input.day(f["heldOn"], field: "heldOn", required: true, into: &e)
        if let on, today < on { e.add("heldOn", "must not be in the future") }
        let audience = Input.text(
            f["audience"], field: "audience", max: 200, required: kind == .informationSession, into: &e)
        var attendees = 0
        let rawAtt = (f["attendees"] ?? "").trimmingWhitespace
        if !rawAtt.isEmpty || kind == .informationSession {
            if let n = Int(rawAtt), (0...10_000).contains(n) {
                attendees = n
            } else {
                e.add("attendees", "must be a number from 0 to 10000")
            }
        }
        let orgs = Input.text(
            f["organisations"], field: "organisations", max: 1000, required: kind != nil && kind != .informationSession,
            into: &e)
        let topic = Input.text(f["topic"], field: "topic", max: 500, required: true, into: &e)
        let loc = (f["locationID"] ?? "").trimmingWhitespace
        try e.throwIfAny()
        return Outreach(
            kind: kind!, heldOn: on!, locationID: loc.isEmpty ? nil : loc, audience: audience, attendees: attendees,
            organisations: orgs, topic: topic)
    }
}
