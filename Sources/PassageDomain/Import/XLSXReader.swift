import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads the first sheet of a spreadsheet (Office Open XML, `.xlsx`) as a table: the first row is the header. A
/// date cell becomes `2026-03-14`; a cell with a formula is refused (its value is what the formula gave when it was
/// last saved, which need not be what the office sees): paste the values instead.
public enum XLSXReader {
    public static func table(_ bytes: [UInt8], file: String) throws(ImportProblems) -> ImportTable {
        let (table, formulas) = try read(bytes, file: file)
        let problems = formulas + table.shapeProblems()
        if !problems.isEmpty { throw ImportProblems(problems) }
        return table
    }

    /// The sheet as a table, and a problem for each cell that holds a formula.
    static func read(_ bytes: [UInt8], file: String) throws(ImportProblems) -> (ImportTable, [ImportProblem]) {
        func problem(_ reason: String) -> ImportProblems {
            ImportProblems([ImportProblem(file: file, line: 0, field: "", reason: reason)])
        }
        let parts: [String: [UInt8]]
        do { parts = try unzip(bytes) } catch {
            throw problem("is not a spreadsheet that can be read (\(error.reason)): save it again as .xlsx, or as CSV")
        }
        let sheetName =
            parts.keys.filter { $0.hasPrefix("xl/worksheets/") && $0.hasSuffix(".xml") }
            .sorted { a, b in a.count != b.count ? a.count < b.count : a < b }.first
        guard let sheetName, let sheet = parts[sheetName] else { throw problem("the spreadsheet has no sheet") }
        let strings = parts["xl/sharedStrings.xml"].map(SharedStrings.read) ?? []
        let dateStyles = parts["xl/styles.xml"].map(Styles.dateStyles) ?? []
        let reader = SheetReader(strings: strings, dateStyles: dateStyles)
        let parser = XMLParser(data: Data(sheet))
        parser.delegate = reader
        guard parser.parse() else { throw problem("the sheet is not well-formed XML") }
        guard let header = reader.rows.first else { throw problem("the sheet is empty") }
        let columns = header.cells.map { $0.trimmingCharacters(in: .whitespaces) }
        let formulas = reader.formulas.map { f in
            ImportProblem(
                file: file, line: f.row, field: f.column < columns.count ? columns[f.column] : XLSX.column(f.column),
                reason: "cell \(XLSX.column(f.column))\(f.row) holds a formula: paste its value instead")
        }
        return (ImportTable(file: file, columns: columns, rows: Array(reader.rows.dropFirst())), formulas)
    }

    struct ZipFailure: Error {
        let reason: String
    }

    /// The parts of a ZIP file by name: stored or deflated.
    static func unzip(_ b: [UInt8]) throws(ZipFailure) -> [String: [UInt8]] {
        func u16(_ i: Int) throws(ZipFailure) -> Int {
            guard i + 2 <= b.count else { throw ZipFailure(reason: "cut short") }
            return Int(b[i]) | Int(b[i + 1]) << 8
        }
        func u32(_ i: Int) throws(ZipFailure) -> Int {
            let low = try u16(i)
            let high = try u16(i + 2)
            return low | high << 16
        }
        guard b.count >= 22 else { throw ZipFailure(reason: "too short") }
        var end = b.count - 22
        while end >= 0, try u32(end) != 0x0605_4B50 { end -= 1 }
        guard end >= 0 else { throw ZipFailure(reason: "not a ZIP file") }
        let entries = try u16(end + 10)
        var at = try u32(end + 16)
        var out: [String: [UInt8]] = [:]
        for _ in 0..<entries {
            guard try u32(at) == 0x0201_4B50 else { throw ZipFailure(reason: "a broken directory") }
            let method = try u16(at + 10)
            let compressed = try u32(at + 20)
            let size = try u32(at + 24)
            let nameLength = try u16(at + 28)
            let extra = try u16(at + 30)
            let comment = try u16(at + 32)
            let local = try u32(at + 42)
            guard at + 46 + nameLength <= b.count else { throw ZipFailure(reason: "cut short") }
            let name = String(decoding: b[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            at += 46 + nameLength + extra + comment
            guard try u32(local) == 0x0403_4B50 else { throw ZipFailure(reason: "a broken entry") }
            let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard start + compressed <= b.count else { throw ZipFailure(reason: "cut short") }
            let data = Array(b[start..<(start + compressed)])
            guard name.hasSuffix(".xml") || name.hasSuffix(".rels") else { continue }
            switch method {
            case 0: out[name] = data
            case 8:
                do { out[name] = try Inflate.decompress(data, expected: size) } catch {
                    throw ZipFailure(reason: error.reason)
                }
            default: throw ZipFailure(reason: "a part compressed in a way not supported (\(method))")
            }
        }
        return out
    }

    /// Column index of a cell reference: "C12" is 2.
    static func columnIndex(_ ref: String) -> Int {
        var n = 0
        for ch in ref.unicodeScalars {
            guard ch.value >= 65, ch.value <= 90 else { break }
            n = n * 26 + Int(ch.value - 64)
        }
        return max(0, n - 1)
    }

    /// Days since 1899-12-30 (the spreadsheet's serial date) as YYYY-MM-DD.
    static func serialDate(_ raw: String) -> String? {
        guard let v = Double(raw), v >= 1, v < 2_958_466 else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let base = DateComponents(year: 1899, month: 12, day: 30)
        guard let start = cal.date(from: base), let d = cal.date(byAdding: .day, value: Int(v), to: start) else {
            return nil
        }
        let c = cal.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}

private final class SharedStrings: NSObject, XMLParserDelegate {
    var items: [String] = []
    var current = ""
    var inText = false

    static func read(_ bytes: [UInt8]) -> [String] {
        let s = SharedStrings()
        let p = XMLParser(data: Data(bytes))
        p.delegate = s
        _ = p.parse()
        return s.items
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if name == "si" { current = "" }
        if name == "t" { inText = true }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "t" { inText = false }
        if name == "si" { items.append(current) }
    }
}

/// The cell styles that show a date: built-in date formats and custom ones with day, month or year.
private final class Styles: NSObject, XMLParserDelegate {
    var custom: [Int: String] = [:]
    var formats: [Int] = []
    var inCellXfs = false

    static func dateStyles(_ bytes: [UInt8]) -> Set<Int> {
        let s = Styles()
        let p = XMLParser(data: Data(bytes))
        p.delegate = s
        _ = p.parse()
        var out = Set<Int>()
        for (i, id) in s.formats.enumerated() {
            if (14...22).contains(id) || (45...47).contains(id) {
                out.insert(i)
            } else if let code = s.custom[id] {
                let bare = code.replacingOccurrences(of: "\\[[^\\]]*\\]", with: "", options: .regularExpression)
                    .replacingOccurrences(of: "\"[^\"]*\"", with: "", options: .regularExpression).lowercased()
                if bare.contains("d") || bare.contains("y") { out.insert(i) }
            }
        }
        return out
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch name {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init) { custom[id] = attributes["formatCode"] ?? "" }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs: formats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default: break
        }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "cellXfs" { inCellXfs = false }
    }
}

private final class SheetReader: NSObject, XMLParserDelegate {
    let strings: [String]
    let dateStyles: Set<Int>
    var rows: [ImportTable.Row] = []
    var formulas: [(row: Int, column: Int)] = []
    var row: [String] = []
    var rowNumber = 0
    var column = 0
    var type = ""
    var style = 0
    var text = ""
    var collecting = false
    var hasFormula = false

    init(strings: [String], dateStyles: Set<Int>) {
        self.strings = strings
        self.dateStyles = dateStyles
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            row = []
        case "c":
            column = attributes["r"].map(XLSXReader.columnIndex) ?? row.count
            type = attributes["t"] ?? "n"
            style = attributes["s"].flatMap(Int.init) ?? 0
            text = ""
            hasFormula = false
        case "v", "t": collecting = true
        case "f": hasFormula = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if collecting { text += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": collecting = false
        case "c":
            if hasFormula { formulas.append((rowNumber, column)) }
            var value = text
            switch type {
            case "s": value = Int(text).flatMap { strings.indices.contains($0) ? strings[$0] : nil } ?? ""
            case "b": value = text == "1" ? "true" : "false"
            case "n" where dateStyles.contains(style): value = XLSXReader.serialDate(text) ?? text
            case "n":
                // Whole numbers as typed: 42, not 42.0.
                if let d = Double(text), d == d.rounded(), abs(d) < 1e15 { value = String(Int(d)) }
            default: break
            }
            while row.count < column { row.append("") }
            if row.count == column { row.append(value) } else { row[column] = value }
        case "row":
            if row.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                rows.append(ImportTable.Row(line: rowNumber, cells: row))
            }
        default: break
        }
    }
}
