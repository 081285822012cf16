import Fluent
import PassageDomain
import SQLKit
import Vapor

/// Resettlement in the browser: the pipeline, referrals, missions, orientation sessions and group movements.
enum ResettlementPages {
    typealias Words = ReunificationPages

    /// Households per stage, each a link to the list of that stage.
    static func pipeline(on db: any Database, _ t: Translator) async throws -> HTML {
        let rows = try await db.sql.raw("SELECT stage, COUNT(*) AS n FROM rs_referrals GROUP BY stage").all()
        var counts: [String: Int] = [:]
        for r in rows {
            counts[try r.decode(column: "stage", as: String.self)] = try r.decode(column: "n", as: Int.self)
        }
        let items = (ResettlementStage.pipeline + [.rejected, .deferred]).map { s -> HTML in
            """
            <li><a href="\(ResettlementPaths.overview)?stage=\(s.rawValue)#referrals"><b>\(counts[s.rawValue] ?? 0)</b>\
            \(t("rs.stage.\(s.rawValue)"))</a></li>
            """
        }
        return "<ol class=\"pipeline\" aria-label=\"\(t("rs.pipeline"))\">\(items)</ol>"
    }

    static func legFields(_ f: SectionForms, _ s: String, count: Int) -> HTML {
        var out: [HTML] = []
        for i in 1...count {
            out.append(
                """
                <fieldset class="member"><legend>\(f.t("rs.flight", i))</legend>\
                \(f.field(s, "leg\(i)_carrier", "rs.leg.carrier"))\(f.field(s, "leg\(i)_flight", "rs.leg.flight"))\
                \(f.field(s, "leg\(i)_from", "rs.leg.from"))\(f.field(s, "leg\(i)_to", "rs.leg.to"))\
                \(f.field(s, "leg\(i)_departs", "rs.leg.departs", hint: "rs.leg.local"))\
                \(f.field(s, "leg\(i)_arrives", "rs.leg.arrives", hint: "rs.leg.local"))</fieldset>
                """)
        }
        return HTML(raw: out.map(\.raw).joined())
    }

    // MARK: overview

    struct Overview {
        var referrals: ResettlementAPIController.ReferralPage
        var stage: ResettlementStage?
        var missions: [ResettlementAPIController.MissionDTO]
        var sessions: [ResettlementAPIController.SessionDTO]
        var movements: [RSMovement]
        var pipeline: HTML
    }

    static func overview(_ req: Request, _ id: Identity, _ o: Overview, failure: SectionFailure?) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let write = id.hasAny(ResettlementAccess.write)
        let rows = o.referrals.items.map { r -> HTML in
            """
            <tr><td><a href="\(ResettlementPaths.referral(r.id))">\(r.unhcrCaseNumber)</a></td><td>\(r.caseReference)\
            </td><td>\(t.country(r.countryOfAsylum))</td><td>\(t("rs.category.\(r.category.rawValue)"))</td>\
            <td>\(t("rs.priority.\(r.priority.rawValue)"))</td><td>\(r.persons)</td>\
            <td><span class="badge stage-\(r.stage.rawValue)">\(t("rs.stage.\(r.stage.rawValue)"))</span></td></tr>
            """
        }
        let missions = o.missions.map { m -> HTML in
            """
            <tr><td><a href="\(ResettlementPaths.mission(m.id))">\(t.country(m.country))</a></td>\
            <td>\(m.startsOn) – \(m.endsOn)</td><td>\(m.households.count)</td>\
            <td>\(m.households.filter { $0.outcome == .accepted }.count)</td></tr>
            """
        }
        let sessions = o.sessions.map { s -> HTML in
            """
            <tr><td><a href="\(ResettlementPaths.session(s.id))">\(s.place)</a>, \(t.country(s.country))</td>\
            <td>\(s.startsOn) – \(s.endsOn)</td><td>\(t.language(s.language))</td><td>\(s.facilitator)</td>\
            <td>\(s.attendees)</td></tr>
            """
        }
        let movements = o.movements.map { m -> HTML in
            """
            <tr><td><a href="\(ResettlementPaths.movement(m.id!))">\(m.reference)</a></td><td>\(m.departsOn)</td>\
            <td>\(t.country(m.fromCountry))</td><td>\(m.households.count)</td>\
            <td>\(m.households.reduce(0) { $0 + $1.persons })</td><td>\(t("rs.movement.status.\(m.status.rawValue)"))\
            </td></tr>
            """
        }
        let stageNote: HTML =
            o.stage.map {
                "<p>\(t("rs.filtered", t("rs.stage.\($0.rawValue)"))) <a href=\"\(ResettlementPaths.overview)\">"
                    + "\(t("rs.filter.clear"))</a></p>"
            } ?? .empty
        let newLink: HTML =
            write
            ? "<p><a class=\"button primary\" href=\"\(ResettlementPaths.newReferral)\">\(t("rs.referral.new"))</a></p>"
            : .empty
        let missionForm: HTML =
            write
            ? f.form(
                ResettlementPaths.overview + "/missions", "mission", button: "rs.mission.save",
                """
                \(f.field("mission", "country", "rs.country", hint: "rs.country.hint"))\
                \(f.field("mission", "startsOn", "rs.startsOn", type: "date"))\
                \(f.field("mission", "endsOn", "rs.endsOn", type: "date"))\(f.field("mission", "team", "rs.team"))\
                \(f.area("mission", "note", "rs.note"))
                """) : .empty
        let sessionForm: HTML =
            write
            ? f.form(
                ResettlementPaths.overview + "/orientation", "session", button: "rs.session.save",
                """
                \(f.field("session", "country", "rs.country", hint: "rs.country.hint"))\
                \(f.field("session", "place", "rs.place"))\
                \(f.field("session", "startsOn", "rs.startsOn", type: "date"))\
                \(f.field("session", "endsOn", "rs.endsOn", type: "date"))\
                \(f.field("session", "language", "rs.language", hint: "rs.language.hint"))\
                \(f.field("session", "facilitator", "rs.facilitator"))
                """) : .empty
        let movementForm: HTML =
            id.hasAny(ResettlementAccess.movements)
            ? f.form(
                ResettlementPaths.overview + "/movements", "movement", button: "rs.movement.save",
                """
                <p class="hint">\(t("rs.movement.hint"))</p>\
                \(f.check("movement", "charter", "rs.charter", false))\(legFields(f, "movement", count: 3))\
                \(f.field("movement", "transitAssistance", "rs.transit", hint: "rs.transit.hint"))
                """) : .empty
        return Layout.page(
            req: req, identity: id, title: t("rs.title"),
            body: """
                <h1>\(t("rs.title"))</h1>
                <section class="card"><h2>\(t("rs.pipeline"))</h2>\(o.pipeline)</section>
                \(newLink)
                <section class="card" id="referrals"><h2>\(t("rs.referrals"))</h2>\(stageNote)\
                \(Words.table(
                    [t("rs.unhcr"), t("rs.case"), t("rs.countryOfAsylum"), t("rs.category"), t("rs.priority"),
                     t("rs.persons"), t("rs.stage")], rows, empty: t("rs.referrals.none")))\
                <p class="hint">\(t("rs.referrals.total", o.referrals.total))</p></section>
                <section class="card" id="missions"><h2>\(t("rs.missions"))</h2>\
                \(Words.table(
                    [t("rs.country"), t("rs.dates"), t("rs.interviewed"), t("rs.accepted")], missions,
                    empty: t("rs.missions.none")))</section>\(f.folded("mission", "rs.mission.new", missionForm))
                <section class="card" id="orientation"><h2>\(t("rs.sessions"))</h2>\
                \(Words.table(
                    [t("rs.place"), t("rs.dates"), t("rs.language"), t("rs.facilitator"), t("rs.attendees")], sessions,
                    empty: t("rs.sessions.none")))</section>\(f.folded("session", "rs.session.new", sessionForm))
                <section class="card" id="movements"><h2>\(t("rs.movements"))</h2>\
                \(Words.table(
                    [t("rs.movement"), t("rs.departsOn"), t("rs.from"), t("rs.households"), t("rs.persons"),
                     t("rs.status")], movements, empty: t("rs.movements.none")))\
                </section>\(f.folded("movement", "rs.movement.new", movementForm))
                """)
    }

    // MARK: new referral

    static let memberRows = 6

    static func newReferral(_ req: Request, _ id: Identity, failure: SectionFailure?) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let s = "referral"
        var members: [HTML] = []
        for i in 1...memberRows {
            members.append(
                """
                <fieldset class="member"><legend>\(t("rs.member", i))</legend>\
                \(f.words(s, "m\(i)Relationship", "rs.relationship", FamilyRelationship.self, prefix: "fr.rel", nil,
                    blank: true))\
                \(f.personFields(s, labels: "rs.person", countryHint: "rs.country.hint", "m\(i)"))</fieldset>
                """)
        }
        let body = f.form(
            ResettlementPaths.newReferral, s, button: "rs.referral.save",
            """
            \(f.field(s, "unhcrCaseNumber", "rs.unhcr", hint: "rs.unhcr.hint"))\
            \(f.field(s, "countryOfAsylum", "rs.countryOfAsylum", hint: "rs.country.hint"))\
            \(f.words(s, "category", "rs.category", SubmissionCategory.self, prefix: "rs.category", nil, blank: true))\
            \(f.words(s, "priority", "rs.priority", SubmissionPriority.self, prefix: "rs.priority", "normal"))\
            \(f.field(s, "municipality", "rs.municipality"))\
            <fieldset class="member"><legend>\(t("rs.principal"))</legend>\
            \(f.personFields(s, labels: "rs.person", countryHint: "rs.country.hint", "p"))</fieldset>\
            \(members)\(f.area(s, "note", "rs.note"))
            """)
        return Layout.page(
            req: req, identity: id, title: t("rs.referral.new"),
            body: "<h1>\(t("rs.referral.new"))</h1><p class=\"hint\">\(t("rs.referral.hint"))</p>\(body)")
    }

    // MARK: referral

    static func referral(
        _ req: Request, _ id: Identity, _ file: ResettlementFile, failure: SectionFailure?,
        consents: HTML = .empty
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let write = id.hasAny(ResettlementAccess.write)
        let names = Dictionary(uniqueKeysWithValues: file.members.map { ($0.person.personID, $0.person.name) })
        func yes(_ b: Bool?) -> HTML { b == true ? "✓" : b == false ? "✗" : "—" }
        let members = file.members.map { m -> HTML in
            """
            <tr><td><a href="\(CorePaths.person(m.person.personID))">\(m.person.name)</a> \
            <span class="ref">\(m.person.reference)</span></td>\
            <td>\(m.relationship == "principal" ? t("rs.principal") : t("fr.rel.\(m.relationship)"))</td>\
            <td>\(m.dateOfBirth ?? "—")</td><td>\(yes(m.attendedOrientation))</td>\
            <td>\(m.documentValidUntil.map { t("rs.until", $0) } ?? "—")</td>\
            <td>\(m.fitness.map { t("rs.fitness.\($0.rawValue)") } ?? "—")\
            \(m.fitnessValidUntil.map { HTML(" · \(t("rs.until", $0))") } ?? .empty)</td></tr>
            """
        }
        let checks = (file.healthChecks ?? []).map { h -> HTML in
            let needs =
                ([h.escort == .none ? nil : t("rs.escort.\(h.escort.rawValue)")]
                + h.assistance.map { t("rs.assist.\($0.rawValue)") }).compactMap { $0 }
            return """
                <tr><td>\(names[h.personID] ?? "")</td><td>\(t("rs.check.\(h.kind.rawValue)"))</td><td>\(h.examinedOn)\
                </td><td>\(t("rs.fitness.\(h.fitness.rawValue)"))\
                \(h.validUntil.map { HTML(" · \(t("rs.until", $0))") } ?? .empty)\
                </td><td>\(needs.isEmpty ? "—" : needs.joined(separator: ", "))</td>\
                \(h.medicalDetails.map { HTML("<td class=\"restricted\">\($0.isEmpty ? "—" : $0)</td>") } ?? .empty)\
                </tr>
                """
        }
        let docs = (file.documents ?? []).map { d -> HTML in
            """
            <tr><td>\(names[d.personID] ?? "")</td><td>\(t("rs.doc.\(d.kind.rawValue)"))</td><td>\(d.number)</td>\
            <td>\(d.issuedOn)</td><td>\(d.validUntil)</td></tr>
            """
        }
        let missions = file.missions.map { m -> HTML in
            """
            <li><a href="\(ResettlementPaths.mission(m.missionID))">\(t.country(m.country)) \(m.startsOn)</a>: \
            \(t("rs.outcome.\(m.outcome.rawValue)"))\(m.decidedOn.map { HTML(" (\($0))") } ?? .empty)</li>
            """
        }
        let conditions: HTML
        if let refusals = file.travelRefusals {
            let list: HTML =
                refusals.isEmpty
                ? "<ul class=\"conditions met\"><li>\(t("rs.conditions.met"))</li></ul>"
                : "<ul class=\"conditions\">\(refusals.map { HTML("<li>\($0)</li>") })</ul>"
            conditions = """
                <section class="card" id="conditions"><h2>\(t("rs.conditions"))</h2>\
                <p class="hint">\(t("rs.conditions.hint"))</p>\(list)</section>
                """
        } else {
            conditions = .empty
        }
        let memberOptions = file.members.map { (value: $0.person.personID.uuidString, label: $0.person.name) }
        let base = ResettlementPaths.referral(file.id)
        let decisionForm: HTML =
            write && file.stage < .booked
            ? f.form(
                base + "/decision", "decision", button: "rs.decision.save",
                """
                \(f.words(
                    "decision", "outcome", "rs.outcome", SelectionOutcome.self, prefix: "rs.outcome",
                    file.decision.rawValue))\
                \(f.field("decision", "decidedOn", "rs.decidedOn", type: "date"))\
                \(f.field("decision", "note", "rs.note"))
                """) : .empty
        let documentForm: HTML =
            write
            ? f.form(
                base + "/documents", "document", button: "rs.document.save",
                """
                \(f.select("document", "personID", "rs.member.person", memberOptions, nil))\
                \(f.words(
                    "document", "kind", "rs.document.kind", ResettlementDocumentKind.self, prefix: "rs.doc", "visa"))\
                \(f.field("document", "number", "rs.document.number"))\
                \(f.field("document", "issuedOn", "rs.issuedOn", type: "date"))\
                \(f.field("document", "validUntil", "rs.validUntil", type: "date"))
                """) : .empty
        let healthForm: HTML =
            id.hasAny(ResettlementAccess.health)
            ? f.form(
                base + "/health-checks", "health", button: "rs.check.save",
                """
                \(consents)\
                \(f.select("health", "personID", "rs.member.person", memberOptions, nil))\
                \(f.words(
                    "health", "kind", "rs.check.kind", HealthCheckKind.self, prefix: "rs.check", "pre_departure"))\
                \(f.field("health", "examinedOn", "rs.examinedOn", type: "date"))\
                \(f.words("health", "fitness", "rs.fitness", TravelFitness.self, prefix: "rs.fitness", "fit"))\
                \(f.field("health", "validUntil", "rs.validUntil", type: "date", hint: "rs.validUntil.hint"))\
                \(f.words("health", "escort", "rs.escort", EscortKind.self, prefix: "rs.escort", "none"))\
                \(f.field("health", "assistance", "rs.assistance", hint: "rs.assistance.hint"))\
                \(f.area("health", "medicalDetails", "rs.medicalDetails", hint: "rs.medicalDetails.hint"))
                """) : .empty
        let movement: HTML =
            file.movement.map { m in
                """
                <p><a href="\(ResettlementPaths.movement(m.id))">\(m.reference)</a> · \(m.departsOn) · \
                \(t("rs.movement.status.\(m.status.rawValue)")) · <a href="\(MovementsPaths.booking(m.bookingID))">\
                \(t("rs.booking"))</a> (\(m.bookingStatus.rawValue))</p>
                """
            } ?? "<p class=\"empty\">\(t("rs.movement.none"))</p>"
        let medicalHead = file.healthChecks?.first?.medicalDetails != nil ? [t("rs.medicalDetails")] : []
        return Layout.page(
            req: req, identity: id, title: "\(file.caseReference) · \(t("rs.title"))",
            body: """
                <h1>\(t("rs.referral.title", file.unhcrCaseNumber)) \
                <span class="badge stage-\(file.stage.rawValue)">\(t("rs.stage.\(file.stage.rawValue)"))</span></h1>
                <dl class="facts"><dt>\(t("rs.case"))</dt><dd><a href="\(CorePaths.case(file.caseID))">\
                \(file.caseReference)</a></dd><dt>\(t("rs.countryOfAsylum"))</dt><dd>\(t.country(file.countryOfAsylum))\
                </dd><dt>\(t("rs.category"))</dt><dd>\(t("rs.category.\(file.category.rawValue)"))</dd>\
                <dt>\(t("rs.priority"))</dt><dd>\(t("rs.priority.\(file.priority.rawValue)"))</dd>\
                <dt>\(t("rs.outcome"))</dt><dd>\(t("rs.outcome.\(file.decision.rawValue)"))\
                \(file.decidedOn.map { HTML(" (\($0))") } ?? .empty)</dd>\
                <dt>\(t("rs.municipality"))</dt><dd>\(file.municipality.isEmpty ? "—" : file.municipality)</dd>\
                <dt>\(t("rs.referredBy"))</dt><dd>\(file.referredBy)</dd></dl>
                \(file.note.isEmpty ? HTML.empty : HTML("<p>\(file.note)</p>"))
                \(conditions)
                <section class="card" id="members"><h2>\(t("rs.members"))</h2>\
                \(Words.table(
                    [t("rs.member.person"), t("rs.relationship"), t("rs.person.dateOfBirth"), t("rs.pdo"),
                     t("rs.document"), t("rs.fitness")], members, empty: ""))</section>
                <section class="card" id="selection"><h2>\(t("rs.selection"))</h2>\
                \(missions.isEmpty
                    ? HTML("<p class=\"empty\">\(t("rs.selection.none"))</p>") : HTML("<ul>\(missions)</ul>"))\
                </section>\(f.folded("decision", "rs.decision.title", decisionForm))
                <section class="card" id="documents"><h2>\(t("rs.documents"))</h2>\
                \(Words.table(
                    [t("rs.member.person"), t("rs.document.kind"), t("rs.document.number"), t("rs.issuedOn"),
                     t("rs.validUntil")], docs, empty: t("rs.documents.none")))\
                </section>\(f.folded("document", "rs.document.title", documentForm))
                <section class="card" id="health"><h2>\(t("rs.health"))</h2>\
                \(Words.table(
                    [t("rs.member.person"), t("rs.check.kind"), t("rs.examinedOn"), t("rs.fitness"), t("rs.needs")]
                        + medicalHead, checks, empty: t("rs.health.none")))\
                </section>\(f.folded("health", "rs.check.title", healthForm))
                <section class="card" id="travel"><h2>\(t("rs.travel"))</h2>\(movement)</section>
                """)
    }

    // MARK: mission, session, movement

    static func mission(
        _ req: Request, _ id: Identity, _ m: ResettlementAPIController.MissionDTO, failure: SectionFailure?
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let rows = m.households.map { h -> HTML in
            """
            <tr><td><a href="\(ResettlementPaths.referral(h.referralID))">\(h.unhcrCaseNumber)</a></td>\
            <td>\(t("rs.outcome.\(h.outcome.rawValue)"))</td><td>\(h.decidedOn ?? "—")</td></tr>
            """
        }
        let form: HTML =
            id.hasAny(ResettlementAccess.write)
            ? f.form(
                ResettlementPaths.mission(m.id) + "/households", "household", button: "rs.interview.save",
                """
                <h3>\(t("rs.interview.title"))</h3>\(f.field("household", "unhcrCaseNumber", "rs.unhcr"))\
                \(f.words(
                    "household", "outcome", "rs.outcome", SelectionOutcome.self, prefix: "rs.outcome", "pending"))\
                \(f.field("household", "decidedOn", "rs.decidedOn", type: "date"))\
                \(f.field("household", "note", "rs.note"))
                """) : .empty
        return Layout.page(
            req: req, identity: id, title: t("rs.mission.title", t.country(m.country)),
            body: """
                <p><a href="\(ResettlementPaths.overview)#missions">\(t("rs.title"))</a></p>
                <h1>\(t("rs.mission.title", t.country(m.country)))</h1>
                <dl class="facts"><dt>\(t("rs.dates"))</dt><dd>\(m.startsOn) – \(m.endsOn)</dd>\
                <dt>\(t("rs.team"))</dt>\
                <dd>\(m.team)</dd></dl>\(m.note.isEmpty ? HTML.empty : HTML("<p>\(m.note)</p>"))
                <section class="card" id="households"><h2>\(t("rs.interviewed"))</h2>\
                \(Words.table(
                    [t("rs.unhcr"), t("rs.outcome"), t("rs.decidedOn")], rows, empty: t("rs.interviewed.none")))\
                </section>\(form)
                """)
    }

    struct Candidate {
        var personID: UUID
        var name: String
        var reference: String
        var unhcrCaseNumber: String
        var attended: Bool
    }

    static func session(
        _ req: Request, _ id: Identity, _ s: ResettlementAPIController.SessionDTO, candidates: [Candidate],
        failure: SectionFailure?
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let write = id.hasAny(ResettlementAccess.write)
        let rows = candidates.map { c -> HTML in
            let box: HTML =
                c.attended
                ? "✓"
                : write
                    ? HTML(
                        raw: "<input type=\"checkbox\" name=\"p_\(c.personID.uuidString)\" value=\"true\" "
                            + "aria-label=\"\(HTML.escape(c.name))\">") : "—"
            return """
                <tr><td>\(box)</td><td>\(c.name) <span class="ref">\(c.reference)</span></td>\
                <td>\(c.unhcrCaseNumber)</td></tr>
                """
        }
        let table = Words.table(
            [t("rs.attended"), t("rs.member.person"), t("rs.unhcr")], rows, empty: t("rs.candidates.none"))
        let body: HTML =
            write && candidates.contains(where: { !$0.attended })
            ? f.form(ResettlementPaths.session(s.id) + "/attendance", "attendance", button: "rs.attendance.save", table)
            : "<section class=\"card\">\(table)</section>"
        return Layout.page(
            req: req, identity: id, title: t("rs.session.title", s.place),
            body: """
                <p><a href="\(ResettlementPaths.overview)#orientation">\(t("rs.title"))</a></p>
                <h1>\(t("rs.session.title", s.place))</h1>
                <dl class="facts"><dt>\(t("rs.country"))</dt><dd>\(t.country(s.country))</dd><dt>\(t("rs.dates"))</dt>\
                <dd>\(s.startsOn) – \(s.endsOn)</dd><dt>\(t("rs.language"))</dt><dd>\(t.language(s.language))</dd>\
                <dt>\(t("rs.facilitator"))</dt><dd>\(s.facilitator)</dd><dt>\(t("rs.attendees"))</dt>\
                <dd>\(s.attendees)</dd></dl><p class="hint">\(t("rs.attendance.hint"))</p>\(body)
                """)
    }

    static func movement(
        _ req: Request, _ id: Identity, _ m: ResettlementAPIController.MovementDTO, ready: [RSReferral],
        failure: SectionFailure?
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let households = m.households.map { h -> HTML in
            let travellers = h.travellers.map { p -> HTML in
                let needs =
                    ([p.escort == .none ? nil : t("rs.escort.\(p.escort.rawValue)")]
                    + p.assistance.map { t("rs.assist.\($0.rawValue)") }).compactMap { $0 }
                return "<li>\(p.name) <span class=\"ref\">\(p.reference)</span>: \(needs.joined(separator: ", "))</li>"
            }
            return """
                <tr><td><a href="\(ResettlementPaths.referral(h.referralID))">\(h.unhcrCaseNumber)</a><br>\
                <span class="hint">\(h.municipality)</span></td><td><ul>\(travellers)</ul></td>\
                <td><a href="\(MovementsPaths.booking(h.bookingID))">\(h.bookingStatus.rawValue)</a>\
                \(h.medicalEscort ? HTML("<br>\(t("rs.escort.medical"))") : .empty)</td></tr>
                """
        }
        let options = ready.map {
            (value: $0.id!.uuidString, label: "\($0.unhcrCaseNumber) (\(t.country($0.countryOfAsylum)))")
        }
        let addForm: HTML
        if m.status != .planned {
            addForm = .empty
        } else if options.isEmpty {
            addForm = """
                <section class="card" id="s-add"><h3>\(t("rs.add.title"))</h3>\(f.summary("add"))\
                <p class="empty">\(t("rs.add.none"))</p></section>
                """
        } else {
            addForm = f.form(
                ResettlementPaths.movement(m.id) + "/households", "add", button: "rs.add.save",
                """
                <h3>\(t("rs.add.title"))</h3><p class="hint">\(t("rs.add.hint"))</p>\
                \(f.select("add", "referralID", "rs.household", options, nil))\
                \(f.field("add", "reference", "rs.booking.reference"))\
                \(f.field("add", "escortStaff", "rs.escortStaff", hint: "rs.escortStaff.hint"))
                """)
        }
        let arrivalForm: HTML =
            m.status == .departed
            ? f.form(
                ResettlementPaths.movement(m.id) + "/arrival", "arrival", button: "rs.arrival.save",
                """
                <h3>\(t("rs.arrival.title"))</h3><p class="hint">\(t("rs.arrival.hint"))</p>\
                \(f.field("arrival", "arrivedAt", "rs.arrivedAt", hint: "rs.leg.local"))\
                \(f.field("arrival", "note", "rs.note"))
                """) : .empty
        return Layout.page(
            req: req, identity: id, title: "\(m.reference) · \(t("rs.title"))",
            body: """
                <p><a href="\(ResettlementPaths.overview)#movements">\(t("rs.title"))</a></p>
                <h1>\(t("rs.movement.title", m.reference)) \
                <span class="badge">\(t("rs.movement.status.\(m.status.rawValue)"))</span></h1>
                <dl class="facts"><dt>\(t("rs.departsOn"))</dt><dd>\(m.departsOn)</dd><dt>\(t("rs.from"))</dt>\
                <dd>\(t.country(m.fromCountry))</dd><dt>\(t("rs.charter"))</dt>\
                <dd>\(m.charter ? t("rs.yes") : t("rs.no"))</dd>\
                <dt>\(t("rs.flights"))</dt><dd>\(m.flights.joined(separator: "; "))</dd><dt>\(t("rs.transit"))</dt>\
                <dd>\(m.transitAssistance.isEmpty ? "—" : m.transitAssistance.joined(separator: ", "))</dd>\
                <dt>\(t("rs.persons"))</dt><dd>\(m.persons)</dd>\
                \(m.arrivedAt.map { HTML("<dt>\(t("rs.arrivedAt"))</dt><dd>\(Layout.dateTime($0))</dd>") } ?? .empty)\
                </dl>
                <section class="card" id="households"><h2>\(t("rs.households"))</h2>\
                \(Words.table(
                    [t("rs.household"), t("rs.travellers"), t("rs.booking")], households,
                    empty: t("rs.households.none")))\
                </section>\(addForm)\(arrivalForm)
                """)
    }
}
