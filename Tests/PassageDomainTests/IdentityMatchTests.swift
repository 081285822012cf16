import Testing

@testable import PassageDomain

@Suite struct IdentityMatchTests {
    static let mohammed = IdentityMatch.Record(
        familyName: "Al-Hassan", givenNames: "Mohammed", otherNames: ["مُحَمَّد الحسن"], sex: .male,
        dateOfBirth: PartialDate(year: 1988, month: 5, day: 7), nationality: "SY", phone: "+31612345678")

    func record(_ given: String, _ family: String, _ dob: PartialDate?, sex: Sex = .male) -> IdentityMatch.Record {
        IdentityMatch.Record(familyName: family, givenNames: given, sex: sex, dateOfBirth: dob, nationality: "SY")
    }

    @Test func another_spelling_with_the_same_birth_date_is_shown_with_its_reasons() {
        let other = record("Muhammad", "Al Hasan", PartialDate(year: 1988, month: 5, day: 7))
        let a = IdentityMatch.compare(other, with: Self.mohammed)
        #expect(a.isWorthShowing)
        #expect(a.reasons.contains(.init(.nameTransliteration, queried: "muhammad", stored: "mohammed")))
        #expect(a.reasons.contains { $0.code == .birthSame })
    }

    @Test func day_and_month_swapped_and_estimated_years_count_for_a_match() {
        let swapped = IdentityMatch.compare(
            record("Mohammed", "Al-Hassan", PartialDate(year: 1988, month: 7, day: 5)), with: Self.mohammed)
        #expect(swapped.reasons.contains { $0.code == .birthDayMonthSwapped } && swapped.isWorthShowing)
        let near = IdentityMatch.compare(
            record("Mohammed", "Al-Hassan", PartialDate(year: 1990, estimated: true)), with: Self.mohammed)
        #expect(near.reasons.contains { $0.code == .birthYearNear } && near.isWorthShowing)
        let far = IdentityMatch.compare(
            record("Mohammed", "Al-Hassan", PartialDate(year: 1970, month: 1, day: 1)), with: Self.mohammed)
        #expect(far.reasons.contains { $0.code == .birthDiffers })
        #expect(
            far.score < swapped.score && swapped.score < IdentityMatch.compare(Self.mohammed, with: Self.mohammed).score
        )
    }

    @Test func a_missing_given_name_or_swapped_names_still_match() {
        let family = IdentityMatch.compare(
            record("", "Al-Hassan", PartialDate(year: 1988, month: 5, day: 7)), with: Self.mohammed)
        #expect(family.isWorthShowing)
        let swapped = IdentityMatch.compare(
            record("Al-Hassan", "Mohammed", PartialDate(year: 1988, month: 5, day: 7)), with: Self.mohammed)
        let straight = IdentityMatch.compare(
            record("Mohammed", "Al-Hassan", PartialDate(year: 1988, month: 5, day: 7)), with: Self.mohammed)
        #expect(swapped.score == straight.score && swapped.score >= 75)
    }

    @Test func a_sister_of_the_same_household_is_not_offered_as_him() {
        var sister = record("Amina", "Al-Hassan", PartialDate(year: 1991, month: 2, day: 1), sex: .female)
        sister.phone = Self.mohammed.phone
        let a = IdentityMatch.compare(sister, with: Self.mohammed)
        #expect(!a.isWorthShowing)
        #expect(a.reasons.contains { $0.code == .sexDiffers } && a.reasons.contains { $0.code == .nameMissing })
    }

    @Test func the_same_document_number_outweighs_a_different_spelling() {
        var a = record("Dawit", "Tesfaye", nil)
        a.documentNumbers = ["N123"]
        var b = record("Dawit", "Tesfay", nil)
        b.documentNumbers = ["N123"]
        let m = IdentityMatch.compare(a, with: b)
        #expect(m.isWorthShowing && m.reasons.contains { $0.code == .documentSame })
        #expect(m.score <= 100)
    }
}
