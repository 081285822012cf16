import Foundation
import Testing

@testable import PassageDomain

@Suite struct VisaCentreRulesTests {
    @Test func a_composed_zone_reads_back() throws {
        let text = MRZ.compose(
            issuingState: "NLD", surname: "van Dam", givenNames: "Mila Sophie", number: "NX4K21L09",
            nationality: "NLD", birthDate: "010101", sex: "F", expiryDate: "310615")
        let z = try MRZ.read(text)
        #expect(z.surname == "VAN DAM" && z.givenNames == "MILA SOPHIE" && z.documentNumber == "NX4K21L09")
        #expect(MachineReadableZone.properCase(z.givenNames) == "Mila Sophie")
        let today = PartialDate(year: 2026, month: 12, day: 7)!
        #expect(z.birthDay(today: today)?.isoText == "2001-01-01" && z.expiryDay?.isoText == "2031-06-15")
        let older = try MRZ.read(
            MRZ.compose(
                issuingState: "KOR", surname: "Kim", givenNames: "Min Ji", number: "M1234567", nationality: "KOR",
                birthDate: "650503", sex: "F", expiryDate: "300101"))
        #expect(older.birthDay(today: today)?.isoText == "1965-05-03")
    }

    @Test func an_application_is_verified_when_every_required_document_is_accepted() {
        typealias S = VisaApplicationStatus
        #expect(S.afterChecks([(true, nil), (false, nil)]) == .received)
        #expect(S.afterChecks([(true, .seen), (true, nil)]) == .incomplete)
        #expect(S.afterChecks([(true, .seen), (true, .copy), (false, nil)]) == .verified)
        #expect(S.afterChecks([(true, .original), (false, .refused)]) == .incomplete)
        #expect(S.received < S.verified && S.decided < S.returned)
    }

    @Test func the_passport_must_last_six_months() {
        func until(_ y: Int, _ m: Int, _ d: Int) -> String {
            VisaCentreRules.passportValidUntil(applyingOn: PartialDate(year: y, month: m, day: d)!).isoText
        }
        #expect(until(2026, 12, 7) == "2027-06-07")
        #expect(until(2026, 8, 31) == "2027-02-28")
        #expect(until(2027, 8, 31) == "2028-02-29")
    }

    @Test func numbers_counters_limits_and_medians() {
        #expect(VisaCentreNumber.application(year: 2026, 42) == "KV-2026-00042")
        #expect(VisaCentreNumber.readApplication(" kv-2026-00042 ") == "KV-2026-00042")
        for bad in ["KV-2026-0042", "KV2026-00042", "KV-20a6-00042", "", "KV-2026-000421"] {
            #expect(VisaCentreNumber.readApplication(bad) == nil, "\(bad)")
        }
        let hours = VisaCentreHours()
        let monday = PartialDate(year: 2026, month: 12, day: 7)!
        #expect(hours.times(on: monday).first == "09:00" && hours.times(on: monday).last == "15:40")
        #expect(hours.times(on: PartialDate(year: 2026, month: 12, day: 12)!).isEmpty)
        var e = ValidationErrors()
        _ = hours.slot(day: monday, time: "09:10", counter: "4", into: &e)
        #expect(e.message(for: "time") != nil && e.message(for: "counter") != nil)
        let limit = StatusLookupLimit()
        #expect(limit.allows(fromAddress: 9, forApplication: 4) && !limit.allows(fromAddress: 10, forApplication: 0))
        #expect(!limit.allows(fromAddress: 0, forApplication: 5))
        #expect(VisaCentreRules.median([]) == 0 && VisaCentreRules.median([9, 3, 12]) == 9)
        #expect(VisaCentreRules.median([4, 2, 8, 6]) == 4)
        #expect(
            PartialDate.days(
                from: PartialDate(year: 2026, month: 2, day: 20)!, to: PartialDate(year: 2026, month: 3, day: 2)!) == 10
        )
    }
}
