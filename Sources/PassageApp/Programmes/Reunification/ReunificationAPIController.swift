import Fluent
import PassageDomain
import SQLKit
import Vapor

/// Family reunification in the JSON API: centres, referrals (the IND's through its own account), appointments,
/// samples, hand-overs and results.
struct ReunificationAPIController {
    struct CentreDTO: Content, Sendable {
        var id: UUID
        var locationID: UUID
        var name: String
        var city: String
        var country: String
        var timeZone: String
        var openDays: [Int]
        var opens: String
        var closes: String
        var slotMinutes: Int
        var dnaCapacity: Int
        var interviewCapacity: Int
        var holidays: [String]
    }
    struct ReferralSummary: Content, Sendable {
        var id: UUID
        var caseReference: String
        var indFileNumber: String
        var deadline: String
        var centre: String
        var members: Int
    }
    struct ReferralPage: Content, Sendable {
        var items: [ReferralSummary]
        var total: Int
        var page: Int
        var pageSize: Int
    }

    struct VisaAssistanceDTO: Content, Sendable {
        var id: UUID
        var day: String
        var place: String
        var family: String
        var personID: UUID?
        var persons: Int
        var nationality: String
        var services: [VisaService]
        var problems: String
        var recordedBy: String
    }
    struct VisaAssistancePage: Content, Sendable {
        var items: [VisaAssistanceDTO]
        var total: Int
        var families: Int
        var persons: Int
        var page: Int
        var pageSize: Int
    }
    struct MileageEntryDTO: Content, Sendable {
        var id: UUID
        var kind: MileageEntryKind
        var day: String
        var amount: String
        var donor: String
        var personID: UUID?
        var referralID: UUID?
        var eligibility: MileageEligibility?
        var reason: String
        var bookingID: UUID?
        var recordedBy: String
    }
    struct MileageFundDTO: Content, Sendable {
        var balance: String
        var donations: String
        var tickets: String
        var travellers: Int
        var entries: [MileageEntryDTO]
    }

    static func dto(_ v: FRVisaAssistance) -> VisaAssistanceDTO {
        VisaAssistanceDTO(
            id: v.id!, day: v.day, place: v.place, family: v.family, personID: v.$person.id, persons: v.persons,
            nationality: v.nationality,
            services: v.services.split(separator: ",").compactMap { VisaService(rawValue: String($0)) },
            problems: v.problems, recordedBy: v.recordedBy)
    }

    static func dto(_ m: FRMileageEntry) -> MileageEntryDTO {
        MileageEntryDTO(
            id: m.id!, kind: m.kind, day: m.day, amount: Money.format(m.amountCents), donor: m.donor,
            personID: m.$person.id, referralID: m.$referral.id, eligibility: m.eligibility, reason: m.reason,
            bookingID: m.bookingID, recordedBy: m.recordedBy)
    }

    static func visaAssistance(_ req: Request, page: Int) async throws -> VisaAssistancePage {
        let all = try await FRVisaAssistance.query(on: req.db).count()
        // SUM of a BIGINT is a NUMERIC on PostgreSQL: cast back to a whole number.
        let persons =
            try await req.db.sql.raw("SELECT CAST(SUM(v.persons) AS BIGINT) AS n FROM fr_visa_assistance v").first()?
            .decode(column: "n", as: Int?.self) ?? 0
        let rows = try await FRVisaAssistance.query(on: req.db).sort(\.$day, .descending).sort(
            \.$createdAt, .descending
        )
        .range(((page - 1) * 50)..<(page * 50)).all()
        // A row that names a person's record is a reading of it.
        try await AuditLog.listed(
            req.application, req.auth.get(Identity.self)?.actor ?? .system, entity: "fr_visa_assistance",
            rows: rows.compactMap { r in r.$person.id.map { (r.id!, $0) } }, note: "visa assistance list")
        return VisaAssistancePage(
            items: rows.map(dto), total: all, families: all, persons: persons, page: page, pageSize: 50)
    }

    static func mileageFund(_ req: Request) async throws -> MileageFundDTO {
        let rows = try await FRMileageEntry.query(on: req.db).sort(\.$day, .descending)
            .sort(\.$createdAt, .descending).all()
        // The tickets name the travellers: a reading of each of their records.
        try await AuditLog.listed(
            req.application, req.auth.get(Identity.self)?.actor ?? .system, entity: "fr_mileage",
            rows: rows.compactMap { r in r.$person.id.map { (r.id!, $0) } }, note: "Mileage Fund ledger")
        let donations = rows.filter { $0.kind == .donation }.reduce(0) { $0 + $1.amountCents }
        let tickets = rows.filter { $0.kind == .ticket }.reduce(0) { $0 + $1.amountCents }
        return MileageFundDTO(
            balance: Money.format(donations - tickets), donations: Money.format(donations),
            tickets: Money.format(tickets),
            travellers: Set(rows.filter { $0.kind == .ticket }.compactMap { $0.$person.id }).count,
            entries: rows.map(dto))
    }

    static func dto(_ c: FRCentre) -> CentreDTO {
        let s = c.schedule
        return CentreDTO(
            id: c.id!, locationID: c.$location.id, name: c.location.name, city: c.location.city,
            country: c.location.country, timeZone: s.timeZone, openDays: s.openDays.sorted(),
            opens: CentreSchedule.clock(s.opens), closes: CentreSchedule.clock(s.closes), slotMinutes: s.slotMinutes,
            dnaCapacity: s.dnaCapacity, interviewCapacity: s.interviewCapacity, holidays: s.holidays.sorted())
    }

    static func centres(on db: any Database) async throws -> [FRCentre] {
        try await FRCentre.query(on: db).with(\.$location).all().sorted { $0.location.name < $1.location.name }
    }

    /// A referral's file, read by `id` and recorded as a reading of every person it names.
    static func file(_ req: Request, _ id: Identity, _ referralID: UUID) async throws -> ReferralFile {
        let f = try await ReferralFile.load(referralID, for: id, on: req.db)
        try await f.recordView(by: id, via: "api", on: req.application)
        return f
    }

    /// The referrals `viewer` may read, newest first: a partner's own only.
    static func referrals(_ req: Request, _ viewer: Identity, page: Int, pageSize: Int) async throws
        -> ReferralPage
    {
        var q = FRReferral.query(on: req.db)
        if !viewer.hasAny(ReunificationAccess.read) {
            guard let pid = viewer.partnerID else { return ReferralPage(items: [], total: 0, page: page, pageSize: 0) }
            q = q.filter(\.$partner.$id == pid)
        }
        let total = try await q.count()
        let rows = try await q.with(\.$caseRecord).with(\.$centre) { $0.with(\.$location) }.with(\.$members)
            .sort(\.$createdAt, .descending).sort(\.$id).range(((page - 1) * pageSize)..<(page * pageSize)).all()
        return ReferralPage(
            items: rows.map {
                ReferralSummary(
                    id: $0.id!, caseReference: $0.caseRecord.reference, indFileNumber: $0.indFileNumber,
                    deadline: $0.deadline, centre: $0.centre.location.name, members: $0.members.count)
            }, total: total, page: page, pageSize: pageSize)
    }

    func boot(_ api: any RoutesBuilder) {
        let fr = api.grouped("reunification")
        fr.get("centres", roles: ReunificationAccess.read.union(ReunificationAccess.centres)) { req, _ in
            try await Self.centres(on: req.db).map(Self.dto)
        }
        fr.on(.PUT, ["centres", ":locationID"], roles: ReunificationAccess.centres) { req, id -> CentreDTO in
            let c = try await ReunificationRecords.saveCentre(
                locationID: try req.uuid("locationID"), try FormInput.fields(req), actor: id.actor,
                on: req.application)
            return Self.dto(try await ReunificationRecords.centre(c.id!, on: req.db))
        }
        fr.get("referrals", roles: ReunificationAccess.referrers) { req, id in
            try await Self.referrals(req, id, page: try req.queryPage(), pageSize: 50)
        }
        fr.post("referrals", roles: ReunificationAccess.referrers) { req, id -> Response in
            let form = try req.content.decode(ReferralForm.self)
            let r = try await ReunificationRecords.createReferral(form, by: id, on: req.application)
            let res = try await Self.file(req, id, r.id!).encodeResponse(status: .created, for: req)
            res.headers.replaceOrAdd(name: .location, value: "/api/v1/reunification/referrals/\(r.id!.uuidString)")
            return res
        }
        fr.get("referrals", ":referralID", roles: ReunificationAccess.referrers) { req, id in
            try await Self.file(req, id, try req.uuid("referralID"))
        }
        fr.post("referrals", ":referralID", "appointments", roles: ReunificationAccess.write) { req, id in
            let rid = try req.uuid("referralID")
            let a = try await ReunificationRecords.book(
                referralID: rid, try FormInput.fields(req), by: id, on: req.application)
            return try await Self.appointmentAnswer(req, a, status: .created)
        }
        fr.post("appointments", ":appointmentID", "transitions", roles: ReunificationAccess.write) { req, id in
            let a = try await ReunificationRecords.move(
                try req.uuid("appointmentID"), try FormInput.fields(req), by: id, on: req.application)
            return try await Self.appointmentAnswer(req, a, status: .ok)
        }
        fr.get("appointments", ":appointmentID", "calendar.ics", roles: ReunificationAccess.write) { req, id in
            try await Self.calendar(req, id)
        }
        fr.on(.PUT, ["appointments", ":appointmentID", "interview"], roles: ReunificationAccess.write) { req, id in
            let i = try await ReunificationRecords.arrangeInterview(
                try req.uuid("appointmentID"), try FormInput.fields(req), by: id, on: req.application)
            return ReferralFile.interview(i)!
        }
        fr.post("appointments", ":appointmentID", "interview", "outcome", roles: ReunificationAccess.write) {
            req, id in
            let i = try await ReunificationRecords.interviewOutcome(
                try req.uuid("appointmentID"), try FormInput.fields(req), by: id, on: req.application)
            return ReferralFile.interview(i)!
        }
        fr.get("visa-assistance", roles: ReunificationAccess.read) { req, _ in
            try await Self.visaAssistance(req, page: try req.queryPage())
        }
        fr.post("visa-assistance", roles: ReunificationAccess.write) { req, id -> Response in
            let v = try await ReunificationRecords.recordVisaAssistance(
                try FormInput.fields(req), by: id, on: req.application)
            return try await Self.dto(v).encodeResponse(status: .created, for: req)
        }
        fr.get("mileage-fund", roles: ReunificationAccess.read) { req, _ in try await Self.mileageFund(req) }
        fr.post("mileage-fund", roles: ReunificationAccess.write) { req, id -> Response in
            let m = try await ReunificationRecords.recordMileage(try FormInput.fields(req), by: id, on: req.application)
            return try await Self.dto(m).encodeResponse(status: .created, for: req)
        }
        fr.post("referrals", ":referralID", "samples", roles: ReunificationAccess.write) { req, id in
            let s = try await ReunificationRecords.collect(
                referralID: try req.uuid("referralID"), try FormInput.fields(req), by: id, on: req.application)
            return try await Self.sampleAnswer(req, id, s, status: .created)
        }
        fr.get("samples", ":sampleID", roles: ReunificationAccess.referrers) { req, id in
            let s = try await ReunificationRecords.sample(try req.uuid("sampleID"), for: id, on: req.db)
            return try await Self.sampleAnswer(req, id, s, status: .ok)
        }
        fr.post("samples", ":sampleID", "handovers", roles: ReunificationAccess.write) { req, id in
            let s = try await ReunificationRecords.handOver(
                try req.uuid("sampleID"), try FormInput.fields(req), by: id, on: req.application)
            return try await Self.sampleAnswer(req, id, s, status: .created)
        }
        fr.post("samples", ":sampleID", "result", roles: ReunificationAccess.write) { req, id in
            let s = try await ReunificationRecords.recordResult(
                try req.uuid("sampleID"), try FormInput.fields(req), by: id, on: req.application)
            return try await Self.sampleAnswer(req, id, s, status: .ok)
        }
    }

    static func appointmentAnswer(_ req: Request, _ a: FRAppointment, status: HTTPStatus) async throws -> Response {
        let c = try await ReunificationRecords.centre(a.$centre.id, on: req.db)
        let i = try await FRInterview.query(on: req.db).filter(\.$appointment.$id == a.id!).first()
        return try await ReferralFile.appointment(a, zone: c.timeZone, interview: i)
            .encodeResponse(status: status, for: req)
    }

    /// A sample with its chain of custody; a reading of the sampled person's record.
    static func sampleAnswer(_ req: Request, _ id: Identity, _ s: FRSample, status: HTTPStatus) async throws
        -> Response
    {
        let events = try await FRCustodyEvent.query(on: req.db).filter(\.$sample.$id == s.id!).all()
        if status == .ok, let m = try await FRMember.find(s.$member.id, on: req.db) {
            try await AuditLog.views(
                req.application, id.actor, entity: "dna_sample", entityID: s.id!, persons: [m.$person.id],
                note: req.isAPI ? "api" : "page")
        }
        return try await ReferralFile.sample(s, events: events, genetic: id.reads(.genetic))
            .encodeResponse(status: status, for: req)
    }

    static func calendar(_ req: Request, _ id: Identity) async throws -> Response {
        guard let a = try await FRAppointment.find(try req.uuid("appointmentID"), on: req.db) else {
            throw Abort(.notFound, reason: "No such appointment.")
        }
        _ = try await ReunificationRecords.referral(a.$referral.id, for: id, on: req.db)
        guard a.status == .booked else {
            throw DomainError(.conflict, "The appointment is \(a.status.rawValue): there is nothing to invite to.")
        }
        let c = try await ReunificationRecords.centre(a.$centre.id, on: req.db)
        let ics = ReunificationRecords.invitation(a, c, slotMinutes: c.slotMinutes).text
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"appointment-\(a.day).ics\"")
        return Response(status: .ok, headers: headers, body: .init(string: ics))
    }
}
