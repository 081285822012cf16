import Fluent
import Foundation
import PassageDomain
import Vapor

/// The retention page: the schedule, the persons due (a dry run: nothing changes until an administrator confirms),
/// and the legal holds that keep records past their period.
struct RetentionPages {
    func boot(_ app: Application) {
        let r = app.grouped("protection", "retention")
        r.get(roles: SharingGate.roles) { req, id in try await Self.page(req, id, failure: nil) }
        r.post("schedule", roles: SharingGate.writers) { req, id -> Response in
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt(
                "schedule", f, to: "/protection/retention?notice=saved",
                { try await Self.saveYears(f, actor: id.actor, on: req.application) },
                failed: { try await Self.page(req, id, failure: $0) })
        }
        r.post("run", roles: SharingGate.writers) { req, id -> Response in
            let n = try await Retention.run(actor: id.actor, on: req.application)
            return req.redirect(to: "/protection/retention?done=\(n)")
        }
        r.post("holds", roles: SharingGate.roles) { req, id -> Response in
            let f = try FormInput.fields(req)
            return try await SectionForms.attempt(
                "hold", f, to: "/protection/retention?notice=hold-placed#holds",
                { try await Retention.hold(f, actor: id.actor, on: req.application) },
                failed: { try await Self.page(req, id, failure: $0) })
        }
        r.post("holds", ":holdID", "lift", roles: SharingGate.roles) { req, id -> Response in
            try await Retention.lift(try req.uuid("holdID"), actor: id.actor, on: req.application)
            return req.redirect(to: "/protection/retention?notice=hold-lifted#holds")
        }
    }

    static func saveYears(_ f: FormFields, actor: Actor, on app: Application) async throws {
        var e = ValidationErrors()
        let years = Int((f["years"] ?? "").trimmingCharacters(in: .whitespaces))
        if years == nil || !(1...100).contains(years!) {
            e.add("years", "must be a whole number of years from 1 to 100")
        }
        try e.throwIfAny()
        guard let rule = try await RetentionRule.query(on: app.db).filter(\.$recordType == "closed_case").first()
        else { throw Abort(.notFound) }
        guard rule.years != years else { return }
        try await app.writeTransaction { db in
            let before = rule.years
            rule.years = years!; rule.updatedBy = actor.name; rule.updatedAt = Clock.now()
            try await rule.update(on: db)
            try await AuditLog.change(
                db, actor, .update, "retention_rule", rule.id, person: nil, before: ["years": String(before)],
                after: ["years": String(rule.years)])
        }
    }

    static func page(_ req: Request, _ id: Identity, failure: SectionFailure?) async throws -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let years = try await Retention.years(on: req.db)
        let due = try await Retention.due(on: req.db)
        let admin = id.has(.administrator)
        var notice: HTML = .empty
        if let n = req.query[Int.self, at: "done"] {
            notice = "<div class=\"notice\" role=\"status\">\(t("retention.done", t.number(n)))</div>"
        } else if let key = req.query[String.self, at: "notice"], ["saved", "hold-placed", "hold-lifted"].contains(key)
        {
            notice = "<div class=\"notice\" role=\"status\">\(t("retention.notice.\(key)"))</div>"
        }
        let schedule: HTML =
            admin
            ? f.form(
                "/protection/retention/schedule", "schedule", button: "form.save",
                """
                \(f.field("schedule", "years", "retention.years", String(years), type: "number"))
                """) : "<p>\(t("retention.rule", t.number(years)))</p>"
        let sample = due.sample.map { s -> HTML in "<tr><td>\(s.reference)</td><td>\(s.closedOn)</td></tr>" }
        let more: HTML =
            due.persons > due.sample.count
            ? "<p class=\"muted\">\(t("retention.more", t.number(due.persons - due.sample.count)))</p>" : .empty
        let run: HTML =
            admin
            ? Layout.confirmedAction(
                req, action: "/protection/retention/run", label: t("retention.run", t.number(due.persons)),
                confirm: t("retention.run.confirm")) : .empty
        let list: HTML =
            due.persons == 0
            ? "<p class=\"empty\">\(t("retention.none"))</p>"
            : """
            <p>\(t("retention.due", t.number(due.persons), t.number(due.cases), due.cutoff))</p>
            <table><thead><tr><th>\(t("retention.person"))</th><th>\(t("retention.lastClosed"))</th></tr></thead>\
            <tbody>\(sample)</tbody></table>\(more)\(run)
            """
        let holds = try await LegalHold.query(on: req.db).filter(\.$liftedOn == nil).sort(\.$placedOn).all()
        let people = try await Person.query(on: req.db).filter(\.$id ~~ Set(holds.map(\.personID))).all()
        let refs = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.reference) })
        func lift(_ h: LegalHold) -> HTML {
            Layout.confirmedAction(
                req, action: "/protection/retention/holds/\(h.id!.uuidString)/lift", label: t("retention.hold.lift"),
                confirm: t("retention.hold.lift.confirm"))
        }
        let holdRows = holds.map { h -> HTML in
            """
            <tr><td>\(refs[h.personID] ?? "")</td><td>\(h.reason)</td><td>\(h.placedOn) · \(h.placedBy)</td>\
            <td>\(lift(h))</td></tr>
            """
        }
        let holdTable: HTML =
            holdRows.isEmpty
            ? "<p class=\"empty\">\(t("retention.hold.none"))</p>"
            : """
            <table><thead><tr><th>\(t("retention.person"))</th><th>\(t("retention.hold.reason"))</th>\
            <th>\(t("retention.hold.placed"))</th><th><span class="sr-only">\(t("table.actions"))</span></th></tr>\
            </thead><tbody>\(holdRows)</tbody></table>
            """
        let holdForm = f.folded(
            "hold", "retention.hold.add",
            f.form(
                "/protection/retention/holds", "hold", button: "retention.hold.add",
                """
                <div class="grid">\(f.field("hold", "person", "retention.person", hint: "retention.person.hint"))\
                \(f.field("hold", "reason", "retention.hold.reason"))</div>
                """))
        let body: HTML = """
            \(notice)<h1>\(t("protection.retention"))</h1>\(ProtectionPages.tabs(req, id, "/protection/retention"))
            <p>\(t("retention.intro"))</p>
            <h2>\(t("retention.schedule"))</h2>\(schedule)
            <h2>\(t("retention.dueTitle"))</h2>\(list)
            <h2 id="holds">\(t("retention.holds"))</h2>\(holdTable)\(holdForm)
            """
        return Layout.page(req: req, identity: id, title: t("protection.retention"), body: body)
    }
}

/// `passage retention --user ADMIN [--apply]`: lists what is due (a dry run) or anonymises it.
struct RetentionCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "user", help: "The administrator the audit trail names") var user: String?
        @Flag(name: "apply", help: "Anonymise what is due (without it, only list it)") var apply: Bool
    }
    var help: String { "Anonymises the records past their retention period (a dry run unless --apply)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let name = signature.user,
            let user = try await User.query(on: app.db).filter(\.$username == name).first(),
            user.roles.contains(.administrator)
        else {
            throw ValidationErrors("user", "give the username of an administrator (--user)")
        }
        let due = try await Retention.due(on: app.db)
        context.console.print(
            "\(due.persons) persons (\(due.cases) cases) are due: every case closed on or before \(due.cutoff).")
        for s in due.sample { context.console.print("  \(s.reference)  last case closed \(s.closedOn)") }
        guard signature.apply else {
            context.console.print("Dry run: nothing changed. --apply anonymises them.")
            return
        }
        let started = Date()
        let n = try await Retention.run(actor: Actor(id: user.id!.uuidString, name: user.username), on: app)
        context.console.print(
            "Anonymised \(n) persons in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
    }
}
