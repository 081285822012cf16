import Fluent
import PassageDomain
import Vapor

/// A person's consents on their page and in the API: what they agreed to, from when, until when, and withdrawals.
struct ConsentPages {
    /// One consent as pages and the API show it.
    struct View: Content {
        var id: UUID
        var purpose: String
        var givenOn: String
        var scope: String
        var expiresOn: String?
        var recordedBy: String
        var withdrawnOn: String?
        var withdrawnBy: String?
        var withdrawalNote: String?
        /// live, lapsed, withdrawn.
        var status: String

        init(_ c: ConsentRecord, today: String = Clock.today().isoText) {
            id = c.id!; purpose = c.purpose; givenOn = c.givenOn; scope = c.scope; expiresOn = c.expiresOn
            recordedBy = c.recordedBy; withdrawnOn = c.withdrawnOn; withdrawnBy = c.withdrawnBy
            withdrawalNote = c.withdrawalNote
            status =
                c.withdrawnOn.map { $0 <= today } == true
                ? "withdrawn" : c.facts.covers(today) ? "live" : c.givenOn > today ? "future" : "lapsed"
        }
    }

    func boot(_ app: Application, api: any RoutesBuilder) {
        let persons = app.grouped("persons", ":personID", "consents")
        persons.post(roles: ConsentRecords.roles) { req, id -> Response in
            let pid = try req.uuid("personID")
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt(
                "consent", f, to: CorePaths.person(pid) + "?notice=consent-recorded#consents",
                { _ = try await ConsentRecords.record(pid, f, actor: id.actor, on: req.application) },
                failed: { try await PersonPagesController().detail(req, id, pid: pid, link: nil, consent: $0) })
        }
        persons.post(":consentID", "withdraw", roles: ConsentRecords.roles) { req, id -> Response in
            let pid = try req.uuid("personID")
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt(
                "withdraw", f, to: CorePaths.person(pid) + "?notice=consent-withdrawn#consents",
                {
                    _ = try await ConsentRecords.withdraw(
                        try req.uuid("consentID"), of: pid, f, actor: id.actor, on: req.application)
                },
                failed: { try await PersonPagesController().detail(req, id, pid: pid, link: nil, consent: $0) })
        }
        let json = api.grouped("persons", ":personID", "consents")
        json.get(roles: PersonAccess.read) { req, id -> [View] in
            let pid = try req.uuid("personID")
            guard try await Person.find(pid, on: req.db) != nil else {
                throw Abort(.notFound, reason: "No such person.")
            }
            try await AuditLog.views(req.application, id.actor, entity: "consent", entityID: pid, persons: [pid])
            return try await ConsentRecords.of(pid, on: req.db).map { View($0) }
        }
        json.post(roles: ConsentRecords.roles) { req, id -> Response in
            let c = try await ConsentRecords.record(
                try req.uuid("personID"), try FormInput.fields(req), actor: id.actor, on: req.application)
            return try await View(c).encodeResponse(status: .created, for: req)
        }
        json.post(":consentID", "withdraw", roles: ConsentRecords.roles) { req, id -> View in
            View(
                try await ConsentRecords.withdraw(
                    try req.uuid("consentID"), of: try req.uuid("personID"), try FormInput.fields(req),
                    actor: id.actor, on: req.application))
        }
    }

    /// Above a form whose processing rests on the person's consent, while none covers today: why, and where to
    /// record it.
    static func missing(_ req: Request, _ purpose: ProcessingPurpose, personID: UUID) async throws -> HTML {
        guard let reason = try await ProcessingBasis.refusal(purpose, person: personID, on: req.db) else {
            return .empty
        }
        return """
            <p class="warning" role="note">\(reason) <a href="\(CorePaths.person(personID))#consents">\
            \(req.t("consent.record.there"))</a></p>
            """
    }

    /// The same for several persons (a household's members): who has no consent in force, each a link to their
    /// page.
    static func missing(_ req: Request, _ purpose: ProcessingPurpose, persons: [(id: UUID, name: String)])
        async throws -> HTML
    {
        var lacking: [HTML] = []
        for p in persons where try await ProcessingBasis.refusal(purpose, person: p.id, on: req.db) != nil {
            lacking.append("<a href=\"\(CorePaths.person(p.id))#consents\">\(p.name)</a>")
        }
        guard !lacking.isEmpty else { return .empty }
        let names = HTML(raw: lacking.map(\.raw).joined(separator: ", "))
        return """
            <p class="warning" role="note">\(req.t("consent.lacking.\(purpose.rawValue)")) \(names)</p>
            """
    }

    /// The person page's section: every consent with its state, a form to record one and, per live one, its
    /// withdrawal behind a confirmation.
    static func block(_ req: Request, _ id: Identity, personID: UUID, failure: SectionFailure?) async throws -> HTML {
        let t = req.t
        let consents = try await ConsentRecords.of(personID, on: req.db).map { View($0) }
        let canWrite = id.hasAny(ConsentRecords.roles)
        let f = SectionForms(req: req, failure: failure)
        let base = CorePaths.person(personID) + "/consents"
        let rows = consents.map { c -> HTML in
            let withdraw: HTML =
                canWrite && c.withdrawnOn == nil
                ? """
                <details class="confirm"><summary>\(t("consent.withdraw"))…</summary>
                <form method="post" action="\(base)/\(c.id.uuidString)/withdraw" class="card" novalidate>\
                \(Layout.csrfField(req))<div class="grid">\
                \(f.field("withdraw", "withdrawnOn", "consent.withdrawnOn", Clock.today().isoText, type: "date"))\
                \(f.field("withdraw", "note", "consent.note"))</div>\
                <p>\(t("consent.withdraw.confirm"))</p>\
                <button class="danger" type="submit">\(t("consent.withdraw"))</button></form></details>
                """ : .empty
            let withdrawn: HTML =
                c.withdrawnOn.map { day -> HTML in
                    let note = c.withdrawalNote.map { ": " + $0 } ?? ""
                    return
                        "<br><span class=\"muted\">\(t("consent.withdrawnBy", day, c.withdrawnBy ?? ""))\(note)</span>"
                } ?? .empty
            return """
                <tr><td>\(t("purpose.\(c.purpose)"))</td><td>\(c.scope)</td><td>\(c.givenOn)</td>\
                <td>\(c.expiresOn ?? "—")</td><td><span class="badge \(c.status)">\(t("consent.status.\(c.status)"))\
                </span>\(withdrawn)</td><td>\(c.recordedBy)</td><td>\(withdraw)</td></tr>
                """
        }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(t("consent.none"))</p>"
            : """
            <table><thead><tr><th>\(t("consent.purpose"))</th><th>\(t("consent.scope"))</th>\
            <th>\(t("consent.givenOn"))</th><th>\(t("consent.expiresOn"))</th><th>\(t("consent.state"))</th>\
            <th>\(t("consent.recordedBy"))</th><th><span class="sr-only">\(t("table.actions"))</span></th></tr>\
            </thead><tbody>\(rows)</tbody></table>
            """
        let purposes = ProcessingPurpose.allCases.map { (value: $0.rawValue, label: t("purpose.\($0.rawValue)")) }
        let form: HTML =
            canWrite
            ? f.folded(
                "consent", "consent.add",
                f.form(
                    base, "consent", button: "consent.add",
                    """
                    <div class="grid">\(f.select("consent", "purpose", "consent.purpose", purposes, nil, blank: "—"))\
                    \(f.field("consent", "givenOn", "consent.givenOn", Clock.today().isoText, type: "date"))\
                    \(f.field("consent", "expiresOn", "consent.expiresOn", type: "date"))</div>\
                    \(f.field("consent", "scope", "consent.scope", hint: "consent.scope.hint"))
                    """)) : .empty
        let withdrawFailure = f.summary("withdraw")
        return """
            <h2 id="consents">\(t("consent.title"))</h2>
            <p class="muted">\(t("consent.help"))</p>
            \(withdrawFailure)\(table)\(form)
            """
    }
}
