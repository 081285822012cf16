import Foundation
import Testing

@testable import PassageDomain

/// Reading an office's files: CSV as spreadsheets write it, deflated ZIP parts, and a workbook's first sheet.
struct ImportFileTests {
    @Test func csv_reads_quotes_line_breaks_and_a_byte_order_mark() throws {
        let text =
            "\u{FEFF}ref,familyName,notes\r\nP1,\"Haddad, Ali\",\"said \"\"yes\"\"\nthen left\"\r\n\r\nP2,Benali,\n"
        let t = try ImportTable.csv(Array(text.utf8), file: "persons.csv")
        #expect(t.columns == ["ref", "familyName", "notes"])
        #expect(t.rows.count == 2)
        #expect(t.rows[0].cells == ["P1", "Haddad, Ali", "said \"yes\"\nthen left"])
        #expect(t.rows[1].line == 5)
        #expect(t.fields(t.rows[1]) == ["ref": "P2", "familyName": "Benali"])
    }

    @Test func csv_names_what_makes_a_file_unreadable() {
        var bytes = Array("ref,familyName\nP1,Haddad\nP2,M".utf8)
        bytes += [0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x0A]
        #expect(throws: ImportProblems.self) { try ImportTable.csv(bytes, file: "persons.csv") }
        do {
            _ = try ImportTable.csv(bytes, file: "persons.csv")
        } catch {
            #expect(error.items.first?.line == 3)
            #expect(error.items.first?.reason.contains("not UTF-8") == true)
        }
        do {
            _ = try ImportTable.csv(Array("ref,ref,x\nP1,\"open,2,3,4\n".utf8), file: "persons.csv")
            Issue.record("a broken file was read")
        } catch {
            let reasons = error.items.map(\.reason).joined(separator: " | ")
            #expect(reasons.contains("named twice"))
            #expect(reasons.contains("never closed"))
        }
    }

    @Test func a_header_without_a_required_column_or_with_an_unknown_one_is_named() throws {
        let t = try ImportTable.csv(Array("ref,famlyName,sex,nationality\nP1,A,M,IQ\n".utf8), file: "persons.csv")
        let problems = ImportKind.persons.headerProblems(t)
        #expect(problems.contains { $0.field == "familyName" && $0.reason == "the column is missing" })
        #expect(problems.contains { $0.field == "famlyName" && $0.reason.hasPrefix("is not a column of persons") })
    }

    @Test func inflate_gives_back_what_was_deflated() throws {
        let deflated = [UInt8](Data(base64Encoded: Self.deflated.joined())!)
        let out = try Inflate.decompress(deflated)
        let expected = "ref,familyName\n" + (0..<300).map { "P\($0),Name\($0 % 7)\n" }.joined()
        #expect(String(decoding: out, as: UTF8.self) == expected)
        #expect(throws: Inflate.Failure.self) { try Inflate.decompress(Array(deflated.prefix(40))) }
    }

    @Test func a_workbook_sheet_reads_as_a_table_with_dates_and_its_formulas_refused() throws {
        let bytes = [UInt8](Data(base64Encoded: Self.workbook.joined())!)
        do {
            _ = try XLSXReader.table(bytes, file: "persons.xlsx")
            Issue.record("a formula was read as a value")
        } catch {
            #expect(error.items.count == 1)
            #expect(error.items[0].line == 4 && error.items[0].field == "dateOfBirth")
            #expect(error.items[0].reason.contains("C4 holds a formula"))
        }
        let (table, formulas) = try XLSXReader.read(bytes, file: "persons.xlsx")
        #expect(formulas.count == 1)
        #expect(table.columns == ["ref", "familyName", "dateOfBirth", "nationality"])
        #expect(table.rows.map(\.line) == [2, 4])
        #expect(table.rows[0].cells == ["P1", "Müller & Co", "2025-03-15", "IQ"])
        #expect(table.rows[1].cells[0] == "42" && table.rows[1].cells[3] == "MA")
        #expect(XLSXReader.serialDate("45731") == "2025-03-15")
        #expect(XLSXReader.columnIndex("AB12") == 27)
        #expect(throws: ImportProblems.self) { try XLSXReader.table(Array("not a zip".utf8), file: "x.xlsx") }
    }

    static let deflated = [
        "TZY9jlsxDAb7d5YtRErizyUCXyHFBgiQNOly+yAG+M1WVqOB7TfDxz+fPz5+fP/989ffb99/fz6v9fH/cz0vex/sefn74M9rvw/7",
        "eZ334Tyv+z7c5xXvQzyvnOs113uu25r7ZgMwH4LtQdjRV7gDsRAlRSlReii+huI2FHf9kj0UP0PxOxQPUVKUEqWHspf+EBvK9qHs",
        "PZR9hrLvUHaIkqKUKD2Us4ZybCjHh3L2UM4Zyrl6OiFKilKi9FDuGsq1oVwfyt16yGco9w7lhigpSonSQ4k1lDC54kOJPZQ4Q4k7",
        "lAhRUpQSpaWclE05m5I2ZW1K25S3ibgyN6Vuyt2SuyV3S+6W3C25W3K35G7J3ZK7JXdb7rbcbbnbcrflbsvdlrstd1vutty1tchR",
        "9tqSvrbkry0JbEsG2wpgCayAyWIzaWwmj80ksplMNpPKZpdJEcASWAGTz+YS2lxGm0tp883ckdTmsto8gCWwAiazbUtt28YUk9y2",
        "Zbdt6W1bftsOYAmsgDUzkbl8ZLkdaW5HntuR6HZkup0AlsAKGJP6Mqovs/oyrC/T+n4Z18zry8C+TOzLyL7y3kLiW8h8C2f4y30L",
        "yW8h+y0CWAIrYBSQFJAUkBSQFJAUkBSQFJAUkBSQFFAUUBRQFFAUUBRQFFAUUBRQFFAU0BTQFNAU0BTQFNAU0BTQFNAU0CrAlwrw",
        "ZbyBVYAvFeBLBfhSAb4CWAIrYM37XAW4sZuYCnBTAW4qwE0FuAWwBFbAVIC7CnBXAe4qwF0FuB9WDRXgHsASWAFja9msLZu9ZX9Z",
        "XNhcNqvLZnfZLC+b7WWzvmwV4GexBqkAPyrAjwrwowL8qAA/ASyBFTAV4FcF+FUBflWAXxXgVwX4vWxoASyBFTAV4KECPFSAhwrw",
        "2Ox7KsBDBXgEsARWwCggKSApICkgKSApICkgKSApICkgKaAooCigKKAooCigKKAooCigKKAooCmgKaApoCmgKaApoCmgKaApoKeA",
        "fw==",
    ]

    /// A workbook: shared strings (one in two runs), a date style, an inline string, a number, a formula on line 4.
    static let workbook = [
        "UEsDBBQAAAAIAGBzh13HHBc8CgAAAAgAAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbLMJqSxILda3AwBQSwMEFAAAAAgAYHOHXc6e",
        "mBMNAAAACwAAAA8AAAB4bC93b3JrYm9vay54bWyzKc8vyk7Kz8/WtwMAUEsDBBQAAAAIAGBzh119WxilJgEAAHACAAAYAAAAeGwv",
        "d29ya3NoZWV0cy9zaGVldDEueG1sdZJBT8MgFIDv/oqGkx4cbcemMZSlszHxYIzZPHgkLV2JLTRAOvfvfWuXriV6g/fxHt97QDc/",
        "TR10wlipVYKiRYgCoXJdSHVI0Of+5f4RBdZxVfBaK5Ggk7Bow27oUZtvWwnhAiigbIIq59onjG1eiYbbhW6FAlJq03AHW3PAtjWC",
        "F31SU+M4DNe44VIhRvtYxh2HwkYfAwMmEM7PizRCgUuQhX3HQoo7RnF+Ydspi+bsecriOcsGJlUtldg5A2ekZdQxxR3MgdfSnSh2",
        "kHEOn9MwaF3l4lEunlyy9OSmjHhywOzQJLDVw9KTzy65vVrHXj9GPBchowgZSnmNbsnEYeU5kNGhZPv3LP26vaO47Musw9AbdUb+",
        "Gdlb+uek8PVNKR4/C/sFUEsDBBQAAAAIAGBzh12lU9Sd1AAAAEcBAAAUAAAAeGwvc2hhcmVkU3RyaW5ncy54bWxdkElOAzEQRa9i",
        "ecGOuMMiQsF2pERCbBgWcIBSuzptyRPl6gjuxo6L4VaLKcv/39evQe/eYhAnpOpzMnK96qTA1Gfn09HIl+fby2u5s7pWFi2YqpEj",
        "c9kqVfsRI9RVLpgaGTJF4CbpqGohBFdHRI5BXXXdRkXwSYo+T4mN3EgxJf864eFbtwHearaEg1ZstZrlYg0QfXh/gIjnxAHj47D3",
        "xOM5elr/d2g27z8/QkBaCC3mfNS2FujRyLZ1RTqhtOICYrkRh/yT/dN9B86B++1X7Tf2C1BLAwQUAAAACABgc4ddUdRg47QAAAAR",
        "AQAADQAAAHhsL3N0eWxlcy54bWxVj00LwjAMhv9Kyd1liohIVw/CwLMKXsuauUHTjraT+e/tUPzIJcmbvE+I3E9sxZ1C7L2rYFmU",
        "IMg13vTuVsHlXC+2sFcypoelU0eURN53sYIupWGHGJuOWMfCD+TypPWBdcptuGEcAmkTZxNbXJXlBln3DpR0I9ecomj86FI++pHE",
        "Kx1NFjdrEC/cwRuqwBhkxkcOQCXxzVCyIWuv7Qe2yrCp/QGV8/qfMqNnxNuZq+976glQSwECFAMUAAAACABgc4ddxxwXPAoAAAAI",
        "AAAAEwAAAAAAAAAAAAAAgAEAAAAAW0NvbnRlbnRfVHlwZXNdLnhtbFBLAQIUAxQAAAAIAGBzh13OnpgTDQAAAAsAAAAPAAAAAAAA",
        "AAAAAACAATsAAAB4bC93b3JrYm9vay54bWxQSwECFAMUAAAACABgc4ddfVsYpSYBAABwAgAAGAAAAAAAAAAAAAAAgAF1AAAAeGwv",
        "d29ya3NoZWV0cy9zaGVldDEueG1sUEsBAhQDFAAAAAgAYHOHXaVT1J3UAAAARwEAABQAAAAAAAAAAAAAAIAB0QEAAHhsL3NoYXJl",
        "ZFN0cmluZ3MueG1sUEsBAhQDFAAAAAgAYHOHXVHUYOO0AAAAEQEAAA0AAAAAAAAAAAAAAIAB1wIAAHhsL3N0eWxlcy54bWxQSwUG",
        "AAAAAAUABQBBAQAAtgMAAAAA",
    ]
}
