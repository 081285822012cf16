import Testing
import Foundation
@testable import PassageDomain

@Suite struct MovementsDomainTests {
    static let airports = AirportTable([
        Airport(
            iata: "AMS", name: "Schiphol", city: "Amsterdam", country: "NL", latitude: 52.3086, longitude: 4.76389,
            timeZone: "Europe/Amsterdam"),
        Airport(
            iata: "IST", name: "Istanbul Airport", city: "Istanbul", country: "TR", latitude: 41.27533,
            longitude: 28.752, timeZone: "Europe/Istanbul"),
        Airport(
            iata: "KBL", name: "Kabul International", city: "Kabul", country: "AF", latitude: 34.5659,
            longitude: 69.2123, timeZone: "Asia/Kabul"),
        Airport(
            iata: "JFK", name: "John F Kennedy", city: "New York", country: "US", latitude: 40.639447,
            longitude: -73.779317, timeZone: "America/New_York"),
    ])

    @Test func local_times_are_read_in_the_airports_zone_and_a_missing_hour_is_refused() throws {
        let winter = try #require(LocalTime.parse("2026-12-01T14:35", timeZone: "Europe/Amsterdam"))
        #expect(LocalTime.format(winter, timeZone: "UTC") == "2026-12-01T13:35")
        let summer = try #require(LocalTime.parse("2026-07-01 14:35", timeZone: "Europe/Amsterdam"))
        #expect(LocalTime.format(summer, timeZone: "UTC") == "2026-07-01T12:35")
        #expect(LocalTime.format(winter, timeZone: "Asia/Kabul") == "2026-12-01T18:05")
        // Clocks go forward at 02:00 on the last Sunday of March: 02:30 does not exist.
        #expect(LocalTime.parse("2026-03-29T02:30", timeZone: "Europe/Amsterdam") == nil)
        #expect(LocalTime.parse("2026-02-30T10:00", timeZone: "Europe/Amsterdam") == nil)
        #expect(LocalTime.parse("tomorrow", timeZone: "Europe/Amsterdam") == nil)
    }

    @Test func great_circle_distances_match_the_known_figures() {
        let a = Self.airports
        #expect(abs(GreatCircle.distanceKm(a["AMS"]!, a["JFK"]!) - 5_848) < 1)
        #expect(abs(GreatCircle.distanceKm(a["AMS"]!, a["IST"]!) - 2_184) < 1)
        #expect(GreatCircle.distanceKm(a["AMS"]!, a["AMS"]!) == 0)
    }

    @Test func an_itinerary_connects_and_moves_forward_in_time() throws {
        let f: [String: String] = [
            "passengers": "P1", "leg1_carrier": "tk", "leg1_flight": "1952", "leg1_from": "ams", "leg1_to": "IST",
            "leg1_departs": "2026-12-01T11:50", "leg1_arrives": "2026-12-01T16:20",
            "leg2_carrier": "TK", "leg2_flight": "706", "leg2_from": "IST", "leg2_to": "KBL",
            "leg2_departs": "2026-12-01T19:40", "leg2_arrives": "2026-12-02T02:55",
        ]
        let b = try BookingValidation.booking(f, airports: Self.airports, casePersons: ["P1"])
        #expect(b.legs.map(\.flight) == ["TK1952", "TK706"])
        // 16:40 UTC to 22:25 UTC
        #expect(b.legs[1].arrivesAt.timeIntervalSince(b.legs[1].departsAt) == 5 * 3600 + 45 * 60)
        var bad = f
        bad["leg2_departs"] = "2026-12-01T15:00"
        #expect(throws: ValidationErrors.self) {
            try BookingValidation.booking(bad, airports: Self.airports, casePersons: ["P1"])
        }
        bad = f
        bad["leg1_arrives"] = "2026-12-01T10:00"
        do {
            _ = try BookingValidation.booking(bad, airports: Self.airports, casePersons: ["P1"])
            Issue.record("an arrival before the departure was accepted")
        } catch let e as ValidationErrors {
            #expect(e.message(for: "leg1_arrives")?.contains("after the departure") == true)
        }
    }

    @Test func booking_statuses_move_only_forward() throws {
        try BookingStatus.requested.check(to: .ticketed)
        try BookingStatus.ticketed.check(to: .flown)
        #expect(throws: DomainError.self) { try BookingStatus.flown.check(to: .cancelled) }
        #expect(throws: DomainError.self) { try BookingStatus.requested.check(to: .flown) }
        #expect(BookingStatus.cancelled.isFinal && !BookingStatus.held.isFinal)
    }

    @Test func the_hub_sees_departures_transits_and_arrivals() {
        let out = [
            ManifestLeg(
                flight: "TK1952", from: "AMS", to: "IST", departsLocal: "2026-12-01T11:50",
                arrivesLocal: "2026-12-01T16:20")
        ]
        #expect(Manifest.movements(out, hub: "AMS").map(\.type) == [.departure])
        let through = [
            ManifestLeg(
                flight: "KL1008", from: "LHR", to: "AMS", departsLocal: "2026-12-01T23:10",
                arrivesLocal: "2026-12-02T01:30"),
            ManifestLeg(
                flight: "KL1565", from: "AMS", to: "TUN", departsLocal: "2026-12-02T09:05",
                arrivesLocal: "2026-12-02T11:40"),
        ]
        let m = Manifest.movements(through, hub: "AMS")
        #expect(m.map(\.type) == [.transit])
        #expect(m[0].day == "2026-12-02" && m[0].time == "01:30")
        let home = [
            ManifestLeg(
                flight: "TU790", from: "TUN", to: "AMS", departsLocal: "2026-12-01T13:30",
                arrivesLocal: "2026-12-01T16:05")
        ]
        #expect(Manifest.movements(home, hub: "AMS").map(\.type) == [.arrival])
        #expect(Manifest.movements(home, hub: "IST").isEmpty)
    }

    @Test func templates_need_their_placeholders_and_every_language_has_every_event() throws {
        for e in SMSEvent.allCases {
            #expect(Set(SMSTemplates.defaults[e]!.keys) == Set(SMSTemplates.languages))
            for (_, text) in SMSTemplates.defaults[e]! { try SMSTemplates.validate(text, event: e) }
        }
        #expect(throws: ValidationErrors.self) {
            try SMSTemplates.validate("Flight {flight} from {from} at {time}", event: .ticketed)
        }
        #expect(throws: ValidationErrors.self) {
            try SMSTemplates.validate("Flight {flight} on {date} {seat}", event: .cancelled)
        }
        let text = SMSTemplates.render(
            SMSTemplates.defaults[.cancelled]!["ar"]!, ["flight": "TU791", "date": "2026-12-01"])
        #expect(text.hasPrefix("تم إلغاء رحلتك TU791"))
        #expect(SMSTemplates.language(for: ["ps", "fa", "en"]) == "fa")
        #expect(SMSTemplates.language(for: ["ps"]) == "en")
    }

    @Test func text_outside_the_gsm_alphabet_goes_as_unicode() {
        #expect(!SMSEncoding.needsUnicode("Your flight KL1565 leaves at 09:05. Reserva: 3 horas! é ñ ü"))
        #expect(SMSEncoding.needsUnicode("رحلتك"))
        #expect(SMSEncoding.needsUnicode("Ваш рейс"))
        #expect(!SMSEncoding.needsUnicode("Présentez-vous à l'aéroport 3 heures avant"))
        #expect(SMSEncoding.needsUnicode("Votre conseiller vous contactera dès que possible, même le week-end"))
    }

    @Test func retries_double_up_to_two_hours_and_stop_after_a_day() {
        #expect(RetrySchedule.delay(afterAttempts: 1) == 30)
        #expect(RetrySchedule.delay(afterAttempts: 2) == 60)
        #expect(RetrySchedule.delay(afterAttempts: 20) == 7200)
        let start = Date(timeIntervalSince1970: 0)
        #expect(RetrySchedule.next(afterAttempts: 3, firstDue: start, now: start.addingTimeInterval(3600)) != nil)
        #expect(
            RetrySchedule.next(afterAttempts: 15, firstDue: start, now: start.addingTimeInterval(23.5 * 3600)) == nil)
    }

    @Test func co2_is_distance_times_the_factor_of_the_year() throws {
        let table = try EmissionFactorTable.parse(
            csv: """
                year,route,cabin,with_rf,without_rf,source
                2024,international,economy,0.1,0.06,old
                2025,international,economy,0.10916,0.06449,"UK 2025, economy"
                """)
        #expect(table.factor(year: 2026)?.year == 2025)
        #expect(table.factor(year: 2024)?.withRF == 0.1)
        #expect(table.factor(year: 2020)?.year == 2024)
        let e = LegEmission(distanceKm: 1771.2, factor: table.factor(year: 2025)!)
        #expect(e.gramsWithRF == 193_344 && e.gramsWithoutRF == 114_225)
        #expect(table.factors.last?.source == "UK 2025, economy")
        let total = LegEmission.booking(legs: [(100, 60, false), (40, 20, true)], passengers: 2, escorted: true)
        #expect(total.withRF == 340 && total.withoutRF == 200)
    }

    @Test func webhook_addresses_are_https_or_loopback() throws {
        #expect(try WebhookURL.check("https://partner.example/hooks") == "https://partner.example/hooks")
        #expect(try WebhookURL.check("http://127.0.0.1:9000/x") == "http://127.0.0.1:9000/x")
        #expect(throws: ValidationErrors.self) { try WebhookURL.check("http://partner.example/hooks") }
        #expect(throws: ValidationErrors.self) { try WebhookURL.check("not a url") }
    }
}

@Suite struct ReportDomainTests {
    /// A year is compared with the year before, a month with the calendar month before (not the 31 days before),
    /// a quarter with the quarter before, and a span inside months with as many days just before it.
    @Test func the_previous_period_has_the_same_length_and_a_year_is_compared_with_the_year_before() throws {
        let year = try ReportPeriod.read(
            from: "2025-01-01", to: "2025-12-31", today: PartialDate(year: 2026, month: 3, day: 1)!)
        #expect(
            year.previous
                == ReportPeriod(
                    from: PartialDate(year: 2024, month: 1, day: 1)!, to: PartialDate(year: 2024, month: 12, day: 31)!))
        let today = PartialDate(year: 2026, month: 3, day: 1)!
        let march = try ReportPeriod.read(from: "2025-03-01", to: "2025-03-31", today: today)
        #expect(march.days == 31 && march.wholeMonths == 1)
        #expect(march.previous.label == "2025-02-01 – 2025-02-28")
        #expect(march.dayAfter == "2025-04-01")
        #expect(
            try ReportPeriod.read(from: "2025-01-01", to: "2025-01-31", today: today).previous.label
                == "2024-12-01 – 2024-12-31")
        #expect(
            try ReportPeriod.read(from: "2024-03-01", to: "2024-03-31", today: today).previous.label
                == "2024-02-01 – 2024-02-29")
        #expect(
            try ReportPeriod.read(from: "2025-01-01", to: "2025-03-31", today: today).previous.label
                == "2024-10-01 – 2024-12-31")
        let span = try ReportPeriod.read(from: "2025-03-05", to: "2025-03-20", today: today)
        #expect(span.wholeMonths == nil && span.previous.label == "2025-02-17 – 2025-03-04")
        let none = try ReportPeriod.read(from: nil, to: nil, today: PartialDate(year: 2026, month: 3, day: 1)!)
        #expect(none.from.isoText == "2026-01-01" && none.to.isoText == "2026-12-31")
        #expect(throws: ValidationErrors.self) {
            try ReportPeriod.read(
                from: "2025-02-01", to: "2025-01-01", today: PartialDate(year: 2026, month: 1, day: 1)!)
        }
        #expect(throws: ValidationErrors.self) {
            try ReportPeriod.read(
                from: "1990-01-01", to: "2025-01-01", today: PartialDate(year: 2026, month: 1, day: 1)!)
        }
        #expect(throws: ValidationErrors.self) { try ReportFormat.read("pdf") }
        #expect(ReportFigure.allCases.allSatisfy { !$0.definition.isEmpty && !$0.label.isEmpty })
    }

    @Test func charts_carry_a_title_and_description_and_escape_their_words() {
        let svg = SVGChart.bars(
            id: "x", title: "Departures <by> country", description: "Bars & numbers",
            items: [("Côte d'Ivoire", 3), ("Tunisia", 1)])
        #expect(svg.contains("role=\"img\"") && svg.contains("aria-labelledby=\"x-t x-d\""))
        #expect(
            svg.contains("<title id=\"x-t\">Departures &lt;by&gt; country</title>")
                && svg.contains("<desc id=\"x-d\">Bars &amp; numbers</desc>"))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 2)
        let g = SVGChart.grouped(
            id: "g", title: "T", description: "D", categories: ["01", "02"], series: [("a", [1, 2]), ("b", [0, 4])])
        #expect(g.components(separatedBy: "class=\"bar s1\"").count - 1 == 3)  // two bars and the legend
    }
}

@Suite struct XLSXTests {
    /// Reads the stored entries of a ZIP archive back, checking each one's CRC-32.
    static func entries(_ zip: [UInt8]) -> [String: String] {
        func u16(_ i: Int) -> Int { Int(zip[i]) | Int(zip[i + 1]) << 8 }
        func u32(_ i: Int) -> UInt32 {
            UInt32(zip[i]) | UInt32(zip[i + 1]) << 8 | UInt32(zip[i + 2]) << 16 | UInt32(zip[i + 3]) << 24
        }
        var out: [String: String] = [:]
        var i = 0
        while i + 30 <= zip.count, u32(i) == 0x0403_4B50 {
            let crc = u32(i + 14)
            let size = Int(u32(i + 18))
            let nameLength = u16(i + 26)
            let extra = u16(i + 28)
            let name = String(decoding: zip[(i + 30)..<(i + 30 + nameLength)], as: UTF8.self)
            let data = Array(zip[(i + 30 + nameLength + extra)..<(i + 30 + nameLength + extra + size)])
            #expect(XLSX.crc32(data) == crc, "CRC of \(name)")
            out[name] = String(decoding: data, as: UTF8.self)
            i += 30 + nameLength + extra + size
        }
        return out
    }

    @Test func a_workbook_holds_its_sheet_with_text_and_numbers() {
        #expect(XLSX.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        let book = XLSX.workbook(
            sheet: "Departures 2025",
            rows: [
                [.text("country"), .text("total")], [.text("Côte d'Ivoire & <Mali>"), .number(3)],
                [.text("تونس"), .number(2.5)],
            ])
        #expect(Array(book.prefix(2)) == [0x50, 0x4B])
        let files = Self.entries(book)
        #expect(
            Set(files.keys) == [
                "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                "xl/worksheets/sheet1.xml",
            ])
        let sheet = files["xl/worksheets/sheet1.xml"]!
        #expect(
            sheet.contains(
                "<c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">Côte d'Ivoire &amp; &lt;Mali&gt;</t></is></c><c r=\"B2\"><v>3</v></c>"
            ))
        #expect(sheet.contains("<t xml:space=\"preserve\">تونس</t>") && sheet.contains("<v>2.5</v>"))
        #expect(files["xl/workbook.xml"]!.contains("name=\"Departures 2025\""))
        #expect(XLSX.column(0) == "A" && XLSX.column(25) == "Z" && XLSX.column(26) == "AA")
    }

    @Test func a_report_table_writes_the_same_rows_as_csv_and_as_a_workbook() {
        var t = ReportTable(sheet: "Period", rows: [.texts(["figure", "label", "value"])])
        t.add(.texts(["co2", "CO2e, tonnes"]) + [.number(26.56349, decimals: 3)])
        t.add(.texts(["departed", "Say \"hi\""]) + .counts([43_251]))
        #expect(t.csv == "figure,label,value\r\nco2,\"CO2e, tonnes\",26.563\r\ndeparted,\"Say \"\"hi\"\"\",43251\r\n")
        let sheet = Self.entries(t.xlsx)["xl/worksheets/sheet1.xml"]!
        #expect(sheet.contains("<c r=\"C2\"><v>26.56349</v></c>") && sheet.contains("<c r=\"C3\"><v>43251</v></c>"))
    }
}
