import Foundation
import Testing

@testable import PassageDomain

@Suite struct Code128Tests {
    @Test func everySymbolIsElevenModulesAndTheStopThirteen() {
        #expect(Code128.patterns.count == 107)
        for (i, p) in Code128.patterns.enumerated() {
            #expect(p.map { Int(String($0))! }.reduce(0, +) == (i == 106 ? 13 : 11), "symbol \(i)")
        }
    }

    @Test func theCheckSymbolIsTheWeightedSumModulo103() {
        // Start B, then each character's value (its code minus 32) weighted by its position:
        // 104 + 48·1 + 42·2 + 42·3 + 17·4 + 18·5 + 19·6 + 35·7 = 879, and 879 mod 103 = 55.
        #expect(Code128.values("PJJ123C") == [104, 48, 42, 42, 17, 18, 19, 35, 55])
    }

    @Test func theSVGDrawsEveryBarAndTheTextUnderIt() throws {
        let svg = try #require(Code128.svg("FR-2026-000017"))
        let widths = Code128.widths("FR-2026-000017")
        // Start, 14 characters, check and stop: 17 symbols of 3 bars, the stop with 4.
        #expect(widths.count == 16 * 6 + 7)
        #expect(svg.components(separatedBy: "<rect x=").count - 1 == (widths.count + 1) / 2)
        #expect(svg.contains(">FR-2026-000017</text>"))
        #expect(Code128.svg("Ünïcode") == nil)
        #expect(Code128.svg("") == nil)
    }
}

@Suite struct CentreScheduleTests {
    let addis = CentreSchedule(
        timeZone: "Africa/Addis_Ababa", openDays: [1, 2, 3, 4, 5], opens: 8 * 60 + 30, closes: 16 * 60,
        slotMinutes: 30, dnaCapacity: 4, interviewCapacity: 1, holidays: ["2027-01-07"])

    @Test func slotsRunFromOpeningToTheLastThatEndsByClosing() {
        let monday = PartialDate(year: 2026, month: 12, day: 7)!
        #expect(CentreSchedule.weekday(of: monday) == 1)
        let slots = addis.slots(on: monday)
        #expect(slots.first == 510 && slots.last == 930 && slots.count == 15)
        #expect(addis.slots(on: PartialDate(year: 2026, month: 12, day: 6)!).isEmpty)  // a Sunday
        #expect(addis.slots(on: PartialDate(year: 2027, month: 1, day: 7)!).isEmpty)  // a holiday
    }

    @Test func aTimeOutsideHoursOnAHolidayOrOffTheSlotIsRefusedWithTheReason() {
        func reason(_ day: String, _ minute: Int) -> String? {
            var e = ValidationErrors()
            addis.check(day: PartialDate(parsing: day)!, minute: minute, into: &e)
            return e.message(for: "startsAt")
        }
        #expect(reason("2026-12-07", 510) == nil)
        #expect(reason("2026-12-07", 960)?.contains("outside opening hours") == true)
        #expect(reason("2026-12-07", 480)?.contains("outside opening hours") == true)
        #expect(reason("2026-12-07", 525)?.contains("start of a slot") == true)
        #expect(reason("2026-12-06", 600)?.contains("Sundays") == true)
        #expect(reason("2027-01-07", 600)?.contains("holiday") == true)
    }

    @Test func theSlotIsAnInstantInTheCentresZone() {
        let start = addis.instant(day: PartialDate(year: 2026, month: 12, day: 7)!, minute: 9 * 60)
        #expect(CentreSchedule.local(start, in: "UTC") == "2026-12-07 06:00")
        #expect(CentreSchedule.local(start, in: "Europe/Amsterdam") == "2026-12-07 07:00")
    }

    @Test func aScheduleIsReadFromAFormAndEachFaultNamesItsField() throws {
        let s = try CentreSchedule.read([
            "timeZone": "Asia/Beirut", "openDays": "1,2,3,4,5,6", "opens": "09:00", "closes": "15:00",
            "slotMinutes": "20", "dnaCapacity": "3", "interviewCapacity": "2", "holidays": "2026-12-25, 2027-01-01",
        ])
        #expect(s.openDays.count == 6 && s.opens == 540 && s.holidays.count == 2)
        do {
            _ = try CentreSchedule.read([
                "timeZone": "Mars/Olympus", "openDays": "0,8", "opens": "9am", "closes": "15:00",
                "slotMinutes": "0", "dnaCapacity": "-1", "interviewCapacity": "x", "holidays": "2026-02-30",
            ])
            Issue.record("a bad schedule was accepted")
        } catch let e as ValidationErrors {
            let fields = Set(e.items.map(\.field))
            #expect(
                fields == [
                    "timeZone", "openDays", "opens", "slotMinutes", "dnaCapacity", "interviewCapacity", "holidays",
                ])
        }
    }
}

@Suite struct CustodyTests {
    let t0 = Date(timeIntervalSince1970: 1_796_000_000)
    var collector: CustodyHolder { CustodyHolder(custodian: .collector, name: "Dr. Abebe Kebede", since: t0) }

    func handOver(
        from: String = "dr. abebe  KEBEDE", to: CustodianKind = .courier, after: TimeInterval = 600,
        unheld: TimeInterval = 0, seal: String = "SL-004417", intact: Bool = true, confirm: Bool = false
    ) -> HandOver {
        HandOver(
            from: from, to: to, receiver: "Yonas (DHL)", handedOverAt: t0.addingTimeInterval(after),
            receivedAt: t0.addingTimeInterval(after + unheld), sealNumber: seal, sealIntact: intact,
            confirmMismatch: confirm)
    }

    func check(_ h: HandOver, status: SampleStatus = .collected) throws -> String? {
        try Custody.check(h, status: status, holder: collector, seal: "SL004417", now: t0.addingTimeInterval(86400))
    }

    @Test func aHandOverFromTheHolderWithTheSameSealKeepsTheChain() throws {
        #expect(try check(handOver()) == nil)
    }

    @Test func aHandOverBySomeoneWhoDoesNotHoldTheSampleIsRefused() {
        #expect(throws: DomainError.self) { try check(handOver(from: "Someone Else")) }
    }

    @Test func anotherSealNumberIsRefusedUntilConfirmedAndThenCompromises() throws {
        #expect(throws: ValidationErrors.self) { try check(handOver(seal: "SL-004418")) }
        #expect(try check(handOver(seal: "SL-004418", confirm: true))?.contains("SL-004418") == true)
    }

    @Test func aBrokenSealOrAGapCompromises() throws {
        #expect(try check(handOver(intact: false))?.contains("seal broken") == true)
        #expect(try check(handOver(unheld: 5 * 3600))?.contains("gap in custody: 5 h") == true)
        #expect(try check(handOver(unheld: 1800)) == nil)
    }

    @Test func timesOutOfOrderAndABackwardStepAreRefused() {
        #expect(throws: ValidationErrors.self) { try check(handOver(after: -60)) }
        #expect(throws: ValidationErrors.self) { try check(handOver(to: .collector)) }
        #expect(throws: ValidationErrors.self) { try check(handOver(after: 2 * 86400)) }
    }

    @Test func aCompromisedOrFinishedSampleTakesNoHandOverAndNoResult() throws {
        for s in [SampleStatus.compromised, .resulted, .atLaboratory] {
            #expect(throws: DomainError.self) { try check(handOver(), status: s) }
        }
        try Custody.checkResult(status: .atLaboratory, compromisedBecause: nil)
        for s in [SampleStatus.compromised, .resulted, .collected, .inTransit] {
            #expect(throws: DomainError.self) { try Custody.checkResult(status: s, compromisedBecause: "seal") }
        }
    }
}

@Suite struct ICalendarTests {
    @Test func anInvitationHasCRLFLinesFoldedAt75OctetsAndEscapedText() {
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        let e = ICalendarEvent(
            uid: "a1@passage", start: start, end: start.addingTimeInterval(1800), summary: "DNA sampling; bring ID",
            location: "Office Addis Ababa, Bole Road",
            description: String(repeating: "Bring your passport and the letter. ", count: 4), stamp: start)
        let text = e.text
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.contains("SUMMARY:DNA sampling\\; bring ID\r\n"))
        #expect(text.contains("LOCATION:Office Addis Ababa\\, Bole Road"))
        #expect(text.contains("DTSTART:20261290") == false)
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75) }
        #expect(text.contains("\r\n "))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }
}
