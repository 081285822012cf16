import Testing
import VaporTesting
import PassageDomain
@testable import PassageApp

@Suite struct RouteAccessTests {
    static func concretePath(_ route: Route) -> String {
        "/"
            + route.path.map { component -> String in
                switch component {
                case .constant(let c): return c
                case .parameter: return UUID().uuidString
                case .anything, .catchall: return "x"
                }
            }.joined(separator: "/")
    }

    @Test(arguments: TestDatabase.available)
    func every_route_declares_who_may_use_it(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            #expect(h.app.routes.all.count > 30)
            for route in h.app.routes.all {
                #expect(
                    route.userInfo[RouteAccess.userInfoKey] is RouteAccess,
                    "\(route.method) \(Self.concretePath(route)) does not say which roles may use it")
            }
        }
    }

    /// Every route, as every role: the roles it names get in, every other role gets 403,
    /// and no combination produces a 500.
    @Test(arguments: TestDatabase.available)
    func the_role_matrix_holds_for_every_route(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in try await Self.roleMatrixHolds(h) }
    }

    /// Every route of the harness's application as every role (and as no one).
    static func roleMatrixHolds(_ h: Harness) async throws {
        do {
            for route in h.app.routes.all {
                guard let access = route.userInfo[RouteAccess.userInfoKey] as? RouteAccess else { continue }
                let path = Self.concretePath(route)
                for role in Role.allCases {
                    let res = try await h.send(route.method, path, as: role)
                    #expect(
                        res.status != .internalServerError,
                        "\(route.method) \(path) as \(role) gave 500: \(res.body.string.prefix(200))")
                    if let roles = access.roles {
                        if roles.contains(role) {
                            #expect(
                                res.status != .forbidden && res.status != .unauthorized,
                                "\(route.method) \(path) should admit \(role)")
                        } else {
                            #expect(
                                res.status == .forbidden,
                                "\(route.method) \(path) should refuse \(role), gave \(res.status.code)")
                        }
                    }
                }
                if access.roles != nil {
                    let anonymous = try await h.send(route.method, path, as: nil)
                    #expect(
                        [.unauthorized, .seeOther, .forbidden].contains(anonymous.status),
                        "\(route.method) \(path) without sign-in gave \(anonymous.status.code)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func health_and_readiness(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            #expect(try await h.send(.GET, "/healthz", as: nil).status == .ok)
            let ready = try await h.send(.GET, "/readyz", as: nil)
            #expect(ready.status == .ok)
            #expect(ready.body.string.contains("ready"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_openapi_document_names_exactly_the_registered_api_routes(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in try await Self.documentNamesTheRoutes(h) }
    }

    static func documentNamesTheRoutes(_ h: Harness) async throws {
        do {
            let res = try await h.send(.GET, "/api/v1/openapi.json", as: .partner)
            #expect(res.status == .ok)
            let doc = try #require(
                try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])
            #expect(doc["openapi"] as? String == "3.0.3")
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, ops) in paths { for method in ops.keys { documented.insert("\(method.uppercased()) \(path)") } }
            var registered = Set<String>()
            for route in h.app.routes.all where route.path.first == .constant("api") {
                let p =
                    "/"
                    + route.path.dropFirst(2).map { c -> String in
                        if case .parameter(let name) = c { return "{\(name)}" }
                        return c.description
                    }.joined(separator: "/")
                registered.insert("\(route.method.rawValue) \(p)")
            }
            #expect(
                documented == registered,
                "only documented: \(documented.subtracting(registered)); only registered: \(registered.subtracting(documented))"
            )
        }
    }
}

@Suite struct CatalogueTests {
    @Test func english_and_dutch_have_the_same_keys() {
        #expect(Set(Catalogue.en.keys) == Set(Catalogue.nl.keys))
        #expect(Set(Catalogue.returnEN.keys) == Set(Catalogue.returnNL.keys))
        #expect(Set(Catalogue.movementsEN.keys) == Set(Catalogue.movementsNL.keys))
        #expect(Catalogue.movementsNL.values.allSatisfy { !$0.isEmpty })
        #expect(Catalogue.nl.values.allSatisfy { !$0.isEmpty })
        #expect(Catalogue.returnNL.values.allSatisfy { !$0.isEmpty })
        // Every figure of the period report has its Dutch name and definition, and nothing else is there.
        #expect(
            Set(Catalogue.figuresNL.keys)
                == Set(ReportFigure.allCases.flatMap { ["figure.\($0.rawValue)", "figure.\($0.rawValue).definition"] }))
    }

    @Test func every_key_the_pages_ask_for_exists() throws {
        // Scan the sources for t("...") with a literal key.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let dir = root.appendingPathComponent("Sources/PassageApp")
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" }
        #expect(files.count > 10)
        let pattern = try Regex(#"\bt\("([a-z]+(\.[a-zA-Z0-9_-]+)+)""#)
        var missing: [String] = []
        for f in files {
            let text = try String(contentsOf: f, encoding: .utf8)
            for m in text.matches(of: pattern) {
                let key = String(text[m.range].dropFirst(3).dropLast())
                // The public status page speaks from a catalogue of its own.
                let own = Catalogue.visaStatus["en"]?[key] != nil
                if Catalogue.strings["en"]?[key] == nil && !own { missing.append(key) }
            }
        }
        #expect(missing.isEmpty, "keys missing from the catalogue: \(missing)")
        // Keys built at run time from the domain's vocabularies.
        for r in Role.allCases { #expect(Catalogue.en["role.\(r.rawValue)"] != nil) }
        for p in Programme.allCases { #expect(Catalogue.en["programme.\(p.rawValue)"] != nil) }
        for s in CaseStatus.allCases { #expect(Catalogue.en["status.\(s.rawValue)"] != nil) }
        for s in Sex.allCases { #expect(Catalogue.en["sex.\(s.rawValue)"] != nil) }
        for d in IdentityDocumentType.allCases { #expect(Catalogue.en["doctype.\(d.rawValue)"] != nil) }
        for r in Relationship.allCases { #expect(Catalogue.en["relationship.\(r.rawValue)"] != nil) }
        for k in LocationKind.allCases { #expect(Catalogue.en["lockind.\(k.rawValue)"] != nil) }
        for k in PartnerKind.allCases { #expect(Catalogue.en["partnerkind.\(k.rawValue)"] != nil) }
        // The movements vocabularies.
        for s in BookingStatus.allCases { #expect(Catalogue.movementsEN["mv.status.\(s.rawValue)"] != nil) }
        for k in AssistanceKind.allCases { #expect(Catalogue.movementsEN["mv.assist.\(k.rawValue)"] != nil) }
        for k in EscortKind.allCases { #expect(Catalogue.movementsEN["mv.escort.\(k.rawValue)"] != nil) }
        for k in HandoverKind.allCases { #expect(Catalogue.movementsEN["mv.handover.\(k.rawValue)"] != nil) }
        for k in TransitAssistance.allCases { #expect(Catalogue.movementsEN["mv.transit.\(k.rawValue)"] != nil) }
        for k in MovementType.allCases { #expect(Catalogue.movementsEN["mv.type.\(k.rawValue)"] != nil) }
        for e in SMSEvent.allCases { #expect(Catalogue.movementsEN["mv.sms.event.\(e.rawValue)"] != nil) }
        for s in OutboxMessage.Status.allCases { #expect(Catalogue.movementsEN["mv.outbox.\(s.rawValue)"] != nil) }
        // The return programme's vocabularies, labelled under their prefixes.
        func words<T: CaseIterable & RawRepresentable>(_ t: T.Type, _ prefix: String) -> [String]
        where T.RawValue == String {
            T.allCases.map { "\(prefix).\($0.rawValue)" }
        }
        let returnKeys =
            words(ReturnStage.self, "stage") + words(ReferralSource.self, "referral")
            + words(CounsellingOutcome.self, "counselling")
            + words(EligibilityOutcome.self, "eligibility") + words(GrantType.self, "grant")
            + words(VulnerabilityKind.self, "vuln")
            + words(FamilyAssessmentStatus.self, "assessment")
            + words(FamilyAssessmentOutcome.self, "assessmentoutcome")
            + words(Exploitation.self, "exploitation") + words(MedicalCategory.self, "medcat")
            + words(TreatmentAvailability.self, "treatment")
            + words(FitToFly.self, "fit") + words(Escort.self, "escort") + words(TravelDocumentKind.self, "tdkind")
            + words(TravelDocumentStatus.self, "tdstatus")
            + words(PlanPurpose.self, "purpose") + words(PaymentKind.self, "payment")
            + words(CargoClearance.self, "cargo")
            + words(ReintegrationProgress.self, "progress") + words(OutreachKind.self, "outreach")
        for k in returnKeys {
            #expect(Catalogue.strings["en"]?[k] != nil && Catalogue.strings["nl"]?[k] != nil, "\(k) is missing")
        }
    }
}
