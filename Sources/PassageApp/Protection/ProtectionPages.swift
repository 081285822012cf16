import Fluent
import PassageDomain
import Vapor

/// The data protection pages: the record of processing (GDPR art. 30) generated from the register, the register's
/// bases (administrators change them), the sharing agreements, the transfers waiting for one, and the log of
/// transfers.
struct ProtectionPages {
    func boot(_ app: Application) {
        let p = app.grouped("protection")
        p.get(roles: SharingGate.roles) { req, id in try await Self.record(req, id, failure: nil) }
        p.post("register", ":purpose", roles: SharingGate.writers) { req, id -> Response in
            let f = try FormInput.fields(req)
            let purpose = req.parameters.get("purpose") ?? ""
            return try await SectionForms.attempt(
                "p-\(purpose)", f, to: "/protection?notice=saved#p-\(purpose)",
                { try await Self.saveEntry(purpose, f, actor: id.actor, on: req.application) },
                failed: { try await Self.record(req, id, failure: $0) })
        }
        p.get("agreements", roles: SharingGate.roles) { req, id in try await Self.agreements(req, id, failure: nil) }
        p.post("agreements", roles: SharingGate.writers) { req, id -> Response in
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt(
                "agreement", f, to: "/protection/agreements?notice=agreement-recorded",
                { _ = try await SharingAgreements.record(f, actor: id.actor, on: req.application) },
                failed: { try await Self.agreements(req, id, failure: $0) })
        }
        p.post("agreements", ":agreementID", "end", roles: SharingGate.writers) { req, id -> Response in
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt(
                "end", f, to: "/protection/agreements?notice=agreement-ended",
                {
                    try await SharingAgreements.end(
                        try req.uuid("agreementID"), f, actor: id.actor, on: req.application)
                },
                failed: { try await Self.agreements(req, id, failure: $0) })
        }
        p.get("transfers", roles: SharingGate.roles, use: transfers)
    }

    static func notice(_ req: Request) -> HTML {
        guard let key = req.query[String.self, at: "notice"],
            ["saved", "agreement-recorded", "agreement-ended"].contains(key)
        else { return .empty }
        return "<div class=\"notice\" role=\"status\">\(req.t("protection.notice.\(key)"))</div>"
    }

    static func tabs(_ req: Request, _ id: Identity, _ current: String) -> HTML {
        let t = req.t
        var tabs = [
            ("/protection", "protection.record"), ("/protection/agreements", "protection.agreements"),
            ("/protection/transfers", "protection.transfers"), ("/protection/retention", "protection.retention"),
            ("/protection/access", "protection.access"),
        ]
        if id.hasAny(SubjectRequests.handlers) { tabs.append(("/protection/requests", "protection.requests")) }
        if id.hasAny(BreakGlass.reviewers) { tabs.append(("/protection/emergency", "emergency.title")) }
        let links = tabs.map { path, key -> HTML in
            path == current
                ? "<strong aria-current=\"page\">\(t(key))</strong>" : "<a href=\"\(path)\">\(t(key))</a>"
        }
        let joined = HTML(raw: links.map(\.raw).joined(separator: " · "))
        return "<nav class=\"tabs\" aria-label=\"\(t("protection.title"))\">\(joined)</nav>"
    }

    // MARK: the record of processing

    static func record(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let entries = try await ProcessingRegister.entries(on: req.db)
        let agreements = try await SharingAgreement.query(on: req.db).with(\.$partner).all()
        let today = Clock.today().isoText
        let bases = LegalBasis.allCases.map { (value: $0.rawValue, label: t("basis.\($0.rawValue)")) }
        let sections = entries.map { e -> HTML in
            let partners = agreements.filter {
                $0.purposeList.contains(e.purpose) && $0.startsOn <= today && ($0.endsOn.map { today <= $0 } ?? true)
            }.map(\.partner.name)
            let recipients = ([e.recipients] + partners).filter { !$0.isEmpty }.joined(separator: "; ")
            let categories = e.categories.split(separator: ",").map { t("category.\($0)") }.joined(separator: ", ")
            let section = "p-\(e.purpose)"
            let edit: HTML =
                id.has(.administrator)
                ? f.folded(
                    section, "protection.entry.edit",
                    f.form(
                        "/protection/register/\(e.purpose)", section, button: "form.save",
                        """
                        \(f.select(section, "basis", "protection.basis", bases, e.basis))\
                        \(SharingAgreements.boxes(
                            f, section, "categories", "protection.categories",
                            DataCategory.allCases.map { ($0.rawValue, t("category.\($0.rawValue)")) },
                            chosen: e.categories.split(separator: ",").map(String.init)))\
                        \(f.field(section, "description", "protection.description", e.description))\
                        \(f.field(section, "recipients", "protection.recipients", e.recipients))\
                        \(f.field(section, "retention", "protection.retention", e.retention))\
                        \(f.field(section, "safeguards", "protection.safeguards", e.safeguards))
                        """)) : .empty
            return """
                <section class="card" id="\(section)"><h2>\(t("purpose.\(e.purpose)"))</h2>
                <dl class="facts"><dt>\(t("protection.description"))</dt><dd>\(e.description)</dd>
                <dt>\(t("protection.basis"))</dt><dd>\(t("basis.\(e.basis)"))</dd>
                <dt>\(t("protection.categories"))</dt><dd>\(categories)</dd>
                <dt>\(t("protection.recipients"))</dt><dd>\(recipients)</dd>
                <dt>\(t("protection.retention"))</dt><dd>\(e.retention)</dd>
                <dt>\(t("protection.safeguards"))</dt><dd>\(e.safeguards)</dd>
                <dt>\(t("protection.updated"))</dt><dd>\(Layout.dateTime(e.updatedAt)) · \(e.updatedBy)</dd></dl>
                \(edit)</section>
                """
        }
        let body: HTML = """
            \(notice(req))<h1>\(t("protection.record.title"))</h1>\(tabs(req, id, "/protection"))
            <p>\(t("protection.record.intro"))</p>
            \(sections)
            """
        return Layout.page(req: req, identity: id, title: t("protection.record.title"), body: body)
    }

    static func saveEntry(_ purpose: String, _ f: FormFields, actor: Actor, on app: Application) async throws {
        guard let e = try await ProcessingEntry.query(on: app.db).filter(\.$purpose == purpose).first() else {
            throw Abort(.notFound, reason: "No such purpose.")
        }
        var errors = ValidationErrors()
        let basis = (f["basis"] ?? "").trimmingCharacters(in: .whitespaces)
        if LegalBasis(rawValue: basis) == nil {
            errors.add("basis", "must be one of " + LegalBasis.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let categories = SharingAgreements.categories(f, into: &errors)
        let description = Input.text(f["description"], field: "description", max: 500, required: true, into: &errors)
        let recipients = Input.text(f["recipients"], field: "recipients", max: 500, required: true, into: &errors)
        let retention = Input.text(f["retention"], field: "retention", max: 300, required: true, into: &errors)
        let safeguards = Input.text(f["safeguards"], field: "safeguards", max: 500, required: true, into: &errors)
        try errors.throwIfAny()
        try await app.writeTransaction { db in
            let before = e.auditSnapshot
            e.basis = basis; e.categories = categories; e.description = description; e.recipients = recipients
            e.retention = retention; e.safeguards = safeguards
            guard before != e.auditSnapshot else { return }
            e.updatedBy = actor.name; e.updatedAt = Clock.now()
            try await e.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "processing_purpose", e.id, person: nil, before: before, after: e.auditSnapshot)
        }
    }

    // MARK: sharing agreements and what waits for one

    static func agreements(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let all = try await SharingAgreement.query(on: req.db).with(\.$partner).sort(\.$startsOn, .descending).all()
        let today = Clock.today().isoText
        let admin = id.has(.administrator)
        let rows = all.map { a -> HTML in
            let live = a.startsOn <= today && (a.endsOn.map { today <= $0 } ?? true)
            let end: HTML =
                admin && (a.endsOn.map { today < $0 } ?? true)
                ? """
                <details class="confirm"><summary>\(t("agreement.end"))…</summary>
                <form method="post" action="/protection/agreements/\(a.id!.uuidString)/end" class="inline" \
                novalidate>\(Layout.csrfField(req))\
                \(f.field("end", "endsOn", "agreement.endsOn", today, type: "date"))\
                <button class="danger" type="submit">\(t("agreement.end"))</button></form></details>
                """ : .empty
            return """
                <tr><td>\(a.partner.name)</td><td>\(a.purposeList.map { t("purpose.\($0)") }.joined(separator: ", "))\
                </td><td>\(a.categoryList.map { t("category.\($0)") }.joined(separator: ", "))</td>\
                <td>\(a.startsOn) – \(a.endsOn ?? "")</td><td>\(a.documentReference)</td>\
                <td><span class="badge \(live ? "live" : "lapsed")">\(t(live ? "agreement.live" : "agreement.notlive"))\
                </span></td><td>\(end)</td></tr>
                """
        }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(t("agreement.none"))</p>"
            : """
            <table><thead><tr><th>\(t("agreement.partner"))</th><th>\(t("agreement.purposes"))</th>\
            <th>\(t("agreement.categories"))</th><th>\(t("agreement.period"))</th>\
            <th>\(t("agreement.document"))</th><th>\(t("agreement.state"))</th>\
            <th><span class="sr-only">\(t("table.actions"))</span></th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let purposeChoices = ProcessingPurpose.allCases.map { ($0.rawValue, t("purpose.\($0.rawValue)")) }
        let categoryChoices = DataCategory.allCases.map { ($0.rawValue, t("category.\($0.rawValue)")) }
        let partners = try await Partner.query(on: req.db).sort(\.$name).all().map {
            (value: $0.id!.uuidString, label: $0.name)
        }
        let form: HTML =
            admin
            ? f.folded(
                "agreement", "agreement.add",
                f.form(
                    "/protection/agreements", "agreement", button: "agreement.add",
                    """
                    <div class="grid">\(f.select("agreement", "partnerID", "agreement.partner", partners, nil,
                        blank: "—"))\
                    \(f.field("agreement", "documentReference", "agreement.document",
                        hint: "agreement.document.hint"))\
                    \(f.field("agreement", "startsOn", "agreement.startsOn", today, type: "date"))\
                    \(f.field("agreement", "endsOn", "agreement.endsOn", type: "date"))</div>\
                    \(SharingAgreements.boxes(
                        f, "agreement", "purposes", "agreement.purposes", purposeChoices, chosen: ["partner_sharing"]))\
                    \(SharingAgreements.boxes(
                        f, "agreement", "categories", "agreement.categories", categoryChoices, chosen: ["ordinary"]))
                    """)) : .empty
        let held = try await OutboxMessage.query(on: req.db).filter(\.$status == .held).sort(\.$createdAt).all()
        let byHand = try await HeldTransfer.query(on: req.db).filter(\.$releasedAt == nil).with(\.$partner)
            .sort(\.$requestedAt).all()
        let heldRows =
            held.map { m -> HTML in
                """
                <tr><td>\(Layout.dateTime(m.createdAt ?? m.dueAt))</td><td>\(m.label)</td>\
                <td>\(m.lastError ?? "")</td></tr>
                """
            }
            + byHand.map { h -> HTML in
                """
                <tr><td>\(Layout.dateTime(h.requestedAt))</td><td>\(t("transfer.channel.\(h.channel)")): \
                \(h.partner.name), \(h.what) · \(t("agreement.held.askedBy", h.requestedBy))</td>\
                <td>\(t("agreement.held.noAgreement", h.partner.name, t("purpose.\(h.purpose)").lowercased(),
                    t("category.\(h.category)")))</td></tr>
                """
            }
        let heldTable: HTML =
            heldRows.isEmpty
            ? "<p class=\"empty\">\(t("agreement.held.none"))</p>"
            : """
            <p>\(t("agreement.held.help"))</p>
            <table><thead><tr><th>\(t("agreement.held.since"))</th><th>\(t("agreement.held.what"))</th>\
            <th>\(t("agreement.held.why"))</th></tr></thead><tbody>\(heldRows)</tbody></table>
            """
        let body: HTML = """
            \(notice(req))<h1>\(t("protection.agreements"))</h1>\(tabs(req, id, "/protection/agreements"))
            <p>\(t("agreement.intro"))</p>
            \(f.summary("end"))\(table)\(form)
            <h2 id="held">\(t("agreement.held.title", t.number(held.count + byHand.count)))</h2>
            \(heldTable)
            """
        return Layout.page(req: req, identity: id, title: t("protection.agreements"), body: body)
    }

    // MARK: the log of transfers

    func transfers(_ req: Request, _ id: Identity) async throws -> HTML {
        let t = req.t
        let page = try req.queryInteger("page", default: 1, in: 1...Request.maxPage)
        let size = 50
        let total = try await TransferRecord.query(on: req.db).count()
        let rows = try await TransferRecord.query(on: req.db).sort(\.$at, .descending)
            .range(((page - 1) * size)..<(page * size)).all()
        let lines = rows.map { r -> HTML in
            """
            <tr><td>\(Layout.dateTime(r.at))</td><td>\(t("transfer.channel.\(r.channel)"))</td><td>\(r.recipient)</td>\
            <td>\(t("purpose.\(r.purpose)"))</td><td>\(r.basis)</td><td>\(r.what)</td><td>\(r.actor)</td></tr>
            """
        }
        let table: HTML =
            lines.isEmpty
            ? "<p class=\"empty\">\(t("transfer.none"))</p>"
            : """
            <p class="muted">\(t("transfer.count", t.number(total)))</p>
            <table><thead><tr><th>\(t("transfer.at"))</th><th>\(t("transfer.channel"))</th>\
            <th>\(t("transfer.recipient"))</th><th>\(t("consent.purpose"))</th><th>\(t("protection.basis"))</th>\
            <th>\(t("transfer.what"))</th><th>\(t("transfer.actor"))</th></tr></thead><tbody>\(lines)</tbody></table>
            """
        let more: HTML =
            page * size < total
            ? "<p><a class=\"btn secondary\" href=\"/protection/transfers?page=\(page + 1)\">\(t("pager.next"))</a></p>"
            : .empty
        let body: HTML = """
            <h1>\(t("protection.transfers"))</h1>\(Self.tabs(req, id, "/protection/transfers"))
            <p>\(t("transfer.intro"))</p>\(table)\(more)
            """
        return Layout.page(req: req, identity: id, title: t("protection.transfers"), body: body)
    }
}

/// Recording and ending sharing agreements; recording one lets go what waited for it.
enum SharingAgreements {
    /// The words of a list field: typed comma-separated (`purposes`, the API) or ticked one box each
    /// (`purposes.partner_sharing` on the page).
    static func words(_ f: FormFields, _ name: String) -> [String] {
        var out = (f[name] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        for (key, value) in f where key.hasPrefix(name + ".") && Input.flag(value) {
            out.append(String(key.dropFirst(name.count + 1)))
        }
        return out
    }

    /// A fieldset of boxes, one per word, ticked as `chosen` says.
    static func boxes(
        _ f: SectionForms, _ section: String, _ name: String, _ legend: String, _ all: [(String, String)],
        chosen: [String]
    ) -> HTML {
        let ticked = f.failure?.section == section ? words(f.failure!.fields, name) : chosen
        let items = all.map { word, label -> HTML in
            """
            <label class="check-line inline"><input type="checkbox" name="\(name).\(word)" value="true" \
            id="\(f.id(section, name)).\(word)"\(HTML(raw: ticked.contains(word) ? " checked" : ""))> \(label)</label>
            """
        }
        let error: HTML =
            f.error(section, name).map {
                "<span class=\"field-error\" id=\"\(f.id(section, name))-error\">\($0)</span>"
            } ?? .empty
        return """
            <fieldset class="choices" id="\(f.id(section, name))"><legend>\(f.t(legend))</legend>\(items)\(error)\
            </fieldset>
            """
    }

    static func categories(_ f: FormFields, into e: inout ValidationErrors) -> String {
        let words = words(f, "categories")
        if words.isEmpty { e.add("categories", "is required") }
        let unknown = words.filter { DataCategory(rawValue: $0) == nil }
        if !unknown.isEmpty {
            e.add(
                "categories",
                "\(unknown.joined(separator: ", ")) is not a category; use "
                    + DataCategory.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return Array(Set(words)).sorted().joined(separator: ",")
    }

    static func record(_ f: FormFields, actor: Actor, on app: Application) async throws -> SharingAgreement {
        var e = ValidationErrors()
        let partnerID = UUID(uuidString: (f["partnerID"] ?? "").trimmingCharacters(in: .whitespaces))
        var partner: Partner?
        if let partnerID { partner = try await Partner.find(partnerID, on: app.db) }
        if partner == nil { e.add("partnerID", "choose a partner of the registry") }
        let purposeWords = words(f, "purposes")
        if purposeWords.isEmpty { e.add("purposes", "is required") }
        let unknown = purposeWords.filter { ProcessingPurpose(rawValue: $0) == nil }
        if !unknown.isEmpty {
            e.add(
                "purposes",
                "\(unknown.joined(separator: ", ")) is not a purpose; use "
                    + ProcessingPurpose.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let categories = categories(f, into: &e)
        let starts = Input.day(f["startsOn"], field: "startsOn", required: true, into: &e)
        let ends = Input.day(f["endsOn"], field: "endsOn", required: false, into: &e)
        if let starts, let ends, ends < starts { e.add("endsOn", "must not be before the first day") }
        let document = Input.text(
            f["documentReference"], field: "documentReference", max: 200, required: true, into: &e)
        try e.throwIfAny()
        let a = SharingAgreement()
        a.$partner.id = partner!.id!
        a.purposes = Array(Set(purposeWords)).sorted().joined(separator: ",")
        a.categories = categories
        a.startsOn = starts!.isoText
        a.endsOn = ends?.isoText
        a.documentReference = document
        a.recordedBy = actor.name
        try await app.writeTransaction { db in
            try await a.create(on: db)
            try await AuditLog.change(
                db, actor, .create, "sharing_agreement", a.id, person: nil, after: a.auditSnapshot)
            try await SharingGate.release(partner: a.$partner.id, on: db)
            _ = try await SharingGate.releaseHeld(a, on: db)
        }
        return a
    }

    static func end(_ agreementID: UUID, _ f: FormFields, actor: Actor, on app: Application) async throws {
        guard let a = try await SharingAgreement.find(agreementID, on: app.db) else {
            throw Abort(.notFound, reason: "No such agreement.")
        }
        var e = ValidationErrors()
        let ends = Input.day(f["endsOn"], field: "endsOn", required: true, into: &e)
        if let ends, ends.isoText < a.startsOn { e.add("endsOn", "must not be before the first day (\(a.startsOn))") }
        try e.throwIfAny()
        if let done = a.endsOn, done <= Clock.today().isoText {
            throw DomainError(.conflict, "This agreement ended on \(done).")
        }
        try await app.writeTransaction { db in
            let before = a.auditSnapshot
            a.endsOn = ends!.isoText
            try await a.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "sharing_agreement", a.id, person: nil, before: before, after: a.auditSnapshot)
        }
    }
}
