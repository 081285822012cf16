import Fluent
import PassageDomain
import Vapor

/// What a return case's journey needs, and the medical officers' worklist: the work the medical records ask for.
enum ReturnQueues {
    /// What each case's journey needs, read from its vulnerability records in one query. Only the operational
    /// consequence leaves here: an escort, a fit-to-fly assessment and its validity, the help at the airport. A
    /// trafficking record adds nothing, so a journey's needs never hint at one.
    static func travelNeeds(_ caseIDs: [UUID], on db: any Database) async throws -> [UUID: TravelNeeds] {
        guard !caseIDs.isEmpty else { return [:] }
        var out: [UUID: TravelNeeds] = [:]
        let records = try await VulnerabilityRecord.query(on: db).filter(\.$caseRecord.$id ~~ caseIDs)
            .filter(\.$kind ~~ [VulnerabilityKind.medical, .unaccompaniedChild]).all()
        for v in records {
            var n = out[v.$caseRecord.id] ?? TravelNeeds()
            var help = Set(n.assistance)
            switch v.kind {
            case .unaccompaniedChild:
                help.insert(.unaccompaniedChild)
                if n.escort == .none { n.escort = .operational }
            case .medical:
                let m = v.decode(MedicalRecord.self) ?? MedicalRecord()
                help.insert(.medical)
                if let e = EscortKind(rawValue: m.escort.rawValue), e == .medical || n.escort == .none {
                    n.escort = e
                }
                if m.fitToFlyRequired {
                    n.fitToFlyRequired = true
                    n.fitToFly = m.fitToFly
                    n.fitToFlyValidUntil = m.fitToFly == .fit ? m.fitToFlyValidUntil : nil
                }
            case .trafficking:
                break
            }
            n.assistance = AssistanceKind.allCases.filter(help.contains)
            out[v.$caseRecord.id] = n
        }
        return out
    }

    // MARK: the medical worklist

    /// What a medical record still asks of the medical officers.
    enum MedicalTask: String, CaseIterable, Codable, Sendable {
        /// A fit-to-fly assessment is required and there is none, the person was found unfit, or it runs out soon.
        case fitToFly = "fit_to_fly"
        /// An escort is to travel with the person.
        case escort
        /// Whether the treatment is available in the country of return has not been checked.
        case treatment
        /// The medical records are not translated yet.
        case translation
    }

    /// How many days before it runs out a fit-to-fly assessment is due again.
    static let fitToFlyNoticeDays = 14

    struct MedicalRow: Sendable, Codable {
        var caseID: UUID
        var reference: String
        var personID: UUID
        var person: String
        var stage: ReturnStage
        var destinationCountry: String
        var fitToFly: FitToFly
        var fitToFlyRequired: Bool
        var fitToFlyValidUntil: PartialDate?
        var escort: Escort
        var tasks: [MedicalTask]
    }

    struct MedicalAnswer: Content {
        var items: [MedicalRow]
        var total: Int
        var page: Int
        var pageSize: Int
        /// How many open cases ask for each task, whatever the filter.
        var byTask: [String: Int]
    }

    /// The stages at which a medical record still asks for work: the person has not left.
    static let openStages: [ReturnStage] = [.intake, .counselling, .decided, .eligibility, .preparing]

    /// The tasks a record asks for; `notice` is the last day an assessment that runs out counts as due.
    static func tasks(_ m: MedicalRecord, notice: PartialDate) -> [MedicalTask] {
        var out: [MedicalTask] = []
        if m.fitToFlyRequired {
            if m.fitToFly != .fit || (m.fitToFlyValidUntil.map { $0 < notice } ?? true) { out.append(.fitToFly) }
        }
        if m.escort != .none { out.append(.escort) }
        if m.treatmentAvailability == .unchecked { out.append(.treatment) }
        if !m.recordsTranslated { out.append(.translation) }
        return out
    }

    static let medicalSorts = ["due", "reference", "person", "stage"]

    /// Reads `task` (one of the tasks, or empty for all of them); anything else is a 422 that names it.
    static func medicalTask(_ req: Request) throws -> MedicalTask? {
        guard let raw = req.query[String.self, at: "task"], !raw.isEmpty else { return nil }
        guard let task = MedicalTask(rawValue: raw) else {
            var e = ValidationErrors()
            e.add("task", "must be one of " + MedicalTask.allCases.map(\.rawValue).joined(separator: ", "))
            throw e
        }
        return task
    }

    /// The open cases whose medical record asks for work (only `task`, when given), in the chosen order: by
    /// default those whose fit-to-fly runs out first, those with none before them. One page, the number in all,
    /// and how many ask for each task.
    static func medicalWorklist(task: MedicalTask?, _ p: ListPaging, on db: any Database) async throws
        -> (rows: [MedicalRow], total: Int, byTask: [MedicalTask: Int])
    {
        let notice = Clock.today(plus: fitToFlyNoticeDays)
        let found = try await VulnerabilityRecord.query(on: db)
            .join(ReturnCase.self, on: \VulnerabilityRecord.$caseRecord.$id == \ReturnCase.$caseRecord.$id)
            .filter(\.$kind == .medical).filter(ReturnCase.self, \.$stage ~~ openStages)
            .with(\.$caseRecord) { $0.with(\.$person) }.all()
        var all: [MedicalRow] = []
        for v in found {
            let r = try v.joined(ReturnCase.self)
            let m = v.decode(MedicalRecord.self) ?? MedicalRecord()
            let tasks = tasks(m, notice: notice)
            guard !tasks.isEmpty else { continue }
            let c = v.caseRecord
            all.append(
                MedicalRow(
                    caseID: v.$caseRecord.id, reference: c.reference, personID: c.$person.id,
                    person: "\(c.person.familyName), \(c.person.givenNames)", stage: r.stage,
                    destinationCountry: r.destinationCountry, fitToFly: m.fitToFly,
                    fitToFlyRequired: m.fitToFlyRequired,
                    fitToFlyValidUntil: m.fitToFly == .fit ? m.fitToFlyValidUntil : nil, escort: m.escort, tasks: tasks)
            )
        }
        var byTask: [MedicalTask: Int] = [:]
        for r in all { for t in r.tasks { byTask[t, default: 0] += 1 } }
        let chosen = task.map { t in all.filter { $0.tasks.contains(t) } } ?? all
        let stageOrder = Dictionary(uniqueKeysWithValues: ReturnStage.allCases.enumerated().map { ($1, $0) })
        let sorted = chosen.sorted { a, b in
            let (x, y) = p.descending ? (b, a) : (a, b)
            switch p.sort {
            case "reference": return x.reference < y.reference
            case "person": return (x.person, x.reference) < (y.person, y.reference)
            case "stage": return (stageOrder[x.stage] ?? 0, x.reference) < (stageOrder[y.stage] ?? 0, y.reference)
            default:
                // No valid assessment first, then the one that runs out soonest.
                let dx = x.fitToFlyRequired ? (x.fitToFlyValidUntil?.isoText ?? "") : "~"
                let dy = y.fitToFlyRequired ? (y.fitToFlyValidUntil?.isoText ?? "") : "~"
                return (dx, x.reference) < (dy, y.reference)
            }
        }
        let page = Array(sorted.dropFirst(min(sorted.count, p.range.lowerBound)).prefix(p.pageSize))
        return (page, chosen.count, byTask)
    }
}

extension ReturnQueues {
    /// The worklist as the request asks for it (`task`, `sort`, `dir`, `page`). The list names persons with what
    /// their medical record asks: each row is audited as a reading of that case.
    static func medicalWorklist(_ req: Request, _ id: Identity, note: String) async throws -> MedicalPage {
        guard id.reads(.medical) else {
            throw DomainError(.notAllowed, "The office's access matrix does not let your role read medical data.")
        }
        let task = try medicalTask(req)
        let paging = try ListPaging.read(req, sorts: medicalSorts, default: "due", pageSize: 50)
        let found = try await medicalWorklist(task: task, paging, on: req.db)
        try await AuditLog.listed(
            req.application, id.actor, entity: "case", rows: found.rows.map { ($0.caseID, $0.personID) },
            note: note)
        return MedicalPage(rows: found.rows, total: found.total, byTask: found.byTask, task: task, paging: paging)
    }

    struct MedicalPage {
        var rows: [MedicalRow]
        var total: Int
        var byTask: [MedicalTask: Int]
        var task: MedicalTask?
        var paging: ListPaging
    }

    /// The medical officers' worklist: a row per open case whose medical record asks for work, with what it asks.
    static func medicalPage(_ req: Request, _ id: Identity, _ m: MedicalPage) -> HTML {
        let t = req.t
        let path = ReturnPaths.medical
        let items = [("task", m.task?.rawValue ?? "")]
        func th(_ key: String, _ label: String) -> HTML { m.paging.heading(t(label), key: key, path, query: items, t) }
        let filters = ([nil] + MedicalTask.allCases).map { task -> HTML in
            let label =
                task.map { "\(t("return.medwork.task.\($0.rawValue)")): \(t.number(m.byTask[$0] ?? 0))" }
                ?? t("return.medwork.all")
            let href = path + (task.map { "?task=\($0.rawValue)" } ?? "")
            let current = task == m.task ? " aria-current=\"page\"" : ""
            return "<a class=\"badge\" href=\"\(href)\"\(HTML(raw: current))>\(label)</a> "
        }
        let trs = m.rows.map { r -> HTML in
            let fit: String =
                !r.fitToFlyRequired
                ? t("return.medwork.fit.none")
                : r.fitToFlyValidUntil.map { t("return.medwork.fit.until", t.day($0)) }
                    ?? t("fit.\(r.fitToFly.rawValue)")
            let tasks = r.tasks.map { "<span class=\"badge warn\">\(t("return.medwork.task.\($0.rawValue)"))</span>" }
            return """
                <tr><td class="nowrap"><a href="\(ReturnPaths.file(r.caseID))#vulnerabilities">\(r.reference)</a></td>\
                <td>\(r.person)</td><td>\(ReturnPages.stageBadge(t, r.stage.rawValue))</td>\
                <td>\(t.country(r.destinationCountry))</td><td class="nowrap">\(fit)</td>\
                <td>\(r.escort == .none ? "—" : t("escort.\(r.escort.rawValue)"))</td>\
                <td>\(HTML(raw: tasks.joined(separator: " ")))</td></tr>
                """
        }
        let table: HTML =
            m.rows.isEmpty
            ? "<p class=\"empty\">\(t("return.medwork.none"))</p>"
            : """
            <div class="scroll"><table><thead><tr>\(th("reference", "case.reference"))\(th("person", "person.name"))\
            \(th("stage", "return.stage"))<th>\(t("return.destination"))</th>\(th("due", "return.medical.fit"))\
            <th>\(t("return.medical.escort"))</th><th>\(t("return.medwork.tasks"))</th></tr></thead>\
            <tbody>\(trs)</tbody></table></div>
            """
        return Layout.page(
            req: req, identity: id, title: t("return.medwork.title"),
            body: """
                <h1>\(t("return.medwork.title"))</h1>
                <p class="hint">\(t("return.medwork.hint", fitToFlyNoticeDays))</p>
                <p class="filters">\(filters)</p>
                \(table)
                \(m.paging.pager(total: m.total, countText: t("cases.count", m.total), path, query: items, t))
                """)
    }
}
