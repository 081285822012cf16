import Fluent
import PassageDomain
import Vapor

/// Who may merge records and record that two are not the same person: staff who register persons. Crossing a
/// "not the same person" decision, and undoing someone else's merge, takes a manager (checked in `PersonMerging`).
enum MergeAccess {
    static let merge: Set<Role> = PersonAccess.write
    /// Running the batch check of the whole registry.
    static let check: Set<Role> = [.manager]
}

/// The pages that compare two records, merge them, undo a merge and record that two are different people.
struct PersonMergePages {
    func boot(_ app: Application) {
        let persons = app.grouped("persons")
        persons.get(":personID", "merge", roles: MergeAccess.merge, use: compare)
        persons.post(":personID", "merge", roles: MergeAccess.merge, use: merge)
        persons.post(":personID", "distinct", roles: MergeAccess.merge, use: distinct)
        persons.post("merges", ":mergeID", "undo", roles: MergeAccess.merge, use: undo)
        persons.get("duplicates", roles: MergeAccess.merge, use: queue)
        // The check's status alone, for the queue page to ask again while a check runs (no person in it).
        persons.get("duplicates", "check", roles: MergeAccess.merge) { req, _ -> HTML in
            Self.checkStatus(req, try await RegistryChecks.latest(on: req.db), polled: true)
        }
        persons.post("duplicates", "check", roles: MergeAccess.check) { req, id -> Response in
            _ = try await RegistryChecks.request(req.application, actor: id.actor)
            return req.redirect(to: "/persons/duplicates?notice=check-started")
        }
    }

    /// The review queue: the pairs the batch check found, best first, to compare and merge or to keep apart.
    func queue(_ req: Request, _ id: Identity) async throws -> HTML {
        let t = req.t
        let paging = try ListPaging.read(req, sorts: ["score"], default: "score", descending: true, pageSize: 25)
        let (items, total) = try await RegistryDuplicates.open(
            limit: paging.pageSize, offset: paging.range.lowerBound, reader: id.actor, app: req.application)
        let last = try await RegistryDuplicates.lastChecked(on: req.db)
        var notice: HTML = .empty
        if let checked = try? req.query.get(Int.self, at: "checked"),
            let found = try? req.query.get(Int.self, at: "found")
        {
            notice =
                "<div class=\"notice\" role=\"status\">\(t("queue.checked", t.number(checked), t.number(found)))</div>"
        } else if req.query[String.self, at: "notice"] == "distinct" {
            notice = "<div class=\"notice\" role=\"status\">\(t("notice.distinct"))</div>"
        } else if req.query[String.self, at: "notice"] == "check-started" {
            notice = "<div class=\"notice\" role=\"status\">\(t("queue.started"))</div>"
        }
        let latest = try await RegistryChecks.latest(on: req.db)
        let checking = latest?.isPending ?? false
        let csrf = Layout.csrfField(req)
        let rows = items.map { r, a, b -> HTML in
            let reasons = PersonPages.reasonItems(
                IdentityMatch.compare(DuplicateCheck.record(b), with: DuplicateCheck.record(a)).reasons, t)
            func who(_ p: Person) -> HTML {
                """
                <a href="\(CorePaths.person(p.id!))">\(p.familyName), \(p.givenNames)</a> \
                <span class="muted">\(p.reference)</span><div class="muted">\(p.dateOfBirth?.description ?? "—") · \
                \(t.country(p.nationality))</div>
                """
            }
            return """
                <tr><td>\(who(a))</td><td>\(who(b))</td><td><span class="score">\(r.score)</span></td>\
                <td><ul class="reasons">\(reasons)</ul></td>\
                <td>\(Self.pairActions(req, a.id!, other: b.reference, fromQueue: true))</td></tr>
                """
        }
        let check: HTML =
            id.hasAny(MergeAccess.check) && !checking
            ? """
            <form method="post" action="/persons/duplicates/check" class="inline">\(csrf)\
            <button class="primary" type="submit">\(t("queue.check"))</button></form>
            """ : .empty
        let pager: HTML =
            total > paging.pageSize
            ? paging.pager(
                total: total, countText: t("queue.count", t.number(total)), "/persons/duplicates", query: [], t)
            : .empty
        let lastChecked = last.map { t("queue.last", t.day(OfficeCalendar.day($0)), t.number(total)) }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(t("queue.empty"))</p>"
            : """
            <table><thead><tr><th>\(t("queue.record"))</th><th>\(t("queue.other"))</th><th>\(t("identity.score"))</th>\
            <th>\(t("identity.why"))</th><th><span class="sr-only">\(t("table.actions"))</span></th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        let progress = Self.checkStatus(req, latest)
        let body: HTML = """
            \(notice)<h1>\(t("queue.title"))</h1>
            <p>\(lastChecked ?? t("queue.never")) \(check)</p>
            \(progress)
            \(table)
            \(pager)
            """
        return Layout.page(req: req, identity: id, title: t("queue.title"), body: body)
    }

    /// Where the latest registry check stands, as a region that, while the check waits or runs, the page's script
    /// asks for again every few seconds (`/persons/duplicates/check`), and that stops asking once it has ended.
    /// `polled`: asked for by the script, so the pairs shown below are those of before the check, and a link to
    /// the page's new state is offered.
    static func checkStatus(_ req: Request, _ latest: RegistryCheck?, polled: Bool = false) -> HTML {
        let t = req.t
        var progress: HTML = .empty
        if let c = latest {
            switch c.status {
            case .queued:
                progress = "<p>\(t("queue.waiting"))</p>"
            case .running:
                let state = RegistryChecks.State(c)
                let step =
                    state.step == .reading
                    ? t("queue.step.reading", t.number(state.done), t.number(state.total))
                    : t("queue.step.\(state.step)")
                progress = """
                    <p>\(t("queue.running", step, t.number(state.percent)))</p>
                    <progress max="100" value="\(state.percent)" aria-label="\(t("queue.title"))">\(state.percent) %\
                    </progress>
                    """
            case .failed:
                progress = "<p class=\"error-summary\">\(t("queue.failed", c.error ?? ""))</p>"
            case .done:
                if let finished = c.finishedAt, let persons = c.persons, let seconds = c.seconds {
                    let line = t(
                        "queue.finished", t.day(OfficeCalendar.day(finished)), t.number(persons),
                        String(format: "%.1f", seconds))
                    let see: HTML = polled ? " <a href=\"/persons/duplicates\">\(t("queue.see"))</a>" : .empty
                    progress = "<p class=\"muted\">\(line)\(see)</p>"
                }
            }
        }
        let waiting = latest?.isPending ?? false
        let poll: HTML = waiting ? " data-poll=\"/persons/duplicates/check\"" : .empty
        return "<div id=\"check-status\" role=\"status\"\(poll)>\(progress)</div>"
    }

    /// A person named by reference (P-…) or id.
    static func find(_ raw: String, on db: any Database) async throws -> Person? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        let q = Person.query(on: db).with(\.$documents).with(\.$location)
        if let id = UUID(uuidString: text) { return try await q.filter(\.$id == id).first() }
        return try await q.filter(\.$reference == text.uppercased()).first()
    }

    struct CompareModel {
        var survivor: Person
        var other: Person?
        var typed: String
        var plan: PersonMerging.Plan?
        var assessment: IdentityMatch.Assessment?
        var reason: String
        var error: String?
    }

    func compare(_ req: Request, _ id: Identity) async throws -> Response {
        let pid = try req.uuid("personID")
        let typed = req.query[String.self, at: "other"] ?? ""
        return try await page(req, id, pid: pid, typed: typed, reason: "", error: nil, status: .ok)
    }

    func page(
        _ req: Request, _ id: Identity, pid: UUID, typed: String, reason: String, error: String?,
        status: HTTPResponseStatus
    ) async throws -> Response {
        guard let survivor = try await Self.find(pid.uuidString, on: req.db) else {
            throw Abort(.notFound, reason: "No such person.")
        }
        var m = CompareModel(survivor: survivor, typed: typed, reason: reason, error: error)
        var status = status
        if !typed.isEmpty {
            if let other = try await Self.find(typed, on: req.db) {
                m.other = other
                m.plan = try await PersonMerging.plan(other, into: survivor, by: id, on: req.db, app: req.application)
                m.assessment = IdentityMatch.compare(
                    DuplicateCheck.record(other), with: DuplicateCheck.record(survivor))
            } else {
                m.error = m.error ?? req.t("merge.other.unknown")
                status = .unprocessableEntity
            }
        }
        try await AuditLog.views(
            req.application, id.actor, entity: "person", entityID: pid,
            persons: [pid] + (m.other?.id.map { [$0] } ?? []), note: "merge comparison")
        return Self.view(req, id, m).response(status: status)
    }

    struct MergeForm: Content {
        var other: String?
        var reason: String?
    }

    func merge(_ req: Request, _ id: Identity) async throws -> Response {
        let pid = try req.uuid("personID")
        let form = try req.content.decode(MergeForm.self)
        let typed = form.other ?? ""
        guard let other = try await Self.find(typed, on: req.db) else {
            return try await page(
                req, id, pid: pid, typed: typed, reason: form.reason ?? "", error: req.t("merge.other.unknown"),
                status: .unprocessableEntity)
        }
        do {
            let record = try await PersonMerging.merge(
                other.id!, into: pid, reason: form.reason ?? "", by: id, app: req.application)
            return req.redirect(to: "\(CorePaths.person(pid))?notice=merged&merge=\(record.id!.uuidString)")
        } catch let e as ValidationErrors {
            return try await page(
                req, id, pid: pid, typed: typed, reason: form.reason ?? "",
                error: (req.t.localized(e)?.items ?? e.items).map(\.message).joined(separator: "; "),
                status: .unprocessableEntity)
        } catch let e as DomainError {
            return try await page(
                req, id, pid: pid, typed: typed, reason: form.reason ?? "", error: e.message, status: .conflict)
        }
    }

    func undo(_ req: Request, _ id: Identity) async throws -> Response {
        let record = try await PersonMerging.undo(try req.uuid("mergeID"), by: id, app: req.application)
        return req.redirect(to: "\(CorePaths.person(record.mergedID))?notice=unmerged")
    }

    struct DistinctForm: Content {
        var other: String?
        /// "queue" when sent from the review queue, to go back there.
        var back: String?
    }

    func distinct(_ req: Request, _ id: Identity) async throws -> Response {
        let pid = try req.uuid("personID")
        let form = try req.content.decode(DistinctForm.self)
        guard let other = try await Self.find(form.other ?? "", on: req.db), other.id != pid else {
            throw ValidationErrors("other", "name another person's record by its reference (P-…)")
        }
        try await req.writeTransaction { db in
            guard try await Person.find(pid, on: db) != nil else { throw Abort(.notFound, reason: "No such person.") }
            try await DuplicateCheck.recordDistinct(pid, from: [other.id!], actor: id.actor, on: db)
        }
        if form.back == "queue" { return req.redirect(to: "/persons/duplicates?notice=distinct") }
        return req.redirect(to: "\(CorePaths.person(pid))?notice=distinct#identity")
    }

    static func facts(_ p: Person, _ t: Translator) -> HTML {
        let s = PersonSummary(p)
        let original: HTML = s.originalName.map { "<div dir=\"auto\">\($0)</div>" } ?? .empty
        let docs = s.documents.map { d in t("doctype." + d.type) + " " + d.number }.joined(separator: ", ")
        return """
            <dl class="facts">
            <dt>\(t("person.name"))</dt><dd><a href="\(CorePaths.person(s.id))">\(s.familyName), \(s.givenNames)</a> \
            <span class="muted">\(s.reference)</span>\(original)</dd>
            <dt>\(t("person.aliases"))</dt><dd>\(s.aliases.isEmpty ? "—" : s.aliases.joined(separator: "; "))</dd>
            <dt>\(t("person.sex"))</dt><dd>\(t("sex.\(s.sex)"))</dd>
            <dt>\(t("person.dob"))</dt><dd>\(s.dateOfBirth ?? "—")</dd>
            <dt>\(t("person.nationality"))</dt><dd>\(t.country(s.nationality))</dd>
            <dt>\(t("person.phone"))</dt><dd>\(s.phone ?? "—")</dd>
            <dt>\(t("person.documents"))</dt><dd>\(docs.isEmpty ? "—" : docs)</dd>
            </dl>
            """
    }

    static func view(_ req: Request, _ id: Identity, _ m: CompareModel) -> HTML {
        let t = req.t
        let s = m.survivor
        let action = "\(CorePaths.person(s.id!))/merge"
        let error: HTML =
            m.error.map { "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\">\($0)</div>" } ?? .empty
        var body: HTML = """
            <h1>\(t("merge.title", s.reference))</h1>\(error)
            <p>\(t("merge.help"))</p>
            <form method="get" action="\(action)" class="card filters">
            \(Layout.field("other", label: t("merge.other"), value: m.typed, error: nil, hint: t("merge.other.hint")))
            <button class="primary" type="submit">\(t("merge.compare"))</button></form>
            """
        if let other = m.other, let plan = m.plan {
            let reasons = PersonPages.reasonItems(m.assessment?.reasons ?? [], t)
            let moves = plan.counts.map { "<li>\(t($0.label)): \($0.count)</li>" as HTML }
            let refusals = plan.refusals.map { "<li>\($0)</li>" as HTML }
            let decided: HTML =
                plan.decidedDistinct && plan.refusals.isEmpty
                ? "<div class=\"warning\">\(t("merge.decidedDistinct"))</div>" : .empty
            let confirm: HTML =
                plan.refusals.isEmpty
                ? """
                <form method="post" action="\(action)" class="card">\(Layout.csrfField(req))
                <input type="hidden" name="other" value="\(other.reference)">
                <label class="field"><span>\(t("merge.reason")) *</span><textarea name="reason" rows="2" \
                required>\(m.reason)</textarea></label>
                <button class="danger" type="submit">\(t("merge.confirm", other.reference, s.reference))</button>
                </form>
                """
                : """
                <div class="error-summary" role="alert"><h2>\(t("merge.refused"))</h2><ul>\(refusals)</ul></div>
                """
            body = """
                \(body)
                <div class="grid two">
                <section class="card"><h2>\(t("merge.survivor"))</h2>\(facts(s, t))</section>
                <section class="card"><h2>\(t("merge.merged"))</h2>\(facts(other, t))</section>
                </div>
                <section class="card"><h2>\(t("merge.evidence", m.assessment?.score ?? 0))</h2>
                <ul class="reasons">\(reasons)</ul></section>
                <section class="card"><h2>\(t("merge.moves", other.reference, s.reference))</h2>
                \(moves.isEmpty ? HTML("<p class=\"empty\">\(t("merge.moves.none"))</p>") : HTML("<ul>\(moves)</ul>"))
                <p class="muted">\(t("merge.after"))</p></section>
                \(decided)\(confirm)
                """
        }
        return Layout.page(req: req, identity: id, title: t("merge.title", s.reference), body: body)
    }

    /// The person page's block: possible duplicates, merges into this record (with their undo), and the persons
    /// recorded as someone else.
    static func block(_ req: Request, _ id: Identity, person: Person) async throws -> HTML {
        let t = req.t
        let pid = person.id!
        guard id.hasAny(MergeAccess.merge) else { return .empty }
        let candidates = try await DuplicateCheck.candidates(
            of: person, on: req.db, index: req.application.nameIndex)
        let merges = try await PersonMerging.mergedInto(pid, on: req.db)
        let mergedRefs = try await references(merges.map(\.mergedID), on: req.db)
        let distinct = try await references(Array(try await DuplicateCheck.distinct(from: pid, on: req.db)), on: req.db)
        if !candidates.isEmpty {
            try await AuditLog.listed(
                req.application, id.actor, entity: "person", rows: candidates.map { ($0.person.id, $0.person.id) },
                note: "possible duplicates")
        }
        guard !candidates.isEmpty || !merges.isEmpty || !distinct.isEmpty else {
            return """
                <h2 id="identity">\(t("identity.title"))</h2><p class="empty">\(t("identity.none"))</p>
                <p><a href="\(CorePaths.person(pid))/merge">\(t("merge.start"))</a></p>
                """
        }
        let rows = candidates.map { c -> HTML in
            let reasons = PersonPages.reasonLines(c.reasons, t).filter(\.isFor).map(\.text).joined(separator: " · ")
            return """
                <tr><td><a href="\(CorePaths.person(c.person.id))">\(c.person.familyName), \(c.person.givenNames)</a> \
                <span class="muted">\(c.person.reference)</span><div class="muted why">\(reasons)</div></td>\
                <td><span class="score">\(c.score)</span></td>\
                <td>\(pairActions(req, pid, other: c.person.reference, fromQueue: false))</td></tr>
                """
        }
        let mergeRows = merges.map { r -> HTML in
            let day = t.day(OfficeCalendar.day(r.mergedAt))
            let undo =
                id.has(.manager) || id.actor.id == r.mergedBy
                ? Layout.confirmedAction(
                    req, action: "/persons/merges/\(r.id!.uuidString)/undo", label: t("merge.undo"),
                    confirm: t("merge.undo.confirm")) : .empty
            return """
                <li>\(t("merge.line", mergedRefs[r.mergedID] ?? "?", r.mergedByName, day))\
                : \(r.reason) \(undo)</li>
                """
        }
        let distinctLinks = distinct.values.sorted().map { "<a href=\"/persons?name=\(urlQuery($0))\">\($0)</a>" }
            .joined(separator: ", ")
        return """
            <h2 id="identity">\(t("identity.title"))</h2>
            \(rows.isEmpty ? .empty : "<p>\(t("identity.candidates"))</p><table><tbody>\(rows)</tbody></table>" as HTML)
            \(mergeRows.isEmpty ? .empty : "<h3>\(t("merge.history"))</h3><ul>\(mergeRows)</ul>" as HTML)
            \(distinct.isEmpty ? .empty : "<p>\(t("identity.distinct")) \(distinctLinks)</p>" as HTML)
            <p><a href="\(CorePaths.person(pid))/merge">\(t("merge.start"))</a></p>
            """
    }

    /// What staff do with a possible pair: compare the two (and merge), or record that they are different people;
    /// from the queue, the answer comes back to the queue.
    static func pairActions(_ req: Request, _ pid: UUID, other: String, fromQueue: Bool) -> HTML {
        let t = req.t
        let back: HTML = fromQueue ? "<input type=\"hidden\" name=\"back\" value=\"queue\">" : .empty
        return """
            <a class="btn secondary" href="\(CorePaths.person(pid))/merge?other=\(other)">\(t("merge.compare"))</a>
            <form method="post" action="\(CorePaths.person(pid))/distinct" class="inline">\(Layout.csrfField(req))\
            <input type="hidden" name="other" value="\(other)">\(back)\
            <button class="btn secondary" type="submit">\(t("identity.notSame"))</button></form>
            """
    }

    static func references(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let found = try await Person.query(on: db).filter(\.$id ~~ ids).field(\.$id).field(\.$reference).all()
        return Dictionary(uniqueKeysWithValues: found.map { ($0.id!, $0.reference) })
    }
}
