import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import PassageApp
@testable import PassageDomain

/// An office's records brought in from its own files.
struct ImportTests {
    /// A small year of an office: four persons, three return cases (two departed), sessions, decisions, grants and
    /// payments, a travel document, a vulnerability and an outreach session.
    static let year: [String: String] = [
        "persons.csv": """
        ref,familyName,givenNames,sex,dateOfBirth,nationality,languages,phone,location
        OF-1,Haddad,Ali,M,1988-04-02,IQ,ar;en,+31 6 12345678,AZC Budel
        OF-2,Haddad,Sara,F,1990-07-15,IQ,ar,,AZC Budel
        OF-3,Beridze,Giorgi,M,1979-01-30,GE,ka;ru,,
        OF-4,"Benali, el",Omar,M,1985,MA,ar,,AZC Budel

        """,
        "documents.csv": "personRef,type,number,issuingCountry,expiresOn\nOF-1,passport,A1234567,IQ,2030-01-01\n",
        "households.csv": "personRef,relatedRef,relationship\nOF-1,OF-2,spouse\n",
        "return_cases.csv": """
        ref,personRef,openedOn,referralSource,destinationCountry,destinationPlace,stage,departedOn,office
        RC-1,OF-1,2025-01-10,self,IQ,Erbil,departed,2025-05-20,AZC Budel
        RC-2,OF-3,2025-02-01,reception_agency,GE,Tbilisi,departed,2025-06-02,
        RC-3,OF-4,2025-03-03,ngo,MA,Casablanca,counselling,,

        """,
        "bookings.csv": """
        ref,caseRef,status,reference,leg1_carrier,leg1_flight,leg1_from,leg1_to,leg1_departs,leg1_arrives
        B-1,RC-2,flown,XKQ7TB,KL,3210,AMS,TBS,2025-06-02T10:00,2025-06-02T16:30

        """,
        "sessions.csv": """
        ref,caseRef,heldOn,location,language,durationMinutes,outcome,notes
        S-1,RC-1,2025-01-12,AZC Budel,ar,60,considering,First talk
        S-2,RC-1,2025-02-02,AZC Budel,ar,45,decided_to_return,
        S-3,RC-2,2025-02-03,AZC Budel,ka,30,decided_to_return,
        S-4,RC-3,2025-03-04,AZC Budel,ar,30,informed,

        """,
        "decisions.csv": """
        ref,caseRef,decidedFor,outcome,grantTypes
        D-1,RC-1,2025-02-10,reintegration,economic
        D-2,RC-2,2025-02-11,travel_only,

        """,
        "grants.csv": "ref,caseRef,type,amount,cash,grantedOn\nG-1,RC-1,economic,1500,300,2025-03-01\n",
        "payments.csv": """
        ref,grantRef,kind,amount,paidOn,proofReference,reportedBy
        Y-1,G-1,cash,300,2025-05-20,,
        Y-2,G-1,in_kind,1200,2025-08-01,INV-77,Erbil office

        """,
        "travel_documents.csv": """
        ref,caseRef,embassy,kind,status,requestedOn,number,issuedOn,expiresOn
        T-1,RC-2,Embassy of Georgia,emergency_travel_document,issued,2025-03-01,GE991,2025-03-20,2025-09-20

        """,
        "vulnerabilities.csv": "caseRef,kind,category,fitToFly,fitToFlyOn,fitToFlyValidUntil\n"
            + "RC-1,medical,diabetes,fit,2025-05-01,2025-06-01\n",
        "outreach.csv": "ref,kind,heldOn,topic,audience,attendees,location\n"
            + "O-1,information_session,2025-04-02,Return options,Residents,25,AZC Budel\n",
    ]

    static func setUp(_ h: Harness) async throws {
        _ = try await RegistryRecords.save(
            location: Location(name: "AZC Budel", kind: .receptionCentre, city: "Budel", country: "NL"),
            replacing: nil, actor: .system, on: h.app)
        _ = try await RegistryRecords.save(
            partner: Partner(name: "Embassy of Georgia", kind: .embassy, country: "GE"), replacing: nil, actor: .system,
            on: h.app)
    }

    static func run(
        _ h: Harness, _ files: [String: String], mode: ImportMode = .all, raw: [String: [UInt8]] = [:]
    ) async throws -> ImportReport {
        var bytes = files.mapValues { Array($0.utf8) }
        for (k, v) in raw { bytes[k] = v }
        let tables = try ImportSource.tables(bytes)
        let manager = try await User.find(h.users[.manager]!, on: h.app.db)!
        return try await Importer(
            app: h.app, tables: tables, mode: mode, actor: Actor(id: manager.id!.uuidString, name: manager.username),
            userID: manager.id!
        ).run()
    }

    @Test(arguments: TestDatabase.available)
    func a_year_comes_in_with_its_own_dates_once_and_only_once(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            try await Self.setUp(h)
            let dry = try await Self.run(h, Self.year, mode: .dryRun)
            #expect(dry.problems == [] && !dry.written && dry.count(.persons).created == 4)
            #expect(try await h.count(Person.self) == 0)

            let report = try await Self.run(h, Self.year)
            #expect(report.problems == [])
            #expect(report.written && report.rows == 22 && report.refused == 0)
            #expect(try await h.count(Person.self) == 4)
            #expect(try await h.count(Case.self) == 3)
            #expect(try await h.count(CounsellingSession.self) == 4)
            // History announces nothing: no SMS, no partner notification.
            #expect(try await h.count(OutboxMessage.self) == 0)

            // The period report over 2025 gives what the files say.
            let figures = try await PassageServices.periodFigures(from: "2025-01-01", to: "2025-12-31", on: h.app)
            #expect(figures["departed"]?.value == 2)
            #expect(figures["counselled"]?.value == 3)
            #expect(figures["grants"]?.value == 1)
            #expect(figures["information_sessions"]?.value == 1)
            #expect(figures["travel_documents_obtained"]?.value == 1)

            // The records keep their dates; the timeline tells them on their days.
            let rc1 = try #require(try await ImportKey.query(on: h.app.db).filter(\.$ref == "RC-1").first())
            let c = try #require(try await Case.find(rc1.recordID, on: h.app.db))
            #expect(c.openedOn == "2025-01-10" && c.reference.hasPrefix("R-2025-"))
            let grant = try #require(try await GrantRecord.query(on: h.app.db).first())
            #expect(grant.paid == 150_000 && grant.grantedOn == "2025-03-01")
            let events = try await CaseEvent.query(on: h.app.db).filter(\.$caseRecord.$id == c.id!).all()
            let session = try #require(events.first { $0.kind == "counselling" && $0.text.contains("2025-02-02") })
            let day = OfficeCalendar.calendar.dateComponents([.year, .month, .day], from: session.at)
            #expect(day.year == 2025 && day.month == 2 && day.day == 2)
            #expect(try await DepartureWithoutFlight.query(on: h.app.db).filter(\.$granted == true).count() == 1)
            // RC-2 left on its flown booking: one departure by flight (counted on its day, with its CO2e), one by
            // hand (RC-1), and no message about either.
            let flown = try await Departure.query(on: h.app.db).all()
            #expect(flown.count == 1 && flown.first?.day == "2025-06-02")
            #expect(try await DepartureWithoutFlight.query(on: h.app.db).count() == 1)
            #expect(try await Booking.query(on: h.app.db).first()?.co2Total ?? 0 > 0)
            // Searchable by name, and the person's record was audited as created by the import.
            let found = try await h.send(.GET, "/api/v1/persons?name=Haddad", as: .counsellor)
            #expect(found.body.string.contains("\"total\":2"))
            // And by the office's own reference, of the person or of their case.
            let byRef = try await h.send(.GET, "/api/v1/persons?name=OF-3", as: .counsellor)
            #expect(byRef.body.string.contains("Beridze") && byRef.body.string.contains("\"total\":1"))
            let byCase = try await h.send(.GET, "/api/v1/persons?name=RC-1", as: .counsellor)
            #expect(byCase.body.string.contains("Ali") && !byCase.body.string.contains("Sara"))
            let audits = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "person").all()
            #expect(
                audits.count == 4 && audits.allSatisfy { $0.note.hasPrefix("import ") && $0.actorName == "manager" })
            #expect(try await AuditLog.verify(on: h.app.db).firstBroken == nil)

            // The same files again change nothing.
            let entries = try await h.count(AuditEntry.self)
            let again = try await Self.run(h, Self.year)
            #expect(again.count(.persons).unchanged == 4 && again.count(.sessions).unchanged == 4)
            #expect(again.counts.values.allSatisfy { $0.created == 0 && $0.updated == 0 })
            let personCount = try await h.count(Person.self)
            let auditEntryCount = try await h.count(AuditEntry.self)
            #expect(personCount == 4 && auditEntryCount == entries)

            // A corrected row updates its record, audited with what changed.
            var corrected = Self.year
            corrected["persons.csv"] = corrected["persons.csv"]!.replacingOccurrences(
                of: "OF-3,Beridze,Giorgi", with: "OF-3,Beridze,Giorgii")
            let third = try await Self.run(h, corrected)
            #expect(third.count(.persons).updated == 1 && third.count(.persons).unchanged == 3)
            let person = try #require(try await Person.query(on: h.app.db).filter(\.$givenNames == "Giorgii").first())
            let update = try await AuditEntry.query(on: h.app.db).filter(\.$entityID == person.id!.uuidString)
                .filter(\.$action == "update").all()
            #expect(update.count == 1 && update[0].changesJSON.contains("Giorgii"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func bad_files_are_reported_by_file_line_and_field_and_nothing_is_half_imported(_ db: TestDatabase)
        async throws
    {
        try await withHarness(db) { h in
            try await Self.setUp(h)
            var bad = Self.year
            // An unknown reference, a day that does not exist, a reference twice, a missing column.
            bad["sessions.csv"] = bad["sessions.csv"]!.replacingOccurrences(of: "S-4,RC-3", with: "S-4,RC-9")
            bad["decisions.csv"] = bad["decisions.csv"]!.replacingOccurrences(of: "2025-02-11", with: "2025-02-30")
            bad["grants.csv"]! += "G-1,RC-2,economic,100,0,2025-03-01\n"
            bad["outreach.csv"] = "ref,kind,heldOn\nO-1,information_session,2025-04-02\n"
            // A file that is not UTF-8 stops the import before any row is read.
            var latin1 = Array("ref,familyName,sex,nationality\nOF-9,M".utf8)
            latin1 += [0xFC, 0x6C, 0x6C, 0x65, 0x72] + Array(",M,DE\n".utf8)
            #expect(throws: ImportProblems.self) {
                _ = try ImportSource.tables(["persons.csv": latin1, "notes.txt": []])
            }
            do {
                _ = try ImportSource.tables(["persons.csv": latin1, "notes.txt": []])
            } catch let error as ImportProblems {
                #expect(error.items.contains { $0.file == "persons.csv" && $0.line == 2 })
                #expect(
                    error.items.contains { $0.file == "notes.txt" && $0.reason.contains("not a file of the layout") })
            }

            let report = try await Self.run(h, bad)
            #expect(!report.written)
            func has(_ file: String, _ line: Int, _ field: String, _ words: String) -> Bool {
                report.problems.contains {
                    $0.file == file && $0.line == line && $0.field == field && $0.reason.contains(words)
                }
            }
            #expect(has("sessions.csv", 5, "caseRef", "'RC-9' is not a reference"))
            #expect(has("decisions.csv", 3, "decidedFor", "full date"))
            #expect(has("grants.csv", 3, "ref", "also on line 2"))
            #expect(has("outreach.csv", 1, "topic", "missing"))
            let personCount = try await h.count(Person.self)
            let caseCount = try await h.count(Case.self)
            let importKeyCount = try await h.count(ImportKey.self)
            #expect(personCount == 0 && caseCount == 0 && importKeyCount == 0)

            // The valid rows can go in while the refused ones wait.
            let partial = try await Self.run(h, bad, mode: .validRows)
            #expect(partial.written && partial.count(.sessions).created == 3 && partial.count(.sessions).refused == 1)
            let personsWritten = try await h.count(Person.self)
            let outreachActivityCount = try await h.count(OutreachActivity.self)
            #expect(personsWritten == 4 && outreachActivityCount == 0)

            // A person merged since cannot be written to by a later import.
            let ids = try await ImportKey.query(on: h.app.db).filter(\.$kind == "persons").sort(\.$ref).all()
            let merged = try #require(try await Person.find(ids[1].recordID, on: h.app.db))
            merged.mergedInto = ids[0].recordID
            try await merged.save(on: h.app.db)
            var later = Self.year
            later["persons.csv"] = later["persons.csv"]!.replacingOccurrences(
                of: "OF-2,Haddad,Sara", with: "OF-2,Hadad,Sara")
            let refused = try await Self.run(h, ["persons.csv": later["persons.csv"]!])
            #expect(refused.problems.contains { $0.line == 3 && $0.reason.contains("merged into another record") })
        }
    }

    /// Exported in the same layout, then imported into an empty database: the same year's report.
    @Test(arguments: TestDatabase.available)
    func an_export_imported_elsewhere_gives_the_same_report(_ db: TestDatabase) async throws {
        var exported: [String: [UInt8]] = [:]
        var before: [String: (value: Double, previous: Double)] = [:]
        try await withHarness(db) { h in
            try await Self.setUp(h)
            _ = try await Self.run(h, Self.year)
            before = try await PassageServices.periodFigures(from: "2025-01-01", to: "2025-12-31", on: h.app)
            let (files, persons) = try await ImportExport.tables(on: h.app.db)
            #expect(persons.count == 4)
            for (kind, rows) in files { exported[kind.rawValue + ".csv"] = Array(ImportExport.csv(rows).utf8) }
            #expect(String(decoding: exported["persons.csv"]!, as: UTF8.self).contains("\"Benali, el\""))
        }
        try await withHarness(db) { h in
            try await Self.setUp(h)
            let tables = try ImportSource.tables(exported)
            let manager = try await User.find(h.users[.manager]!, on: h.app.db)!
            let report = try await Importer(
                app: h.app, tables: tables, mode: .all, actor: Actor(id: manager.id!.uuidString, name: "manager"),
                userID: manager.id!
            ).run()
            #expect(report.problems == [] && report.written)
            let after = try await PassageServices.periodFigures(from: "2025-01-01", to: "2025-12-31", on: h.app)
            for key in [
                "departed", "counselled", "grants", "information_sessions", "travel_documents_obtained",
                "airport_departures", "co2_tonnes_with_rf",
            ] {
                #expect(after[key]?.value == before[key]?.value, "\(key)")
            }
            #expect(after.count == before.count)
            let personCount = try await h.count(Person.self)
            let grantPaymentCount = try await h.count(GrantPayment.self)
            #expect(personCount == 4 && grantPaymentCount == 2)
        }
    }

    /// The page: an upload is checked in the background, its report shown, then imported when the manager says so;
    /// other roles are turned away.
    @Test(arguments: TestDatabase.available)
    func a_manager_uploads_checks_and_imports_on_the_page(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            try await Self.setUp(h)
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            #expect(try await counsellor.get("/imports").status == .forbidden)

            let manager = BrowserSession(app: h.app)
            try await manager.login("manager")
            let index = try await manager.get("/imports")
            #expect(index.status == .ok && index.body.string.contains("return_cases.csv"))
            func upload(_ files: [String: String]) async throws -> TestingHTTPResponse {
                let boundary = "passage-test-boundary"
                var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(manager.csrf)\r\n"
                for (name, text) in files {
                    body +=
                        "--\(boundary)\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"\(name)\"\r\n"
                    body += "Content-Type: text/csv\r\n\r\n\(text)\r\n"
                }
                body += "--\(boundary)--\r\n"
                let payload = body
                return try await h.app.testing().sendRequest(
                    .POST, "/imports",
                    beforeRequest: { req in
                        if let c = manager.cookie { req.headers.replaceOrAdd(name: .cookie, value: c) }
                        req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                        req.body = ByteBuffer(string: payload)
                    })
            }
            let unreadable = try await upload(["people.csv": "a,b\n1,2\n"])
            #expect(
                unreadable.status == .unprocessableEntity && unreadable.body.string.contains("not a file of the layout")
            )

            var bad = Self.year
            bad["sessions.csv"] = bad["sessions.csv"]!.replacingOccurrences(of: "S-4,RC-3", with: "S-4,RC-9")
            let sent = try await upload(bad)
            #expect(sent.status == .seeOther)
            let runPath = try #require(sent.headers.first(name: .location))
            func settled() async throws -> String {
                for _ in 0..<100 {
                    let page = try await manager.get(runPath).body.string
                    if !page.contains("data-poll=") { return page }
                    try await Task.sleep(for: .milliseconds(100))
                }
                return ""
            }
            let checked = try await settled()
            #expect(checked.contains("sessions.csv") && checked.contains("&#39;RC-9&#39;") || checked.contains("RC-9"))
            #expect(checked.contains("valid-rows"))
            #expect(try await h.count(Person.self) == 0)
            // Everything cannot be imported while a row is refused.
            let all = try await manager.post(runPath + "/apply", form: ["mode": "all"])
            #expect(all.status == .seeOther && all.headers.first(name: .location)?.contains("refused=") == true)
            let valid = try await manager.post(runPath + "/apply?mode=valid-rows", form: [:])
            #expect(valid.status == .seeOther)
            let done = try await settled()
            #expect(done.contains("Imported: 21 rows"))
            let personCount = try await h.count(Person.self)
            let counsellingSessionCount = try await h.count(CounsellingSession.self)
            #expect(personCount == 4 && counsellingSessionCount == 3)
            #expect(try await h.count(ImportFile.self) == 0)
            let audit = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "import_run").count()
            #expect(audit == 2)
        }
    }

    /// A server stopped while an import ran: the next start takes it up again, and it is written once.
    @Test(arguments: TestDatabase.available)
    func an_import_a_stopped_server_left_is_taken_up_again(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            try await Self.setUp(h)
            let run = ImportRun()
            run.id = UUID()
            run.status = ImportRuns.Status.running.rawValue
            run.mode = ImportMode.all.rawValue
            run.source = "persons.csv, return_cases.csv"
            run.requestedBy = "manager"
            run.requestedByID = h.users[.manager]!
            run.requestedAt = Clock.now()
            run.done = 10
            run.total = 40
            try await run.create(on: h.app.db)
            for name in ["persons.csv", "return_cases.csv"] {
                try await ImportFile(runID: run.id!, name: name, content: Data(Self.year[name]!.utf8)).create(
                    on: h.app.db)
            }
            try await ImportRuns.resume(h.app)
            let after = try #require(try await ImportRun.find(run.id!, on: h.app.db))
            #expect(after.status == "done")
            let report = try #require(ImportPages.report(after))
            #expect(report.count(.persons).created == 4 && report.count(.returnCases).created == 3)
            let persons = try await h.count(Person.self)
            let files = try await h.count(ImportFile.self)
            #expect(persons == 4 && files == 0)
            // Taken up again once more (another server starting), it changes nothing.
            after.status = ImportRuns.Status.waiting.rawValue
            try await after.save(on: h.app.db)
            try await ImportRuns.resume(h.app)
            #expect(try await h.count(Person.self) == 4)
        }
    }

    /// A spreadsheet comes in as its CSV would: persons.xlsx beside return_cases.csv.
    @Test func a_spreadsheet_is_read_like_its_csv() async throws {
        try await withHarness(.sqlite) { h in
            try await Self.setUp(h)
            let rows: [[XLSX.Cell]] = [
                ["ref", "familyName", "givenNames", "sex", "dateOfBirth", "nationality"].map { .text($0) },
                [.text("X-1"), .text("Ndiaye"), .text("Awa"), .text("F"), .text("1994-11-02"), .text("SN")],
                [.number(42), .text("Diallo"), .text("Moussa"), .text("M"), .text("1987"), .text("GN")],
            ]
            let bytes = XLSX.workbook(sheet: "persons", rows: rows)
            let cases =
                "ref,personRef,openedOn,referralSource,destinationCountry,destinationPlace\n"
                + "XC-1,42,2025-04-01,self,GN,Conakry\n"
            let report = try await Self.run(h, ["return_cases.csv": cases], raw: ["persons.xlsx": bytes])
            #expect(report.problems == [] && report.count(.persons).created == 2)
            #expect(report.count(.returnCases).created == 1)
            let key = try #require(try await ImportKey.query(on: h.app.db).filter(\.$ref == "42").first())
            #expect(try await Person.find(key.recordID, on: h.app.db)?.familyName == "Diallo")
        }
    }
}
