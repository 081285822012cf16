import Foundation

/// A report's table as it leaves Passage: rows of text and numbers, written as CSV (RFC 4180, CRLF) or as a
/// one-sheet workbook from the same rows.
public struct ReportTable: Sendable, Equatable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A number, written in CSV with this many decimals.
        case number(Double, decimals: Int = 0)
    }

    public var sheet: String
    public var rows: [[Cell]]

    public init(sheet: String, rows: [[Cell]] = []) { self.sheet = sheet; self.rows = rows }

    public mutating func add(_ row: [Cell]) { rows.append(row) }

    /// Characters that make a spreadsheet read a cell as a formula when they come first.
    public static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\n", "\r\n"]

    /// Text as a spreadsheet must show it: a cell that would start a formula is prefixed with an apostrophe,
    /// which spreadsheets take as "this is text" and do not show.
    public static func inert(_ text: String) -> String {
        guard let first = text.first, formulaStarts.contains(first) else { return text }
        return "'" + text
    }

    public var csv: String {
        rows.map { row in
            row.map { cell -> String in
                switch cell {
                case .text(let s): CSVLine.field(Self.inert(s))
                case .number(let v, let decimals):
                    decimals == 0 ? String(Int(v.rounded())) : String(format: "%.\(decimals)f", v)
                }
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }

    public var xlsx: [UInt8] {
        XLSX.workbook(
            sheet: sheet,
            rows: rows.map { row in
                row.map { cell -> XLSX.Cell in
                    switch cell {
                    case .text(let s): .text(Self.inert(s))
                    case .number(let v, _): .number(v)
                    }
                }
            })
    }
}

extension Array where Element == ReportTable.Cell {
    public static func texts(_ values: [String]) -> [ReportTable.Cell] { values.map { .text($0) } }
    public static func counts(_ values: [Int]) -> [ReportTable.Cell] { values.map { .number(Double($0)) } }
}
