import Vapor
import Fluent
import PassageDomain

/// A booking as pages and the API show it: legs in local time, passengers, history, messages and CO2.
struct BookingFile: Content {
    struct LegDTO: Content {
        var seq: Int; var flight: String; var from: String; var fromCity: String; var to: String; var toCity: String
        var departsLocal: String; var arrivesLocal: String; var departsAt: Date; var arrivesAt: Date
        var distanceKm: Double; var escortOnly: Bool; var co2KgWithRF: Double?; var co2KgWithoutRF: Double?;
        var factorYear: Int?
    }
    struct PassengerDTO: Content {
        var personID: UUID; var reference: String; var name: String; var phone: String?; var assistance: [String];
        var smsOptOut: Bool
    }
    struct HistoryDTO: Content { var at: Date; var by: String; var from: String?; var to: String; var note: String }
    struct MessageDTO: Content {
        var id: UUID; var kind: String; var label: String; var destination: String; var body: String; var status: String
        var attempts: Int; var dueAt: Date; var sentAt: Date?; var lastError: String?; var report: String?;
        var reportAt: Date?
    }
    struct HandlingDTO: Content {
        var personID: UUID; var type: String; var checkedIn: Bool; var exitFormalities: Bool; var handoverTo: String?
        var handoverName: String; var transitAssistance: [String]; var note: String; var updatedBy: String
    }

    var id: UUID
    var caseID: UUID
    var caseReference: String
    var programme: String
    var reference: String
    var status: String
    var next: [String]
    var fare: String?
    var baggageKg: Int
    var escort: String
    var escortStaff: String
    var note: String
    var rebookedFrom: UUID?
    var rebookedAs: UUID?
    var legs: [LegDTO]
    var passengers: [PassengerDTO]
    var history: [HistoryDTO]
    var messages: [MessageDTO]
    var handling: [HandlingDTO]
    /// The whole booking's CO2e once flown: every passenger on the passengers' legs, and the escort on theirs and on
    /// their flight home.
    var co2KgWithRF: Double?
    var co2KgWithoutRF: Double?

    /// Who may read that a passenger needs medical help: the airport team, medical officers and managers.
    static let medicalAssistanceReaders: Set<Role> = MovementsAccess.airport.union(CaseAccess.medical)

    /// The booking as `viewer` may read it.
    static func load(_ id: UUID, for viewer: Identity, on db: any Database) async throws -> BookingFile {
        var file = try await load(id, on: db)
        if !viewer.hasAny(medicalAssistanceReaders) {
            for i in file.passengers.indices {
                file.passengers[i].assistance.removeAll { $0 == AssistanceKind.medical.rawValue }
            }
        }
        return file
    }

    /// A reading of a booking is a reading of its passengers' records.
    func recordView(by viewer: Identity, via: String, on app: Application) async throws {
        try await AuditLog.views(
            app, viewer.actor, entity: "booking", entityID: id, persons: passengers.map(\.personID), note: via)
    }

    static func load(_ id: UUID, on db: any Database) async throws -> BookingFile {
        let b = try await BookingRecords.loadBooking(id, on: db)
        let c = try await BookingRecords.loadCase(b.$caseRecord.id, on: db)
        let persons = try await Person.query(on: db).filter(\.$id ~~ b.passengers.map { $0.$person.id }).all()
        let optedOut = Set(
            try await SMSOptOut.query(on: db).filter(\.$person.$id ~~ persons.map { $0.id! }).all().map {
                $0.$person.id
            })
        let legs = b.legs.sorted { $0.seq < $1.seq }
        let airports = ReferenceData.airports
        let history = try await BookingEvent.query(on: db).filter(\.$booking.$id == id).sort(\.$at).all()
        let messages = try await OutboxMessage.query(on: db).filter(\.$bookingID == id).sort(\.$createdAt).all()
        let handling = try await MovementHandling.query(on: db).filter(\.$booking.$id == id).all()
        let later = try await Booking.query(on: db).filter(\.$rebookedFromID == id).first()
        let co2 = b.bookingStatus == .flown ? b.co2Grams(legs: legs, passengers: b.passengers.count) : nil
        return BookingFile(
            id: id, caseID: c.id!, caseReference: c.reference, programme: c.programme.rawValue, reference: b.reference,
            status: b.status.rawValue,
            next: b.bookingStatus.next.map(\.rawValue).sorted(), fare: b.fareCents.map { Money.format($0) },
            baggageKg: b.baggageKg,
            escort: b.escort.rawValue, escortStaff: b.escortStaff, note: b.note, rebookedFrom: b.rebookedFromID,
            rebookedAs: later?.id,
            legs: legs.map { l in
                LegDTO(
                    seq: l.seq, flight: l.flight, from: l.fromCode, fromCity: airports[l.fromCode]?.city ?? "",
                    to: l.toCode,
                    toCity: airports[l.toCode]?.city ?? "", departsLocal: l.departsLocal, arrivesLocal: l.arrivesLocal,
                    departsAt: l.departsAt, arrivesAt: l.arrivesAt, distanceKm: l.distanceKm, escortOnly: l.escortOnly,
                    co2KgWithRF: l.co2GramsRF.map { Double($0) / 1000 },
                    co2KgWithoutRF: l.co2Grams.map { Double($0) / 1000 }, factorYear: l.factorYear)
            },
            passengers: b.passengers.compactMap { p in
                guard let person = persons.first(where: { $0.id == p.$person.id }) else { return nil }
                return PassengerDTO(
                    personID: person.id!, reference: person.reference,
                    name: "\(person.familyName), \(person.givenNames)",
                    phone: person.phone, assistance: p.assistance.map(\.rawValue),
                    smsOptOut: optedOut.contains(person.id!))
            },
            history: history.map {
                HistoryDTO(at: $0.at, by: $0.actorName, from: $0.fromStatus, to: $0.toStatus, note: $0.note)
            },
            messages: messages.map(MessageDTO.init),
            handling: handling.map(HandlingDTO.init),
            co2KgWithRF: co2.map { Double($0.withRF) / 1000 }, co2KgWithoutRF: co2.map { Double($0.withoutRF) / 1000 })
    }

    /// The bookings of a case, newest first.
    static func forCase(_ caseID: UUID, for viewer: Identity, on db: any Database) async throws -> [BookingFile] {
        var out: [BookingFile] = []
        for b in try await Booking.query(on: db).filter(\.$caseRecord.$id == caseID).sort(\.$createdAt, .descending)
            .all()
        {
            out.append(try await load(b.id!, for: viewer, on: db))
        }
        return out
    }
}

extension BookingFile.HandlingDTO {
    init(_ m: MovementHandling) {
        self.init(
            personID: m.$person.id, type: m.type.rawValue, checkedIn: m.checkedIn, exitFormalities: m.exitFormalities,
            handoverTo: m.handoverTo?.rawValue,
            handoverName: m.handoverName, transitAssistance: m.transitAssistance.split(separator: ",").map(String.init),
            note: m.note, updatedBy: m.updatedBy)
    }
}

extension Booking {
    /// The whole booking's CO2e in grams (with and without the uplift): every passenger and the escort on the
    /// passengers' flights, the escort alone on the way home.
    func co2Grams(legs: [Leg], passengers: Int) -> (withRF: Int, withoutRF: Int) {
        LegEmission.booking(
            legs: legs.map { ($0.co2GramsRF, $0.co2Grams, $0.escortOnly) }, passengers: passengers,
            escorted: escort != EscortKind.none)
    }

    /// Keeps the booking's CO2e total (with and without the uplift) from its flights' figures, as the reports read it.
    func fixCO2Total() {
        let total = co2Grams(legs: legs, passengers: passengers.count)
        co2TotalRF = total.withRF; co2Total = total.withoutRF
    }

    /// The bookings (not cancelled) with a leg leaving or reaching the airport in a span of local days
    /// (`2026-12-01` for a day, `2026-12` for a month), with their legs and passengers.
    /// The passengers' own flights in order (the escort's flight home left out).
    var passengerLegs: [Leg] { legs.filter { !$0.escortOnly }.sorted { $0.seq < $1.seq } }

    /// How the passengers' itinerary passes through an airport.
    func movements(at hub: String) -> [Movement] { Manifest.movements(passengerLegs.map(\.manifestLeg), hub: hub) }

    static func touching(_ airport: String, within span: String, on db: any Database) async throws -> [Booking] {
        // The next day or month as the upper bound: digits decide the order under any collation.
        try await touching(airport, from: span, until: nextSpan(span), on: db)
    }

    /// The same for local days from `start` up to, not including, `end`.
    static func touching(_ airport: String, from span: String, until end: String, on db: any Database) async throws
        -> [Booking]
    {
        let legs = try await Leg.query(on: db).group(.or) {
            $0.group(.and) {
                $0.filter(\.$fromCode == airport).filter(\.$departsLocal >= span).filter(\.$departsLocal < end)
            }
            .group(.and) {
                $0.filter(\.$toCode == airport).filter(\.$arrivesLocal >= span).filter(\.$arrivesLocal < end)
            }
        }.all()
        return try await Booking.query(on: db).filter(\.$id ~~ Array(Set(legs.map { $0.$booking.id })))
            .filter(\.$status != BookingStatus.cancelled).with(\.$legs).with(\.$passengers).with(\.$caseRecord)
            .all()
    }
}

/// `2026-12-31` → `2027-01-01`, `2026-12` → `2027-01`.
func nextSpan(_ span: String) -> String {
    let p = span.split(separator: "-").compactMap { Int($0) }
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = .gmt
    if p.count == 3, let d = cal.date(from: DateComponents(year: p[0], month: p[1], day: p[2])),
        let n = cal.date(byAdding: .day, value: 1, to: d)
    {
        let c = cal.dateComponents([.year, .month, .day], from: n)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
    if p.count == 2 {
        return p[1] == 12 ? String(format: "%04d-01", p[0] + 1) : String(format: "%04d-%02d", p[0], p[1] + 1)
    }
    return span + "~"
}

extension BookingFile.MessageDTO {
    init(_ m: OutboxMessage) {
        self.init(
            id: m.id!, kind: m.kind.rawValue, label: m.label, destination: m.destination, body: m.body,
            status: m.status.rawValue,
            attempts: m.attempts, dueAt: m.dueAt, sentAt: m.sentAt, lastError: m.lastError, report: m.report,
            reportAt: m.reportAt)
    }
}

/// The hub airport's day: every departure, transit and arrival with the help each passenger needs and what was done.
struct ManifestDay: Content {
    struct Entry: Content {
        var type: String
        var time: String
        var bookingID: UUID
        var caseID: UUID
        var caseReference: String
        var bookingReference: String
        var status: String
        var inbound: String?
        var outbound: String?
        var personID: UUID
        var person: String
        var personReference: String
        var assistance: [String]
        var escort: String
        var escortStaff: String
        var handling: BookingFile.HandlingDTO?
    }
    var airport: String
    var date: String
    var entries: [Entry]
    var counts: [String: Int]

    static func load(airport: String, date: String, on db: any Database) async throws -> ManifestDay {
        // Leg times are stored in each airport's own time, so the hub's day is a prefix of them.
        let bookings = try await Booking.touching(airport, within: date, on: db)
        let bookingIDs = bookings.map { $0.id! }
        let personIDs = bookings.flatMap { $0.passengers.map { $0.$person.id } }
        let persons = Dictionary(
            uniqueKeysWithValues: try await Person.query(on: db).filter(\.$id ~~ personIDs).all().map { ($0.id!, $0) })
        let handling = try await MovementHandling.query(on: db).filter(\.$booking.$id ~~ bookingIDs).all()
        var entries: [Entry] = []
        for b in bookings {
            for m in b.movements(at: airport) where m.day == date {
                for p in b.passengers {
                    guard let person = persons[p.$person.id] else { continue }
                    let h = handling.first { $0.$person.id == person.id && $0.type == m.type }
                    entries.append(
                        Entry(
                            type: m.type.rawValue, time: m.time, bookingID: b.id!, caseID: b.$caseRecord.id,
                            caseReference: b.caseRecord.reference,
                            bookingReference: b.reference, status: b.status.rawValue,
                            inbound: m.inbound.map { "\($0.flight) \($0.from)→\($0.to) \($0.arrivesLocal.suffix(5))" },
                            outbound: m.outbound.map {
                                "\($0.flight) \($0.from)→\($0.to) \($0.departsLocal.suffix(5))"
                            },
                            personID: person.id!, person: "\(person.familyName), \(person.givenNames)",
                            personReference: person.reference,
                            assistance: p.assistance.map(\.rawValue), escort: b.escort.rawValue,
                            escortStaff: b.escortStaff,
                            handling: h.map(BookingFile.HandlingDTO.init)))
                }
            }
        }
        entries.sort { ($0.time, $0.type, $0.person) < ($1.time, $1.type, $1.person) }
        var counts: [String: Int] = [:]
        for t in MovementType.allCases { counts[t.rawValue] = entries.filter { $0.type == t.rawValue }.count }
        return ManifestDay(airport: airport, date: date, entries: entries, counts: counts)
    }
}

/// Passengers through the hub per day of a month, by type (cancelled bookings left out).
struct MovementCounts: Content {
    struct Day: Content { var date: String; var departure: Int; var transit: Int; var arrival: Int }
    var airport: String
    var month: String
    var days: [Day]
    var totals: [String: Int]

    static func load(airport: String, month: String, on db: any Database) async throws -> MovementCounts {
        let bookings = try await Booking.touching(airport, within: month, on: db)
        var perDay: [String: [MovementType: Int]] = [:]
        for b in bookings {
            for m in b.movements(at: airport) where m.day.hasPrefix(month) {
                perDay[m.day, default: [:]][m.type, default: 0] += b.passengers.count
            }
        }
        let days = perDay.keys.sorted().map { d in
            Day(
                date: d, departure: perDay[d]?[.departure] ?? 0, transit: perDay[d]?[.transit] ?? 0,
                arrival: perDay[d]?[.arrival] ?? 0)
        }
        return MovementCounts(
            airport: airport, month: month, days: days,
            totals: [
                "departure": days.reduce(0) { $0 + $1.departure }, "transit": days.reduce(0) { $0 + $1.transit },
                "arrival": days.reduce(0) { $0 + $1.arrival },
            ])
    }
}

/// CO2e of flown bookings per year and programme, and the carbon-credit ledger against it.
struct CarbonAccount: Content {
    struct Row: Content {
        var year: Int; var programme: String; var bookings: Int; var kgWithRF: Double; var kgWithoutRF: Double
    }
    struct Credit: Content {
        var id: UUID; var purchasedOn: String; var tonnes: Double; var vendor: String; var certificate: String;
        var recordedBy: String
    }
    var rows: [Row]
    var credits: [Credit]
    var emittedTonnesWithRF: Double
    var emittedTonnesWithoutRF: Double
    var creditTonnes: Double
    /// Credits minus emissions with the radiative-forcing uplift (the office's default reporting figure).
    var balanceTonnes: Double
    var method: String

    static func load(on db: any Database) async throws -> CarbonAccount {
        let flown = try await Booking.query(on: db).filter(\.$status == BookingStatus.flown).with(\.$legs)
            .with(\.$passengers).with(\.$caseRecord).all()
        var acc: [String: Row] = [:]
        for b in flown {
            let first = b.passengerLegs.first
            let year = Int(first?.departsLocal.prefix(4) ?? "") ?? 0
            let (rf, plain) = b.co2Grams(legs: b.legs, passengers: b.passengers.count)
            let key = "\(year)|\(b.caseRecord.programme.rawValue)"
            var r =
                acc[key]
                ?? Row(year: year, programme: b.caseRecord.programme.rawValue, bookings: 0, kgWithRF: 0, kgWithoutRF: 0)
            r.bookings += 1; r.kgWithRF += Double(rf) / 1000; r.kgWithoutRF += Double(plain) / 1000
            acc[key] = r
        }
        let rows = acc.values.sorted { ($0.year, $0.programme) > ($1.year, $1.programme) }
        let credits = try await CarbonCredit.query(on: db).sort(\.$purchasedOn, .descending).all().map {
            Credit(
                id: $0.id!, purchasedOn: $0.purchasedOn, tonnes: Double($0.kilograms) / 1000, vendor: $0.vendor,
                certificate: $0.certificate, recordedBy: $0.recordedBy)
        }
        let withRF = rows.reduce(0) { $0 + $1.kgWithRF } / 1000
        let without = rows.reduce(0) { $0 + $1.kgWithoutRF } / 1000
        let bought = credits.reduce(0) { $0 + $1.tonnes }
        let source = ReferenceData.emissionFactors.factors.map {
            "\($0.year): \($0.source) — \($0.withRF) (with RF) / \($0.withoutRF) (without RF) kg CO2e per passenger-km"
        }
        return CarbonAccount(
            rows: rows, credits: credits, emittedTonnesWithRF: withRF, emittedTonnesWithoutRF: without,
            creditTonnes: bought,
            balanceTonnes: bought - withRF,
            method:
                "Great-circle distance between the airports' coordinates × the factor of the flight's year (a year without its own factors takes the latest earlier year's, or the earliest in the table), fixed when the booking is flown; per booking, every passenger and the escort on the passengers' flights and the escort alone on the way home. "
                + source.joined(separator: "; "))
    }

    static func addCredit(_ f: FormFields, actor: Actor, on app: Application) async throws {
        let c = try CarbonCreditInput.read(f, today: Clock.today())
        try await app.writeTransaction { db in
            let m = CarbonCredit()
            m.purchasedOn = c.purchasedOn.isoText; m.kilograms = c.kilograms; m.vendor = c.vendor;
            m.certificate = c.certificate; m.recordedBy = actor.name
            try await m.create(on: db)
            try await AuditLog.record(
                on: db, actor: actor, action: .create, entity: "carbon_credit", entityID: m.id!.uuidString,
                personID: nil,
                changes: AuditRecord.diff(
                    before: [:],
                    after: [
                        "purchasedOn": m.purchasedOn, "kilograms": String(m.kilograms),
                        "vendor": m.vendor, "certificate": m.certificate,
                    ]))
        }
    }
}

extension Leg {
    /// What the hub's figures read on each of the passengers' flights, in order: how many fly it, where the flight
    /// before it arrived and where the next one leaves from.
    static func linkItinerary(_ legs: [Leg], passengers: Int) {
        for (i, leg) in legs.enumerated() {
            leg.passengers = passengers
            leg.prevTo = i > 0 ? legs[i - 1].toCode : nil
            leg.nextFrom = i + 1 < legs.count ? legs[i + 1].fromCode : nil
        }
    }
}
