/// One line of a rule set: what nationals of a country (or of any country, `*`) may receive
/// in a period. Periods are inclusive; an open end is nil.
public struct EligibilityRule: Codable, Equatable, Sendable {
    public var nationality: String
    public var from: PartialDate?
    public var until: PartialDate?
    public var outcome: EligibilityOutcome
    public var grantTypes: [GrantType]
    public var note: String

    public init(
        nationality: String, from: PartialDate? = nil, until: PartialDate? = nil, outcome: EligibilityOutcome,
        grantTypes: [GrantType] = [], note: String = ""
    ) {
        self.nationality = nationality; self.from = from; self.until = until
        self.outcome = outcome; self.grantTypes = outcome == .reintegration ? grantTypes.sorted() : []; self.note = note
    }

    public func covers(_ day: PartialDate) -> Bool {
        if let from, day < from { return false }
        if let until, until < day { return false }
        return true
    }

    /// `MA; 2023-07-01; ; reintegration; economic medical; Readmitted`: the line an administrator edits.
    public var line: String {
        [
            nationality, from?.isoText ?? "", until?.isoText ?? "", outcome.rawValue,
            grantTypes.map(\.rawValue).joined(separator: " "), note,
        ].joined(separator: "; ")
    }

    var period: String {
        switch (from, until) {
        case (nil, nil): "without end date"
        case (let f?, nil): "from \(f.isoText)"
        case (nil, let u?): "until \(u.isoText)"
        case (let f?, let u?): "from \(f.isoText) to \(u.isoText)"
        }
    }
}

/// A decision on one case: the day it was taken for, the rule set version that decided it, and why.
/// It is stored as taken; later rule sets never rewrite it.
public struct EligibilityDecision: Codable, Equatable, Sendable {
    public var decidedFor: PartialDate
    public var nationality: String
    public var outcome: EligibilityOutcome
    public var grantTypes: [GrantType]
    public var ruleSetVersion: Int
    public var explanation: String

    public init(
        decidedFor: PartialDate, nationality: String, outcome: EligibilityOutcome, grantTypes: [GrantType],
        ruleSetVersion: Int, explanation: String
    ) {
        self.decidedFor = decidedFor; self.nationality = nationality; self.outcome = outcome
        self.grantTypes = grantTypes; self.ruleSetVersion = ruleSetVersion; self.explanation = explanation
    }

    /// True when another decision would give the migrant something different.
    public func differs(from other: EligibilityDecision) -> Bool {
        outcome != other.outcome || grantTypes != other.grantTypes
    }
}

/// A version of the programme's eligibility rules and its grant caps. Versions are never edited:
/// a change is a new version.
public struct EligibilityRuleSet: Codable, Equatable, Sendable {
    public var version: Int
    public var rules: [EligibilityRule]
    /// The most a grant of each type may be, in euro cents.
    public var caps: [GrantType: Int]

    public init(version: Int, rules: [EligibilityRule], caps: [GrantType: Int]) {
        self.version = version; self.rules = rules; self.caps = caps
    }

    /// The rule that applies to a nationality on a day: a rule naming the country before the `*` rule,
    /// and of two rules naming it the one whose period starts later.
    public func rule(for nationality: String, on day: PartialDate) -> EligibilityRule? {
        let valid = rules.filter { $0.covers(day) }
        let specific = valid.filter { $0.nationality == nationality }
            .max { ($0.from ?? PartialDate(year: 1850)!) < ($1.from ?? PartialDate(year: 1850)!) }
        return specific ?? valid.first { $0.nationality == "*" }
    }

    public func decide(nationality: String, on day: PartialDate) -> EligibilityDecision {
        let country =
            nationality == CountryCode.unknown
            ? "unknown nationality" : "\(CountryCode.name(nationality)) (\(nationality))"
        guard let rule = rule(for: nationality, on: day) else {
            return EligibilityDecision(
                decidedFor: day, nationality: nationality, outcome: .excluded, grantTypes: [], ruleSetVersion: version,
                explanation:
                    "No rule of rule set version \(version) covers nationals of \(country) on \(day.isoText), so they are not eligible."
            )
        }
        let what: String
        switch rule.outcome {
        case .reintegration:
            what =
                "eligible for travel assistance and reintegration support (\(rule.grantTypes.map(\.rawValue).joined(separator: ", ")))"
        case .travelOnly: what = "eligible for travel assistance only, without reintegration support"
        case .excluded: what = "excluded from the programme"
        }
        let which = rule.nationality == "*" ? "the rule for all nationalities" : "the rule for \(rule.nationality)"
        let note = rule.note.isEmpty ? "" : ": \(rule.note)"
        return EligibilityDecision(
            decidedFor: day, nationality: nationality, outcome: rule.outcome, grantTypes: rule.grantTypes,
            ruleSetVersion: version,
            explanation:
                "On \(day.isoText) nationals of \(country) are \(what), under \(which) \(rule.period) in rule set version \(version)\(note)."
        )
    }

    /// The rules as the lines an administrator edits.
    public var text: String { rules.map(\.line).joined(separator: "\n") }

    /// Reads edited rules, one per line: `country; from; until; outcome; grant types; note`.
    /// Errors name the line. Caps are euro amounts per grant type.
    public static func parse(version: Int, text: String, caps rawCaps: [GrantType: String]) throws -> EligibilityRuleSet
    {
        var errors = ValidationErrors()
        var rules: [EligibilityRule] = []
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = String(raw).trimmingWhitespace
            if line.isEmpty || line.hasPrefix("#") { continue }
            let n = i + 1
            let f = line.split(separator: ";", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace }
            guard (4...6).contains(f.count) else {
                errors.add("rules", "line \(n): write country; from; until; outcome; grant types; note"); continue
            }
            var country = f[0].uppercased()
            if country != "*" {
                guard let c = CountryCode.normalise(country), c != CountryCode.unknown else {
                    errors.add(
                        "rules", "line \(n): '\(f[0])' is not an ISO 3166-1 country code (or * for every country)");
                    continue
                }
                country = c
            }
            var from: PartialDate?
            var until: PartialDate?
            if !f[1].isEmpty {
                guard let d = PartialDate(parsing: f[1]), d.day != nil else {
                    errors.add("rules", "line \(n): 'from' must be a date like 2023-07-01"); continue
                }
                from = d
            }
            if !f[2].isEmpty {
                guard let d = PartialDate(parsing: f[2]), d.day != nil else {
                    errors.add("rules", "line \(n): 'until' must be a date like 2023-06-30"); continue
                }
                until = d
            }
            if let from, let until, until < from {
                errors.add("rules", "line \(n): 'until' is before 'from'"); continue
            }
            guard let outcome = EligibilityOutcome(rawValue: f[3]) else {
                errors.add("rules", "line \(n): the outcome " + EligibilityOutcome.oneOf); continue
            }
            var types: [GrantType] = []
            var typeWords: [String] = []
            if f.count > 4 {
                for w in f[4].split(whereSeparator: { (c: Character) -> Bool in c == " " || c == "," }) {
                    typeWords.append(String(w))
                }
            }
            var badType = false
            for w in typeWords {
                guard let t = GrantType(rawValue: w) else {
                    errors.add("rules", "line \(n): grant type '\(w)' " + GrantType.oneOf); badType = true; break
                }
                if !types.contains(t) { types.append(t) }
            }
            if badType { continue }
            if outcome == .reintegration && types.isEmpty {
                errors.add("rules", "line \(n): reintegration support needs at least one grant type"); continue
            }
            if outcome != .reintegration && !types.isEmpty {
                errors.add("rules", "line \(n): only reintegration support has grant types"); continue
            }
            let note = f.count > 5 ? f[5] : ""
            if note.count > 300 { errors.add("rules", "line \(n): the note must be at most 300 characters"); continue }
            let rule = EligibilityRule(
                nationality: country, from: from, until: until, outcome: outcome, grantTypes: types, note: note)
            if let other = rules.firstIndex(where: { $0.nationality == country && Self.overlap($0, rule) }) {
                errors.add("rules", "line \(n): overlaps another rule for \(country) (\(rules[other].period))");
                continue
            }
            rules.append(rule)
        }
        if rules.isEmpty && errors.isEmpty { errors.add("rules", "give at least one rule") }
        var caps: [GrantType: Int] = [:]
        for t in GrantType.allCases {
            if let v = Money.read(rawCaps[t], field: "cap.\(t.rawValue)", into: &errors) { caps[t] = v }
        }
        try errors.throwIfAny()
        return EligibilityRuleSet(version: version, rules: rules, caps: caps)
    }

    static func overlap(_ a: EligibilityRule, _ b: EligibilityRule) -> Bool {
        let start = PartialDate(year: 1850)!
        let end = PartialDate(year: 9999)!
        return !((a.until ?? end) < (b.from ?? start) || (b.until ?? end) < (a.from ?? start))
    }

    /// The first rule set of the office: regular support for every nationality; the eight countries
    /// that were on the exclusion list until 30 June 2023 regained regular support on 1 July 2023.
    public static let initial: EligibilityRuleSet = {
        var rules = [
            EligibilityRule(
                nationality: "*", outcome: .reintegration, grantTypes: [.economic, .medical], note: "Regular support")
        ]
        for c in readmitted2023 {
            rules.append(
                EligibilityRule(
                    nationality: c, until: PartialDate(year: 2023, month: 6, day: 30), outcome: .travelOnly,
                    note: "Exclusion list: travel assistance only"))
            rules.append(
                EligibilityRule(
                    nationality: c, from: PartialDate(year: 2023, month: 7, day: 1), outcome: .reintegration,
                    grantTypes: [.economic, .medical],
                    note: "Readmitted to regular reintegration support on 1 July 2023"))
        }
        return EligibilityRuleSet(version: 1, rules: rules, caps: [.economic: 180_000, .medical: 250_000])
    }()

    /// Algeria, Belarus, Egypt, Lebanon, Morocco, Mongolia, Tunisia and Türkiye.
    public static let readmitted2023 = ["DZ", "BY", "EG", "LB", "MA", "MN", "TN", "TR"]
}
