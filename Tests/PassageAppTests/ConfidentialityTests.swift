import Testing
import VaporTesting
import Fluent
import SQLKit
import PassageDomain
@testable import PassageApp

/// A return case with a restricted string planted in its trafficking record, its medical record, a counselling
/// session's notes and the person's document number, booked on a flight with medical help and flown while the
/// restricted records still stood in the way.
struct Planted {
    static let trafficking = "ZQX-TRAFFICKING-SHELTER"
    static let note = "ZQX-COUNSELLING-NOTE"
    static let medicalDay = "2097-11-23"
    static let document = "ZQX4471"

    let setup: ReturnAPITests.Setup
    let file: ReturnFile
    let booking: BookingFile

    var caseID: UUID { file.case.id }
    var personID: UUID { setup.person.id }

    /// Which planted strings a role may read.
    static func readable(by role: Role) -> Set<String> {
        var s: Set<String> = []
        if [.counsellor, .manager].contains(role) { s.insert(trafficking); s.insert(note) }
        if [.medicalOfficer, .manager].contains(role) { s.insert(medicalDay) }
        return s
    }

    static func make(_ h: Harness) async throws -> Planted {
        var body = PersonAPITests.mohammed
        body.documents = [
            IdentityDocumentForm(type: "national_id", number: document, issuingCountry: "SY", expiresOn: "2031-04-30")
        ]
        body.person.phone = "+31612345678"
        let s = try await ReturnAPITests.setUp(h, body)
        let c = try await ReturnAPITests.open(h, s)
        let base = "/api/v1/return/cases/\(c.case.id)"
        #expect(
            try await ReturnAPITests.post(
                h, base + "/sessions",
                [
                    "heldOn": ReturnAPITests.today(), "locationID": s.centre.uuidString,
                    "language": "ar", "durationMinutes": "60", "outcome": "decided_to_return",
                    "notes": note,
                ]
            ).status == .created)
        for stage in ["counselling", "decided_to_return"] {
            #expect(try await ReturnAPITests.move(h, c, stage).status == .ok)
        }
        #expect(try await ReturnAPITests.post(h, base + "/eligibility", [:]).status == .created)
        for stage in ["eligibility_decided", "preparing_departure"] {
            #expect(try await ReturnAPITests.move(h, c, stage).status == .ok)
        }
        #expect(
            try await ReturnAPITests.call(
                h, .PUT, base + "/vulnerabilities/trafficking",
                ["referralSource": "Police", "exploitation": "labour", "returnPlan": trafficking]
            ).status == .ok)
        try await ProtectionFixtures.consent(h, s.person.id, .medicalData)
        #expect(
            try await ReturnAPITests.call(
                h, .PUT, base + "/vulnerabilities/medical", as: .medicalOfficer,
                [
                    "category": "diabetes", "fitToFly": "fit", "fitToFlyOn": ReturnAPITests.today(),
                    "fitToFlyValidUntil": medicalDay,
                ]
            ).status == .ok)
        let flight = MovementsAPIController.BookingBody(
            reference: "ZQXB1", status: "ticketed",
            passengers: [.init(personID: s.person.id.uuidString, assistance: ["medical"])],
            legs: [
                MovementsTests.leg(
                    "TK", "1952", "AMS", "IST", MovementsTests.local(-1, "11:50"), MovementsTests.local(-1, "16:20"))
            ],
            fare: "245,50", baggageKg: 20, escort: nil, escortStaff: nil, escortReturnLegs: nil, note: nil)
        let booked = try await MovementsTests.book(h, c.case.id, flight)
        #expect(booked.status == .created, "\(booked.body.string)")
        let b = try decode(BookingFile.self, booked)
        #expect(try await MovementsTests.move(h, b, "flown").status == .ok)
        let file = try decode(ReturnFile.self, try await h.send(.GET, base, as: .counsellor))
        return Planted(setup: s, file: file, booking: b)
    }

    /// Every GET route as every role: each answer that carries a marker its reader may not read is a leak, and so is
    /// what `also` says of an answer.
    func sweep(
        _ h: Harness, _ markers: [String], readable: (Role) -> Set<String>,
        also: (Route, Role, String, TestingHTTPResponse) -> String? = { _, _, _, _ in nil }
    ) async throws -> (checked: Int, leaks: [String]) {
        var checked = 0
        var leaks: [String] = []
        for route in h.app.routes.all where route.method == .GET {
            let base = path(route)
            // Period reports and exports answer for a range: ask for the one with the flight.
            let ranged = route.path.contains { $0 == .constant("reports") || $0 == .constant("export") }
            let paths =
                ranged ? [base, base + "?from=2000-01-01&to=2099-12-31&format=csv", base + "?format=json"] : [base]
            for role in Role.allCases {
                for path in paths {
                    let res = try await h.send(.GET, path, as: role)
                    checked += 1
                    let body = res.body.string
                    for marker in markers where body.contains(marker) && !readable(role).contains(marker) {
                        leaks.append("\(role) reads \(marker) in GET \(path)")
                    }
                    if let leak = also(route, role, path, res) { leaks.append(leak) }
                }
            }
        }
        return (checked, leaks)
    }

    /// A concrete path for a route, with the planted records' ids for its parameters.
    func path(_ route: Route) -> String {
        "/"
            + route.path.map { component -> String in
                switch component {
                case .constant(let c): return c
                case .parameter(let name):
                    switch name {
                    case "personID": return personID.uuidString
                    case "caseID": return caseID.uuidString
                    case "bookingID": return booking.id.uuidString
                    case "embassyID": return setup.embassy.uuidString
                    case "locationID": return setup.centre.uuidString
                    case "partnerID": return setup.ngo.uuidString
                    case "figure": return ReportFigure.departed.rawValue
                    case "kind": return VulnerabilityKind.trafficking.rawValue
                    default: return UUID().uuidString
                    }
                case .anything, .catchall: return "x"
                }
            }.joined(separator: "/")
    }
}

@Suite struct ConfidentialityTests {
    /// An administrator saves a harness account's form with one role (and a new password, when given).
    static func edit(_ admin: BrowserSession, _ id: UUID, _ username: String, role: String, password: String? = nil)
        async throws -> TestingHTTPResponse
    {
        var form = [
            "username": username, "displayName": "Test " + role.replacingOccurrences(of: ".", with: "_"),
            "roles[]": role, "locale": "en", "active": "true",
        ]
        form["password"] = password
        return try await admin.post("/admin/users/\(id)", form: form)
    }

    /// Every GET route as every role: a planted restricted string is in no answer to a role that may not read it.
    @Test(arguments: TestDatabase.available)
    func no_answer_carries_what_its_reader_may_not_read(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await Planted.make(h)
            let (checked, leaks) = try await p.sweep(
                h, [Planted.trafficking, Planted.note, Planted.medicalDay], readable: Planted.readable
            ) { route, role, path, res in
                // A passenger's need of medical help is for the airport team, medical officers and managers.
                route.path.contains(.constant("bookings")) && res.status == .ok
                    && !BookingFile.medicalAssistanceReaders.contains(role) && res.body.string.contains("\"medical\"")
                    ? "\(role) reads the medical assistance in GET \(path)" : nil
            }
            #expect(checked > 500)
            #expect(leaks.isEmpty, "\(leaks)")
            // The owner, a manager and a medical officer still read what is theirs.
            let owner = try await h.send(.GET, "/return/cases/\(p.caseID)", as: .counsellor)
            #expect(owner.body.string.contains(Planted.trafficking) && owner.body.string.contains(Planted.note))
            let medical = try await h.send(.GET, "/api/v1/return/cases/\(p.caseID)", as: .medicalOfficer)
            #expect(medical.body.string.contains(Planted.medicalDay))
            let movements = try await h.send(.GET, "/api/v1/bookings/\(p.booking.id)", as: .movementsOfficer)
            #expect(movements.body.string.contains("\"medical\""))
        }
    }

    /// Every GET route with a person's, case's or booking's id that answers with the person's data audits the read.
    @Test(arguments: TestDatabase.available)
    func every_read_of_a_persons_record_is_audited(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await Planted.make(h)
            let names = [p.setup.person.reference, "Al-Hassan"]
            var unaudited: [String] = []
            var walked = 0
            let recordParameters: Set<String> = ["personID", "caseID", "bookingID"]
            for route in h.app.routes.all where route.method == .GET {
                let parameters = route.path.compactMap { c -> String? in
                    if case .parameter(let n) = c { return n }; return nil
                }
                guard !Set(parameters).isDisjoint(with: recordParameters) else { continue }
                for role in [Role.manager, .counsellor, .movementsOfficer] {
                    let before = try await AuditEntry.query(on: h.app.db).filter(\.$action == "view")
                        .filter(\.$personID == p.personID.uuidString).count()
                    let res = try await h.send(.GET, p.path(route), as: role)
                    guard res.status == .ok, names.contains(where: res.body.string.contains) else { continue }
                    walked += 1
                    let after = try await AuditEntry.query(on: h.app.db).filter(\.$personID == p.personID.uuidString)
                        .filter(\.$action ~~ ["view", "export"]).count()
                    if after <= before { unaudited.append("GET \(p.path(route)) as \(role)") }
                }
            }
            #expect(walked >= 10)
            #expect(unaudited.isEmpty, "reads not audited: \(unaudited)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_case_is_not_taken_over_by_assigning_it_to_oneself(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await Planted.make(h)
            let path = "/api/v1/cases/\(p.caseID)"
            for role in [Role.visaClerk, .movementsOfficer, .medicalOfficer] {
                let res = try await h.send(.PATCH, path, as: role, json: ["ownerID": h.users[role]!.uuidString])
                #expect(res.status == .forbidden, "\(role) made themselves the owner: \(res.status)")
            }
            let stillHidden = try await h.send(.GET, "/api/v1/return/cases/\(p.caseID)", as: .movementsOfficer)
            #expect(!stillHidden.body.string.contains(Planted.trafficking))
            // The owner hands over only to the programme's staff, or a manager.
            let wrong = try await h.send(
                .PATCH, path, as: .counsellor, json: ["ownerID": h.users[.visaClerk]!.uuidString])
            #expect(wrong.status == .unprocessableEntity)
            #expect(try decode(ErrorBody.self, wrong).fields?.first?.field == "ownerID")
            let other = try await UserRecords.create(
                .init(
                    username: "counsellor.two", displayName: "Second Counsellor", password: testPassword,
                    roles: [.counsellor], partnerID: nil, locale: "en", active: true),
                actor: .system, on: h.app)
            #expect(
                try await h.send(.PATCH, path, as: .counsellor, json: ["ownerID": other.id!.uuidString]).status == .ok)
            // The former owner is now a counsellor like any other and cannot take the case back.
            #expect(
                try await h.send(.PATCH, path, as: .counsellor, json: ["ownerID": h.users[.counsellor]!.uuidString])
                    .status == .forbidden)
            #expect(
                try await h.send(.PATCH, path, as: .manager, json: ["ownerID": h.users[.counsellor]!.uuidString]).status
                    == .ok)
            let changes = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "case").filter(
                \.$entityID == p.caseID.uuidString
            )
            .filter(\.$action == "update").filter(\.$changesJSON ~~ "\"field\":\"owner\"").count()
            #expect(changes == 2)
            // The page form offers no one else to a reader who may not change the owner.
            let clerk = BrowserSession(app: h.app)
            try await clerk.login("visa.clerk")
            let page = try await clerk.get("/cases/\(p.caseID)")
            #expect(!page.body.string.contains("value=\"\(other.id!.uuidString)\""))
            let taken = try await clerk.post(
                "/cases/\(p.caseID)",
                form: ["ownerID": h.users[.visaClerk]!.uuidString, "status": "", "officeLocationID": "", "reason": ""])
            #expect(taken.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_audit_page_shows_restricted_fields_as_changed(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await Planted.make(h)
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            var html = ""
            for page in 1...6 {
                html += try await admin.get("/admin/audit?person=\(p.setup.person.reference)&page=\(page)").body.string
            }
            #expect(html.contains("vulnerability.trafficking") && html.contains("counselling_session"))
            #expect(html.contains("changed (restricted)"))
            for marker in [Planted.trafficking, Planted.note, Planted.medicalDay, Planted.document] {
                #expect(!html.contains(marker), "the audit page shows \(marker) to an administrator")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func administrators_do_not_change_their_own_roles_and_managers_read_every_role_change(_ db: TestDatabase)
        async throws
    {
        try await withHarness(db) { h in
            let adminID = h.users[.administrator]!
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let own = try await Self.edit(admin, adminID, "administrator", role: "manager")
            #expect(own.status == .conflict, "\(own.status)")
            #expect(try await User.find(adminID, on: h.app.db)?.roles == [.administrator])
            let clerk = h.users[.visaClerk]!
            let promoted = try await Self.edit(admin, clerk, "visa.clerk", role: "manager")
            #expect(promoted.status == .seeOther, "\(promoted.body.string.prefix(300))")
            let list = try await h.send(.GET, "/admin/role-changes", as: .manager)
            #expect(list.status == .ok)
            #expect(list.body.string.contains("visa.clerk") && list.body.string.contains("Manager"))
            #expect(try await h.send(.GET, "/admin/role-changes", as: .counsellor).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_airport_team_records_departures_and_no_shows_only(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.prepared(h, s)
            let withdraw = try await ReturnAPITests.move(
                h, c, "withdrawn", as: .movementsOfficer, reason: "changed their mind")
            #expect(withdraw.status == .forbidden)
            #expect(
                try await ReturnAPITests.move(h, c, "no_show", as: .movementsOfficer, reason: "did not come").status
                    == .ok)
            let file = try decode(
                ReturnFile.self, try await h.send(.GET, "/api/v1/return/cases/\(c.case.id)", as: .movementsOfficer))
            #expect(file.nextStages == [], "\(file.nextStages)")
            #expect(
                try await ReturnAPITests.move(h, c, "withdrawn", as: .counsellor, reason: "changed their mind").status
                    == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_case_list_is_not_filtered_by_a_column_the_reader_may_not_read(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            for path in [
                "/api/v1/cases/export?stage=departed", "/api/v1/cases?stage=departed", "/cases/export?stage=departed",
            ] {
                let res = try await h.send(.GET, path, as: .visaClerk)
                #expect(res.status == .unprocessableEntity, "\(path): \(res.status)")
                #expect(res.body.string.contains("stage"))
            }
            #expect(try await h.send(.GET, "/api/v1/cases/export?stage=departed", as: .counsellor).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_timeline_keeps_each_line_for_its_readers(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await Planted.make(h)
            struct Detail: Decodable { let timeline: [CaseAPIController.Event] }
            let clerk = try decode(Detail.self, try await h.send(.GET, "/api/v1/cases/\(p.caseID)", as: .visaClerk))
                .timeline
            #expect(!clerk.isEmpty)
            #expect(
                !clerk.contains { ["counselling", "eligibility", "vulnerability", "stage"].contains($0.kind) },
                "\(clerk.map(\.text))")
            let movements = try decode(
                Detail.self, try await h.send(.GET, "/api/v1/cases/\(p.caseID)", as: .movementsOfficer)
            ).timeline
            let flown = movements.filter { $0.text.hasPrefix("Flown on TK1952") }
            #expect(flown.count == 1)
            #expect(!flown.contains { $0.text.contains("return plan") || $0.text.contains("fit-to-fly") })
            #expect(!movements.contains { $0.text.contains("Vulnerability recorded: medical") })
            let owner = try decode(
                ReturnFile.self, try await h.send(.GET, "/api/v1/return/cases/\(p.caseID)", as: .counsellor)
            ).timeline
            #expect(
                owner.contains {
                    $0.text.hasPrefix("Flown on TK1952")
                        && $0.text.contains("the safe return plan is not written") == false
                        && $0.text.contains("no post-return referral partner is named")
                })
            let medical = try decode(
                ReturnFile.self, try await h.send(.GET, "/api/v1/return/cases/\(p.caseID)", as: .medicalOfficer)
            ).timeline
            #expect(medical.contains { $0.text.contains("Vulnerability recorded: medical") })
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_migration_gives_old_timeline_lines_their_audience_and_drops_the_reasons(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.open(h, s)
            let old = [
                (
                    "counselling", "Counselling session on 2026-01-01 (60 min, Arabic): decided_to_return",
                    TimelineAudience.programme
                ),
                ("vulnerability", "Vulnerability recorded: medical", .medical),
                ("vulnerability", "Vulnerability recorded: a restricted record", .restricted),
                (
                    "stage",
                    """
                    Flown on TK1952, but the case stays in preparing departure: Cannot move to departed: the safe \
                    return plan is not written.
                    """,
                    .programme
                ),
                ("owner", "Owner → Test counsellor", .caseReaders),
            ]
            for (kind, text, _) in old {
                try await CaseEvent(
                    caseID: c.case.id, at: Date(), actorID: nil, actorName: "x", kind: kind, text: text,
                    audience: .caseReaders
                )
                .create(on: h.app.db)
            }
            try await AddConfidentiality().backfill(on: h.app.db)
            let lines = try await CaseEvent.query(on: h.app.db).filter(\.$caseRecord.$id == c.case.id).filter(
                \.$actorName == "x"
            ).all()
            for (kind, text, audience) in old {
                let line = lines.first {
                    $0.kind == kind && ($0.text == text || ($0.text.hasPrefix("Flown") && text.hasPrefix("Flown")))
                }
                #expect(line?.audience == audience, "\(text)")
            }
            #expect(
                lines.first { $0.text.hasPrefix("Flown") }?.text
                    == "Flown on TK1952, but the case stays in preparing departure: "
                    + "what stands in the way is listed in the return file")
        }
    }
}
