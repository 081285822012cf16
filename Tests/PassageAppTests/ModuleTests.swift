import Fluent
import PassageDomain
import Testing
import VaporTesting

@testable import PassageApp

/// A programme that is nothing but its folder: a page, an API operation, two words and a navigation link.
struct OutreachTestModule: PassageModule {
    var name: String { "outreach-test" }
    static let staff: Set<Role> = [.counsellor, .manager]

    func routes(_ app: Application, api: any RoutesBuilder) {
        app.get("outreach-test", roles: Self.staff) { req, id -> HTML in
            Layout.page(
                req: req, identity: id, title: req.t("outreachtest.title"),
                body: "<h1>\(req.t("outreachtest.title"))</h1>")
        }
        api.get("outreach-test", roles: Self.staff) { _, _ -> [String: String] in ["programme": "outreach-test"] }
    }

    var catalogue: [String: [String: String]] {
        ["en": ["outreachtest.title": "Outreach"], "nl": ["outreachtest.title": "Voorlichting"]]
    }

    func navigation(for viewer: Identity, _ t: Translator) -> [NavigationLink] {
        viewer.hasAny(Self.staff) ? [NavigationLink(path: "/outreach-test", label: t("outreachtest.title"))] : []
    }

    var apiOperations: [OpenAPIController.Operation] {
        [
            .init(
                method: "get", path: "/outreach-test", summary: "The test programme", request: nil, response: "",
                status: "200")
        ]
    }

    var stylesheet: String { ".outreach-test { color: teal; }" }
}

@Suite struct ModuleTests {
    static func withOutreach(_ config: inout AppConfig) { config.modules = Modules.registered + [OutreachTestModule()] }

    /// A module added by registration alone shows up in navigation, the API document, the catalogue and the role
    /// matrix, and the registered modules keep working beside it.
    @Test(arguments: TestDatabase.available)
    func a_module_is_its_folder_and_one_registration(_ db: TestDatabase) async throws {
        try await withHarness(db, adjust: Self.withOutreach) { h in
            let counsellor = BrowserSession(app: h.app)
            try await counsellor.login("counsellor")
            let home = try await counsellor.get("/cases/mine")
            #expect(home.body.string.contains("<a href=\"/outreach-test\">Outreach</a>"))
            #expect(home.body.string.contains("<a href=\"/return\">"))
            try await counsellor.post("/language", form: ["lang": "nl"])
            #expect(try await counsellor.get("/outreach-test").body.string.contains("<h1>Voorlichting</h1>"))
            let clerk = BrowserSession(app: h.app)
            try await clerk.login("visa.clerk")
            #expect(!(try await clerk.get("/cases/mine")).body.string.contains("/outreach-test"))
            #expect(try await h.send(.GET, "/static/passage.css", as: nil).body.string.contains(".outreach-test"))

            let res = try await h.send(.GET, "/api/v1/openapi.json", as: .partner)
            let doc = try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any]
            #expect((doc?["paths"] as? [String: Any])?["/outreach-test"] != nil)
            try await RouteAccessTests.documentNamesTheRoutes(h)
            try await RouteAccessTests.roleMatrixHolds(h)
            #expect(h.app.routes.all.contains { $0.path.contains(.constant("outreach-test")) })
        }
        CatalogueTests.languagesAgree(Modules.registered + [OutreachTestModule()])
    }

    /// The typed paths land in pages as addresses: a person, a case, a return file and a booking link to each other.
    @Test(arguments: TestDatabase.available)
    func pages_link_through_the_typed_paths(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await Planted.make(h)
            let person = "href=\"/persons/\(p.personID.uuidString)\""
            let file = try await h.send(.GET, ReturnPaths.file(p.caseID), as: .counsellor).body.string
            #expect(file.contains(person) && file.contains("href=\"/bookings/\(p.booking.id.uuidString)\""))
            let page = try await h.send(.GET, CorePaths.case(p.caseID), as: .counsellor).body.string
            #expect(page.contains(person) && page.contains("action=\"/cases/\(p.caseID.uuidString)\""))
            let booking = try await h.send(.GET, MovementsPaths.booking(p.booking.id), as: .movementsOfficer).body
                .string
            #expect(booking.contains("href=\"/cases/\(p.caseID.uuidString)\""))
            let search = try await h.send(.GET, "/persons?name=Al-Hassan", as: .counsellor).body.string
            #expect(search.contains(person))
            #expect(![file, page, booking, search].contains { $0.contains("Paths.") })
        }
    }

    @Test func the_registered_modules_have_distinct_names() {
        let names = Modules.registered.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(
            names == ["return", "movements", "reunification", "resettlement", "visa-centre", "diaspora", "projects"])
    }
}

extension CatalogueTests {
    /// Every module's catalogue has the same keys in every language, none of them empty, and none that another
    /// module or the shared catalogue already has.
    static func languagesAgree(_ modules: [any PassageModule]) {
        var seen = Set(Catalogue.shared["en"]!.keys)
        for m in modules {
            let languages = m.catalogue
            #expect(Set(languages.keys) == Set(Translator.supported), "\(m.name) speaks \(languages.keys.sorted())")
            let english = Set(languages["en"]?.keys ?? [:].keys)
            for (language, entries) in languages {
                #expect(Set(entries.keys) == english, "\(m.name): \(language) and en differ")
                #expect(entries.values.allSatisfy { !$0.isEmpty }, "\(m.name): an empty \(language) entry")
            }
            #expect(
                seen.isDisjoint(with: english),
                "\(m.name) repeats keys: \(seen.intersection(english).sorted().prefix(5))")
            seen.formUnion(english)
        }
    }
}
