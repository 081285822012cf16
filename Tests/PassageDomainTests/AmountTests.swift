import Testing
@testable import PassageDomain

@Suite struct AmountTests {
    @Test(arguments: [
        ("245,50", 24_550), ("245.50", 24_550), ("15,00", 1_500), ("15.00", 1_500), ("1500", 150_000),
        ("€ 1500", 150_000),
        ("1.500,00", 150_000), ("1,500.00", 150_000), ("1 500,00", 150_000), ("1.234.567,89", 123_456_789),
        ("1,234,567.89", 123_456_789), ("0,5", 50), ("7", 700), ("+12.30", 1_230), ("EUR 99,99", 9_999),
    ])
    func reads_both_ways_of_writing_an_amount(_ text: String, _ cents: Int) {
        for style in NumberStyle.allCases { #expect(Money.parse(text, style: style) == cents, "\(text) in \(style)") }
    }

    @Test func a_lone_separator_before_three_digits_is_a_thousands_separator_only_where_it_is_written_so() {
        #expect(Money.parse("1,500", style: .english) == 150_000)
        #expect(Money.parse("1.500", style: .dutch) == 150_000)
        var e = ValidationErrors()
        #expect(Money.read("1,500", field: "amount", style: .dutch, into: &e) == nil)
        #expect(e.message(for: "amount")?.contains("ambiguous") == true)
        e = ValidationErrors()
        #expect(Money.read("1.500", field: "amount", style: .english, into: &e) == nil)
        #expect(e.message(for: "amount")?.contains("ambiguous") == true)
    }

    @Test(arguments: [
        "", "abc", "-5", "1,2,3", "1.50.00", "12,345,67", "1.5.", ",50", "1,5000", "12.345", "1e30",
        "99999999999999999999", "100000001", "1,,5", "١٢٣",
    ])
    func refuses_what_is_not_an_amount(_ text: String) {
        var e = ValidationErrors()
        #expect(Money.read(text, field: "fare", style: .english, into: &e) == nil, "\(text)")
        #expect(e.message(for: "fare") != nil)
    }

    /// Every amount written in a style reads back as itself, in that style and, when unambiguous, in the other.
    @Test func what_is_written_reads_back() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let cents = Int.random(in: 0...Money.maximumCents, using: &rng)
            for style in NumberStyle.allCases {
                let written = DecimalInput.format(cents, decimals: 2, style: style)
                #expect(Money.parse(written, style: style) == cents, "\(written)")
                // With both marks, or cents, the text means the same in either language.
                let other: NumberStyle = style == .english ? .dutch : .english
                #expect(Money.parse(written, style: other) == cents, "\(written) in \(other)")
                #expect(Money.parse(Money.format(cents, style: style), style: style) == cents)
            }
            let plain = String(cents / 100) + (cents % 100 == 0 ? "" : "." + String(format: "%02d", cents % 100))
            #expect(Money.parse(plain, style: .english) == cents, "\(plain)")
        }
    }

    @Test func writes_amounts_and_quantities_in_the_readers_language() {
        #expect(Money.format(150_000, style: .dutch) == "€ 1.500,00")
        #expect(Money.format(150_000, style: .english) == "€1,500.00")
        #expect(Money.format(-5, style: .english) == "-€0.05")
        #expect(DecimalInput.format(18.953, decimals: 3, style: .dutch) == "18,953")
        #expect(DecimalInput.format(12_345.5, decimals: 1, style: .english) == "12,345.5")
        #expect(NumberStyle.$current.withValue(.dutch) { Money.format(1_000) } == "€ 10,00")
    }

    @Test func tonnes_take_three_decimals() throws {
        #expect(try DecimalInput.parse("12.5", decimals: 3, style: .english).get() == 12_500)
        #expect(try DecimalInput.parse("12,500", decimals: 3, style: .dutch).get() == 12_500)
        #expect(try DecimalInput.parse("12.500", decimals: 3, style: .english).get() == 12_500)
        #expect(try DecimalInput.parse("12.500", decimals: 3, style: .dutch).get() == 12_500_000)
    }

    @Test func hidden_characters_are_refused_but_joiners_kept() {
        #expect(TextSafety.hasHiddenCharacters("ab\u{0}c"))
        #expect(TextSafety.hasHiddenCharacters("Tekle\u{202E}exe"))
        #expect(TextSafety.hasHiddenCharacters("x\u{2066}y"))
        #expect(!TextSafety.hasHiddenCharacters("مهر\u{200C}داد"))
        #expect(!TextSafety.hasHiddenCharacters("line one\nline two", multiline: true))
        #expect(TextSafety.hasHiddenCharacters("line one\nline two"))
    }
}
