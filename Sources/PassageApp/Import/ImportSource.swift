import Foundation
import PassageDomain

/// The files of an import in a folder: `persons.csv` or `persons.xlsx`, and so on for each kind (`ImportKind`).
enum ImportSource {
    /// Reads every file of the layout in `directory`; any file it cannot read is a problem, as is a file that is
    /// not part of the layout.
    static func read(directory: String) throws(ImportProblems) -> [ImportKind: ImportTable] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue,
            let names = try? fm.contentsOfDirectory(atPath: directory)
        else {
            throw ImportProblems([
                ImportProblem(file: directory, line: 0, field: "", reason: "is not a folder that can be read")
            ])
        }
        var files: [String: [UInt8]] = [:]
        for name in names where !name.hasPrefix(".") {
            guard let data = fm.contents(atPath: directory + "/" + name) else { continue }
            files[name] = [UInt8](data)
        }
        return try tables(files)
    }

    /// The tables of named files (a folder's, or an upload's).
    static func tables(_ files: [String: [UInt8]]) throws(ImportProblems) -> [ImportKind: ImportTable] {
        var out: [ImportKind: ImportTable] = [:]
        var problems: [ImportProblem] = []
        let layout = ImportKind.allCases.map { $0.rawValue + ".csv" }.joined(separator: ", ")
        for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
            let lower = name.lowercased()
            let base =
                lower.hasSuffix(".csv")
                ? String(lower.dropLast(4)) : lower.hasSuffix(".xlsx") ? String(lower.dropLast(5)) : nil
            guard let base, let kind = ImportKind(rawValue: base) else {
                problems.append(
                    ImportProblem(
                        file: name, line: 0, field: "",
                        reason: "is not a file of the layout: the files are \(layout) (or .xlsx)"))
                continue
            }
            if let other = out[kind] {
                problems.append(
                    ImportProblem(
                        file: name, line: 0, field: "", reason: "\(other.file) holds the \(kind.rawValue) already"))
                continue
            }
            do {
                out[kind] =
                    lower.hasSuffix(".csv")
                    ? try ImportTable.csv(bytes, file: name) : try XLSXReader.table(bytes, file: name)
            } catch {
                problems += error.items
            }
        }
        if out.isEmpty && problems.isEmpty {
            problems.append(
                ImportProblem(file: "", line: 0, field: "", reason: "no file of the layout was found (\(layout))"))
        }
        if !problems.isEmpty { throw ImportProblems(problems) }
        return out
    }
}
