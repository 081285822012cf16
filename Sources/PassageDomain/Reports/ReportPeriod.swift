import Foundation

/// A range of whole days a report covers, with the period of the same length just before it.
public struct ReportPeriod: Sendable, Equatable, Codable {
    public var from: PartialDate
    public var to: PartialDate

    public static let maxYears = 20

    public init(from: PartialDate, to: PartialDate) { self.from = from; self.to = to }

    static var utc: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }

    /// Midnight UTC of a day.
    public static func date(_ d: PartialDate) -> Date {
        utc.date(from: DateComponents(year: d.year, month: d.month, day: d.day))!
    }

    /// The office's calendar day of an instant.
    public static func day(_ date: Date) -> PartialDate { OfficeCalendar.day(date) }

    /// Days in the period, both ends included.
    public var days: Int { (Self.utc.dateComponents([.day], from: Self.date(from), to: Self.date(to)).day ?? 0) + 1 }

    /// The number of whole calendar months the period covers (a month, a quarter, a year), or nil when it starts
    /// or ends inside a month.
    public var wholeMonths: Int? {
        guard let fm = from.month, from.day == 1, let tm = to.month, let td = to.day,
            td == PartialDate.daysIn(month: tm, year: to.year)
        else { return nil }
        return (to.year * 12 + tm) - (from.year * 12 + fm) + 1
    }

    /// The first day of the month `months` after (before, when negative) the month of `year`/`month`.
    static func firstOfMonth(_ year: Int, _ month: Int, plus months: Int) -> PartialDate {
        let index = year * 12 + (month - 1) + months
        return PartialDate(year: index / 12, month: index % 12 + 1, day: 1)!
    }

    /// The period just before this one: as many whole calendar months before it when it is made of whole months
    /// (November against October, a year against the year before); otherwise the same number of days that ends
    /// the day before this one starts.
    public var previous: ReportPeriod {
        if let n = wholeMonths, let fm = from.month {
            let start = Self.firstOfMonth(from.year, fm, plus: -n)
            let last = Self.firstOfMonth(from.year, fm, plus: -1)
            return ReportPeriod(
                from: start,
                to: PartialDate(
                    year: last.year, month: last.month, day: PartialDate.daysIn(month: last.month!, year: last.year))!)
        }
        let end = Self.utc.date(byAdding: .day, value: -1, to: Self.date(from))!
        let start = Self.utc.date(byAdding: .day, value: -(days - 1), to: end)!
        return ReportPeriod(from: Self.day(start), to: Self.day(end))
    }

    /// The day after the period, the exclusive upper bound for local date-times (`2026-01-01` for a 2025 report).
    public var dayAfter: String { Self.day(Self.utc.date(byAdding: .day, value: 1, to: Self.date(to))!).isoText }

    public func contains(_ isoDay: String) -> Bool { isoDay >= from.isoText && isoDay <= to.isoText }

    public var label: String { "\(from.isoText) – \(to.isoText)" }

    /// Reads `from` and `to` (full dates); none given: the current calendar year.
    public static func read(from rawFrom: String?, to rawTo: String?, today: PartialDate) throws -> ReportPeriod {
        var e = ValidationErrors()
        let noneGiven = (rawFrom ?? "").isEmpty && (rawTo ?? "").isEmpty
        if noneGiven {
            return ReportPeriod(
                from: PartialDate(year: today.year, month: 1, day: 1)!,
                to: PartialDate(year: today.year, month: 12, day: 31)!)
        }
        let from = Input.day(rawFrom, field: "from", required: true, into: &e)
        let to = Input.day(rawTo, field: "to", required: true, into: &e)
        if let f = from, let t = to {
            if t < f {
                e.add("from", "must not be after 'to' (\(f.isoText) is after \(t.isoText))")
            } else if ReportPeriod(from: f, to: t).days > maxYears * 366 {
                e.add("to", "the period may be at most \(maxYears) years long")
            }
        }
        try e.throwIfAny()
        return ReportPeriod(from: from!, to: to!)
    }
}

public enum ReportFormat: String, CaseIterable, Sendable {
    case html, json, csv, xlsx

    public static func read(_ raw: String?, default d: ReportFormat = .html) throws -> ReportFormat {
        guard let raw, !raw.isEmpty else { return d }
        guard let f = ReportFormat(rawValue: raw.lowercased()) else {
            var e = ValidationErrors()
            e.add("format", "'\(raw)' is not a report format; use html, json, csv or xlsx")
            throw e
        }
        return f
    }
}

/// The figures of the period report, each with the sentence that defines it.
public enum ReportFigure: String, CaseIterable, Codable, Sendable {
    case counselled, informationSessions = "information_sessions", networkMeetings = "network_meetings"
    case departed, countriesOfReturn = "countries_of_return", childrenReturned = "unaccompanied_children_returned"
    case traffickingAssisted = "trafficking_victims_assisted", medicalDeparted = "medical_needs_departed", escorted
    case grants, travelDocuments = "travel_documents_obtained", airportDepartures = "airport_departures",
        airportTransits = "airport_transits", airportArrivals = "airport_arrivals"
    case co2WithRF = "co2_tonnes_with_rf", co2WithoutRF = "co2_tonnes_without_rf", credits = "carbon_credit_tonnes"
    case dnaSamples = "dna_samples_collected", interviewsHeld = "vc_interviews_held"
    case visaFamilies = "visa_assistance_families", visaPersons = "visa_assistance_persons"
    case mileageTravellers = "mileage_fund_travellers"
    case resettled = "resettlement_arrivals", resettledHouseholds = "resettlement_households_arrived"
    case selectionMissions = "selection_missions", orientationSessions = "pdo_sessions"
    case orientationParticipants = "pdo_participants", medicalEscorts = "resettlement_medical_escorts"
    case visaApplications = "kvac_applications", visaPassportsReturned = "kvac_passports_returned"
    case visaProcessingDays = "kvac_processing_days"
    case diasporaAssignments = "diaspora_assignments", diasporaExperts = "diaspora_experts"
    case diasporaHosts = "diaspora_host_institutions"
    case projectEvents = "project_events", projectParticipants = "project_participants"

    public var label: String {
        switch self {
        case .counselled: "Migrants counselled"
        case .informationSessions: "Information sessions"
        case .networkMeetings: "Network meetings"
        case .departed: "Migrants departed"
        case .countriesOfReturn: "Countries of return"
        case .childrenReturned: "Unaccompanied children returned"
        case .traffickingAssisted: "Victims of trafficking assisted"
        case .medicalDeparted: "Migrants with medical needs departed"
        case .escorted: "Migrants departed with an escort"
        case .grants: "Reintegration grants"
        case .travelDocuments: "Travel documents obtained"
        case .airportDepartures: "Airport departures"
        case .airportTransits: "Airport transits"
        case .airportArrivals: "Airport arrivals"
        case .co2WithRF: "CO2e of flights, tonnes (with radiative forcing)"
        case .co2WithoutRF: "CO2e of flights, tonnes (without radiative forcing)"
        case .credits: "Carbon credits bought, tonnes"
        case .dnaSamples: "DNA samples collected"
        case .interviewsHeld: "Videoconference interviews held"
        case .visaFamilies: "Families given visa application assistance"
        case .visaPersons: "Persons given visa application assistance"
        case .mileageTravellers: "Travellers paid for by the Mileage Fund"
        case .resettled: "Refugees resettled"
        case .resettledHouseholds: "Resettled households"
        case .selectionMissions: "Selection missions"
        case .orientationSessions: "Pre-departure orientation sessions"
        case .orientationParticipants: "Pre-departure orientation participants"
        case .medicalEscorts: "Resettled households with a medical escort"
        case .visaApplications: "Korean visa applications received"
        case .visaPassportsReturned: "Passports returned to visa applicants"
        case .visaProcessingDays: "Days from intake to passport returned (median)"
        case .diasporaAssignments: "Diaspora assignments"
        case .diasporaExperts: "Diaspora experts on assignment"
        case .diasporaHosts: "Host institutions of diaspora experts"
        case .projectEvents: "Project events"
        case .projectParticipants: "Participants in project events"
        }
    }

    public var definition: String {
        switch self {
        case .counselled: "distinct persons of return cases with a counselling session held in the period"
        case .informationSessions: "information sessions held in the period"
        case .networkMeetings: "network meetings held in the period"
        case .departed:
            "distinct persons with a return booking flown in the period (its first flight's local departure day)"
                + "; or whose departure without a flown booking was recorded for a day of the period with how they left"
        case .countriesOfReturn:
            """
            distinct countries of return of the migrants departed in the period (as the case recorded it when the \
            booking was flown)
            """
        case .childrenReturned: "migrants departed in the period whose case records an unaccompanied child"
        case .traffickingAssisted: "migrants departed in the period whose case records a victim of trafficking"
        case .medicalDeparted: "migrants departed in the period whose case records medical needs"
        case .escorted: "migrants departed in the period on a booking with an operational or medical escort"
        case .grants: "reintegration grants granted in the period (the day of the grant), by type"
        case .travelDocuments:
            "travel documents issued by embassies in the period (the day of issue), by the embassy's country"
        case .airportDepartures:
            "passengers of bookings not cancelled leaving from the hub airport in the period (hub local day)"
        case .airportTransits:
            "passengers of bookings not cancelled connecting through the hub airport in the period (hub local day)"
        case .airportArrivals:
            "passengers of bookings not cancelled ending their journey at the hub airport in the period (hub local day)"
        case .co2WithRF:
            """
            CO2e of bookings flown in the period: every passenger and escort, great-circle distance × the year's \
            factor with the uplift
            """
        case .co2WithoutRF: "the same without the radiative-forcing uplift"
        case .credits: "carbon credits bought in the period"
        case .dnaSamples:
            "DNA samples collected in the period (the office's day of collection), new collections included, by the "
                + "nationality of the person sampled"
        case .interviewsHeld:
            "videoconference interviews recorded as held, by the day of the appointment, by the nationality of the "
                + "person interviewed"
        case .visaFamilies: "families helped at a consulate with their visa applications on a day of the period"
        case .visaPersons: "persons of those families"
        case .mileageTravellers: "distinct travellers with a ticket paid from the Mileage Fund on a day of the period"
        case .resettled:
            "persons of resettlement movements that arrived in the period (the day of arrival at the hub), by the "
                + "country of departure"
        case .resettledHouseholds: "households of those movements"
        case .selectionMissions: "selection missions that began in the period"
        case .orientationSessions: "pre-departure orientation sessions that began in the period"
        case .orientationParticipants: "distinct persons who attended a session that began in the period"
        case .medicalEscorts: "resettled households of the period that travelled with a medical escort"
        case .visaApplications: "applications taken in at the visa application centre in the period, by visa type"
        case .visaPassportsReturned: "passports returned to their holders in the period (collected or by courier)"
        case .visaProcessingDays:
            "the median number of calendar days from intake to the passport returned, of the passports returned in "
                + "the period"
        case .diasporaAssignments:
            "diaspora assignments not cancelled that began in the period, in the country or online"
        case .diasporaExperts: "distinct experts of those assignments"
        case .diasporaHosts: "distinct host institutions of those assignments"
        case .projectEvents: "events of projects held on a day of the period, by kind"
        case .projectParticipants: "participants counted at those events, by group"
        }
    }

    /// Figures in tonnes carry three decimals; the rest are counts.
    public var isTonnes: Bool { self == .co2WithRF || self == .co2WithoutRF || self == .credits }
}

/// What a report file does with its counts from 1 to 4, small enough for a reader to recognise a person behind them:
/// keeps them (for the office's own work) or shows each as "<5" (for sharing outside the office).
public enum SmallCounts: String, CaseIterable, Sendable {
    case keep, suppress

    /// The smallest count shown as it is when suppressing.
    public static let threshold = 5.0

    public static func read(_ raw: String?, format: ReportFormat) throws -> SmallCounts {
        guard let raw, !raw.isEmpty else { return .keep }
        guard let s = SmallCounts(rawValue: raw.lowercased()) else {
            throw ValidationErrors("small", "'\(raw)' is not a choice; use keep or suppress")
        }
        if s == .suppress && ![.csv, .xlsx].contains(format) {
            throw ValidationErrors("small", "counts under 5 are suppressed in csv and xlsx files; ask for one of them")
        }
        return s
    }

    /// The cell for a count: "<5" for one from 1 to 4 when suppressing.
    public func cell(_ value: Double, decimals: Int) -> ReportTable.Cell {
        self == .suppress && decimals == 0 && value >= 1 && value < Self.threshold
            ? .text("<\(Int(Self.threshold))") : .number(value, decimals: decimals)
    }
}
