import Testing
import VaporTesting
import Fluent
import PassageDomain
@testable import PassageApp

@Suite struct AuthTests {
    @Test(arguments: TestDatabase.available)
    func sign_in_with_the_right_password_and_out_again(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let browser = BrowserSession(app: h.app)
            let res = try await browser.login("counsellor")
            #expect(res.status == .seeOther)
            let mine = try await browser.get("/cases/mine")
            #expect(mine.status == .ok)
            #expect(mine.body.string.contains("Test counsellor"))
            try await browser.post("/logout", form: [:])
            let after = try await browser.get("/cases/mine")
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func wrong_password_is_refused_and_repeated_failures_lock_the_account(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let browser = BrowserSession(app: h.app)
            for _ in 0..<5 {
                let res = try await browser.login("manager", "wrong password!")
                #expect(res.status == .unauthorized)
            }
            let user = try #require(try await User.query(on: h.app.db).filter(\.$username == "manager").first())
            #expect(user.lockedUntil != nil)
            // Even the right password is refused while the lock lasts.
            let locked = try await browser.login("manager")
            #expect(locked.status == .unauthorized)
            #expect(locked.body.string.contains("locked"))
            let audit = try await AuditEntry.query(on: h.app.db).filter(\.$action == "login").filter(
                \.$actor == user.id!.uuidString
            ).count()
            #expect(audit == 6)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_form_without_the_csrf_token_is_refused_and_changes_nothing(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let browser = BrowserSession(app: h.app)
            try await browser.login("counsellor")
            let before = try await h.count(Person.self)
            let res = try await browser.post(
                "/persons/new", form: ["familyName": "Tekle", "givenNames": "Yonas", "nationality": "ER"],
                includeCSRF: false)
            #expect(res.status == .forbidden)
            #expect(try await h.count(Person.self) == before)
        }
    }

    @Test(arguments: TestDatabase.available)
    func sessions_live_in_the_database(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let browser = BrowserSession(app: h.app)
            try await browser.login("counsellor")
            #expect(try await SessionRecord.query(on: h.app.db).count() >= 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_session_past_its_lifetime_is_refused_even_with_its_cookie(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let browser = BrowserSession(app: h.app)
            try await browser.login("counsellor")
            #expect(try await browser.get("/cases/mine").status == .ok)
            for record in try await SessionRecord.query(on: h.app.db).all() where record.data["uid"] != nil {
                record.data["since"] = "0"
                try await record.save(on: h.app.db)
            }
            let res = try await browser.get("/cases/mine")
            #expect(res.status == .seeOther)
            #expect(res.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_revoked_token_stops_working(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            #expect(try await h.send(.GET, "/api/v1/me", as: .partner).status == .ok)
            let token = try #require(
                try await ApiToken.query(on: h.app.db).filter(\.$user.$id == h.users[.partner]!).first())
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let res = try await admin.post(
                "/admin/users/\(h.users[.partner]!.uuidString)/tokens/\(token.id!.uuidString)/revoke", form: [:])
            #expect(res.status == .seeOther)
            #expect(try await h.send(.GET, "/api/v1/me", as: .partner).status == .unauthorized)
            // Tokens are stored only as hashes.
            #expect(try await ApiToken.query(on: h.app.db).filter(\.$tokenHash == h.token(.partner)).count() == 0)
        }
    }

    /// A token limited to reading one programme's API, and a token past its last day.
    @Test(arguments: TestDatabase.available)
    func a_token_keeps_to_its_scope_and_its_last_day(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            let path = "/admin/users/\(h.users[.counsellor]!.uuidString)/tokens"
            let bad = try await admin.post(
                path, form: ["name": "sync", "expires": "2020-01-31", "scope": "programme:nowhere"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("id=\"f-expires-error\"") && bad.body.string.contains("in the past"))
            #expect(bad.body.string.contains("id=\"f-scope-error\"") && bad.body.string.contains("programme:return"))
            #expect(try await ApiToken.query(on: h.app.db).filter(\.$name == "sync").count() == 0)

            let today = Clock.today().isoText
            let made = try await admin.post(
                path, form: ["name": "sync", "expires": today, "scope": "read,programme:return"])
            #expect(made.status == .ok)
            let page = made.body.string
            let start = try #require(page.range(of: "id=\"new-token\">"))
            let token = String(page[start.upperBound...].prefix { $0 != "<" })
            #expect(token.hasPrefix("psg_"))
            func call(_ method: HTTPMethod, _ url: String) async throws -> TestingHTTPResponse {
                try await h.app.testing().sendRequest(
                    method, url,
                    beforeRequest: { req in
                        req.headers.bearerAuthorization = .init(token: token)
                        if method == .POST { try req.content.encode(["personID": UUID().uuidString], as: .json) }
                    })
            }
            #expect(try await call(.GET, "/api/v1/return/cases").status == .ok)
            let write = try await call(.POST, "/api/v1/return/cases")
            #expect(write.status == .forbidden && write.body.string.contains("may only read"))
            let other = try await call(.GET, "/api/v1/persons?name=Ali")
            #expect(other.status == .forbidden && other.body.string.contains("return programme"))
            // The same account's unscoped token still reads persons.
            #expect(try await h.send(.GET, "/api/v1/persons?name=Ali", as: .counsellor).status == .ok)
            let audit = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "api_token").all()
            #expect(audit.contains { $0.changesJSON.contains("read,programme:return") })

            let stored = try #require(try await ApiToken.query(on: h.app.db).filter(\.$name == "sync").first())
            stored.expiresOn = Clock.day(Clock.today(), plus: -1).isoText
            try await stored.save(on: h.app.db)
            let late = try await call(.GET, "/api/v1/return/cases")
            #expect(late.status == .unauthorized && late.body.string.contains("expired"))

            // A scope that no longer reads (its programme is not running here) admits nothing.
            stored.expiresOn = nil
            stored.scope = "programme:gone"
            try await stored.save(on: h.app.db)
            let gone = try await call(.GET, "/api/v1/return/cases")
            #expect(gone.status == .unauthorized && gone.body.string.contains("not running here"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func administrator_creates_a_user_with_field_errors_first(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let admin = BrowserSession(app: h.app)
            try await admin.login("administrator")
            try await admin.get("/admin/users/new")
            let bad = try await admin.post(
                "/admin/users/new",
                form: ["username": "new user!", "displayName": "", "password": "short", "locale": "en"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("at least 12 characters"))
            #expect(bad.body.string.contains("choose at least one role"))
            let before = try await h.count(User.self)
            let ok = try await admin.post(
                "/admin/users/new",
                form: [
                    "username": "hiwet", "displayName": "Hiwet T.", "password": "a long enough pw",
                    "roles[]": "counsellor", "locale": "nl",
                ])
            #expect(ok.status == .seeOther)
            #expect(try await h.count(User.self) == before + 1)
            let fresh = BrowserSession(app: h.app)
            #expect(try await fresh.login("hiwet", "a long enough pw").status == .seeOther)
            // The new user's language is Dutch.
            #expect(try await fresh.get("/persons").body.string.contains("Personen"))
        }
    }
}
