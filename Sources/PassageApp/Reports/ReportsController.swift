import Vapor
import Fluent
import PassageDomain

/// The period report in the browser, the API and on the command line.
enum ReportAccess {
    static let read: Set<Role> = [.manager, .administrator]
    /// The records behind a figure are case records.
    static let drillDown: Set<Role> = [.manager]
}

struct ReportsController {
    static func period(_ req: Request) throws -> ReportPeriod {
        try ReportPeriod.read(
            from: req.query[String.self, at: "from"], to: req.query[String.self, at: "to"], today: Clock.today())
    }

    /// Every export is an audit entry: what was exported (`entity`, `id`) and how (`note`).
    /// An export downloaded: audited, and logged among the transfers (the file leaves Passage with whoever took
    /// it) with the register's basis for its purpose: a list of cases for the office's casework, figures for
    /// statistics.
    static func auditExport(_ app: Application, _ actor: Actor, entity: String, id: String, note: String) async throws {
        let purpose: ProcessingPurpose =
            ["case_list", "period_drilldown"].contains(entity) ? .counselling : .researchStatistics
        let basis = try await ProcessingBasis.basis(of: purpose, on: app.db)?.rawValue ?? ""
        try await app.writeTransaction { db in
            try await AuditLog.record(
                on: db, actor: actor, action: .export, entity: entity, entityID: id, personID: nil, changes: [],
                note: note)
            try await SharingGate.log(
                channel: "export", recipient: "downloaded by \(actor.name)", purpose: purpose, basis: basis,
                what: "\(entity) \(id): \(note)", person: nil, actor: actor, on: db)
        }
    }

    /// A period report taken away: the log says how many of its counts are small enough (1 to 4) for a reader
    /// to recognise a person behind them.
    static func audit(
        _ app: Application, _ actor: Actor, _ r: PeriodReport, format: ReportFormat, small: SmallCounts
    ) async throws {
        let n = r.smallCounts
        try await auditExport(
            app, actor, entity: "period_report", id: "\(r.from)..\(r.to)",
            note: "format \(format.rawValue)"
                + (n > 0 ? ", \(n) counts below 5" + (small == .suppress ? " shown as <5" : " kept") : ""))
    }

    static func export(
        _ r: PeriodReport, _ format: ReportFormat, small: SmallCounts, _ req: Request
    ) async throws -> Response {
        let name = "passage-period-\(r.from)-\(r.to)" + (small == .suppress ? "-shareable" : "")
        switch format {
        case .csv: return csvResponse(r.table(small).csv, name: name + ".csv")
        case .xlsx: return xlsxResponse(r.table(small).xlsx, name: name + ".xlsx")
        case .json, .html: return try await r.encodeResponse(for: req)
        }
    }

    static func export(_ m: MonthlyStatistics, _ format: ReportFormat, _ req: Request) async throws -> Response {
        switch format {
        case .csv: return csvResponse(m.table.csv, name: "passage-departures-\(m.year).csv")
        case .xlsx: return xlsxResponse(m.table.xlsx, name: "passage-departures-\(m.year).xlsx")
        case .json, .html: return try await m.encodeResponse(for: req)
        }
    }

    /// The cases behind a figure and the format asked for (a file is audited as an export of names).
    static func drillDown(_ req: Request, _ id: Identity, default d: ReportFormat) async throws
        -> (ReportDrillDown.Result, ReportFormat)
    {
        guard let f = ReportFigure(rawValue: req.parameters.get("figure") ?? "") else {
            throw Abort(.notFound, reason: "No such figure.")
        }
        let format = try ReportFormat.read(req.query[String.self, at: "format"], default: d)
        let p = try period(req)
        let r = try await ReportDrillDown.load(f, p, hub: req.application.passageConfig.hubAirport, for: id, on: req.db)
        if format == .csv || format == .xlsx {
            try await auditExport(
                req.application, id.actor, entity: "period_drilldown",
                id: "\(f.rawValue) \(p.from.isoText)..\(p.to.isoText)",
                note: "format \(format.rawValue), \(r.items.count) cases")
        }
        return (r, format)
    }

    static func export(_ d: ReportDrillDown.Result, _ format: ReportFormat, _ req: Request) async throws -> Response {
        let name = "passage-\(d.figure)-\(d.from)-\(d.to)"
        switch format {
        case .csv: return csvResponse(d.table.csv, name: name + ".csv")
        case .xlsx: return xlsxResponse(d.table.xlsx, name: name + ".xlsx")
        case .json, .html: return try await d.encodeResponse(for: req)
        }
    }

    static func auditMonthly(_ app: Application, _ actor: Actor, _ year: Int, format: ReportFormat) async throws {
        try await auditExport(
            app, actor, entity: "monthly_statistics", id: String(year), note: "format \(format.rawValue)")
    }

    static func xlsxResponse(_ bytes: [UInt8], name: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(
            type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return Response(status: .ok, headers: headers, body: .init(data: Data(bytes)))
    }

    static func csvResponse(_ text: String, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return Response(status: .ok, headers: headers, body: .init(string: "\u{FEFF}" + text))
    }

    func boot(_ app: Application) {
        app.get("reports", "period", roles: ReportAccess.read) { req, id -> Response in
            let format: ReportFormat
            let p: ReportPeriod
            let small: SmallCounts
            do {
                format = try ReportFormat.read(req.query[String.self, at: "format"])
                p = try Self.period(req)
                small = try SmallCounts.read(req.query[String.self, at: "small"], format: format)
            } catch let e as ValidationErrors {
                let fallback = try ReportPeriod.read(from: nil, to: nil, today: Clock.today())
                let r = try await PeriodReport.compute(
                    fallback, hub: req.application.passageConfig.hubAirport, on: req.db)
                return ReportPages.period(
                    req, id, r, errors: e, typed: (req.query[String.self, at: "from"], req.query[String.self, at: "to"])
                ).response(status: .unprocessableEntity)
            }
            let r = try await PeriodReport.compute(p, hub: req.application.passageConfig.hubAirport, on: req.db)
            switch format {
            case .html:
                let charts = try await ReportCharts.load(
                    r, hub: req.application.passageConfig.hubAirport, medical: ReturnAccess.seesMedical(id), on: req.db)
                return ReportPages.period(req, id, r, errors: nil, typed: nil, charts: charts).response(status: .ok)
            case .csv, .json, .xlsx:
                try await Self.audit(req.application, id.actor, r, format: format, small: small)
                return try await Self.export(r, format, small: small, req)
            }
        }
        app.get("dashboard", roles: ReportAccess.drillDown) { req, id -> HTML in
            var blocks: [CaseBlock] = []
            for m in req.application.modules { blocks += try await m.dashboardBlocks(req, id) }
            return ReportPages.dashboard(req, id, try await Dashboard.load(on: req.db), blocks: blocks)
        }
        app.get("reports", "monthly", roles: ReportAccess.read) { req, id -> Response in
            let format: ReportFormat
            let year: Int
            do {
                format = try ReportFormat.read(req.query[String.self, at: "format"])
                year = try MonthlyStatistics.year(req.query[String.self, at: "year"])
            } catch let e as ValidationErrors {
                let m = try await MonthlyStatistics.compute(year: Clock.today().year, on: req.db)
                return ReportPages.monthly(req, id, m, errors: e).response(status: .unprocessableEntity)
            }
            let m = try await MonthlyStatistics.compute(year: year, on: req.db)
            switch format {
            case .html: return ReportPages.monthly(req, id, m, errors: nil).response(status: .ok)
            case .csv, .json, .xlsx:
                try await Self.auditMonthly(req.application, id.actor, year, format: format)
                return try await Self.export(m, format, req)
            }
        }
        app.get("reports", "period", ":figure", roles: ReportAccess.drillDown) { req, id -> Response in
            let (d, format) = try await Self.drillDown(req, id, default: .html)
            return format == .html
                ? ReportPages.drillDown(req, id, d).response(status: .ok) : try await Self.export(d, format, req)
        }
    }

    func boot(api: any RoutesBuilder) {
        api.get("reports", "period", roles: ReportAccess.read) { req, id -> Response in
            let format = try ReportFormat.read(req.query[String.self, at: "format"], default: .json)
            guard format != .html else {
                throw ValidationErrors("format", "the API answers json, csv or xlsx; the page is /reports/period")
            }
            let p = try Self.period(req)
            let small = try SmallCounts.read(req.query[String.self, at: "small"], format: format)
            let r = try await PeriodReport.compute(p, hub: req.application.passageConfig.hubAirport, on: req.db)
            try await Self.audit(req.application, id.actor, r, format: format, small: small)
            return try await Self.export(r, format, small: small, req)
        }
        api.get("dashboard", roles: ReportAccess.drillDown) { req, _ in try await Dashboard.load(on: req.db) }
        api.get("reports", "monthly", roles: ReportAccess.read) { req, id -> Response in
            let format = try ReportFormat.read(req.query[String.self, at: "format"], default: .json)
            guard format != .html else {
                throw ValidationErrors("format", "the API answers json, csv or xlsx; the page is /reports/monthly")
            }
            let year = try MonthlyStatistics.year(req.query[String.self, at: "year"])
            let m = try await MonthlyStatistics.compute(year: year, on: req.db)
            try await Self.auditMonthly(req.application, id.actor, year, format: format)
            return try await Self.export(m, format, req)
        }
        api.get("reports", "period", ":figure", roles: ReportAccess.drillDown) { req, id -> Response in
            let (d, format) = try await Self.drillDown(req, id, default: .json)
            guard format != .html else {
                throw ValidationErrors("format", "the API answers json, csv or xlsx; the page is /reports/period/…")
            }
            return try await Self.export(d, format, req)
        }
    }
}

/// `passage report --from 2025-01-01 --to 2025-12-31 --format html|json|csv`: the period report on standard output.
struct ReportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "from", help: "first day, like 2025-01-01 (default: 1 January of this year)") var from: String?
        @Option(name: "to", help: "last day, like 2025-12-31 (default: 31 December of this year)") var to: String?
        @Option(name: "format", help: "html, json, csv or xlsx (default csv)") var format: String?
        @Option(name: "small", help: "keep (default) or suppress: counts from 1 to 4 as <5 in csv or xlsx")
        var small: String?
        init() {}
    }
    var help: String { "Prints the period report (with the period before it) as html, json or csv." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let format: ReportFormat
        let p: ReportPeriod
        let small: SmallCounts
        do {
            format = try ReportFormat.read(signature.format, default: .csv)
            p = try ReportPeriod.read(from: signature.from, to: signature.to, today: Clock.today())
            small = try SmallCounts.read(signature.small, format: format)
        } catch let e as ValidationErrors {
            for i in e.items { context.console.error("--\(i.field): \(i.message)") }
            throw ExitCode(2)
        }
        try await app.autoMigrate()
        let r = try await PeriodReport.compute(p, hub: app.passageConfig.hubAirport, on: app.db)
        try await ReportsController.audit(
            app, Actor(id: "cli", name: "passage report"), r, format: format, small: small)
        switch format {
        case .csv: FileHandle.standardOutput.write(Data(r.table(small).csv.utf8))
        case .html: FileHandle.standardOutput.write(Data(r.standaloneHTML.utf8))
        case .xlsx: FileHandle.standardOutput.write(Data(r.table(small).xlsx))
        case .json:
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try enc.encode(r) + Data("\n".utf8))
        }
    }
}

struct ExitCode: Error, CustomStringConvertible {
    let code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { "exit \(code)" }
}
