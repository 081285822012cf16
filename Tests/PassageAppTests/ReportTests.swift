import Testing
import VaporTesting
import Fluent
import SQLKit
import PassageDomain
@testable import PassageApp

/// A known year of records, and every figure of the period report checked exactly.
@Suite struct PeriodReportTests {
    static func book(
        _ h: Harness, _ s: MovementsTests.Setup, _ legs: [MovementsAPIController.LegBody], escort: String? = nil,
        reference: String
    ) async throws -> BookingFile {
        let body = MovementsAPIController.BookingBody(
            reference: reference, status: "ticketed",
            passengers: [.init(personID: s.person.id.uuidString, assistance: nil)],
            legs: legs, fare: nil, baggageKg: nil, escort: escort, escortStaff: escort == nil ? nil : "Dr. Visser",
            escortReturnLegs: nil, note: nil)
        return decode2(try await MovementsTests.book(h, s.caseID, body))
    }

    static func session(_ h: Harness, _ s: MovementsTests.Setup, _ day: String) async throws {
        let m = CounsellingSession()
        m.$caseRecord.id = s.caseID; m.personID = s.person.id; m.heldOn = day; m.$location.id = s.centre;
        m.$counsellor.id = h.users[.counsellor]!
        m.language = "ar"; m.interpreter = false; m.durationMinutes = 30; m.notes = ""; m.outcome = .considering
        try await m.create(on: h.app.db)
    }

    static func outreach(_ h: Harness, _ kind: OutreachKind, _ day: String) async throws {
        let o = OutreachActivity()
        o.kind = kind; o.heldOn = day; o.audience = "residents"; o.attendees = 12; o.organisations = "";
        o.topic = "Return"
        o.$counsellor.id = h.users[.counsellor]!
        try await o.create(on: h.app.db)
    }

    @Test(arguments: TestDatabase.available)
    func every_figure_of_a_known_year_comes_out_exactly(_ db: TestDatabase) async throws {
        try await withHarness(db, onDisk: true) { h in
            let a = try await MovementsTests.setUp(h, phone: nil, agencyName: "Agency A")
            let b = try await MovementsTests.setUp(h, phone: nil, agencyName: "Agency B")
            // Amina of case A departs twice in 2025: in March, and on 31 December at 23:30 Amsterdam time with a
            // medical escort.
            let march = try await Self.book(
                h, a, [MovementsTests.leg("TU", "791", "AMS", "TUN", "2025-03-10T10:15", "2025-03-10T12:45")],
                reference: "MAR001")
            let nye = try await Self.book(
                h, a, [MovementsTests.leg("TU", "799", "AMS", "TUN", "2025-12-31T23:30", "2026-01-01T02:00")],
                escort: "medical", reference: "NYE001")
            for x in [march, nye] { #expect(try await MovementsTests.move(h, x, "flown").status == .ok) }
            // Case B: a booking cancelled in 2025 counts nowhere; a flight in December 2024 belongs to the period
            // before.
            let cancelled = try await Self.book(
                h, b, [MovementsTests.leg("KL", "1565", "AMS", "TUN", "2025-06-01T09:05", "2025-06-01T11:40")],
                reference: "CAN001")
            #expect(try await MovementsTests.move(h, cancelled, "cancelled").status == .ok)
            let dec24 = try await Self.book(
                h, b, [MovementsTests.leg("KL", "1565", "AMS", "TUN", "2024-12-20T09:05", "2024-12-20T11:40")],
                reference: "DEC024")
            #expect(try await MovementsTests.move(h, dec24, "flown").status == .ok)
            // An unaccompanied child is recorded on case A, a trafficking record on case B.
            for (caseID, kind) in [(a.caseID, VulnerabilityKind.unaccompaniedChild), (b.caseID, .trafficking)] {
                let v = VulnerabilityRecord()
                v.$caseRecord.id = caseID; v.kind = kind; v.details = "{}"
                try await v.create(on: h.app.db)
            }
            // Case A is counselled twice in 2025, closed and reopened between; case B once in 2024.
            try await Self.session(h, a, "2025-02-01")
            let reopened = try #require(try await Case.find(a.caseID, on: h.app.db))
            reopened.status = .closed; try await reopened.update(on: h.app.db)
            reopened.status = .open; try await reopened.update(on: h.app.db)
            try await Self.session(h, a, "2025-11-30")
            try await Self.session(h, b, "2024-07-01")
            try await Self.outreach(h, .informationSession, "2025-05-05")
            try await Self.outreach(h, .informationSession, "2025-12-31")
            try await Self.outreach(h, .networkMeeting, "2025-06-06")
            try await Self.outreach(h, .informationSession, "2024-01-10")
            #expect(
                try await h.send(
                    .POST, "/api/v1/movements/carbon-credits", as: .manager,
                    json: [
                        "purchasedOn": "2025-06-01", "tonnes": "10", "vendor": "Gold Standard", "certificate": "GS-1",
                    ]
                ).status == .created)

            let res = try await h.send(.GET, "/api/v1/reports/period?from=2025-01-01&to=2025-12-31", as: .manager)
            #expect(res.status == .ok, "\(res.body.string)")
            let r = try decode(PeriodReport.self, res)
            #expect(r.previousFrom == "2024-01-01" && r.previousTo == "2024-12-31")
            func fig(_ f: ReportFigure) -> (Double, Double) {
                let row = r.rows.first { $0.key == f.rawValue }!
                return (row.value, row.previous)
            }
            #expect(fig(.counselled) == (1, 1))
            #expect(fig(.informationSessions) == (2, 1))
            #expect(fig(.networkMeetings) == (1, 0))
            #expect(fig(.departed) == (1, 1), "Amina departed twice in 2025 and counts once; case B's person in 2024")
            #expect(fig(.countriesOfReturn) == (1, 1))
            #expect(fig(.childrenReturned) == (1, 0))
            #expect(fig(.traffickingAssisted) == (0, 1))
            #expect(fig(.medicalDeparted) == (0, 0))
            #expect(fig(.escorted) == (1, 0))
            #expect(fig(.airportDepartures) == (2, 1), "the cancelled booking does not count")
            #expect(fig(.airportTransits) == (0, 0) && fig(.airportArrivals) == (0, 0))
            #expect(fig(.credits) == (10, 0))
            // CO2: March (one traveller) and New Year's Eve (passenger and escort), with the 2025 factor.
            let km = march.legs[0].distanceKm
            let grams = (km * 0.10916 * 1000).rounded()
            #expect(abs(fig(.co2WithRF).0 - grams * 3 / 1_000_000) < 0.000_001)
            #expect(abs(fig(.co2WithRF).1 - grams / 1_000_000) < 0.000_001)
            // 2026 starts after New Year's Eve's flight, which left on 31 December local time.
            let next = try decode(
                PeriodReport.self,
                try await h.send(.GET, "/api/v1/reports/period?from=2026-01-01&to=2026-12-31", as: .manager))
            #expect(next.rows.first { $0.key == "departed" }?.value == 0)
            #expect(next.rows.first { $0.key == "departed" }?.previous == 1)

            // CSV: one line per figure and part, each with its definition; the export is audited.
            let csv = try await h.send(
                .GET, "/api/v1/reports/period?from=2025-01-01&to=2025-12-31&format=csv", as: .administrator)
            #expect(csv.status == .ok && csv.headers.contentType?.subType == "csv")
            #expect(
                csv.body.string.contains(
                    "departed,Migrants departed,distinct persons with a return booking flown in the period"))
            #expect(csv.body.string.contains("countries_of_return:Tunisia"))
            #expect(try await AuditEntry.query(on: h.app.db).filter(\.$entity == "period_report").count() == 3)
            // It leaves the office logged among the transfers, saying it holds counts small enough to recognise a
            // person by (the year's few departures).
            let taken = try await TransferRecord.query(on: h.app.db).filter(\.$channel == "export").all()
                .filter { $0.what.hasPrefix("period_report 2025-01-01..2025-12-31") }
            #expect(taken.count == 2 && taken.allSatisfy { $0.purpose == "research_statistics" })
            #expect(taken.allSatisfy { $0.what.contains("counts below 5") }, "\(taken.map(\.what))")
            #expect(try await AuditEntry.query(on: h.app.db).filter(\.$action == "export").count() >= 3)
            // For sharing outside the office: every count from 1 to 4 shown as <5, the file and the log saying so.
            let year = "/api/v1/reports/period?from=2025-01-01&to=2025-12-31"
            let shareable = try await h.send(.GET, year + "&format=csv&small=suppress", as: .administrator)
            #expect(shareable.status == .ok && shareable.body.string.contains(",<5"))
            #expect(shareable.body.string.contains("Counts from 1 to 4 are shown as <5"))
            for line in shareable.body.string.split(separator: "\r\n") {
                for count in line.split(separator: ",").suffix(2).compactMap({ Int($0) }) {
                    #expect(count == 0 || count >= 5, "\(line)")
                }
            }
            let sheet = try await h.send(.GET, year + "&format=xlsx&small=suppress", as: .administrator)
            #expect(sheet.status == .ok && sheet.body.readableBytes > 1000)
            let shared = try await TransferRecord.query(on: h.app.db).filter(\.$channel == "export").all()
                .filter { $0.what.contains("shown as <5") }
            #expect(shared.count == 2)
            for (query, words) in [
                ("&format=csv&small=some", "not a choice; use keep or suppress"),
                ("&small=suppress", "suppressed in csv and xlsx files"),
            ] {
                let bad = try await h.send(.GET, year + query, as: .administrator)
                #expect(bad.status == .unprocessableEntity && bad.body.string.contains(words), "\(bad.body.string)")
            }
            let periodPage = try await h.send(.GET, "/reports/period?from=2025-01-01&to=2025-12-31", as: .manager)
            #expect(periodPage.body.string.contains("format=csv&amp;small=suppress"))
            let refused = try await h.send(.GET, "/reports/period?format=json&small=suppress", as: .manager)
            #expect(
                refused.status == .unprocessableEntity
                    && refused.body.string.contains("suppressed in csv and xlsx files"))

            // Drill-down: the cases behind a figure; a trafficking case only for those who may read it.
            let drill = try decode(
                ReportDrillDown.Result.self,
                try await h.send(.GET, "/api/v1/reports/period/departed?from=2025-01-01&to=2025-12-31", as: .manager))
            #expect(drill.items.map(\.reference) == [a.caseReference])
            let vot = try decode(
                ReportDrillDown.Result.self,
                try await h.send(
                    .GET, "/api/v1/reports/period/trafficking_victims_assisted?from=2024-01-01&to=2024-12-31",
                    as: .manager))
            #expect(vot.items.count == 1 && vot.withheld == 0)
            #expect(try await h.send(.GET, "/api/v1/reports/period/departed", as: .administrator).status == .forbidden)
            #expect(try await h.send(.GET, "/api/v1/reports/period", as: .counsellor).status == .forbidden)

            // Monthly statistics: departures by month and nationality (a departure each time, not a person once).
            let monthly = try decode(
                MonthlyStatistics.self, try await h.send(.GET, "/api/v1/reports/monthly?year=2025", as: .manager))
            #expect(monthly.rows.map(\.nationality) == ["TN"])
            #expect(monthly.rows[0].months == [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1] && monthly.totals.reduce(0, +) == 2)
            let mcsv = try await h.send(.GET, "/api/v1/reports/monthly?year=2025&format=csv", as: .manager)
            #expect(mcsv.body.string.contains("TN,Tunisia,0,0,1,0,0,0,0,0,0,0,0,1,2"))
            #expect(
                try await h.send(.GET, "/api/v1/reports/monthly?year=twenty", as: .manager).status
                    == .unprocessableEntity)
            let xlsx = try await h.send(.GET, "/api/v1/reports/monthly?year=2025&format=xlsx", as: .manager)
            #expect(
                xlsx.status == .ok
                    && xlsx.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(Array(xlsx.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
            let pxlsx = try await h.send(
                .GET, "/api/v1/reports/period?from=2025-01-01&to=2025-12-31&format=xlsx", as: .manager)
            #expect(pxlsx.status == .ok && pxlsx.body.readableBytes > 1000)
            // The page draws its charts as SVG with a title, a description and the numbers beside them.
            let browser = BrowserSession(app: h.app)
            try await browser.login("manager")
            let page = try await browser.get("/reports/period?from=2025-01-01&to=2025-12-31").body.string
            #expect(
                page.contains("<svg") && page.contains("<title id=\"c-countries-t\">")
                    && page.contains("<desc id=\"c-hub-d\">"))
            #expect(page.contains("<td>Tunisia</td><td>1</td>") && page.contains("<td>2025-12</td><td>1</td>"))
            // The hub by month: March's and December's departures; June's cancelled booking is not there.
            #expect(
                page.contains("<td>2025-03</td><td>1</td><td>0</td><td>0</td>")
                    && page.contains("<td>2025-12</td><td>1</td><td>0</td><td>0</td>"))
            #expect(page.contains("<td>2025-06</td><td>0</td><td>0</td><td>0</td>"))
            #expect(try await browser.get("/reports/monthly?year=2025").body.string.contains("Tunisia"))

            // The command line gives the same figures.
            let out = try Self.cli(h, ["report", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv"])
            #expect(out.status == 0)
            #expect(out.text.contains("airport_departures,Airport departures,") && out.text.contains(",2,1\r\n"))
            let bad = try Self.cli(h, ["report", "--from", "2025-12-31", "--to", "2025-01-01"])
            #expect(bad.status != 0)

            // Records made before the reports kept their facts: the migration's backfill gives the same report.
            let sql = h.app.db as! any SQLDatabase
            for statement: SQLQueryString in [
                "DELETE FROM departures",
                "UPDATE legs SET passengers = NULL, prev_to = NULL, next_from = NULL, cancelled = \(false)",
                "UPDATE bookings SET first_day = NULL, co2_total_rf = NULL, co2_total = NULL",
                "UPDATE counselling_sessions SET person_id = NULL", "UPDATE grants SET paid = 0",
            ] {
                try await sql.raw(statement).run()
            }
            #expect(
                try decode(
                    PeriodReport.self,
                    try await h.send(.GET, "/api/v1/reports/period?from=2025-01-01&to=2025-12-31", as: .manager)
                )
                .rows.first { $0.key == "departed" }?.value == 0)
            try await AddReporting().backfill(on: h.app.db)
            let again = try decode(
                PeriodReport.self,
                try await h.send(.GET, "/api/v1/reports/period?from=2025-01-01&to=2025-12-31", as: .manager))
            #expect(
                again.rows.map { [$0.key: [$0.value, $0.previous]] }
                    == r.rows.map { [$0.key: [$0.value, $0.previous]] })
        }
    }

    @Test(arguments: TestDatabase.available)
    func travel_documents_obtained_and_the_charts_by_year_grant_and_condition(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let a = try await MovementsTests.setUp(h, phone: nil, agencyName: "Agency A")
            let b = try await MovementsTests.setUp(h, phone: nil, agencyName: "Agency B")
            let march = try await Self.book(
                h, a, [MovementsTests.leg("TU", "791", "AMS", "TUN", "2025-03-10T10:15", "2025-03-10T12:45")],
                reference: "MAR001")
            let dec24 = try await Self.book(
                h, b, [MovementsTests.leg("KL", "1565", "AMS", "TUN", "2024-12-20T09:05", "2024-12-20T11:40")],
                reference: "DEC024")
            for x in [march, dec24] { #expect(try await MovementsTests.move(h, x, "flown").status == .ok) }
            // Case A has a grant and a medical condition; case B neither.
            let g = GrantRecord()
            g.$caseRecord.id = a.caseID; g.type = .economic; g.amount = 150_000; g.cash = 50_000; g.inKind = 100_000;
            g.paid = 0
            try await g.create(on: h.app.db)
            // granted in 2025, after the departure
            g.createdAt = ReportPeriod.date(PartialDate(parsing: "2025-04-01")!)
            g.grantedOn = "2025-04-01"
            try await g.update(on: h.app.db)
            #expect(try await Departure.query(on: h.app.db).filter(\.$granted == true).count() == 0)
            try await ReturnRecords.markGranted(a.caseID, on: h.app.db)
            #expect(try await Departure.query(on: h.app.db).filter(\.$granted == true).count() == 1)
            var medical = MedicalRecord()
            medical.category = .diabetes
            let v = VulnerabilityRecord()
            v.$caseRecord.id = a.caseID; v.kind = .medical;
            v.details = String(decoding: try JSONEncoder().encode(medical), as: UTF8.self)
            try await v.create(on: h.app.db)

            // Travel documents: the day of issue decides the period; a bad day is refused and nothing is written.
            let embassy = try decode(
                RegistryAPIController.PartnerDTO.self,
                try await h.send(
                    .POST, "/api/v1/partners", as: .administrator,
                    json: RegistryRecords.PartnerForm(name: "Embassy of Tunisia", kind: "embassy", country: "TN")))
            let docs = "/api/v1/return/cases/\(a.caseID)/travel-documents"
            let issued = [
                "embassyID": embassy.id.uuidString, "kind": "emergency_travel_document", "status": "issued",
                "requestedOn": "2025-02-01",
                "number": "ETD 1", "expiresOn": "2025-09-01",
            ]
            for (field, value, why) in [
                ("issuedOn", "2099-01-01", "must not be in the future"),
                ("issuedOn", "2025-01-15", "must not be before the request date"),
                ("issuedOn", "2025-02-30", "must be a full date"),
            ] {
                let res = try await ReturnAPITests.post(h, docs, issued.merging([field: value]) { $1 })
                #expect(
                    res.status == .unprocessableEntity && res.body.string.contains(field)
                        && res.body.string.contains(why), "\(value): \(res.body.string)")
            }
            let notIssued = try await ReturnAPITests.post(
                h, docs, ["embassyID": embassy.id.uuidString, "issuedOn": "2025-02-10"])
            #expect(
                notIssued.status == .unprocessableEntity
                    && notIssued.body.string.contains("is only for an issued document"))
            #expect(try await TravelDocumentRequest.query(on: h.app.db).count() == 0)
            #expect(
                try await ReturnAPITests.post(h, docs, issued.merging(["issuedOn": "2025-02-20"]) { $1 }).status
                    == .created)
            #expect(
                try await ReturnAPITests.post(
                    h, "/api/v1/return/cases/\(b.caseID)/travel-documents",
                    issued.merging(["requestedOn": "2024-05-01", "issuedOn": "2024-06-01"]) { $1 }
                ).status == .created)
            let stored = try await TravelDocumentRequest.query(on: h.app.db).sort(\.$issuedOn).all().map { $0.issuedOn }
            #expect(stored == ["2024-06-01", "2025-02-20"])

            let r = try decode(
                PeriodReport.self,
                try await h.send(.GET, "/api/v1/reports/period?from=2025-01-01&to=2025-12-31", as: .manager))
            let row = try #require(r.rows.first { $0.key == ReportFigure.travelDocuments.rawValue })
            #expect(row.value == 1 && row.previous == 1)
            #expect(row.breakdown.map(\.label) == ["Tunisia"] && row.breakdown[0].value == 1)
            #expect(
                r.rows.first { $0.key == "medical_needs_departed" }.map { ($0.value, $0.previous) } ?? (0, 0) == (1, 0))
            #expect(r.rows.first { $0.key == "grants" }?.breakdown.map(\.label) == ["economic"])

            // Charts: departures by year, with and without a grant, medical cases by condition (for those who may read
            // medical records).
            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            let page = try await manager.get("/reports/period?from=2025-01-01&to=2025-12-31").body.string
            for id in ["c-years", "c-grants", "c-medical"] {
                #expect(page.contains("<title id=\"\(id)-t\">") && page.contains("<desc id=\"\(id)-d\">"), "\(id)")
            }
            #expect(
                page.contains("<td>2024</td><td>1</td>") && page.contains("<td>2025</td><td>1</td>")
                    && page.contains("<td>2016</td><td>0</td>"))
            #expect(
                page.contains("<td>2025</td><td>1</td><td>0</td>") && page.contains("<td>2024</td><td>0</td><td>1</td>")
            )
            #expect(page.contains("<td>Diabetes</td><td>1</td>") && page.contains("<td>Economic</td>"))
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let adminPage = try await admin.get("/reports/period?from=2025-01-01&to=2025-12-31").body.string
            #expect(
                adminPage.contains("c-years-t") && !adminPage.contains("c-medical") && !adminPage.contains("Diabetes"))
            #expect(adminPage.contains("Medical cases by condition are shown to medical officers and managers."))
            // The figures' names and definitions in Dutch.
            _ = try await manager.post("/language", form: ["lang": "nl"])
            let dutch = try await manager.get("/reports/period?from=2025-01-01&to=2025-12-31").body.string
            #expect(
                dutch.contains("Migranten vertrokken") && dutch.contains("Reisdocumenten verkregen")
                    && dutch.contains("Vertrek per jaar"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_bad_range_or_format_is_refused_with_the_reason(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            func refused(_ query: String, _ field: String, _ text: String) async throws {
                let res = try await h.send(.GET, "/api/v1/reports/period?" + query, as: .manager)
                #expect(res.status == .unprocessableEntity, "\(query): \(res.body.string)")
                #expect(
                    try decode(ErrorBody.self, res).fields?.contains { $0.field == field && $0.message.contains(text) }
                        == true, "\(query): \(res.body.string)")
            }
            try await refused("from=2025-12-31&to=2025-01-01", "from", "must not be after 'to'")
            try await refused("from=2025-01-01&to=2025-12-31&format=xml", "format", "'xml' is not a report format")
            try await refused("from=2000-01-01&to=2025-12-31", "to", "at most 20 years")
            try await refused("from=2025-02-30&to=2025-12-31", "from", "full date")
            let b = BrowserSession(app: h.app)
            try await b.login("manager")
            let page = try await b.get("/reports/period?from=2025-12-31&to=2025-01-01")
            #expect(page.status == .unprocessableEntity && page.body.string.contains("id=\"f-from-error\""))
            let ok = try await b.get("/reports/period")
            #expect(
                ok.status == .ok
                    && ok.body.string.contains("distinct persons with a return booking flown in the period"))
        }
    }

    /// Runs the built `passage` executable against the harness's database.
    static func cli(_ h: Harness, _ args: [String]) throws -> (status: Int32, text: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: DeliveryTests.binary)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        switch h.app.passageConfig.storage {
        case .sqliteFile(let path):
            env["PASSAGE_DATA_DIR"] = (path as NSString).deletingLastPathComponent; env["DATABASE_URL"] = nil
        case .postgres(let url):
            env["DATABASE_URL"] = url; env["PASSAGE_DB_SCHEMA"] = h.app.passageConfig.postgresSchema
        case .sqliteMemory: Issue.record("the command needs a database on disk")
        }
        p.environment = env
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite struct DashboardTests {
    @Test(arguments: TestDatabase.available)
    func the_dashboard_counts_the_open_caseload_and_links_each_number(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await MovementsTests.setUp(h)
            // A flight two days ago, a ticket for next week whose SMS cannot go (no gateway), a grant not paid yet.
            let gone = decode2(
                try await MovementsTests.book(
                    h, s.caseID, MovementsTests.tunis(s, days: -2, status: "ticketed", reference: "GONE01")))
            #expect(try await MovementsTests.move(h, gone, "flown").status == .ok)
            _ = decode2(
                try await MovementsTests.book(
                    h, s.caseID, MovementsTests.tunis(s, days: 7, status: "ticketed", reference: "SOON01")))
            try await OutboxWorker(app: h.app).runOnce()
            let g = GrantRecord()
            g.$caseRecord.id = s.caseID; g.type = .economic; g.amount = 150_000; g.cash = 30_000;
            g.inKind = 120_000; g.paid = 0
            try await g.create(on: h.app.db)

            let d = try decode(Dashboard.self, try await h.send(.GET, "/api/v1/dashboard", as: .manager))
            #expect(d.byProgramme.map(\.label) == [Programme.voluntaryReturn.rawValue] && d.byProgramme[0].count == 1)
            #expect(d.byProgramme[0].link == "/cases?programme=return&status=open")
            // The flight departed the case, as the departures figures count it.
            #expect(
                d.byStage.map(\.label) == ["departed"] && d.byStage[0].link == "/return?owner=all&stage=departed")
            #expect(d.byOwner.first?.label == "Test counsellor")
            #expect(d.departuresThisMonth.count + d.departuresLastMonth.count == 1)
            #expect(d.departuresSameMonthLastYear.count == 0)
            #expect(d.upcoming.count == 1 && d.upcoming[0].route == "AMS → TUN")
            #expect(d.grantsOutstanding.count == 1 && d.grantsOutstanding[0].outstanding == "€1,500.00")
            #expect(d.smsFailures == 1 && d.webhookFailures == 0)
            let b = BrowserSession(app: h.app)
            try await b.login("manager")
            let page = try await b.get("/dashboard")
            #expect(page.status == .ok && page.body.string.contains("href=\"/cases?programme=return&amp;status=open\""))
            #expect(page.body.string.contains(s.caseReference))
            #expect(try await h.send(.GET, "/api/v1/dashboard", as: .counsellor).status == .forbidden)
        }
    }
}

/// A filtered case list as CSV or XLSX, with only the columns the viewer's roles may read.
@Suite struct CaseExportTests {
    @Test(arguments: TestDatabase.available)
    func a_case_list_downloads_with_only_the_columns_a_role_may_read(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await MovementsTests.setUp(h, phone: nil, agencyName: "Agency A")
            for kind in [VulnerabilityKind.medical, .trafficking] {
                let v = VulnerabilityRecord()
                v.$caseRecord.id = s.caseID; v.kind = kind; v.details = "{}"
                try await v.create(on: h.app.db)
            }
            func export(_ role: Role, _ query: String) async throws -> (status: HTTPStatus, lines: [String]) {
                let res = try await h.send(.GET, "/api/v1/cases/export?" + query, as: role)
                let text = res.body.string.replacingOccurrences(of: "\u{FEFF}", with: "")
                return (res.status, text.split(separator: "\r\n").map(String.init))
            }
            let counsellor = try await export(.counsellor, "format=csv&programme=return")
            #expect(counsellor.status == .ok)
            let header = counsellor.lines.first ?? ""
            #expect(
                header.hasPrefix("reference,programme,status,opened_on") && header.contains("return_stage")
                    && header.contains("country_of_return"))
            #expect(!header.contains("medical_needs") && !header.contains("victim_of_trafficking"), "\(header)")
            #expect(
                counsellor.lines.count == 2 && counsellor.lines[1].hasPrefix(s.caseReference)
                    && counsellor.lines[1].contains("Tunisia"))
            #expect(!counsellor.lines[1].contains("yes"), "nothing of the restricted records leaks into other columns")

            let manager = try await export(.manager, "format=csv")
            #expect(manager.lines[0].hasSuffix("unaccompanied_child,medical_needs,victim_of_trafficking"))
            #expect(manager.lines[1].hasSuffix(",no,yes,yes"))
            let medical = try await export(.medicalOfficer, "")
            #expect(
                medical.lines[0].hasSuffix("unaccompanied_child,medical_needs") && medical.lines[1].hasSuffix(",no,yes")
            )
            let clerk = try await export(.visaClerk, "")
            #expect(
                clerk.status == .ok && clerk.lines[0].hasSuffix("date_of_birth,nationality"),
                "\(clerk.lines.first ?? "")")
            #expect(try await export(.administrator, "").status == .forbidden)
            #expect(try await export(.manager, "programme=family_reunification").lines.count == 1)

            // Bad filters and formats are refused with the field named, and nothing is exported or audited.
            for (query, field) in [
                ("format=pdf", "format"), ("format=json", "format"), ("status=lost", "status"),
                ("owner=someone", "owner"), ("stage=flying", "stage"),
            ] {
                let res = try await h.send(.GET, "/api/v1/cases/export?" + query, as: .manager)
                #expect(
                    res.status == .unprocessableEntity && res.body.string.contains("\"field\":\"\(field)\""),
                    "\(query): \(res.body.string)")
            }
            let audits = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "case_list").all()
            #expect(audits.count == 5 && audits.allSatisfy { $0.action == "export" })
            // Each download is logged among the transfers, to whom and on which basis.
            let transfers = try await TransferRecord.query(on: h.app.db).filter(\.$channel == "export").all()
            #expect(transfers.count == 5 && transfers.contains { $0.recipient == "downloaded by manager" })
            #expect(transfers.allSatisfy { $0.purpose == "counselling" && $0.basis == "public_interest" })
            #expect(
                audits.contains {
                    $0.note.contains("columns") && $0.note.contains("victim_of_trafficking")
                        && $0.entityID == "programme=family_reunification"
                })

            let xlsx = try await h.send(.GET, "/api/v1/cases/export?format=xlsx", as: .manager)
            #expect(xlsx.status == .ok && Array(xlsx.body.readableBytesView.prefix(2)) == [0x50, 0x4B])

            // The case list page offers the downloads with its filters, and the page route answers the same file.
            let browser = BrowserSession(app: h.app)
            try await browser.login("counsellor")
            let page = try await browser.get("/cases?programme=return").body.string
            #expect(
                page.contains("href=\"/cases/export?programme=return&amp;format=csv\"") && page.contains("format=xlsx"))
            let file = try await browser.get("/cases/export?programme=return&format=csv")
            #expect(
                file.status == .ok && file.headers.contentType?.subType == "csv"
                    && file.body.string.contains(s.caseReference))
            let bad = try await browser.get("/cases/export?status=lost")
            // A browser asks for */*, and gets the error as a page, not JSON.
            #expect(
                bad.status == .unprocessableEntity && bad.body.string.contains("is not a case status")
                    && bad.body.string.contains("<!doctype html>"))
        }
    }
}
