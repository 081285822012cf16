import Fluent
import PassageDomain
import Testing
import VaporTesting

@testable import PassageApp

/// The same person is not registered twice without a word, and two records of one person can be merged and the
/// merge undone.
@Suite struct IdentityResolutionTests {
    struct Refusal: Decodable {
        var error: String
        var candidates: [DuplicateCheck.Candidate]?
    }

    /// Mohammed Al-Hassan as another agency spells him: Latin only, his estimated year one out.
    static var muhammad: PersonAPIController.CreateBody {
        PersonAPIController.CreateBody(
            person: PersonForm(
                familyName: "Al Hasan", givenNames: "Muhammad", sex: "M", dateOfBirth: "~1989", nationality: "SY",
                languages: ["ar"]))
    }

    @Test(arguments: TestDatabase.available)
    func a_registration_that_may_be_someone_already_held_is_answered_with_the_candidates(_ db: TestDatabase)
        async throws
    {
        try await withHarness(db) { h in
            let first = try await PersonAPITests().register(h, PersonAPITests.mohammed)
            let res = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: Self.muhammad)
            #expect(res.status == .conflict, "\(res.body.string)")
            let refusal = try decode(Refusal.self, res)
            let candidate = try #require(refusal.candidates?.first)
            #expect(candidate.person.id == first.id)
            #expect(candidate.score >= IdentityMatch.shown)
            let codes = Set(candidate.reasons.map(\.code))
            #expect(codes.isSuperset(of: [.nameTransliteration, .birthYearNear, .nationalitySame]))
            #expect(try await h.count(Person.self) == 1)
            // Showing the candidate is a read of their record.
            let reads = try await AuditEntry.query(on: h.app.db).filter(\.$action == "view")
                .filter(\.$personID == first.id.uuidString).all()
            #expect(reads.map(\.note) == ["duplicate check"])

            // The caller checked and says it is someone else: saved, and the pair remembered.
            var confirmed = Self.muhammad
            confirmed.notSameAs = [first.id]
            let saved = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: confirmed)
            #expect(saved.status == .created, "\(saved.body.string)")
            let second = try decode(PersonSummary.self, saved)
            let pair = try #require(try await PersonDistinction.query(on: h.app.db).first())
            #expect(Set([pair.personA, pair.personB]) == [first.id, second.id])
            #expect(try await DuplicateCheck.distinct(from: second.id, on: h.app.db) == [first.id])
            let noted = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "person_distinction").count()
            #expect(noted == 2)

            // A third time, both are named; naming only one of them is not enough.
            let third = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: confirmed)
            #expect(third.status == .conflict)
            #expect(Set(try decode(Refusal.self, third).candidates?.map(\.person.id) ?? []) == [first.id, second.id])

            // His sister shares his family name, birth year, nationality: she is not offered as him.
            let sister = try await TypingLessTests.registerSister(h)
            #expect(sister.givenNames == "Amina")
        }
    }

    @Test(arguments: TestDatabase.available)
    func a_date_of_birth_with_day_and_month_swapped_a_document_and_a_phone_are_evidence(_ db: TestDatabase)
        async throws
    {
        try await withHarness(db) { h in
            var yonas = PersonAPITests.yonas
            yonas.person.dateOfBirth = "1994-03-07"
            yonas.person.phone = "+31612345678"
            let first = try await PersonAPITests().register(h, yonas)

            var swapped = yonas
            swapped.person.dateOfBirth = "1994-07-03"
            swapped.person.givenNamesOriginal = nil
            swapped.person.familyNameOriginal = nil
            swapped.documents = nil
            swapped.person.phone = nil
            let res = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: swapped)
            #expect(res.status == .conflict)
            let c = try #require(try decode(Refusal.self, res).candidates?.first)
            #expect(c.person.id == first.id)
            #expect(c.reasons.contains(.init(.birthDayMonthSwapped, queried: "1994-07-03", stored: "1994-03-07")))

            // Another name entirely, but the same passport and phone.
            var other = yonas
            other.person.familyName = "Tesfaye"; other.person.givenNames = "Dawit"
            other.person.familyNameOriginal = nil; other.person.givenNamesOriginal = nil
            let byDocument = try await h.send(.POST, "/api/v1/persons", as: .counsellor, json: other)
            #expect(byDocument.status == .conflict, "\(byDocument.body.string)")
            let d = try #require(try decode(Refusal.self, byDocument).candidates?.first)
            #expect(d.reasons.contains { $0.code == .documentSame } && d.reasons.contains { $0.code == .phoneSame })
            #expect(try await h.count(Person.self) == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_registration_page_shows_the_candidates_and_keeps_what_was_typed(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let first = try await PersonAPITests().register(h, PersonAPITests.mohammed)
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            try await b.get("/persons/new")
            let typed = [
                "familyName": "Al Hasan", "givenNames": "Muhammad", "sex": "M", "dateOfBirth": "~1989",
                "nationality": "SY", "phone": "+31 6 1234 5678",
            ]
            let page = try await b.post("/persons/new", form: typed)
            #expect(page.status == .conflict)
            let html = page.body.string
            #expect(html.contains("This person may already be registered"))
            #expect(html.contains(first.reference) && html.contains("another spelling of"))
            #expect(html.contains("value=\"Muhammad\"") && html.contains("Save as a new person"))
            #expect(try await h.count(Person.self) == 1)

            var sure = typed
            sure["notSameAs[]"] = first.id.uuidString
            let saved = try await b.post("/persons/new", form: sure)
            #expect(saved.status == .seeOther)
            #expect(try await h.count(Person.self) == 2)
            #expect(try await h.count(PersonDistinction.self) == 1)
        }
    }

    struct Detail: Decodable { var person: PersonSummary; var cases: [CaseSummary] }

    func detail(_ h: Harness, _ id: UUID) async throws -> Detail {
        try decode(Detail.self, try await h.send(.GET, "/api/v1/persons/\(id)", as: .counsellor))
    }

    @Test(arguments: TestDatabase.available)
    func a_merge_moves_everything_leads_the_old_id_to_the_new_record_and_can_be_undone(_ db: TestDatabase)
        async throws
    {
        try await withHarness(db) { h in
            let s = try await ReturnAPITests.setUp(h)
            var twice = Self.muhammad
            twice.documents = [IdentityDocumentForm(type: "passport", number: "N77001", issuingCountry: "SY")]
            twice.person.phone = "+31698765432"
            let dup = try await registerDistinct(h, twice)
            // The return case was opened on the second record.
            let file = try await ReturnAPITests.open(
                h, ReturnAPITests.Setup(person: dup, centre: s.centre, embassy: s.embassy, ngo: s.ngo))
            let (a, b) = (s.person.id, dup.id)
            let body = PersonAPIController.MergeBody(mergedID: b, reason: "Registered twice, passport matches")

            // Staff recorded them as different people: a counsellor may not merge them, a manager may.
            let refused = try await h.send(.POST, "/api/v1/persons/\(a)/merge", as: .counsellor, json: body)
            #expect(refused.status == .conflict && refused.body.string.contains("only a manager"))
            let done = try await h.send(.POST, "/api/v1/persons/\(a)/merge", as: .manager, json: body)
            #expect(done.status == .ok, "\(done.body.string)")
            let merge = try decode(PersonAPIController.MergeDTO.self, done)
            #expect(merge.moved["identity_documents"] == 1 && merge.moved["cases"] == 1)

            let after = try await detail(h, a)
            #expect(after.person.documents.map(\.number) == ["N77001"])
            #expect(after.person.aliases.contains("Muhammad Al Hasan"))
            // What the surviving record lacked comes from the other: here the phone.
            #expect(after.person.phone == "+31698765432")
            #expect(after.cases.map(\.id) == [file.case.id])
            // The merged record's id leads to the record that stays; it is no longer found on its own.
            #expect(try await detail(h, b).person.id == a)
            let found = try decode(
                PersonAPIController.Page<PersonSummary>.self,
                try await h.send(.GET, "/api/v1/persons?name=Muhammad%20Al%20Hasan", as: .counsellor))
            #expect(found.items.map(\.id) == [a])
            // Its history is the surviving record's.
            #expect(Set(try await PersonMerging.lineage(of: a, on: h.app.db)) == [a, b])

            // Refusals: into itself, into the merged record, the merged record again, a change to the merged record.
            for (target, merged) in [(a, a), (b, a), (a, b)] {
                let res = try await h.send(
                    .POST, "/api/v1/persons/\(target)/merge", as: .manager,
                    json: PersonAPIController.MergeBody(mergedID: merged, reason: "again"))
                #expect(res.status == .conflict, "\(target) \(merged): \(res.body.string)")
            }
            let patch = try await h.send(
                .PATCH, "/api/v1/persons/\(b)", as: .counsellor, json: PersonForm(phone: "+31611111111"))
            #expect(patch.status == .conflict && patch.body.string.contains("was merged into"))
            let noReason = try await h.send(
                .POST, "/api/v1/persons/\(a)/merge", as: .manager, json: ["mergedID": b.uuidString, "reason": " "])
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("reason"))

            // Undone by a manager (the counsellor neither merged nor manages): everything goes back.
            let notTheirs = try await h.send(.POST, "/api/v1/persons/merges/\(merge.id)/undo", as: .counsellor)
            #expect(notTheirs.status == .forbidden)
            let undone = try await h.send(.POST, "/api/v1/persons/merges/\(merge.id)/undo", as: .manager)
            #expect(undone.status == .ok, "\(undone.body.string)")
            #expect(try await detail(h, a).person.documents.isEmpty)
            #expect(try await detail(h, a).person.aliases.contains("Muhammad Al Hasan") == false)
            #expect(try await detail(h, a).person.phone == nil)
            #expect(try await detail(h, b).person.documents.map(\.number) == ["N77001"])
            let again = try decode(
                PersonAPIController.Page<PersonSummary>.self,
                try await h.send(.GET, "/api/v1/persons?name=Muhammad%20Al%20Hasan", as: .counsellor))
            #expect(Set(again.items.map(\.id)) == [a, b])
            let twiceUndone = try await h.send(.POST, "/api/v1/persons/merges/\(merge.id)/undo", as: .manager)
            #expect(twiceUndone.status == .conflict)

            // Merged again; then the moved document is removed and the aliases changed: the undo is refused.
            let second = try decode(
                PersonAPIController.MergeDTO.self,
                try await h.send(.POST, "/api/v1/persons/\(a)/merge", as: .manager, json: body))
            let doc = try #require(try await detail(h, a).person.documents.first)
            let removed = try await h.send(.DELETE, "/api/v1/persons/\(a)/documents/\(doc.id)", as: .counsellor)
            #expect(removed.status == .noContent)
            _ = try await h.send(.PATCH, "/api/v1/persons/\(a)", as: .counsellor, json: PersonForm(aliases: ["M. H."]))
            let conflict = try await h.send(.POST, "/api/v1/persons/merges/\(second.id)/undo", as: .manager)
            #expect(conflict.status == .conflict)
            #expect(conflict.body.string.contains("removed or changed since"))
            #expect(conflict.body.string.contains("aliases changed since the merge"))
            #expect(try await detail(h, b).person.id == a)
            let audit = try await AuditEntry.query(on: h.app.db).filter(\.$note ~~ "merge").count()
            #expect(audit >= 6)
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_person_page_offers_the_duplicates_compares_merges_and_undoes(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            let first = try await PersonAPITests().register(h, PersonAPITests.mohammed)
            let dup = try await registerDistinct(h, Self.muhammad)
            // The pair was recorded as different when the second was registered; another pair is offered.
            try await PersonDistinction.query(on: h.app.db).delete()
            let b = BrowserSession(app: h.app)
            try await b.login("counsellor")
            let page = try await b.get(CorePaths.person(first.id))
            #expect(page.body.string.contains("Duplicates and merges"))
            #expect(page.body.string.contains("merge?other=\(dup.reference)"))

            let compare = try await b.get("\(CorePaths.person(first.id))/merge?other=\(dup.reference)")
            #expect(compare.status == .ok)
            #expect(compare.body.string.contains("Merge \(dup.reference) into \(first.reference)"))
            #expect(
                try await b.get("\(CorePaths.person(first.id))/merge?other=P-999999").status == .unprocessableEntity)
            let blank = try await b.post(
                "\(CorePaths.person(first.id))/merge", form: ["other": dup.reference, "reason": ""])
            #expect(blank.status == .unprocessableEntity && blank.body.string.contains("say why"))

            let merged = try await b.post(
                "\(CorePaths.person(first.id))/merge", form: ["other": dup.reference, "reason": "Same person"])
            #expect(merged.status == .seeOther)
            let redirect = try await b.get(CorePaths.person(dup.id))
            #expect(redirect.status == .seeOther)
            #expect(redirect.headers.first(name: .location)?.hasPrefix(CorePaths.person(first.id)) == true)
            let survivor = try await b.get(CorePaths.person(first.id) + "?notice=merged")
            #expect(survivor.body.string.contains("Undo the merge"))
            let record = try #require(try await PersonMerge.query(on: h.app.db).first())
            let undo = try await b.post("/persons/merges/\(record.id!)/undo", form: [:])
            #expect(undo.status == .seeOther)
            #expect(try await Person.find(dup.id, on: h.app.db)?.mergedInto == nil)

            // "Not the same person" from the page: the pair is remembered and no longer offered.
            let distinct = try await b.post("\(CorePaths.person(first.id))/distinct", form: ["other": dup.reference])
            #expect(distinct.status == .seeOther)
            let later = try await b.get(CorePaths.person(first.id))
            #expect(!later.body.string.contains("merge?other=\(dup.reference)"))
            #expect(later.body.string.contains("Recorded as not the same person as"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_api_lists_a_records_possible_duplicates_and_forgets_those_said_to_be_different(_ db: TestDatabase)
        async throws
    {
        try await withHarness(db) { h in
            let first = try await PersonAPITests().register(h, PersonAPITests.mohammed)
            let dup = try await registerDistinct(h, Self.muhammad)
            try await PersonDistinction.query(on: h.app.db).delete()
            let path = "/api/v1/persons/\(first.id)/duplicates"
            let listed = try decode(
                [DuplicateCheck.Candidate].self, try await h.send(.GET, path, as: .counsellor))
            #expect(listed.map(\.person.id) == [dup.id])
            #expect(try await h.send(.GET, path, as: .partner).status == .forbidden)
            #expect(try await h.send(.GET, path, as: nil).status == .unauthorized)

            let same = try await h.send(
                .POST, "/api/v1/persons/\(first.id)/distinct", as: .counsellor,
                json: PersonAPIController.DistinctBody(otherID: first.id))
            #expect(same.status == .unprocessableEntity)
            let said = try await h.send(
                .POST, "/api/v1/persons/\(first.id)/distinct", as: .counsellor,
                json: PersonAPIController.DistinctBody(otherID: dup.id))
            #expect(said.status == .noContent)
            #expect(try decode([DuplicateCheck.Candidate].self, try await h.send(.GET, path, as: .counsellor)).isEmpty)
            let unknown = try await h.send(
                .POST, "/api/v1/persons/merges/\(UUID())/undo", as: .manager)
            #expect(unknown.status == .notFound)
        }
    }

    /// Persons with names of their own, written straight to the database: the registry a batch check weighs names in.
    static func strangers(_ h: Harness, _ n: Int) async throws {
        let given = ["Yonas", "Semhar", "Daniel", "Helen", "Tesfay", "Selam", "Mehari", "Luwam"]
        let syllables = ["ge", "bre", "tes", "fa", "mi", "ka", "el", "ha", "wol", "de", "zi", "ra"]
        try await h.app.writeTransaction { db in
            for i in 0..<n {
                let family = syllables[i % 12] + syllables[(i / 12) % 12] + syllables[(i / 144) % 12]
                let details = try PersonValidation.validate(
                    PersonForm(
                        familyName: family.capitalized, givenNames: given[i % 8], sex: "M",
                        dateOfBirth: "\(1960 + i % 50)-0\(1 + i % 9)-1\(i % 9)", nationality: "ER"),
                    today: PersonRecords.today())
                _ = try await PersonRecords.insert(details, locationID: nil, documents: [], actor: .system, on: db)
            }
        }
    }

    /// Follows the latest registry check through the API until it has ended.
    static func finished(_ h: Harness) async throws -> RegistryChecks.State {
        for _ in 0..<300 {
            let res = try await h.send(.GET, "/api/v1/persons/duplicate-reviews/check", as: .manager)
            let state = try decode(RegistryChecks.State.self, res)
            if state.status == .done || state.status == .failed { return state }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the registry check did not end")
        throw Abort(.requestTimeout)
    }

    @Test(arguments: TestDatabase.available)
    func a_registry_check_runs_in_the_background_shows_how_far_it_is_and_resumes_after_a_restart(
        _ db: TestDatabase
    ) async throws {
        try await withHarness(db) { h in
            try await Self.strangers(h, 120)
            #expect(try await h.send(.GET, "/api/v1/persons/duplicate-reviews/check", as: .manager).status == .notFound)
            #expect(
                try await h.send(.GET, "/api/v1/persons/duplicate-reviews/check", as: .partner).status == .forbidden)
            // A check the last server left running, as after a crash: it waits again and runs to the end.
            let left = RegistryCheck()
            left.status = .running
            left.requestedBy = "manager"
            left.requestedAt = Clock.now()
            left.step = RegistryDuplicates.Step.comparing.rawValue
            left.done = 40
            left.total = 100
            try await left.create(on: h.app.db)
            // While it runs, the page shows the step and a progress bar, looks again every few seconds, and
            // offers no second check; asking again answers the same check.
            let browser = BrowserSession(app: h.app)
            try await browser.login("manager")
            let running = try await browser.get("/persons/duplicates").body.string
            #expect(running.contains("<progress max=\"100\" value=\"42\""), "\(running)")
            #expect(
                running.contains("data-poll=\"/persons/duplicates/check\"")
                    && !running.contains("action=\"/persons/duplicates/check\""))
            let region = try await browser.get("/persons/duplicates/check").body.string
            #expect(region.hasPrefix("<div id=\"check-status\" role=\"status\" data-poll=") && region.contains("42 %"))
            let again = try await h.send(.POST, "/api/v1/persons/duplicate-reviews/check", as: .manager)
            #expect(try decode(RegistryChecks.State.self, again).id == left.id)
            try await RegistryChecks.resume(h.app)
            let state = try await Self.finished(h)
            #expect(state.id == left.id && state.status == .done && state.persons == 120)
            let done = try await browser.get("/persons/duplicates").body.string
            #expect(!done.contains("data-poll") && done.contains("read 120 persons"))
            let ended = try await browser.get("/persons/duplicates/check").body.string
            #expect(!ended.contains("data-poll") && ended.contains("See the pairs found"))
            // From the page: asked for, it starts and the page says so.
            let asked = try await browser.post("/persons/duplicates/check", form: [:])
            #expect(asked.headers.first(name: .location) == "/persons/duplicates?notice=check-started")
            let second = try await Self.finished(h)
            #expect(second.id != left.id && second.status == .done)
            let entries = try await AuditEntry.query(on: h.app.db).filter(\.$entity == "registry_check").count()
            #expect(entries == 1, "the check asked for from the page is audited")
        }
    }

    @Test(arguments: TestDatabase.available)
    func the_registry_check_fills_a_review_queue_without_joining_a_household(_ db: TestDatabase) async throws {
        try await withHarness(db) { h in
            try await Self.strangers(h, 300)
            let first = try await PersonAPITests().register(h, PersonAPITests.mohammed)
            let dup = try await registerDistinct(h, Self.muhammad)
            try await PersonDistinction.query(on: h.app.db).delete()
            // His brother: one family name, one birth year, linked as family.
            var brother = PersonAPITests.mohammed
            brother.person.givenNames = "Ahmad"; brother.person.givenNamesOriginal = nil
            let b = try await registerDistinct(h, brother)
            let link = try await h.send(
                .POST, "/api/v1/persons/\(first.id)/household", as: .counsellor,
                json: PersonAPIController.LinkBody(relatedPersonID: b.id, relationship: "sibling"))
            #expect(link.status == .created)

            #expect(
                try await h.send(.POST, "/api/v1/persons/duplicate-reviews/check", as: .counsellor).status == .forbidden
            )
            let run = try await h.send(.POST, "/api/v1/persons/duplicate-reviews/check", as: .manager)
            #expect(run.status == .accepted, "\(run.body.string)")
            #expect(run.headers.first(name: .location) == "/api/v1/persons/duplicate-reviews/check")
            let summary = try await Self.finished(h)
            #expect(summary.status == .done && summary.persons == 303 && summary.percent == 100)
            let queue = try decode(
                PersonAPIController.ReviewPage.self,
                try await h.send(.GET, "/api/v1/persons/duplicate-reviews", as: .counsellor))
            let pairs = queue.items.map { Set([$0.personA.id, $0.personB.id]) }
            #expect(pairs.contains([first.id, dup.id]))
            #expect(!pairs.contains { $0.contains(b.id) })
            #expect(
                try await h.send(.GET, "/api/v1/persons/duplicate-reviews?limit=0", as: .counsellor).status
                    == .unprocessableEntity)

            // The page: the pair, then "not the same person" takes it off the queue and comes back to it.
            let browser = BrowserSession(app: h.app)
            try await browser.login("counsellor")
            let page = try await browser.get("/persons/duplicates")
            #expect(page.status == .ok && page.body.string.contains(dup.reference))
            let kept = try await browser.post(
                "\(CorePaths.person(first.id))/distinct", form: ["other": dup.reference, "back": "queue"])
            #expect(kept.headers.first(name: .location) == "/persons/duplicates?notice=distinct")
            let after = try await browser.get("/persons/duplicates")
            #expect(!after.body.string.contains(dup.reference))
        }
    }
}
