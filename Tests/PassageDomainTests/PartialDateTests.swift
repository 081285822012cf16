import Testing
import Foundation
@testable import PassageDomain

@Suite struct PartialDateTests {
    @Test func parses_year_month_and_full_dates() throws {
        #expect(PartialDate(parsing: "1994")?.isoText == "1994")
        #expect(PartialDate(parsing: "1994-03")?.isoText == "1994-03")
        #expect(PartialDate(parsing: "1994-03-07")?.isoText == "1994-03-07")
        #expect(PartialDate(parsing: "07-03-1994")?.isoText == "1994-03-07")
        #expect(PartialDate(parsing: "7/3/1994")?.isoText == "1994-03-07")
    }

    @Test func marks_estimates() throws {
        let d = try #require(PartialDate(parsing: "~1990"))
        #expect(d.estimated)
        #expect(d.description == "~1990")
    }

    @Test(arguments: ["", "19", "1994-13", "1994-02-30", "2023-02-29", "abcd", "1994-3-", "1994--03", "99999"])
    func refuses_malformed_dates(_ text: String) {
        #expect(PartialDate(parsing: text) == nil)
    }

    @Test func knows_leap_years() {
        #expect(PartialDate(parsing: "2024-02-29") != nil)
        #expect(PartialDate(parsing: "1900-02-29") == nil)
        #expect(PartialDate(parsing: "2000-02-29") != nil)
    }

    @Test func a_partial_date_is_in_the_future_only_when_its_earliest_day_is() {
        let today = (year: 2026, month: 11, day: 23)
        #expect(PartialDate(parsing: "2026")!.isAfter(today) == false)
        #expect(PartialDate(parsing: "2026-11")!.isAfter(today) == false)
        #expect(PartialDate(parsing: "2026-11-24")!.isAfter(today))
        #expect(PartialDate(parsing: "2026-12")!.isAfter(today))
        #expect(PartialDate(parsing: "2027")!.isAfter(today))
    }

    @Test func search_matches_where_known_parts_agree() {
        let stored = PartialDate(parsing: "1990-05")!
        #expect(stored.matches(PartialDate(parsing: "1990")!))
        #expect(stored.matches(PartialDate(parsing: "1990-05-21")!))
        #expect(!stored.matches(PartialDate(parsing: "1990-06")!))
        #expect(!stored.matches(PartialDate(parsing: "1991")!))
    }
}

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("+31 6 1234 5678", "+31612345678"), ("0031612345678", "+31612345678"), ("+251-91-123-4567", "+251911234567"),
    ])
    func normalises_to_e164(_ raw: String, _ e164: String) {
        #expect(PhoneNumber(raw)?.e164 == e164)
    }

    /// A national number is a number of the office's country, NL unless configured.
    @Test func reads_national_numbers_of_the_region() {
        #expect(PhoneNumber("0612345678")?.e164 == "+31612345678")
        #expect(PhoneNumber("06-1234 5678")?.e164 == "+31612345678")
        #expect(PhoneNumber("0471 12 34 56", region: "BE")?.e164 == "+32471123456")
        #expect(PhoneNumber("0612345678", region: "US") == nil)
    }

    @Test(arguments: ["+0123456789", "+31", "+31 6 abc", "+1234567890123456", "061", "0abc"])
    func refuses_numbers_that_are_not_e164(_ raw: String) {
        #expect(PhoneNumber(raw) == nil)
    }
}

@Suite struct OfficeCalendarTests {
    /// Half past midnight in The Hague is already the next day there, while UTC is still on the day before.
    @Test func the_day_of_an_instant_is_the_office_day() throws {
        let lateUTC = try Date("2026-12-01T23:30:00Z", strategy: .iso8601)
        #expect(OfficeCalendar.timeZone.identifier == "Europe/Amsterdam")
        #expect(OfficeCalendar.day(lateUTC).isoText == "2026-12-02")
        #expect(ReportPeriod.day(lateUTC).isoText == "2026-12-02")
        let summer = try Date("2026-07-01T22:30:00Z", strategy: .iso8601)
        #expect(OfficeCalendar.day(summer).isoText == "2026-07-02")
        #expect(OfficeCalendar.zone(named: "Mars/Olympus") == nil)
        #expect(OfficeCalendar.zone(named: "Asia/Kabul")?.identifier == "Asia/Kabul")
    }
}

@Suite struct ReferenceNameTests {
    @Test func a_language_is_read_by_its_code_or_its_english_or_dutch_name() {
        #expect(LanguageCode.read("ru") == "ru")
        #expect(LanguageCode.read("  russian ") == "ru")
        #expect(LanguageCode.read("Russisch") == "ru")
        #expect(LanguageCode.read("TIGRINYA") == "ti")
        #expect(LanguageCode.read("klingonese") == nil)
    }

    @Test func names_are_in_the_readers_language_and_sorted_by_them() {
        #expect(CountryCode.name("SY", in: "nl") == "Syrië")
        #expect(CountryCode.name("XX", in: "nl") == "Onbekend of staatloos")
        let dutch = CountryCode.all(in: "nl").map(\.name)
        #expect(dutch == ReferenceNames.sorted(dutch.map { ($0, $0) }).map(\.name))
        #expect(LanguageCode.all(in: "en").contains { $0.code == "ti" && $0.name == "Tigrinya" })
    }
}
