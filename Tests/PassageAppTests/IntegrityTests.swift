import Testing
import VaporTesting
import Fluent
import SQLKit
import PassageDomain
@testable import PassageApp

/// Numbers from a request at their extremes, concurrent sign-ins and writers, accounts, amounts, the keyed audit
/// chain and exports.
@Suite struct IntegrityTests {
    static let extremes = [
        "9223372036854775807", "-9223372036854775808", "99999999999999999999", "-1", "0", "abc", "1e30", "1.5", " ",
    ]
    static let numberFields = ["page", "pageSize", "limit", "offset"]

    /// Every GET route with every paging field at its extremes: the server stays up and a bad value is a 422 that names
    /// it.
    @Test(arguments: TestDatabase.available)
    func extreme_numbers_in_a_request_are_refused_by_name(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            var tried = 0
            for route in h.app.routes.all
            where route.method == .GET
                && !route.path.contains(where: { if case .parameter = $0 { true } else { false } })
            {
                let path = RouteAccessTests.concretePath(route)
                for field in Self.numberFields {
                    for value in Self.extremes {
                        let res = try await h.send(.GET, path + "?\(field)=\(urlQuery(value))", as: .manager)
                        tried += 1
                        #expect(res.status.code < 500, "GET \(path)?\(field)=\(value) gave \(res.status.code)")
                    }
                }
            }
            #expect(tried > 1000)
            for (path, field) in [
                ("/api/v1/cases", "page"), ("/api/v1/cases", "pageSize"), ("/api/v1/persons", "limit"),
                ("/api/v1/persons", "offset"),
                ("/cases", "page"), ("/persons?name=x", "page"),
            ] {
                for value in ["9223372036854775807", "-5", "abc", "1e30"] {
                    let res = try await h.send(
                        .GET, path + (path.contains("?") ? "&" : "?") + "\(field)=\(value)", as: .manager)
                    #expect(res.status == .unprocessableEntity, "\(path) \(field)=\(value): \(res.status)")
                    #expect(res.body.string.contains(field), "\(path) \(field)=\(value) does not name the field")
                }
            }
            let audit = try await h.send(.GET, "/admin/audit?page=9223372036854775807", as: .administrator)
            #expect(audit.status == .unprocessableEntity)
            #expect(try await h.send(.GET, "/api/v1/cases?page=2&pageSize=200", as: .manager).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func quiet_acceptance_is_refused_with_the_field_named(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            var nul = PersonAPITests.yonas
            nul.documents = [
                IdentityDocumentForm(type: "passport", number: "ER12\u{0}3456", issuingCountry: "ER", expiresOn: nil)
            ]
            let a = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: nul)
            #expect(a.status == .unprocessableEntity)
            #expect(try decode(ErrorBody.self, a).fields?.contains { $0.field.hasSuffix("number") } == true)
            var rlo = PersonAPITests.yonas
            rlo.person.familyName = "Tekle\u{202E}fdp.exe"
            let b = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: rlo)
            #expect(b.status == .unprocessableEntity)
            #expect(try decode(ErrorBody.self, b).fields?.first?.field == "familyName")
            #expect(try await h.count(Person.self) == 0)
            // A Persian name keeps its zero-width non-joiner.
            var persian = PersonAPITests.yonas
            persian.person.givenNamesOriginal = "مهر\u{200C}داد"
            #expect(try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: persian).status == .created)

            let s = try await MovementsTests.setUp(h)
            var big = MovementsTests.tunis(s, days: 5)
            big.baggageKg = nil
            let raw = String(decoding: try JSONEncoder().encode(big), as: UTF8.self).replacingOccurrences(
                of: "{", with: "{\"baggageKg\":1e30,", options: [], range: nil)
            let c = try await h.send(.POST, "/api/v1/cases/\(s.caseID)/bookings", as: .movementsOfficer, rawBody: raw)
            #expect(c.status == .unprocessableEntity, "\(c.body.string)")
            #expect(c.body.string.contains("baggageKg"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func amounts_are_read_the_way_the_office_types_them(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let s = try await MovementsTests.setUp(h)
            var body = MovementsTests.tunis(s, days: 5)
            body.fare = "245,50"
            let booked = try await MovementsTests.book(h, s.caseID, body)
            #expect(booked.status == .created, "\(booked.body.string)")
            #expect(try await Booking.query(on: h.app.db).first()?.fareCents == 24_550)

            let r = try await ReturnAPITests.setUp(h, PersonAPITests.yonas)
            let c = try await ReturnAPITests.prepared(h, r)
            let grants = "/api/v1/return/cases/\(c.case.id)/grants"
            #expect(
                try await ReturnAPITests.post(h, grants, ["type": "economic", "amount": "15,00"]).status == .created)
            #expect(try await GrantRecord.query(on: h.app.db).first()?.amount == 1_500)
            let ambiguous = try await ReturnAPITests.post(h, grants, ["type": "economic", "amount": "1.500"])
            #expect(ambiguous.status == .unprocessableEntity)
            #expect(
                try decode(ErrorBody.self, ambiguous).fields?.first { $0.field == "amount" }?.message.contains(
                    "ambiguous") == true)
            #expect(try await GrantRecord.query(on: h.app.db).count() == 1)
            // A Dutch reader types the thousands with a dot and reads € 1.500,00 back.
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            try await counsellor.post("/language", form: ["lang": "nl"])
            let paid = try await counsellor.post(
                "/return/cases/\(c.case.id)/grants", form: ["type": "economic", "amount": "1.000,00", "cash": "0"])
            #expect(paid.status == .seeOther, "\(paid.body.string.prefix(400))")
            #expect(
                try await GrantRecord.query(on: h.app.db).sort(\.$createdAt, .descending).first()?.amount == 100_000)
            let page = try await counsellor.get("/return/cases/\(c.case.id)")
            #expect(page.body.string.contains("€ 1.000,00"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func forty_sign_ins_at_once_are_answered_without_a_500(_ db: TestDatabase) async throws {
        try await withHarness(
            db, adjust: { $0.bcryptCost = 8 },
            { h in
                let statuses = try await withThrowingTaskGroup(of: (HTTPResponseStatus, String?).self) { group in
                    for i in 0..<40 {
                        group.addTask {
                            let b = BrowserSession(app: h.app)
                            // A quarter sign in as the manager; the rest try wrong passwords, for an account that
                            // exists (and is locked by them) or one that does not.
                            let (user, pass) =
                                i % 4 == 0
                                ? ("manager", testPassword)
                                : (i % 4 == 1 ? "counsellor" : "nobody.\(i)", "wrong password!")
                            let res = try await b.login(user, pass)
                            return (res.status, res.headers.first(name: "Retry-After"))
                        }
                    }
                    var out: [(HTTPResponseStatus, String?)] = []
                    for try await s in group { out.append(s) }
                    return out
                }
                #expect(statuses.count == 40)
                for (status, retry) in statuses {
                    #expect([.seeOther, .unauthorized, .serviceUnavailable].contains(status), "\(status)")
                    if status == .serviceUnavailable { #expect(retry != nil) }
                }
                #expect(statuses.contains { $0.0 == .seeOther })
            })
    }

    @Test(arguments: TestDatabase.available)
    func thirty_wrong_passwords_at_once_lock_the_account(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for _ in 0..<30 {
                    group.addTask { try await BrowserSession(app: h.app).login("counsellor", "wrong password!").status }
                }
                var out: [HTTPResponseStatus] = []
                for try await s in group { out.append(s) }
                return out
            }
            // Each attempt is answered as refused, or (on a loaded machine) as busy, to be tried again.
            #expect(statuses.allSatisfy { [.unauthorized, .serviceUnavailable].contains($0) }, "\(statuses)")
            let u = try #require(try await User.find(h.users[.counsellor]!, on: h.app.db))
            #expect(u.lockedUntil.map { $0 > Date() } == true)
            let attempts = try await AuditEntry.query(on: h.app.db).filter(\.$action == "login").filter(
                \.$actor == u.id!.uuidString
            ).all()
            // Every attempt that was answered, and only those, is in the audit trail.
            #expect(attempts.count == statuses.filter { $0 == .unauthorized }.count)
            #expect(attempts.count >= 5)
            #expect(attempts.filter { $0.note == "failed" }.count == 4)
            // Once locked, the right password is refused too, as slowly as a wrong one.
            let res = try await BrowserSession(app: h.app).login("counsellor")
            #expect(res.status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func sixty_four_readers_and_four_writers_see_no_5xx(_ db: TestDatabase) async throws {
        try await withHarness(db, onDisk: true) { h in
            let s = try await ReturnAPITests.setUp(h)
            let c = try await ReturnAPITests.open(h, s)
            let readers = try await withThrowingTaskGroup(of: BrowserSession.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let b = BrowserSession(app: h.app); _ = try await b.login("counsellor"); return b
                    }
                }
                var out: [BrowserSession] = []
                for try await b in group { out.append(b) }
                return out
            }
            let codes = try await withThrowingTaskGroup(of: UInt.self) { group in
                for i in 0..<64 {
                    group.addTask { try await readers[i % readers.count].get("/return/cases/\(c.case.id)").status.code }
                }
                for i in 0..<4 {
                    group.addTask {
                        try await h.send(
                            .PATCH, "/api/v1/cases/\(c.case.id)", as: .counsellor, json: ["summary": "writer \(i)"]
                        ).status.code
                    }
                    group.addTask {
                        var p = PersonAPITests.mohammed
                        p.person.givenNames = "Writer \(i)"
                        return try await h.send(.POST, "/api/v1/persons", as: .manager, json: p).status.code
                    }
                }
                var out: [UInt] = []
                for try await code in group { out.append(code) }
                return out
            }
            #expect(codes.count == 72)
            #expect(codes.allSatisfy { $0 < 500 }, "\(codes.filter { $0 >= 500 })")
            #expect(codes.filter { $0 == 200 }.count >= 68)
        }
    }

    @Test(arguments: TestDatabase.available)
    func accounts_fail_safe(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            // next is a path on this site or nothing.
            for next in [
                "/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "/%09/x\u{0}",
                " /cases",
            ] {
                #expect(AuthController.safeLocalPath(next) == nil, "\(next.debugDescription)")
            }
            #expect(AuthController.safeLocalPath("/cases?owner=me") == "/cases?owner=me")
            let b = BrowserSession(app: h.app)
            try await b.get("/login?next=/%09/evil.example")
            let res = try await b.post(
                "/login", form: ["username": "counsellor", "password": testPassword, "next": "/\t/evil.example"])
            #expect(res.headers.first(name: .location) == "/")

            // An anonymous sign-in page stores no session.
            let before = try await SessionRecord.query(on: h.app.db).count()
            for _ in 0..<5 { try await BrowserSession(app: h.app).get("/login") }
            #expect(try await SessionRecord.query(on: h.app.db).count() == before)

            // A password reset by an administrator ends the user's sessions.
            let user = BrowserSession(app: h.app)
            try await user.login("visa.clerk")
            #expect(try await user.get("/cases/mine").status == .ok)
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let reset = try await ConfidentialityTests.edit(
                admin, h.users[.visaClerk]!, "visa.clerk", role: "visa_clerk", password: "a brand new long password")
            #expect(reset.status == .seeOther)
            #expect(try await user.get("/cases/mine").status == .seeOther, "the old session still works")
            #expect(try await admin.get("/admin/users").status == .ok, "the administrator's own session goes on")

            // bcrypt reads 72 bytes: longer passwords are refused, and so are endless display names.
            let long = try await admin.post(
                "/admin/users/new",
                form: [
                    "username": "long.one", "displayName": "Long", "roles[]": "counsellor",
                    "locale": "en", "password": String(repeating: "é", count: 40),
                ])
            #expect(long.status == .unprocessableEntity && long.body.string.contains("72 bytes"))
            let name = try await admin.post(
                "/admin/users/new",
                form: [
                    "username": "long.two", "displayName": String(repeating: "x", count: 500),
                    "roles[]": "counsellor", "locale": "en", "password": "a long enough password",
                ])
            #expect(name.status == .unprocessableEntity && name.body.string.contains("at most 100"))

            // Expired sessions are purged.
            for record in try await SessionRecord.query(on: h.app.db).all() {
                record.data["since"] = "0"; try await record.save(on: h.app.db)
            }
            #expect(try await SessionStore.purge(on: h.app) > 0)
            #expect(try await SessionRecord.query(on: h.app.db).count() == 0)

            // Errors carry the security headers; an API write without sign-in is a 401.
            let missing = try await h.send(.GET, "/no/such/page", as: nil)
            #expect(missing.status == .notFound && missing.headers.first(name: "X-Frame-Options") == "DENY")
            let anonymous = try await h.send(.POST, "/api/v1/persons", as: nil, json: PersonAPITests.yonas)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func cookies_are_secure_unless_served_on_loopback() throws {
        let env = ["PASSAGE_DATA_DIR": NSTemporaryDirectory() + "passage-config-" + UUID().uuidString]
        #expect(try AppConfig.fromEnvironment(env).secureCookies == false)
        let key = [
            "PASSAGE_AUDIT_KEY": String(repeating: "k", count: 40),
            "PASSAGE_DATA_KEY": String(repeating: "d", count: 40),
        ]
        #expect(
            try AppConfig.fromEnvironment(
                env.merging(key) { a, _ in a }.merging(["PASSAGE_PUBLIC_URL": "https://passage.example"]) { a, _ in a }
            )
            .secureCookies == true)
        #expect(throws: AppConfig.Invalid.self) {
            try AppConfig.fromEnvironment(env.merging(["PASSAGE_PUBLIC_URL": "https://passage.example"]) { a, _ in a })
        }
        #expect(throws: AppConfig.Invalid.self) {
            try AppConfig.fromEnvironment(env.merging(["PASSAGE_AUDIT_KEY": "short"]) { a, _ in a })
        }
        // In development the key lives beside the database and stays the same from one start to the next.
        #expect(try AppConfig.fromEnvironment(env).auditKey == AppConfig.fromEnvironment(env).auditKey)
    }

    @Test(arguments: TestDatabase.available)
    func the_keyed_chain_detects_a_rewrite_and_a_checkpoint_detects_a_cut(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            for _ in 0..<4 {
                _ = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: PersonAPITests.mohammed)
            }
            let checkpoint = try await AuditLog.checkpoint(on: h.app.db)
            #expect(try await AuditLog.verify(on: h.app.db, checkpoint: checkpoint).firstBroken == nil)
            // A different key is not the office's.
            #expect(
                try await AuditLog.verify(on: h.app.db, key: Array("another key of at least thirty-two bytes".utf8))
                    .firstBroken == 1)
            let sql = h.app.db as! any SQLDatabase
            if db == .postgres {
                try await sql.raw("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only").run()
            } else {
                try await sql.raw("DROP TRIGGER audit_entries_no_update").run()
                try await sql.raw("DROP TRIGGER audit_entries_no_delete").run()
            }
            // Cutting the last entries off leaves a chain that links, but not the checkpoint's.
            let total = checkpoint.count
            try await sql.raw("DELETE FROM audit_entries WHERE sequence > \(bind: total - 2)").run()
            #expect(try await AuditLog.verify(on: h.app.db).firstBroken == nil)
            let cut = try await AuditLog.verify(on: h.app.db, checkpoint: checkpoint)
            #expect(cut.firstBroken == total - 1, "\(cut)")
            // Editing an entry and recomputing every hash after it still fails: the MACs need the key.
            let target = total / 2
            let entries = try await AuditEntry.query(on: h.app.db).filter(\.$id >= target).sort(\.$id).all()
            var previous = entries.first!.prevHash
            for e in entries {
                var r = AuditLog.record(from: e)
                if e.id == target { r.note = "rewritten" }
                let newHash = AuditLog.hash(previous: previous, record: r)
                try await sql.raw(
                    "UPDATE audit_entries SET note = \(bind: r.note), prev_hash = \(bind: previous), hash = \(bind: newHash) WHERE sequence = \(bind: e.id!)"
                ).run()
                previous = newHash
            }
            let rewritten = try await AuditLog.verify(on: h.app.db)
            #expect(rewritten.firstBroken == target, "\(rewritten)")
            #expect(rewritten.reason?.contains("audit key") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func exported_cells_never_start_a_formula(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            var p = PersonAPITests.mohammed
            p.person.familyName = "=HYPERLINK(\"http://evil.example\",\"x\")"
            p.person.givenNames = "@SUM(A1)"
            let person = try decode(
                PersonSummary.self, try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: p))
            #expect(
                try await h.send(
                    .POST, "/api/v1/cases", as: .counsellor,
                    json: CaseForm(programme: "visa_application", personID: person.id.uuidString)
                ).status == .created)
            let csv = try await h.send(.GET, "/api/v1/cases/export?format=csv", as: .manager).body.string
            #expect(csv.contains("\"'=HYPERLINK(") && csv.contains("'@SUM(A1)"), "\(csv)")
            #expect(!csv.contains(",=") && !csv.contains(",@"))
            let xlsx = try await h.send(.GET, "/api/v1/cases/export?format=xlsx", as: .manager)
            #expect(xlsx.status == .ok)
        }
        for start in ["=", "+", "-", "@", "\t", "\r"] {
            let t = ReportTable(sheet: "x", rows: [[.text(start + "1+1"), .number(-5)]])
            #expect(t.csv.hasPrefix("'") || t.csv.hasPrefix("\"'"), "\(start.debugDescription)")
            #expect(t.csv.contains(",-5"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_api_document_names_conflicts_and_unsupported_bodies(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let doc = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(
                        try await h.send(.GET, "/api/v1/openapi.json", as: .partner)
                            .body.readableBytesView)) as? [String: Any])
            let paths = try #require(doc["paths"] as? [String: [String: [String: Any]]])
            for (path, ops) in paths {
                for (method, op) in ops {
                    let responses = try #require(op["responses"] as? [String: Any])
                    #expect(responses["409"] != nil, "\(method) \(path)")
                    if method != "get" { #expect(responses["415"] != nil, "\(method) \(path)") }
                }
            }
            // And the API does answer them.
            let text = try await h.send(
                .POST, "/api/v1/persons", as: .counsellor, rawBody: "familyName=x", contentType: .plainText)
            #expect(text.status == .unsupportedMediaType)
        }
    }
}
