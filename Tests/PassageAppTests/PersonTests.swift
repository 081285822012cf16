import Testing
import VaporTesting
import Fluent
import SQLKit
import PassageDomain
@testable import PassageApp

struct PersonPage: Decodable { let items: [PersonSummary] }
struct PersonDetailBody: Decodable { let person: PersonSummary; let household: [HouseholdMember] }

@Suite struct PersonAPITests {
    static let yonas = PersonAPIController.CreateBody(
        person: PersonForm(
            familyName: "Tekle", givenNames: "Yonas", familyNameOriginal: "ተኽለ", givenNamesOriginal: "ዮናስ",
            aliases: ["Jonas Tekle"], sex: "M", dateOfBirth: "1994-03", nationality: "ER", languages: ["ti", "ar"],
            phone: "+31612345678"),
        documents: [
            IdentityDocumentForm(type: "passport", number: "ER 123 456", issuingCountry: "ER", expiresOn: "2031-04-30")
        ])

    static let mohammed = PersonAPIController.CreateBody(
        person: PersonForm(
            familyName: "Al-Hassan", givenNames: "Mohammed", familyNameOriginal: "الحسن", givenNamesOriginal: "مُحَمَّد",
            sex: "M", dateOfBirth: "~1988", nationality: "SY", languages: ["ar"]), documents: nil)

    func register(_ h: Harness, _ body: PersonAPIController.CreateBody) async throws -> PersonSummary {
        let res = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: body)
        #expect(res.status == .created, "\(res.body.string)")
        return try decode(PersonSummary.self, res)
    }

    @Test(arguments: TestDatabase.available)
    func registers_a_person_with_names_in_two_scripts_and_a_document(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await register(h, Self.yonas)
            #expect(p.reference == "P-000001")
            #expect(p.givenNamesOriginal == "ዮናስ")
            #expect(p.documents.first?.number == "ER123456")
            #expect(p.dateOfBirth == "1994-03")
            let audit = try await AuditEntry.query(on: h.app.db).filter(\.$personID == p.id.uuidString).all()
            #expect(audit.map(\.entity).sorted() == ["identity_document", "person"])
            let created = try #require(audit.first { $0.entity == "person" })
            #expect(created.changesJSON.contains("\"after\":\"Tekle\""))
            #expect(created.actorName == "counsellor")
        }
    }

    @Test(arguments: TestDatabase.available)
    func finds_people_by_misspelt_partial_or_original_script_names(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let yonas = try await register(h, Self.yonas)
            let mohammed = try await register(h, Self.mohammed)
            for (query, expected) in [
                ("mohamed", mohammed.id), ("MOHAMMAD al hasan", mohammed.id), ("محمد", mohammed.id),
                ("الحسن", mohammed.id), ("yonas", yonas.id), ("jonas", yonas.id), ("teklé", yonas.id),
                ("tek", yonas.id), ("ዮናስ", yonas.id), ("tesfay tekle", nil),
            ] {
                let res = try await h.send(.GET, "/api/v1/persons?name=\(urlQuery(query))", as: .counsellor)
                #expect(res.status == .ok)
                let ids = try decode(PersonPage.self, res).items.map(\.id)
                if let expected {
                    #expect(ids.first == expected, "'\(query)' should find \(expected)")
                } else {
                    #expect(ids.isEmpty, "'\(query)' should find nobody")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func finds_people_by_document_number_and_partial_date_of_birth(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let yonas = try await register(h, Self.yonas)
            let mohammed = try await register(h, Self.mohammed)
            let byDoc = try decode(
                PersonPage.self, try await h.send(.GET, "/api/v1/persons?document=er-123456", as: .visaClerk))
            #expect(byDoc.items.map(\.id) == [yonas.id])
            let byYear = try decode(
                PersonPage.self, try await h.send(.GET, "/api/v1/persons?dob=1994", as: .counsellor))
            #expect(byYear.items.map(\.id) == [yonas.id])
            let byDay = try decode(
                PersonPage.self, try await h.send(.GET, "/api/v1/persons?dob=1994-03-15", as: .counsellor))
            #expect(byDay.items.map(\.id) == [yonas.id], "a stored year-month matches any day of that month")
            let estimated = try decode(
                PersonPage.self, try await h.send(.GET, "/api/v1/persons?dob=1988&name=mohammed", as: .counsellor))
            #expect(estimated.items.map(\.id) == [mohammed.id])
            let bad = try await h.send(.GET, "/api/v1/persons?dob=1994-13", as: .counsellor)
            #expect(bad.status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_date_of_birth_with_day_and_month_swapped_or_an_estimated_year_near_is_found_and_said(
        _ db: TestDatabase
    ) async throws {
        try await withHarness(db) { h in
            let farid = try await PassageServices.register(
                PersonForm(familyName: "Karimi", givenNames: "Farid", dateOfBirth: "1981-09-02", nationality: "AF"),
                actor: "test", on: h.app)
            let reza = try await PassageServices.register(
                PersonForm(familyName: "Nouri", givenNames: "Reza", dateOfBirth: "~1975", nationality: "IR"),
                actor: "test", on: h.app)
            _ = try await PassageServices.register(
                PersonForm(familyName: "Karimi", givenNames: "Zahra", dateOfBirth: "1990-01-01", nationality: "AF"),
                actor: "test", on: h.app)
            let cases: [(name: String, dob: String, found: [UUID])] = [
                ("Karimi", "1981-02-09", [farid]), ("Karimi", "1981-09-02", [farid]), ("", "1981-02-09", [farid]),
                ("Nouri", "1977", [reza]), ("Nouri", "1973-06-01", [reza]), ("Nouri", "1978", []),
                ("Karimi", "1981-03-09", []),
            ]
            for c in cases {
                let q = PersonSearch.Query(name: c.name, dateOfBirth: PartialDate(parsing: c.dob), limit: 10)
                let index = try await PersonSearch.run(q, on: h.app.db, index: h.app.nameIndex)
                let grouped = try await PersonSearch.run(q, on: h.app.db, candidateLimit: 0)
                let scored = try await PersonSearch.run(q, on: h.app.db, candidateLimit: 50)
                #expect(index.map(\.id) == c.found, "'\(c.name)' born \(c.dob) in the name index")
                #expect(grouped.map(\.id) == c.found, "'\(c.name)' born \(c.dob) in one grouped query")
                #expect(scored.map(\.id) == c.found, "'\(c.name)' born \(c.dob) scored in Swift")
            }
            // The API and the page say how the date met, and how many were found.
            let swapped = try decode(
                PersonAPIController.Page<PersonSummary>.self,
                try await h.send(.GET, "/api/v1/persons?name=karimi&dob=1981-02-09", as: .counsellor))
            #expect(swapped.items.map(\.id) == [farid])
            #expect(swapped.items.first?.dateOfBirthMatch == .birthDayMonthSwapped)
            #expect(swapped.total == 1)
            let near = try decode(
                PersonAPIController.Page<PersonSummary>.self,
                try await h.send(.GET, "/api/v1/persons?name=nouri&dob=1977", as: .counsellor))
            #expect(near.items.first?.dateOfBirthMatch == .birthYearNear)
            let all = try decode(
                PersonAPIController.Page<PersonSummary>.self,
                try await h.send(.GET, "/api/v1/persons?name=karimi&limit=1", as: .counsellor))
            #expect(all.items.count == 1 && all.total == 2, "the total counts every match, not the page")
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            let page = try await b.get("/persons?name=Karimi&dob=1981-02-09").body.string
            #expect(page.contains("date of birth with day and month swapped (1981-02-09 and 1981-09-02)"))
            #expect(page.contains("1 found, best matches first"))
            let two = try await b.get("/persons?name=Karimi").body.string
            #expect(two.contains("2 found, best matches first"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func invalid_fields_are_refused_one_by_one_and_nothing_is_written(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let persons = try await h.count(Person.self)
            let audits = try await h.count(AuditEntry.self)
            let body = PersonAPIController.CreateBody(
                person: PersonForm(
                    familyName: "", givenNames: "Yonas", sex: "male", dateOfBirth: "2999-01-01", nationality: "Eritrea",
                    languages: ["klingonese"], phone: "612345"),
                documents: [IdentityDocumentForm(type: "passport", number: "", issuingCountry: "ER")])
            let res = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: body)
            #expect(res.status == .unprocessableEntity)
            let err = try decode(ErrorBody.self, res)
            let fields = Set((err.fields ?? []).map(\.field))
            #expect(
                fields == [
                    "familyName", "sex", "dateOfBirth", "nationality", "languages", "phone", "documents[0].number",
                ])
            #expect(try await h.count(Person.self) == persons)
            #expect(try await h.count(AuditEntry.self) == audits)
        }
    }

    @Test(arguments: TestDatabase.available)
    func malformed_json_is_a_400_and_unknown_ids_are_404(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let res = try await h.send(
                .POST, "/api/v1/persons", as: .counsellor, rawBody: "{\"person\": {\"familyName\": ")
            #expect(res.status == .badRequest)
            let wrongType = try await h.send(
                .POST, "/api/v1/persons", as: .counsellor, rawBody: "{\"person\": {\"familyName\": 12}}")
            #expect(wrongType.status == .badRequest)
            #expect(try await h.send(.GET, "/api/v1/persons/\(UUID().uuidString)", as: .counsellor).status == .notFound)
            #expect(try await h.send(.GET, "/api/v1/persons/not-an-id", as: .counsellor).status == .notFound)
            #expect(
                try await h.send(
                    .PATCH, "/api/v1/persons/\(UUID().uuidString)", as: .counsellor, json: PersonForm(familyName: "X")
                ).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func reading_a_record_is_audited_and_a_change_records_before_and_after(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await register(h, Self.yonas)
            #expect(try await h.send(.GET, "/api/v1/persons/\(p.id.uuidString)", as: .medicalOfficer).status == .ok)
            let view = try await AuditEntry.query(on: h.app.db).filter(\.$personID == p.id.uuidString).filter(
                \.$action == "view"
            ).first()
            #expect(view?.actorName == "medical.officer")
            let res = try await h.send(
                .PATCH, "/api/v1/persons/\(p.id.uuidString)", as: .counsellor,
                json: PersonForm(givenNames: "Yonatan", phone: "+32 470 12 34 56"))
            #expect(res.status == .ok)
            let updated = try decode(PersonSummary.self, res)
            #expect(updated.givenNames == "Yonatan")
            #expect(updated.familyName == "Tekle")
            let change = try #require(
                try await AuditEntry.query(on: h.app.db).filter(\.$personID == p.id.uuidString).filter(
                    \.$action == "update"
                ).first())
            let changes = AuditLog.record(from: change).changes
            #expect(changes.contains(.init(field: "givenNames", before: "Yonas", after: "Yonatan")))
            #expect(changes.contains(.init(field: "phone", before: "+31612345678", after: "+32470123456")))
            #expect(changes.count == 2)
            // The old name no longer finds the person; the new one does.
            let found = try decode(
                PersonPage.self, try await h.send(.GET, "/api/v1/persons?name=yonatan", as: .counsellor))
            #expect(found.items.map(\.id) == [p.id])
            let bad = try await h.send(
                .PATCH, "/api/v1/persons/\(p.id.uuidString)", as: .counsellor, json: PersonForm(nationality: "QQ"))
            #expect(bad.status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.available)
    func household_links_read_from_both_sides(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let parent = try await register(h, Self.mohammed)
            let child = try await register(
                h,
                .init(
                    person: PersonForm(
                        familyName: "Al-Hassan", givenNames: "Layla", dateOfBirth: "2015",
                        nationality: "SY"), documents: nil))
            let res = try await h.send(
                .POST, "/api/v1/persons/\(parent.id.uuidString)/household", as: .counsellor,
                json: PersonAPIController.LinkBody(relatedPersonID: child.id, relationship: "child"))
            #expect(res.status == .created)
            let fromChild = try decode(
                PersonDetailBody.self, try await h.send(.GET, "/api/v1/persons/\(child.id.uuidString)", as: .counsellor)
            )
            #expect(fromChild.household.map(\.relationship) == ["parent"])
            let again = try await h.send(
                .POST, "/api/v1/persons/\(child.id.uuidString)/household", as: .counsellor,
                json: PersonAPIController.LinkBody(relatedPersonID: parent.id, relationship: "parent"))
            #expect(again.status == .conflict)
            let selfLink = try await h.send(
                .POST, "/api/v1/persons/\(child.id.uuidString)/household", as: .counsellor,
                json: PersonAPIController.LinkBody(relatedPersonID: child.id, relationship: "sibling"))
            #expect(selfLink.status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.available)
    func partners_and_administrators_cannot_read_person_records(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let p = try await register(h, Self.yonas)
            #expect(try await h.send(.GET, "/api/v1/persons/\(p.id.uuidString)", as: .partner).status == .forbidden)
            #expect(try await h.send(.GET, "/api/v1/persons?name=yonas", as: .administrator).status == .forbidden)
        }
    }
}

@Suite struct PersonSearchPathTests {
    /// The two ways a name search runs (bounded candidates scored in Swift, or one grouped query)
    /// must find the same persons with the same scores.
    @Test(arguments: TestDatabase.available)
    func candidate_scoring_and_grouped_query_agree(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let names = [
                ("Al-Hassan", "Mohammed", "SY"), ("Hassan", "Mohamed", "SO"), ("Hasan", "Ahmad", "IQ"),
                ("Tekle", "Yonas", "ER"),
                ("Teklu", "Yonas", "ET"), ("Gebremedhin", "Selam", "ER"), ("Ivanov", "Ivan", "RU"),
                ("Ivanova", "Olga", "BY"),
                ("Al-Masri", "Ahmed", "EG"), ("Haile", "Mohammed", "ER"),
            ]
            for (family, given, nationality) in names {
                _ = try await PassageServices.register(
                    PersonForm(
                        familyName: family, givenNames: given, dateOfBirth: "1990",
                        nationality: nationality), actor: "test", on: h.app)
            }
            for query in [
                "mohammed", "mohamed hassan", "hasan", "yonas tekle", "iva", "ivanov olga", "ahmad", "al",
                "gebre selam", "x", "haile mohamad",
            ] {
                let q = PersonSearch.Query(name: query, limit: 100)
                let grouped = try await PersonSearch.run(q, on: h.app.db, candidateLimit: 0)
                let scored = try await PersonSearch.run(q, on: h.app.db, candidateLimit: 2)
                let unbounded = try await PersonSearch.run(q, on: h.app.db)
                #expect(Set(grouped) == Set(unbounded), "'\(query)'")
                #expect(Set(scored) == Set(unbounded), "'\(query)' with a small candidate limit")
                #expect(grouped.map(\.score) == unbounded.map(\.score), "'\(query)' ranks the same")
            }
            let tekle = try await PersonSearch.run(.init(name: "yonas tekle"), on: h.app.db)
            #expect(tekle.count == 2, "Teklu is one letter away")
            #expect(tekle.first?.score == 6)
        }
    }
}

/// A name written as another agency writes it, or in another script, finds the person, on every path a search can
/// take, and the result says why.
@Suite struct TransliteratedSearchTests {
    @Test(arguments: TestDatabase.available)
    func other_spellings_and_scripts_find_the_person_and_say_why(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let names: [(String, String, String?, String)] = [
                ("Ibrahim", "Muhammad", nil, "SY"), ("Haddad", "Youssef", nil, "LB"),
                ("Shevchenko", "Oleksandr", nil, "UA"), ("Ivanov", "Ivan", "Иванов", "RU"),
                ("Mueller", "Hans", nil, "DE"), ("Hamid", "Karim", nil, "SD"), ("Tesfaye", "Yohannes", "ተስፋዬ", "ET"),
                ("Al-Sabbagh", "Nour", nil, "SY"),
            ]
            var ids: [String: UUID] = [:]
            for (family, given, original, nationality) in names {
                let p = try await PassageServices.register(
                    PersonForm(
                        familyName: family, givenNames: given, familyNameOriginal: original, dateOfBirth: "1990",
                        nationality: nationality), actor: "test", on: h.app)
                ids[family] = p
            }
            let sought: [(String, String)] = [
                ("Mohamed Ibrahim", "Ibrahim"), ("Yusuf Haddad", "Haddad"), ("Aleksandr Schewtschenko", "Shevchenko"),
                ("Iwanow", "Ivanov"), ("Müller", "Mueller"), ("Иванов Иван", "Ivanov"), ("ተስፋዬ", "Tesfaye"),
                ("Johannes Tesfaye", "Tesfaye"), ("Noor El-Sabbagh", "Al-Sabbagh"), ("Nur Alsabbagh", "Al-Sabbagh"),
                ("Sabbagh Noor", "Al-Sabbagh"),
            ]
            for (query, family) in sought {
                let q = PersonSearch.Query(name: query, limit: 10)
                let index = try await PersonSearch.run(q, on: h.app.db, index: h.app.nameIndex)
                let grouped = try await PersonSearch.run(q, on: h.app.db, candidateLimit: 0)
                let scored = try await PersonSearch.run(q, on: h.app.db, candidateLimit: 50)
                #expect(index.first?.id == ids[family], "'\(query)' in the name index")
                #expect(grouped.first?.id == ids[family], "'\(query)' in one grouped query")
                #expect(scored.first?.id == ids[family], "'\(query)' scored in Swift")
                #expect(grouped.map(\.score) == index.map(\.score), "'\(query)' ranks the same")
            }
            // Ahmad is not Hamid: a name that begins with a vowel keeps it.
            let ahmad = try await PersonSearch.run(.init(name: "Ahmad Karim"), on: h.app.db, index: h.app.nameIndex)
            #expect(!ahmad.contains { $0.id == ids["Hamid"] })

            // The API and the page say why.
            let api = try decode(
                PersonAPIController.Page<PersonSummary>.self,
                try await h.send(.GET, "/api/v1/persons?name=Mohamed%20Ibrahim", as: .counsellor))
            let first = try #require(api.items.first)
            #expect(first.id == ids["Ibrahim"])
            #expect(
                first.matches == [
                    .init(kind: .transliteration, queried: "mohamed", stored: "muhammad"),
                    .init(kind: .exact, queried: "ibrahim", stored: "ibrahim"),
                ])
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            let page = try await b.get("/persons?name=Mohamed+Ibrahim").body.string
            #expect(page.contains("mohamed: another spelling of muhammad"))
        }
    }
}

@Suite struct NameIndexTests {
    /// The in-memory index must find what the database finds, with the same scores and order,
    /// on demo-like names in every script, with misspellings, prefixes and the filters.
    @Test(arguments: TestDatabase.available)
    func the_index_and_the_database_agree(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let people: [DemoNames.PersonFormParts] = try await h.app.writeTransaction { db in
                var rng = SeededRandom(seed: 2026)
                var made: [DemoNames.PersonFormParts] = []
                for _ in 0..<400 {
                    let parts = DemoNames.randomPerson(&rng, year: 2026).form
                    _ = try await DemoData.insertPerson(
                        parts, location: nil, withPassport: true, rng: &rng, actor: .system, on: db)
                    made.append(parts)
                }
                return made
            }
            var queries: [PersonSearch.Query] = []
            for p in people.prefix(40) {
                let given = p.givenNames.split(separator: " ").first.map(String.init) ?? p.givenNames
                queries.append(.init(name: "\(given) \(p.familyName)", limit: 500))
                queries.append(.init(name: String(given.dropLast()) + " " + String(p.familyName.prefix(3)), limit: 500))
                if let original = p.familyNameOriginal { queries.append(.init(name: original, limit: 500)) }
                queries.append(.init(name: p.familyName, dateOfBirth: PartialDate(parsing: p.dateOfBirth), limit: 500))
            }
            queries.append(.init(name: "mohamed", limit: 500))
            queries.append(.init(name: "a", limit: 500))
            queries.append(.init(name: "zzzz", limit: 500))
            let index = NameIndex()
            for q in queries {
                let sql = try await PersonSearch.run(q, on: h.app.db, candidateLimit: 0)
                let mem = try await PersonSearch.run(q, on: h.app.db, index: index)
                // The index also finds a long word two typing errors away, and ranks equal scores by edits.
                let extra = Set(mem.map(\.id)).subtracting(sql.map(\.id))
                #expect(Set(sql.map(\.id)).isSubset(of: mem.map(\.id)), "'\(q.name)'")
                #expect(
                    sql.map(\.score) == mem.filter { !extra.contains($0.id) }.map(\.score), "'\(q.name)' scores")
                let terms = SearchTerms.query(q.name)
                for hit in mem where extra.contains(hit.id) {
                    let person = try #require(try await Person.find(hit.id, on: h.app.db))
                    let stored = person.allNames.flatMap(NameNormaliser.tokens)
                    #expect(
                        terms.contains { w in
                            !stored.contains(w.word)
                                && SearchTerms.explain(w, storedWords: stored)?.kind == .misspelling
                        }, "'\(q.name)' found \(person.familyName) two typing errors or a misspelt sound away")
                }
                #expect(mem.map(\.score) == mem.map(\.score).sorted(by: >), "'\(q.name)' best first")
            }
            #expect(index.count == 400)
            // A change made after the index was built is found at the next search.
            let first = try #require(try await Person.query(on: h.app.db).first())
            var form = PersonForm(familyName: "Zewdie", givenNames: "Hanna", nationality: "ET")
            form.dateOfBirth = "1990"
            _ = try await PersonRecords.update(
                first.id!, with: PersonValidation.validate(form, today: PersonRecords.today()), actor: .system,
                on: h.app)
            let found = try await PersonSearch.run(.init(name: "zewdie hana"), on: h.app.db, index: index)
            #expect(found.map(\.id) == [first.id!])
            let old = try await PersonSearch.run(
                .init(name: first.familyName + " " + first.givenNames, limit: 500), on: h.app.db, index: index)
            #expect(!old.contains { $0.id == first.id! })
            let fresh = try await PassageServices.register(
                PersonForm(familyName: "Qwertyuiop", givenNames: "Asdf", nationality: "ER"), actor: "t", on: h.app)
            #expect(
                try await PersonSearch.run(.init(name: "qwertyuiop"), on: h.app.db, index: index).map(\.id) == [fresh])
            #expect(index.count == 401)
        }
    }
}

@Suite struct NameIndexOrderTests {
    @Test func the_first_k_are_those_a_full_sort_gives() {
        var rng = SeededRandom(seed: 11)
        for count in [0, 3, 50, 1000, 20_000] {
            let items = (0..<count).map { _ in
                (Int.random(in: 0..<20, using: &rng), Int.random(in: 0..<1000, using: &rng))
            }
            let before: ((Int, Int), (Int, Int)) -> Bool = { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
            for k in [1, 10, 26, 525] {
                let expected = Array(items.sorted(by: before).prefix(k))
                let got = NameIndex.first(k, of: items, by: before)
                #expect(got.map(\.0) == expected.map(\.0) && got.map(\.1) == expected.map(\.1), "\(count) items, \(k)")
            }
        }
    }
}
