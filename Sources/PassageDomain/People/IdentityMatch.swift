/// Whether two person records may be the same person, with a score and the reasons behind it.
///
/// Used before a new person is saved (the likely duplicates are shown) and when the registry is checked for
/// records that were entered twice. The score weighs the evidence the way a counsellor would: names that meet in
/// some spelling, a date of birth that agrees (also with day and month swapped, or a year near an estimated one),
/// the same nationality, document or phone; a different sex or a date of birth that disagrees count against.
public enum IdentityMatch {
    /// What is compared of one record.
    public struct Record: Sendable, Equatable {
        public var familyName: String
        public var givenNames: String
        /// Names in the original script and aliases.
        public var otherNames: [String]
        public var sex: Sex
        public var dateOfBirth: PartialDate?
        public var nationality: String
        /// Document numbers, normalised (`IdentityDocumentDetails.normaliseNumber`).
        public var documentNumbers: [String]
        /// E.164, when known.
        public var phone: String?

        public init(
            familyName: String, givenNames: String, otherNames: [String] = [], sex: Sex = .unknown,
            dateOfBirth: PartialDate? = nil, nationality: String = "", documentNumbers: [String] = [],
            phone: String? = nil
        ) {
            self.familyName = familyName; self.givenNames = givenNames; self.otherNames = otherNames
            self.sex = sex; self.dateOfBirth = dateOfBirth; self.nationality = nationality
            self.documentNumbers = documentNumbers; self.phone = phone
        }

        var primaryWords: [String] { NameNormaliser.tokens(givenNames + " " + familyName) }
        var allWords: [String] { ([familyName, givenNames] + otherNames).flatMap(NameNormaliser.tokens) }
    }

    /// One piece of evidence, as a code a page translates and the words it concerns.
    public struct Reason: Sendable, Equatable, Codable, Hashable {
        public enum Code: String, Sendable, Codable, CaseIterable {
            /// Names: one word each (`queried` on the new record, `stored` on the other).
            case nameExact = "name_exact", namePrefix = "name_prefix"
            case nameTransliteration = "name_transliteration", nameMisspelling = "name_misspelling"
            /// A word of one record's name that the other lacks (a missing given name).
            case nameMissing = "name_missing"
            case birthSame = "birth_same", birthDayMonthSwapped = "birth_day_month_swapped"
            case birthCompatible = "birth_compatible", birthYearNear = "birth_year_near"
            case birthDiffers = "birth_differs"
            case nationalitySame = "nationality_same", nationalityDiffers = "nationality_differs"
            case documentSame = "document_same", phoneSame = "phone_same", sexDiffers = "sex_differs"
        }
        public let code: Code
        /// The new record's side of the evidence and the other record's, where there are words to show.
        public var queried: String?
        public var stored: String?

        public init(_ code: Code, queried: String? = nil, stored: String? = nil) {
            self.code = code; self.queried = queried; self.stored = stored
        }

        /// Whether the evidence speaks for the same person.
        public var isFor: Bool {
            switch code {
            case .nameMissing, .birthDiffers, .nationalityDiffers, .sexDiffers: false
            default: true
            }
        }
    }

    public struct Assessment: Sendable, Equatable {
        /// 0 to 100.
        public let score: Int
        public let reasons: [Reason]
        public var isWorthShowing: Bool { score >= IdentityMatch.shown }
    }

    /// From this score on, a record is shown as a possible duplicate of one being registered.
    public static let shown = 50

    /// How much each piece of evidence weighs.
    enum Weight {
        /// Names that meet fully give 45 points, half-met names (a shared family name only) 15.
        static let nameScale = 60.0, nameOffset = -15.0
        static let birthSame = 25, birthSwapped = 20, birthCompatible = 12, birthNear = 8, birthDiffers = -25
        static let nationalitySame = 8, nationalityDiffers = -10
        static let document = 45, phone = 10, sexDiffers = -30
    }

    public static func compare(_ new: Record, with old: Record) -> Assessment {
        var reasons: [Reason] = []
        var score = Double(0)

        let (nameShare, nameReasons) = names(new, old)
        if !nameReasons.isEmpty { score += nameShare * Weight.nameScale + Weight.nameOffset }
        reasons += nameReasons

        if let a = new.dateOfBirth, let b = old.dateOfBirth {
            let (points, reason) = birth(a, b)
            score += Double(points)
            reasons.append(reason)
        }
        if !new.nationality.isEmpty, !old.nationality.isEmpty {
            let same = new.nationality == old.nationality
            score += Double(same ? Weight.nationalitySame : Weight.nationalityDiffers)
            reasons.append(
                Reason(same ? .nationalitySame : .nationalityDiffers, queried: new.nationality, stored: old.nationality)
            )
        }
        if let number = new.documentNumbers.first(where: { !$0.isEmpty && old.documentNumbers.contains($0) }) {
            score += Double(Weight.document)
            reasons.append(Reason(.documentSame, queried: number, stored: number))
        }
        if let phone = new.phone, !phone.isEmpty, phone == old.phone {
            score += Double(Weight.phone)
            reasons.append(Reason(.phoneSame, queried: phone, stored: phone))
        }
        let known: Set<Sex> = [.female, .male]
        if known.contains(new.sex), known.contains(old.sex), new.sex != old.sex {
            score += Double(Weight.sexDiffers)
            reasons.append(Reason(.sexDiffers, queried: new.sex.rawValue, stored: old.sex.rawValue))
        }
        return Assessment(score: max(0, min(100, Int(score.rounded()))), reasons: reasons)
    }

    /// How much of the two names meet (0 to 1), and how each word met.
    ///
    /// Each word of one record's name is met against every name of the other, in both directions: a missing given
    /// name costs the shorter record less than an extra wrong one costs the longer.
    static func names(_ new: Record, _ old: Record) -> (Double, [Reason]) {
        let newWords = unique(new.primaryWords)
        let oldWords = unique(old.primaryWords)
        guard !newWords.isEmpty, !oldWords.isEmpty else { return (0, []) }
        let oldAll = old.allWords
        var reasons: [Reason] = []
        var forward = 0.0
        for w in newWords {
            guard let q = SearchTerms.query(w).first, let m = SearchTerms.explain(q, storedWords: oldAll) else {
                reasons.append(Reason(.nameMissing, queried: w))
                continue
            }
            forward += weight(m.kind)
            reasons.append(Reason(code(m.kind), queried: m.queried, stored: m.stored))
        }
        let newAll = new.allWords
        var backward = 0.0
        for w in oldWords {
            if let q = SearchTerms.query(w).first, let m = SearchTerms.explain(q, storedWords: newAll) {
                backward += weight(m.kind)
            }
        }
        let f = forward / Double(newWords.count)
        let b = backward / Double(oldWords.count)
        // Both directions count; the better one more (one record may simply lack a given name).
        return (0.65 * max(f, b) + 0.35 * min(f, b), reasons)
    }

    /// How much a word met one way says the names are the same: another spelling of a name is nearly as good as
    /// the name itself, when two records are compared (a search ranks the very words typed higher).
    static func weight(_ kind: SearchTerms.Match.Kind) -> Double {
        switch kind {
        case .exact: 1
        case .transliteration: 0.9
        case .misspelling: 0.8
        case .prefix: 0.6
        }
    }

    static func code(_ kind: SearchTerms.Match.Kind) -> Reason.Code {
        switch kind {
        case .exact: .nameExact
        case .prefix: .namePrefix
        case .transliteration: .nameTransliteration
        case .misspelling: .nameMisspelling
        }
    }

    static func unique(_ words: [String]) -> [String] {
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }
    }

    /// A date of birth as numbers, as the batch holds it: 0 for an unknown year, month or day.
    public typealias Birth = (year: Int16, month: Int8, day: Int8, estimated: Bool)

    public static func birth(_ d: PartialDate) -> Birth {
        (Int16(d.year), Int8(d.month ?? 0), Int8(d.day ?? 0), d.estimated)
    }

    /// How two known dates of birth agree: the same day, day and month swapped, compatible (a part unknown on one
    /// side), an estimated year up to two years out, or different.
    public static func birthAgreement(_ a: Birth, _ b: Birth) -> Reason.Code {
        if a.year == b.year {
            if a.month > 0 && a.day > 0 && b.month > 0 && b.day > 0 {
                if a.month == b.month && a.day == b.day { return .birthSame }
                if a.month == b.day && a.day == b.month { return .birthDayMonthSwapped }
            }
            let monthFits = a.month == 0 || b.month == 0 || a.month == b.month
            let dayFits = a.day == 0 || b.day == 0 || a.day == b.day
            if monthFits && dayFits { return .birthCompatible }
        }
        // An estimated year is often a year or two out.
        if (a.estimated || b.estimated) && abs(Int(a.year) - Int(b.year)) <= 2 { return .birthYearNear }
        return .birthDiffers
    }

    /// The points of an agreement of dates of birth.
    static func points(_ agreement: Reason.Code) -> Int {
        switch agreement {
        case .birthSame: Weight.birthSame
        case .birthDayMonthSwapped: Weight.birthSwapped
        case .birthCompatible: Weight.birthCompatible
        case .birthYearNear: Weight.birthNear
        default: Weight.birthDiffers
        }
    }

    /// How two dates of birth agree, with the dates as the reason shows them.
    static func birth(_ a: PartialDate, _ b: PartialDate) -> (Int, Reason) {
        let agreement = birthAgreement(birth(a), birth(b))
        return (points(agreement), Reason(agreement, queried: a.description, stored: b.description))
    }
}
