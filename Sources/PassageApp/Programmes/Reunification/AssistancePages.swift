import PassageDomain
import Vapor

/// Visa assistance at a consulate and the Mileage Fund in the browser; the interview and ticket forms of a referral.
extension ReunificationPages {
    static func visaAssistance(
        _ req: Request, _ id: Identity, _ page: ReunificationAPIController.VisaAssistancePage, failure: SectionFailure?
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let rows = page.items.map { v -> HTML in
            """
            <tr><td>\(v.day)</td><td>\(v.place)</td><td>\(v.family)</td><td>\(v.persons)</td>\
            <td>\(t.country(v.nationality))</td>\
            <td>\(v.services.map { words(t, "fr.visa", $0) }.joined(separator: ", "))</td><td>\(v.problems)</td></tr>
            """
        }
        let services = VisaService.allCases.map { s -> HTML in
            let on = failure.map { Input.flag($0.fields["service_\(s.rawValue)"]) } ?? false
            return """
                <label class="field check"><span>\(words(t, "fr.visa", s))</span><input type="checkbox" \
                name="service_\(s.rawValue)" value="true"\(HTML(raw: on ? " checked" : ""))></label>
                """
        }
        let form: HTML =
            id.hasAny(ReunificationAccess.write)
            ? f.form(
                "/reunification/visa-assistance", "visa", button: "fr.visa.save",
                """
                <h2>\(t("fr.visa.new"))</h2>\(f.field("visa", "day", "fr.day", Clock.today().isoText, type: "date"))\
                \(f.field("visa", "place", "fr.place", "Consulate General, Istanbul"))\
                \(f.field("visa", "family", "fr.visa.family"))\(f.field("visa", "persons", "fr.visa.persons", "1"))\
                \(f.field("visa", "nationality", "fr.visa.nationality", "SY", hint: "fr.visa.nationality.hint"))\
                <fieldset><legend>\(t("fr.visa.services"))</legend>\(services)\
                \(f.error("visa", "services").map { HTML("<span class=\"field-error\">\($0)</span>") } ?? .empty)\
                </fieldset>\(f.area("visa", "problems", "fr.visa.problems"))
                """) : .empty
        return Layout.page(
            req: req, identity: id, title: t("fr.visa.title"),
            body: """
                <h1>\(t("fr.visa.title"))</h1><p>\(t("fr.visa.totals", page.families, page.persons))</p>\(form)
                <section class="card"><h2>\(t("fr.visa.recent"))</h2>\
                \(table(
                    [t("fr.day"), t("fr.place"), t("fr.visa.family"), t("fr.visa.persons"), t("fr.visa.nationality"),
                     t("fr.visa.services"), t("fr.visa.problems")], rows, empty: t("fr.visa.none")))</section>
                """)
    }

    static func mileageFund(
        _ req: Request, _ id: Identity, _ fund: ReunificationAPIController.MileageFundDTO, failure: SectionFailure?
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let rows = fund.entries.map { e -> HTML in
            let what: String =
                e.kind == .donation
                ? t("fr.fund.donationFrom", e.donor)
                : t("fr.fund.ticketFor", e.eligibility.map { words(t, "fr.eligible", $0) } ?? "", e.reason)
            let link: HTML =
                e.referralID.map { HTML(" <a href=\"\(ReunificationPaths.referral($0))\">\(t("fr.referral"))</a>") }
                ?? .empty
            return """
                <tr><td>\(e.day)</td><td>\(words(t, "fr.fund.kind", e.kind))</td><td class="num">\
                \(e.kind == .ticket ? "−" : "")\(e.amount)</td><td>\(what)\(link)</td><td>\(e.recordedBy)</td></tr>
                """
        }
        let form: HTML =
            id.hasAny(ReunificationAccess.write)
            ? f.form(
                "/reunification/mileage-fund", "donation", button: "fr.fund.donation.save",
                """
                <h2>\(t("fr.fund.donation"))</h2><input type="hidden" name="kind" value="donation">\
                \(f.field("donation", "day", "fr.day", Clock.today().isoText, type: "date"))\
                \(f.field("donation", "amount", "fr.fund.amount", hint: "fr.fund.amount.hint"))\
                \(f.field("donation", "donor", "fr.fund.donor"))
                """) : .empty
        return Layout.page(
            req: req, identity: id, title: t("fr.fund.title"),
            body: """
                <h1>\(t("fr.fund.title"))</h1>
                <dl class="facts"><dt>\(t("fr.fund.balance"))</dt><dd><strong>\(fund.balance)</strong></dd>\
                <dt>\(t("fr.fund.donations"))</dt><dd>\(fund.donations)</dd><dt>\(t("fr.fund.tickets"))</dt>\
                <dd>\(fund.tickets)</dd><dt>\(t("fr.fund.travellers"))</dt><dd>\(fund.travellers)</dd></dl>
                <p class="hint">\(t("fr.fund.hint"))</p>\(form)
                <section class="card"><h2>\(t("fr.fund.ledger"))</h2>\
                \(table(
                    [t("fr.day"), t("fr.fund.kindLabel"), t("fr.fund.amount"), t("fr.fund.what"), t("fr.fund.by")],
                    rows, empty: t("fr.fund.none")))</section>
                """)
    }

    /// The arrangements and outcome forms of an interview appointment, on the referral page.
    static func interviewForms(
        _ req: Request, _ a: ReferralFile.Appointment, _ f: SectionForms
    ) -> HTML {
        let t = req.t
        let key = "iv-\(a.id.uuidString.prefix(8))"
        let i = a.interview
        let facts: HTML =
            i.map { v -> HTML in
                let outcome = v.outcome.map { " · " + words(t, "fr.iv.outcome", $0) } ?? ""
                let text = t(
                    "fr.iv.facts", v.caseworker, t.language(v.language), v.interpreter.isEmpty ? "—" : v.interpreter,
                    v.room)
                return "<p class=\"hint\">\(text)\(outcome)</p>"
            } ?? .empty
        guard a.status == .booked else { return facts }
        let action = "/reunification/appointments/\(a.id.uuidString)/interview"
        let outcomes = InterviewOutcome.allCases.map { (value: $0.rawValue, label: words(t, "fr.iv.outcome", $0)) }
        let open = f.failure?.section.hasPrefix(key) == true ? " open" : ""
        return """
            \(facts)<details\(HTML(raw: open))><summary>\(t("fr.iv.arrange"))</summary>\
            \(f.form(action, key, button: "form.save", """
                \(f.field(key, "caseworker", "fr.iv.caseworker", i?.caseworker))\
                \(f.field(key, "language", "fr.iv.language", i?.language, hint: "fr.iv.language.hint"))\
                \(f.field(key, "interpreter", "fr.iv.interpreter", i?.interpreter))\
                \(f.field(key, "room", "fr.iv.room", i?.room))
                """))\
            \(i == nil ? HTML.empty : f.form(action + "/outcome", key + "-o", button: "fr.iv.outcome.save", """
                \(f.select(key + "-o", "outcome", "fr.iv.outcomeLabel", outcomes, nil))\
                \(f.field(key + "-o", "day", "fr.iv.newDay", type: "date", hint: "fr.iv.newDay.hint"))\
                \(f.field(key + "-o", "time", "fr.time"))\(f.field(key + "-o", "note", "fr.note"))
                """))</details>
            """
    }

    /// Another day or time for a booked appointment, in the row of the appointment.
    static func rescheduleForm(_ req: Request, _ a: ReferralFile.Appointment, _ f: SectionForms) -> HTML {
        let t = req.t
        let key = "mv-\(a.id.uuidString.prefix(8))"
        let open = f.failure?.section == key ? " open" : ""
        return """
            <details\(HTML(raw: open))><summary>\(t("fr.reschedule"))</summary>\
            \(f.form("/reunification/appointments/\(a.id.uuidString)/move", key, button: "fr.reschedule.save", """
                <input type="hidden" name="to" value="rescheduled">\
                \(f.field(key, "day", "fr.day", a.day, type: "date"))\(f.field(key, "time", "fr.time", a.time))
                """))</details>
            """
    }

    /// The form paying a ticket for a family member from the Mileage Fund.
    static func ticketForm(_ req: Request, _ file: ReferralFile, _ f: SectionForms) -> HTML {
        let t = req.t
        let members = file.members.map { (value: $0.person.personID.uuidString, label: $0.person.name) }
        let reasons = MileageEligibility.allCases.map { (value: $0.rawValue, label: words(t, "fr.eligible", $0)) }
        return f.form(
            ReunificationPaths.referral(file.id) + "/mileage", "ticket", button: "fr.fund.ticket.save",
            """
            <h3>\(t("fr.fund.ticket"))</h3><input type="hidden" name="kind" value="ticket">\
            \(f.select("ticket", "personID", "fr.member.person", members, nil))\
            \(f.select("ticket", "eligibility", "fr.fund.eligibility", reasons, nil, blank: "—"))\
            \(f.area("ticket", "reason", "fr.fund.reason", rows: 2, hint: "fr.fund.reason.hint"))\
            \(f.field("ticket", "day", "fr.day", Clock.today().isoText, type: "date"))\
            \(f.field("ticket", "amount", "fr.fund.amount", hint: "fr.fund.amount.hint"))
            """)
    }
}
