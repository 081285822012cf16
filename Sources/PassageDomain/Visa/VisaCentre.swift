import Foundation

/// The visas of the Republic of Korea the centre takes applications for, each with its checklist and fee.
public enum KoreanVisaType: String, CaseIterable, Codable, Sendable {
    case shortTermVisit = "c3_short_term_visit"
    case shortTermEmployment = "c4_short_term_employment"
    case student = "d2_student"
    case languageTraining = "d4_language_training"
    case workingHoliday = "h1_working_holiday"
    case employment = "e7_employment"
    case family = "f_family"

    /// The name the reports print: "D-2 student".
    public var label: String {
        switch self {
        case .shortTermVisit: "C-3 short-term visit"
        case .shortTermEmployment: "C-4 short-term employment"
        case .student: "D-2 student"
        case .languageTraining: "D-4 language training"
        case .workingHoliday: "H-1 working holiday"
        case .employment: "E-7 employment"
        case .family: "F family"
        }
    }

    /// The embassy's fee in euro cents (a single-entry visa for a short stay, a longer one otherwise).
    public var feeCents: Int {
        switch self {
        case .shortTermVisit, .shortTermEmployment: 4_000
        default: 6_000
        }
    }

    /// The documents an application of this type brings, required first.
    public var checklist: [(kind: VisaDocumentKind, required: Bool)] {
        let common: [(VisaDocumentKind, Bool)] = [(.passport, true), (.applicationForm, true), (.photo, true)]
        let own: [(VisaDocumentKind, Bool)]
        switch self {
        case .shortTermVisit: own = [(.financialProof, true), (.employmentCertificate, false), (.invitation, false)]
        case .shortTermEmployment:
            own = [(.invitation, true), (.employmentContract, true), (.businessRegistration, true)]
        case .student: own = [(.admissionLetter, true), (.diploma, true), (.financialProof, true)]
        case .languageTraining: own = [(.admissionLetter, true), (.financialProof, true)]
        case .workingHoliday:
            own = [(.financialProof, true), (.criminalRecord, true), (.returnTicket, true), (.insurance, true)]
        case .employment: own = [(.employmentContract, true), (.diploma, true), (.criminalRecord, true)]
        case .family: own = [(.familyRelationCertificate, true), (.invitation, true), (.financialProof, false)]
        }
        return (common + own).map { (kind: $0.0, required: $0.1) }
    }
}

/// The documents an applicant brings to the centre.
public enum VisaDocumentKind: String, CaseIterable, Codable, Sendable {
    case passport
    case applicationForm = "application_form"
    case photo
    case financialProof = "financial_proof"
    case employmentCertificate = "employment_certificate"
    case invitation
    case employmentContract = "employment_contract"
    case businessRegistration = "business_registration"
    case admissionLetter = "admission_letter"
    case diploma
    case criminalRecord = "criminal_record"
    case returnTicket = "return_ticket"
    case insurance
    case familyRelationCertificate = "family_relation_certificate"
}

/// What the clerk found when checking a document in person.
public enum VerificationOutcome: String, CaseIterable, Codable, Sendable {
    /// The original was seen and handed back.
    case seen
    /// The original is kept with the application.
    case original
    /// A certified copy is kept with the application.
    case copy
    /// Not accepted: the reason says why.
    case refused

    public var accepted: Bool { self != .refused }
}

/// Where an application stands, in order.
public enum VisaApplicationStatus: String, CaseIterable, Codable, Sendable, Comparable {
    case received
    /// A required document is missing or was refused.
    case incomplete
    case verified
    case forwarded
    case decided
    case returned

    var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.order < b.order }

    /// From the documents' checks: verified when every required one is accepted.
    public static func afterChecks(_ checks: [(required: Bool, outcome: VerificationOutcome?)]) -> Self {
        if checks.contains(where: { $0.outcome == .refused }) { return .incomplete }
        if checks.contains(where: { $0.required && $0.outcome == nil }) {
            return checks.contains(where: { $0.outcome != nil }) ? .incomplete : .received
        }
        return .verified
    }
}

/// The embassy's decision.
public enum VisaDecision: String, CaseIterable, Codable, Sendable {
    case issued, refused
}

/// How the fee was paid.
public enum VisaPaymentMethod: String, CaseIterable, Codable, Sendable {
    case card, cash
    case bankTransfer = "bank_transfer"
}

/// How the passport went back to the applicant.
public enum PassportReturn: String, CaseIterable, Codable, Sendable {
    /// Collected at the centre against a signature.
    case collected
    case courier
}

/// The centre's opening (its own clock, The Hague): `counters` applicants at once, an appointment every
/// `slotMinutes` from 09:00 to 16:00, Monday to Friday, closed on `holidays`.
public struct VisaCentreHours: Sendable, Equatable {
    public var counters: Int
    public var schedule: CentreSchedule

    public init(counters: Int = 3, slotMinutes: Int = 20, holidays: Set<String> = []) {
        self.counters = counters
        schedule = CentreSchedule(
            timeZone: "Europe/Amsterdam", openDays: [1, 2, 3, 4, 5], opens: 9 * 60, closes: 16 * 60,
            slotMinutes: slotMinutes, dnaCapacity: counters, interviewCapacity: counters, holidays: holidays)
    }

    /// The times of a day's appointments, `09:00`, `09:20`, ...; none on a day the centre is closed.
    public func times(on day: PartialDate) -> [String] {
        schedule.slots(on: day).map { String(format: "%02d:%02d", $0 / 60, $0 % 60) }
    }

    /// Reads an appointment's day, time and counter, each refusal naming its field.
    public func slot(day: PartialDate?, time: String?, counter: String?, into e: inout ValidationErrors) -> String {
        let t = (time ?? "").trimmingWhitespace
        if let day {
            if let why = schedule.closedReason(on: day) {
                e.add("day", why)
            } else if !times(on: day).contains(t) {
                let all = times(on: day)
                e.add(
                    "time",
                    "must be one of the centre's times, \(all.first!) to \(all.last!), every "
                        + "\(schedule.slotMinutes) minutes")
            }
        }
        if let n = Int((counter ?? "").trimmingWhitespace), n >= 1, n <= counters {
        } else {
            e.add("counter", "must be a counter from 1 to \(counters)")
        }
        return t
    }
}

/// The public status page's limits: lookups per address and per application number within a window.
public struct StatusLookupLimit: Sendable, Equatable {
    public var perAddress: Int
    public var perApplication: Int
    public var windowSeconds: Double

    public init(perAddress: Int = 10, perApplication: Int = 5, windowSeconds: Double = 15 * 60) {
        self.perAddress = perAddress
        self.perApplication = perApplication
        self.windowSeconds = windowSeconds
    }

    /// Whether one more lookup may be answered, given the lookups already answered in the window.
    public func allows(fromAddress: Int, forApplication: Int) -> Bool {
        fromAddress < perAddress && forApplication < perApplication
    }
}

/// The numbers the centre gives: applications `KV-2026-00042`, receipts `KR-2026-00042`, batches `KB-2026-007`.
public enum VisaCentreNumber {
    public static func application(year: Int, _ n: Int) -> String { String(format: "KV-%04d-%05d", year, n) }
    public static func receipt(year: Int, _ n: Int) -> String { String(format: "KR-%04d-%05d", year, n) }
    public static func batch(year: Int, _ n: Int) -> String { String(format: "KB-%04d-%03d", year, n) }

    /// An application number as typed by an applicant: spaces and case forgiven; nil when it is not one.
    public static func readApplication(_ raw: String?) -> String? {
        let t = (raw ?? "").uppercased().filter { !$0.isWhitespace }
        guard t.count == 13, t.hasPrefix("KV-"), t.dropFirst(3).prefix(4).allSatisfy(\.isNumber),
            t[t.index(t.startIndex, offsetBy: 7)] == "-", t.suffix(5).allSatisfy(\.isNumber)
        else { return nil }
        return t
    }
}

extension MachineReadableZone {
    /// The date of birth as a day: the century is the one that does not put the birth in the future.
    public func birthDay(today: PartialDate) -> PartialDate? {
        let d = Array(birthDate)
        guard let y = Int(String(d[0...1])), let m = Int(String(d[2...3])), let day = Int(String(d[4...5])) else {
            return nil
        }
        let century = 2000 + y > today.year ? 1900 : 2000
        return PartialDate(year: century + y, month: m, day: day)
    }

    /// The date of expiry as a day (passports expire within this century).
    public var expiryDay: PartialDate? {
        let d = Array(expiryDate)
        guard let y = Int(String(d[0...1])), let m = Int(String(d[2...3])), let day = Int(String(d[4...5])) else {
            return nil
        }
        return PartialDate(year: 2000 + y, month: m, day: day)
    }

    /// A name as the zone prints it (`MIN JI`), as people write it (`Min Ji`).
    public static func properCase(_ s: String) -> String {
        s.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
            .joined(separator: " ")
    }
}

public enum VisaCentreRules {
    /// The day until which a passport must be valid for an application made on `day`: six months later (the
    /// month's last day when the day does not exist in it).
    public static func passportValidUntil(applyingOn day: PartialDate) -> PartialDate {
        let months = day.year * 12 + (day.month ?? 1) - 1 + 6
        let (y, m) = (months / 12, months % 12 + 1)
        return PartialDate(year: y, month: m, day: min(day.day ?? 1, PartialDate.daysIn(month: m, year: y)))!
    }

    /// The median of whole numbers (the lower middle of an even count); 0 when there are none.
    public static func median(_ values: [Int]) -> Int {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[(sorted.count - 1) / 2]
    }
}
