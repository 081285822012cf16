import Vapor
import Fluent
import SQLKit
import PassageDomain

/// A filtered case list as CSV or XLSX. Each column names the roles that may read it and the category of data it
/// tells of: a column the viewer may not read is neither selected from the database nor written. Every export is an
/// audit entry.
enum CaseExport {
    /// The most cases one file holds; a longer list asks for narrower filters.
    static let maxRows = 100_000

    enum Column: String, CaseIterable, Sendable {
        case reference, programme, status, openedOn = "opened_on", closedOn = "closed_on", owner, office
        case personReference = "person_reference", familyName = "family_name", givenNames = "given_names", sex,
            dateOfBirth = "date_of_birth", nationality
        case returnStage = "return_stage", countryOfReturn = "country_of_return", departedOn = "departed_on",
            unaccompaniedChild = "unaccompanied_child"
        case medicalNeeds = "medical_needs"
        case trafficking = "victim_of_trafficking"

        /// Who may read the column; every column is also limited to those who may read case lists.
        var roles: Set<Role> {
            switch self {
            case .returnStage, .countryOfReturn, .departedOn, .unaccompaniedChild, .medicalNeeds, .trafficking:
                ReturnAccess.read
            default: CaseAccess.read
            }
        }

        /// The category of data the column tells of: that a case has a medical record, a trafficking record or a
        /// child's safeguards. Trafficking records are shown to the case owner and named staff one case at a time;
        /// in a list, only to the roles that read the category.
        var category: DataCategory? {
            switch self {
            case .unaccompaniedChild: .childProtection
            case .medicalNeeds: .medical
            case .trafficking: .trafficking
            default: nil
            }
        }

        func readable(by id: Identity) -> Bool { id.hasAny(roles) && (category.map(id.reads) ?? true) }

        /// The SQL that selects it, as `v`.
        var select: SQLQueryString {
            func flag(_ kind: VulnerabilityKind) -> SQLQueryString {
                """
                CASE WHEN EXISTS (SELECT 1 FROM vulnerabilities v WHERE v.case_id = c.id AND v.kind = \
                \(bind: kind.rawValue)) THEN 'yes' ELSE 'no' END
                """
            }
            switch self {
            case .reference: return "c.reference"
            case .programme: return "c.programme"
            case .status: return "c.status"
            case .openedOn: return "c.opened_on"
            case .closedOn: return "c.closed_on"
            case .owner: return "u.display_name"
            case .office: return "l.name"
            case .personReference: return "p.reference"
            case .familyName: return "p.family_name"
            case .givenNames: return "p.given_names"
            case .sex: return "p.sex"
            // YYYYMMDD with 00 for what is not known, formatted below.
            case .dateOfBirth:
                return "CAST(p.dob_year * 10000 + COALESCE(p.dob_month, 0) * 100 + COALESCE(p.dob_day, 0) AS TEXT)"
            case .nationality: return "p.nationality"
            case .returnStage: return "r.stage"
            case .countryOfReturn: return "r.destination_country"
            case .departedOn: return "r.departed_on"
            case .unaccompaniedChild: return flag(.unaccompaniedChild)
            case .medicalNeeds: return flag(.medical)
            case .trafficking: return flag(.trafficking)
            }
        }
    }

    /// The filters of a case list, read and checked: an unknown value is a 422 naming its field.
    /// The list API and the downloads read them alike.
    struct Filter: Sendable {
        var programme: String?
        var status: String?
        var locationID: UUID?
        var ownerID: UUID?
        var personID: UUID?
        var stage: String?

        /// A filter narrows the list by a column, so it reveals that column: the viewer may filter only by what
        /// they may read.
        static func read(_ req: Request, for viewer: Identity) throws -> Filter {
            var e = ValidationErrors()
            func text(_ key: String) -> String? { req.query[String.self, at: key].flatMap { $0.isEmpty ? nil : $0 } }
            func id(_ key: String) -> UUID? {
                guard let v = text(key) else { return nil }
                guard let u = UUID(uuidString: v) else { e.add(key, "must be an id"); return nil }
                return u
            }
            let f = Filter(
                programme: text("programme"), status: text("status"), locationID: id("location"), ownerID: id("owner"),
                personID: id("person"),
                stage: text("stage"))
            if let p = f.programme, Programme(rawValue: p) == nil {
                e.add(
                    "programme",
                    "'\(p)' is not a programme; use " + Programme.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if let s = f.status, CaseStatus(rawValue: s) == nil {
                e.add(
                    "status",
                    "'\(s)' is not a case status; use " + CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if let s = f.stage {
                if !viewer.hasAny(Column.returnStage.roles) {
                    e.add("stage", "your role may not read return stages, so it may not filter by one")
                } else if ReturnStage(rawValue: s) == nil {
                    e.add("stage", "'\(s)' is not a return stage")
                }
            }
            try e.throwIfAny()
            return f
        }

        var sql: SQLQueryString {
            var parts: [SQLQueryString] = ["1 = 1"]
            if let p = programme { parts.append("c.programme = \(bind: p)") }
            if let s = status { parts.append("c.status = \(bind: s)") }
            if let l = locationID { parts.append("c.office_location_id = \(bind: l)") }
            if let o = ownerID { parts.append("c.owner_id = \(bind: o)") }
            if let p = personID { parts.append("c.person_id = \(bind: p)") }
            if let s = stage { parts.append("r.stage = \(bind: s)") }
            return parts.joined(separator: " AND ")
        }

        /// For the audit entry and the file name.
        var description: String {
            [
                ("programme", programme), ("status", status), ("location", locationID?.uuidString),
                ("owner", ownerID?.uuidString), ("person", personID?.uuidString), ("stage", stage),
            ]
            .compactMap { k, v in v.map { "\(k)=\($0)" } }.joined(separator: "&")
        }
    }

    static func columns(for id: Identity) -> [Column] { Column.allCases.filter { $0.readable(by: id) } }

    /// The header and rows of the list, as the viewer may read them.
    static func rows(_ f: Filter, for id: Identity, on db: any Database) async throws -> (
        header: [String], rows: [[String]]
    ) {
        let sql = db.sql
        let from: SQLQueryString = """
            FROM cases c JOIN persons p ON p.id = c.person_id LEFT JOIN users u ON u.id = c.owner_id
            LEFT JOIN locations l ON l.id = c.office_location_id LEFT JOIN return_cases r ON r.case_id = c.id WHERE \
            \(f.sql)
            """
        let total = try await sql.raw("SELECT COUNT(*) AS n \(from)").first()?.decode(column: "n", as: Int.self) ?? 0
        guard total <= maxRows else {
            throw ValidationErrors(
                "filters", "the list has \(total) cases; narrow the filters to at most \(maxRows) to export it")
        }
        let cols = columns(for: id)
        let select = cols.enumerated().map { i, c -> SQLQueryString in "\(c.select) AS \(ident: "v\(i)")" }.joined(
            separator: ", ")
        let rows = try await sql.raw("SELECT \(select) \(from) ORDER BY c.opened_on DESC, c.reference DESC").all().map {
            row in
            try cols.indices.map { i in
                let raw = try row.decode(column: "v\(i)", as: String?.self) ?? ""
                switch cols[i] {
                case .countryOfReturn, .nationality: return raw.isEmpty ? "" : CountryCode.name(raw)
                case .dateOfBirth:
                    guard raw.count == 8 else { return raw }
                    let parts = [raw.prefix(4), raw.dropFirst(4).prefix(2), raw.suffix(2)]
                    return parts.prefix { $0 != "00" }.joined(separator: "-")
                default: return raw
                }
            }
        }
        return (cols.map(\.rawValue), rows)
    }

    /// The file, audited; `format` is csv or xlsx.
    static func response(_ req: Request, _ id: Identity, format: ReportFormat) async throws -> Response {
        let f = try Filter.read(req, for: id)
        let (header, rows) = try await Self.rows(f, for: id, on: req.db)
        try await ReportsController.auditExport(
            req.application, id.actor, entity: "case_list", id: f.description.isEmpty ? "all" : f.description,
            note: "format \(format.rawValue), \(rows.count) cases, columns \(header.joined(separator: " "))")
        let stamp = Clock.today().isoText
        let table = ReportTable(sheet: "Cases", rows: ([header] + rows).map { .texts($0) })
        switch format {
        case .xlsx: return ReportsController.xlsxResponse(table.xlsx, name: "passage-cases-\(stamp).xlsx")
        default: return ReportsController.csvResponse(table.csv, name: "passage-cases-\(stamp).csv")
        }
    }

    static func format(_ req: Request) throws -> ReportFormat {
        let f = try ReportFormat.read(req.query[String.self, at: "format"], default: .csv)
        guard f == .csv || f == .xlsx else { throw ValidationErrors("format", "a case list downloads as csv or xlsx") }
        return f
    }
}
