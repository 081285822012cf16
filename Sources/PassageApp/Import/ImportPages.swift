import Fluent
import Foundation
import PassageDomain
import Vapor

/// The import pages for managers: the layout, an upload that is checked first, the report of every refused row,
/// then the import itself, each running in the background with its progress shown.
struct ImportPages {
    struct Upload: Content {
        var files: [File]?
    }

    func boot(_ app: Application) {
        let imports = app.grouped("imports")
        imports.get(roles: ImportRuns.roles, use: index)
        imports.on(
            .POST, [], body: .collect(maxSize: ByteCount(value: ImportRuns.maxUpload)), roles: ImportRuns.roles,
            use: upload)
        imports.get(":runID", roles: ImportRuns.roles, use: show)
        // The run's state alone, for its page to ask again while it runs.
        imports.get(":runID", "status", roles: ImportRuns.roles) { req, _ -> HTML in
            guard let run = try await ImportRun.find(try req.uuid("runID"), on: req.db) else { throw Abort(.notFound) }
            return Self.state(req, run)
        }
        imports.post(":runID", "apply", roles: ImportRuns.roles) { req, id -> Response in
            let runID = try req.uuid("runID")
            let raw = (try? req.content.get(String.self, at: "mode")) ?? req.query[String.self, at: "mode"]
            guard let mode = raw.flatMap(ImportMode.init(rawValue:)), mode != .dryRun else {
                throw Abort(.unprocessableEntity, reason: "mode: must be all or valid-rows")
            }
            do {
                try await ImportRuns.apply(runID, mode: mode, actor: id.actor, on: req.application)
            } catch let e as DomainError {
                return req.redirect(to: "/imports/\(runID.uuidString)?refused=" + urlQuery(e.message))
            }
            return req.redirect(to: "/imports/\(runID.uuidString)")
        }
    }

    func index(_ req: Request, _ id: Identity) async throws -> HTML {
        try await page(req, id, errors: nil)
    }

    func page(_ req: Request, _ id: Identity, errors: [ImportProblem]?) async throws -> HTML {
        let t = req.t
        let runs = try await ImportRun.query(on: req.db).sort(\.$requestedAt, .descending).limit(20).all()
        let rows = runs.map { r -> HTML in
            let report = Self.report(r)
            return """
                <tr><td><a href="/imports/\(r.id!.uuidString)">\(Layout.dateTime(r.requestedAt))</a></td>\
                <td>\(r.requestedBy)</td><td>\(r.source)</td><td>\(t("import.status.\(Self.phase(r))"))</td>\
                <td class="num">\(report.map { t.number($0.rows) } ?? "")</td>\
                <td class="num">\(report.map { t.number($0.refused) } ?? "")</td></tr>
                """
        }
        let history: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(t("import.none"))</p>"
            : """
            <table><thead><tr><th>\(t("import.when"))</th><th>\(t("import.by"))</th><th>\(t("import.files"))</th>\
            <th>\(t("import.state"))</th><th class="num">\(t("import.rows"))</th>\
            <th class="num">\(t("import.refused"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let layout = ImportKind.allCases.map { k -> HTML in
            """
            <tr><td><code>\(k.rawValue).csv</code></td><td>\(k.summary)</td>\
            <td><code>\(k.required.joined(separator: ", "))</code></td>\
            <td><code>\(k.optional.joined(separator: ", "))</code></td></tr>
            """
        }
        let problems: HTML = errors.map { Self.problemTable(t, $0) } ?? .empty
        let body: HTML = """
            <h1>\(t("import.title"))</h1>
            <p>\(t("import.intro"))</p>
            \(problems)
            <form method="post" action="/imports" enctype="multipart/form-data" class="card">
            \(Layout.csrfField(req))
            <label class="field"><span>\(t("import.choose"))</span>
            <input id="f-files" type="file" name="files[]" multiple accept=".csv,.xlsx" required>
            <span class="hint">\(t("import.choose.hint"))</span></label>
            <p><button class="primary" type="submit">\(t("import.check"))</button></p></form>
            <h2>\(t("import.history"))</h2>
            \(history)
            <details><summary>\(t("import.layout"))</summary>
            <p>\(t("import.layout.intro"))</p>
            <table><thead><tr><th>\(t("import.file"))</th><th>\(t("import.holds"))</th>\
            <th>\(t("import.required"))</th><th>\(t("import.optional"))</th></tr></thead>\
            <tbody>\(layout)</tbody></table></details>
            """
        return Layout.page(req: req, identity: id, title: t("import.title"), body: body)
    }

    func upload(_ req: Request, _ id: Identity) async throws -> Response {
        let files = (try? req.content.decode(Upload.self).files) ?? []
        var named: [String: [UInt8]] = [:]
        for f in files where !f.filename.isEmpty {
            named[(f.filename as NSString).lastPathComponent] = Array(f.data.readableBytesView)
        }
        do {
            guard !named.isEmpty else {
                throw ImportProblems([
                    ImportProblem(file: "", line: 0, field: "files", reason: req.t("import.nofiles"))
                ])
            }
            // Files that cannot be read at all are answered at once; the rows are checked in the background.
            _ = try ImportSource.tables(named)
        } catch let e as ImportProblems {
            return try await page(req, id, errors: e.items).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let run = try await ImportRuns.start(files: named, actor: id.actor, userID: id.userID, on: req.application)
        return req.redirect(to: "/imports/\(run.id!.uuidString)")
    }

    func show(_ req: Request, _ id: Identity) async throws -> HTML {
        let t = req.t
        guard let run = try await ImportRun.find(try req.uuid("runID"), on: req.db) else { throw Abort(.notFound) }
        let refused: HTML =
            req.query[String.self, at: "refused"].map { "<div class=\"error-summary\" role=\"alert\">\($0)</div>" }
            ?? .empty
        let body: HTML = """
            <p><a href="/imports">← \(t("import.title"))</a></p>
            <h1>\(t("import.run", Layout.dateTime(run.requestedAt)))</h1>
            <p class="muted">\(t("import.run.by", run.requestedBy, run.source))</p>
            \(refused)
            \(Self.state(req, run))
            """
        return Layout.page(req: req, identity: id, title: t("import.title"), body: body)
    }

    static func report(_ r: ImportRun) -> ImportReport? {
        r.report.flatMap { try? JSONDecoder().decode(ImportReport.self, from: Data($0.utf8)) }
    }

    /// checking, writing, checked, refused, done, failed: what the page says the run is.
    static func phase(_ r: ImportRun) -> String {
        let status = ImportRuns.Status(rawValue: r.status) ?? .failed
        switch status {
        case .waiting, .running: return r.mode == ImportMode.dryRun.rawValue ? "checking" : "writing"
        default: return status.rawValue
        }
    }

    /// The run's state: progress while it runs (asked again every few seconds), then the report and what can be
    /// done next.
    static func state(_ req: Request, _ run: ImportRun) -> HTML {
        let t = req.t
        let phase = phase(run)
        let id = run.id!.uuidString
        if phase == "checking" || phase == "writing" {
            let percent = run.total > 0 ? min(99, run.done * 100 / run.total) : 0
            return """
                <div id="import-state" role="status" data-poll="/imports/\(id)/status">
                <p>\(t("import.\(phase)", t.number(percent)))</p>
                <progress max="100" value="\(percent)" aria-label="\(t("import.\(phase).label"))">\
                \(percent) %</progress>
                </div>
                """
        }
        guard let report = report(run) else {
            return """
                <div id="import-state" role="status"><p class="error-summary">\
                \(t("import.failed", run.error ?? ""))</p></div>
                """
        }
        let counts = ImportKind.allCases.compactMap { k -> HTML? in
            guard let c = report.counts[k.rawValue] else { return nil }
            return """
                <tr><td><code>\(k.rawValue)</code></td><td class="num">\(t.number(c.rows))</td>\
                <td class="num">\(t.number(c.created))</td><td class="num">\(t.number(c.updated))</td>\
                <td class="num">\(t.number(c.unchanged))</td><td class="num">\(t.number(c.refused))</td></tr>
                """
        }
        let countTable: HTML =
            counts.isEmpty
            ? .empty
            : """
            <table><thead><tr><th>\(t("import.file"))</th><th class="num">\(t("import.rows"))</th>\
            <th class="num">\(t("import.new"))</th><th class="num">\(t("import.changed"))</th>\
            <th class="num">\(t("import.unchanged"))</th><th class="num">\(t("import.refused"))</th></tr></thead>\
            <tbody>\(counts)</tbody></table>
            """
        var next: HTML = .empty
        var summary: String
        switch phase {
        case "checked":
            summary = t("import.checked", t.number(report.rows), String(format: "%.1f", report.seconds))
            next = """
                <form method="post" action="/imports/\(id)/apply">\(Layout.csrfField(req))
                <input type="hidden" name="mode" value="all">
                <button class="primary" type="submit">\(t("import.apply", t.number(report.rows)))</button></form>
                """
        case "refused" where report.mode == .dryRun && report.rows > report.refused:
            summary = t("import.refused.some", t.number(report.refused), t.number(report.rows))
            next = """
                <p>\(t("import.refused.choice"))</p>
                \(Layout.confirmedAction(
                    req, action: "/imports/\(id)/apply?mode=valid-rows",
                    label: t("import.apply.valid", t.number(report.rows - report.refused)),
                    confirm: t("import.apply.valid.confirm", t.number(report.refused))))
                """
        case "refused":
            summary = t("import.refused.all", t.number(report.problems.count))
        case "done":
            summary =
                t(
                    "import.done", t.number(report.rows - report.refused), String(format: "%.1f", report.seconds))
                + (report.refused > 0 ? " " + t("import.done.waiting", t.number(report.refused)) : "")
        default:
            summary = t("import.failed", run.error ?? "")
        }
        return """
            <div id="import-state" role="status">
            <p class="\(phase == "done" || phase == "checked" ? "notice" : "error-summary")">\(summary)</p>
            \(countTable)\(next)
            \(report.problems.isEmpty ? HTML.empty : problemTable(t, report.problems))
            </div>
            """
    }

    /// Every refused row with its file, line, field and reason (the first thousand on the page).
    static func problemTable(_ t: Translator, _ problems: [ImportProblem]) -> HTML {
        let shown = problems.prefix(1000).map { p -> HTML in
            """
            <tr><td>\(p.file)</td><td class="num">\(p.line > 0 ? String(p.line) : "")</td><td>\(p.field)</td>\
            <td>\(p.reason)</td></tr>
            """
        }
        let more: HTML =
            problems.count > 1000
            ? "<p class=\"muted\">\(t("import.problems.more", t.number(problems.count - 1000)))</p>"
            : .empty
        return """
            <h2>\(t("import.problems", t.number(problems.count)))</h2>
            <table class="problems"><thead><tr><th>\(t("import.file"))</th><th class="num">\(t("import.line"))</th>\
            <th>\(t("import.field"))</th><th>\(t("import.reason"))</th></tr></thead><tbody>\(shown)</tbody></table>
            \(more)
            """
    }
}
