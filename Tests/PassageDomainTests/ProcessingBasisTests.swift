import Testing

@testable import PassageDomain

@Suite struct ProcessingBasisTests {
    let day = "2026-06-15"

    @Test func a_purpose_not_resting_on_consent_needs_none() {
        #expect(ProcessingBasisCheck.refusal(.counselling, basis: .publicInterest, consents: [], on: day) == nil)
        #expect(
            ProcessingBasisCheck.refusal(.counselling, basis: nil, consents: [], on: day)?.contains("No legal basis")
                == true)
    }

    @Test func consent_covers_from_its_day_to_its_last_and_stops_on_withdrawal() {
        let given = ConsentFacts(givenOn: "2026-06-01", expiresOn: "2026-06-30")
        #expect(given.covers("2026-06-01") && given.covers("2026-06-30"))
        #expect(!given.covers("2026-05-31") && !given.covers("2026-07-01"))
        var withdrawn = given
        withdrawn.withdrawnOn = "2026-06-10"
        #expect(withdrawn.covers("2026-06-09") && !withdrawn.covers("2026-06-10"))
    }

    @Test func each_refusal_says_why() {
        func why(_ c: [ConsentFacts]) -> String? {
            ProcessingBasisCheck.refusal(.dnaVerification, basis: .consent, consents: c, on: day)
        }
        #expect(why([])?.contains("consent to DNA verification is not recorded") == true)
        #expect(
            why([ConsentFacts(givenOn: "2026-01-01", expiresOn: "2026-03-31")])?.contains("lapsed on 2026-03-31")
                == true)
        #expect(
            why([ConsentFacts(givenOn: "2026-01-01", withdrawnOn: "2026-05-02")])?.contains("withdrew") == true)
        #expect(why([ConsentFacts(givenOn: "2026-07-01")])?.contains("from 2026-07-01 only") == true)
        // Any consent in force is enough, whatever happened to earlier ones.
        #expect(
            why([
                ConsentFacts(givenOn: "2026-01-01", withdrawnOn: "2026-02-01"), ConsentFacts(givenOn: "2026-06-01"),
            ]) == nil)
    }
}

@Suite struct CategoryMatrixTests {
    @Test func the_starting_matrix_gives_each_role_its_categories() {
        let m = CategoryMatrix.standard
        #expect(m.categories(for: [.manager]) == Set(DataCategory.allCases))
        #expect(m.categories(for: [.counsellor]) == [.ordinary, .childProtection, .notes])
        #expect(m.categories(for: [.medicalOfficer]) == [.ordinary, .medical, .childProtection])
        #expect(m.categories(for: [.familyReunificationOfficer]) == [.ordinary, .childProtection, .genetic])
        #expect(m.categories(for: [.administrator]).isEmpty && m.categories(for: [.partner]).isEmpty)
        #expect(m.categories(for: [.visaClerk, .medicalOfficer]).contains(.medical))
        #expect(m.refusal() == nil)
    }

    @Test func a_matrix_leaving_a_category_unread_or_open_to_partners_is_refused() {
        var m = CategoryMatrix.standard
        m.readers[.genetic] = []
        #expect(m.refusal()?.category == .genetic)
        m = .standard
        m.readers[.medical]?.insert(.partner)
        #expect(m.refusal()?.category == .medical)
        m = .standard
        m.readers[.ordinary]?.insert(.partner)
        #expect(m.refusal() == nil)
    }

    @Test func a_trafficking_record_is_read_by_its_category_its_owner_and_named_staff() {
        var v = TraffickingRecord()
        v.grantedUserIDs = ["u-named"]
        #expect(v.visible(toUser: "u-any", readsCategory: true, caseOwnerID: "u-owner"))
        #expect(v.visible(toUser: "u-owner", readsCategory: false, caseOwnerID: "u-owner"))
        #expect(v.visible(toUser: "u-named", readsCategory: false, caseOwnerID: "u-owner"))
        #expect(!v.visible(toUser: "u-other", readsCategory: false, caseOwnerID: "u-owner"))
    }
}

@Suite struct ExportPasswordTests {
    @Test func a_short_or_mistyped_password_is_refused_naming_its_field() {
        #expect(ExportPassword.problem("short", confirmation: "short")?.field == "password")
        #expect(ExportPassword.problem("a long passphrase", confirmation: "a long passphrass")?.field == "confirmation")
        #expect(ExportPassword.problem("a long passphrase", confirmation: "a long passphrase") == nil)
        #expect(ExportPassword.problem("a long passphrase", confirmation: nil) == nil)
    }
}

@Suite struct SmallCountsTests {
    @Test func counts_from_one_to_four_are_shown_as_less_than_five_only_when_suppressing() {
        for v in [1.0, 2, 4] {
            #expect(SmallCounts.suppress.cell(v, decimals: 0) == .text("<5"))
            #expect(SmallCounts.keep.cell(v, decimals: 0) == .number(v, decimals: 0))
        }
        for v in [0.0, 5, 120] { #expect(SmallCounts.suppress.cell(v, decimals: 0) == .number(v, decimals: 0)) }
        // Tonnes of CO2 are not counts of persons.
        #expect(SmallCounts.suppress.cell(2.5, decimals: 3) == .number(2.5, decimals: 3))
    }

    @Test func the_choice_is_read_with_its_field_named() throws {
        #expect(try SmallCounts.read(nil, format: .json) == .keep)
        #expect(try SmallCounts.read("SUPPRESS", format: .xlsx) == .suppress)
        #expect(throws: ValidationErrors("small", "'hide' is not a choice; use keep or suppress")) {
            try SmallCounts.read("hide", format: .csv)
        }
        #expect(throws: ValidationErrors.self) { try SmallCounts.read("suppress", format: .json) }
    }
}
