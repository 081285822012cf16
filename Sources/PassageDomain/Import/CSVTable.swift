/// One thing wrong with a file of an import: where (file, line, column) and why, said so that the office can fix it.
public struct ImportProblem: Codable, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    /// The line of the file, counting the header as line 1; 0 for the file as a whole.
    public var line: Int
    public var field: String
    public var reason: String

    public init(file: String, line: Int, field: String, reason: String) {
        self.file = file; self.line = line; self.field = field; self.reason = reason
    }

    public var description: String {
        "\(file)" + (line > 0 ? ":\(line)" : "") + (field.isEmpty ? "" : " \(field)") + ": \(reason)"
    }
}

/// A table read from a CSV file or a spreadsheet's first sheet: the header's column names and each row's cells,
/// with the line each row started on.
public struct ImportTable: Sendable, Equatable {
    public var file: String
    public var columns: [String]
    public var rows: [Row]

    public struct Row: Sendable, Equatable {
        public var line: Int
        public var cells: [String]
        public init(line: Int, cells: [String]) { self.line = line; self.cells = cells }
    }

    public init(file: String, columns: [String], rows: [Row]) {
        self.file = file; self.columns = columns; self.rows = rows
    }

    /// A row as a form: column name to the cell's text, blank cells left out.
    public func fields(_ row: Row) -> [String: String] {
        var out: [String: String] = [:]
        for (i, name) in columns.enumerated() where i < row.cells.count {
            let v = row.cells[i].trimmingWhitespace
            if !v.isEmpty { out[name] = v }
        }
        return out
    }

    /// Reads CSV (RFC 4180: commas, double quotes, quotes doubled inside; CRLF or LF; a UTF-8 byte order mark is
    /// skipped). Throws the problems that make the file unreadable: not UTF-8, a quote left open, a row with more
    /// cells than the header, a header with a blank or repeated name.
    public static func csv(_ bytes: [UInt8], file: String) throws(ImportProblems) -> ImportTable {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            // The first line that is not UTF-8 is named.
            var line = 1
            for part in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
                if String(validating: part, as: UTF8.self) == nil { break }
                line += 1
            }
            throw ImportProblems([
                ImportProblem(
                    file: file, line: line, field: "",
                    reason: "the file is not UTF-8 text: save it as 'CSV UTF-8' (or as a spreadsheet) and try again")
            ])
        }
        var records: [Row] = []
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var rowLine = 1
        var problems: [ImportProblem] = []
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        func endRow() {
            cells.append(cell)
            cell = ""
            if !(cells.count == 1 && cells[0].isEmpty) { records.append(Row(line: rowLine, cells: cells)) }
            cells = []
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { cell.unicodeScalars.append("\""); continue }
                        pending = n
                    }
                    quoted = false
                    afterQuote = true
                } else {
                    if c == "\n" { line += 1 }
                    cell.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where cell.isEmpty && !afterQuote:
                quoted = true
            case ",":
                cells.append(cell); cell = ""; afterQuote = false
            case "\r":
                if let n = next(), n != "\n" { pending = n }
                endRow(); line += 1; rowLine = line; afterQuote = false
            case "\n":
                endRow(); line += 1; rowLine = line; afterQuote = false
            default:
                cell.unicodeScalars.append(c)
            }
        }
        if quoted {
            problems.append(
                ImportProblem(
                    file: file, line: rowLine, field: "",
                    reason: "a quoted cell is never closed: a double quote is missing"))
        }
        if !cell.isEmpty || !cells.isEmpty { endRow() }
        guard let header = records.first else {
            throw ImportProblems([ImportProblem(file: file, line: 0, field: "", reason: "the file is empty")])
        }
        let table = ImportTable(
            file: file, columns: header.cells.map(\.trimmingWhitespace), rows: Array(records.dropFirst()))
        problems += table.shapeProblems()
        if !problems.isEmpty { throw ImportProblems(problems) }
        return table
    }

    /// A header with a blank or repeated column name, and rows longer than the header.
    public func shapeProblems() -> [ImportProblem] {
        var problems: [ImportProblem] = []
        var seen = Set<String>()
        for (i, name) in columns.enumerated() {
            if name.isEmpty, rows.contains(where: { i < $0.cells.count && !$0.cells[i].trimmingWhitespace.isEmpty }) {
                problems.append(
                    ImportProblem(file: file, line: 1, field: "", reason: "column \(i + 1) has values but no name"))
            } else if !name.isEmpty, !seen.insert(name).inserted {
                problems.append(ImportProblem(file: file, line: 1, field: name, reason: "the column is named twice"))
            }
        }
        for r in rows where r.cells.count > columns.count {
            let extra = r.cells[columns.count...].contains { !$0.trimmingWhitespace.isEmpty }
            if extra {
                problems.append(
                    ImportProblem(
                        file: file, line: r.line, field: "",
                        reason: "the row has \(r.cells.count) cells, the header \(columns.count) names"))
            }
        }
        return problems
    }
}

/// Everything wrong with an import, each with its file, line and field.
public struct ImportProblems: Error, Equatable, Sendable {
    public var items: [ImportProblem]
    public init(_ items: [ImportProblem]) { self.items = items }
}
