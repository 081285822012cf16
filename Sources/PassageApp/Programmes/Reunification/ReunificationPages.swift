import PassageDomain
import Vapor

/// Family reunification in the browser: referrals, the centres' day sheets, samples with their chain of custody,
/// labels and the printable custody form.
enum ReunificationPages {
    static func words<T: RawRepresentable>(_ t: Translator, _ prefix: String, _ v: T) -> String
    where T.RawValue == String {
        t("\(prefix).\(v.rawValue)")
    }

    static func options<T: CaseIterable & RawRepresentable>(_ t: Translator, _ prefix: String, _: T.Type) -> Options
    where T.RawValue == String {
        T.allCases.map { (value: $0.rawValue, label: t("\(prefix).\($0.rawValue)")) }
    }

    /// A table with its headings, or a sentence saying there is nothing to show.
    static func table(_ heads: [String], _ rows: [HTML], empty: String, _ cls: String = "") -> HTML {
        guard !rows.isEmpty else { return "<p class=\"empty\">\(empty)</p>" }
        let th = heads.map { HTML("<th>\($0)</th>") }
        return "<table class=\"\(cls)\"><thead><tr>\(th)</tr></thead><tbody>\(rows)</tbody></table>"
    }

    // MARK: overview

    static func overview(
        _ req: Request, _ id: Identity, referrals: ReunificationAPIController.ReferralPage,
        centres: [FRCentre], inTransit: [FRSample], failure: String?
    ) -> HTML {
        let t = req.t
        let rows = referrals.items.map { r -> HTML in
            """
            <tr><td><a href="\(ReunificationPaths.referral(r.id))">\(r.caseReference)</a></td>\
            <td>\(r.indFileNumber)</td><td>\(r.deadline)</td><td>\(r.centre)</td><td>\(r.members)</td></tr>
            """
        }
        let list: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(t("fr.referrals.none"))</p>"
            : """
            <table><thead><tr><th>\(t("fr.case"))</th><th>\(t("fr.indFile"))</th><th>\(t("fr.deadline"))</th>\
            <th>\(t("fr.centre"))</th><th>\(t("fr.members"))</th></tr></thead><tbody>\(rows)</tbody></table>
            """
        let centreLinks = centres.map { c -> HTML in
            "<li><a href=\"\(ReunificationPaths.centre(c.id!))\">\(c.location.name)</a> · \(c.timeZone)</li>"
        }
        let transit = inTransit.map { s -> HTML in
            let days = Int(Clock.now().timeIntervalSince(s.collectedAt) / 86400)
            return """
                <tr><td><a href="\(ReunificationPaths.sample(s.id!))">\(s.identifier)</a></td>\
                <td>\(words(t, "fr.sample.status", s.status))</td><td>\(words(t, "fr.custodian", s.holderKind)): \
                \(s.holderName)</td><td>\(t("fr.days", days))</td></tr>
                """
        }
        let newLink: HTML = """
            <p>\(id.hasAny(ReunificationAccess.write)
                ? HTML("<a class=\"button primary\" href=\"/reunification/referrals/new\">\(t("fr.referral.new"))</a> ")
                : .empty)<a href="/reunification/visa-assistance">\(t("fr.visa.title"))</a> · \
            <a href="/reunification/mileage-fund">\(t("fr.fund.title"))</a></p>
            """
        let error: HTML = failure.map { "<div class=\"error-summary\" role=\"alert\">\($0)</div>" } ?? .empty
        return Layout.page(
            req: req, identity: id, title: t("fr.title"),
            body: """
                <h1>\(t("fr.title"))</h1>\(error)\(newLink)
                <form method="get" action="/reunification/samples" class="inline filters">\
                <label class="field"><span>\(t("fr.sample.find"))</span><input name="identifier" \
                autocomplete="off" placeholder="DNA-2026-000001"></label> <button type="submit">\
                \(t("fr.sample.open"))</button></form>
                <section class="card"><h2>\(t("fr.referrals"))</h2>\(list)\
                \(t("fr.referrals.total", referrals.total))</section>
                <section class="card"><h2>\(t("fr.transit"))</h2>\
                \(table(
                    [t("fr.sample"), t("fr.status"), t("fr.holder"), t("fr.sinceCollection")], transit,
                    empty: t("fr.transit.none")))</section>
                <section class="card"><h2>\(t("fr.centres"))</h2>\
                \(centreLinks.isEmpty
                    ? HTML("<p class=\"empty\">\(t("fr.centres.none"))</p>") : HTML("<ul>\(centreLinks)</ul>"))\
                </section>
                """)
    }

    // MARK: new referral

    static let memberRows = 4

    static func newReferral(_ req: Request, _ id: Identity, centres: [FRCentre], failure: SectionFailure?) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let s = "referral"
        let centreOptions = centres.map { (value: $0.id!.uuidString, label: $0.location.name) }
        var members: [HTML] = []
        let relationships = options(t, "fr.rel", FamilyRelationship.self)
        let verifications = options(t, "fr.ver", VerificationKind.self)
        for i in 1...memberRows {
            members.append(
                """
                <fieldset class="member"><legend>\(t("fr.member", i))</legend>\
                \(f.field(s, "m\(i)Person", "fr.member.person", hint: "fr.person.hint"))\
                \(f.select(s, "m\(i)Relationship", "fr.relationship", relationships, nil, blank: "—"))\
                \(f.select(s, "m\(i)Verification", "fr.verification", verifications, "dna"))\
                </fieldset>
                """)
        }
        let body = f.form(
            "/reunification/referrals/new", s, button: "fr.referral.save",
            """
            \(f.field(s, "indFileNumber", "fr.indFile"))\(f.field(s, "deadline", "fr.deadline", type: "date"))\
            \(f.select(s, "centreID", "fr.centre", centreOptions, nil, blank: "—"))\
            \(f.field(s, "sponsor", "fr.sponsor", hint: "fr.person.hint"))\(members)\
            \(f.area(s, "note", "fr.note"))
            """)
        return Layout.page(
            req: req, identity: id, title: t("fr.referral.new"),
            body: "<h1>\(t("fr.referral.new"))</h1><p class=\"hint\">\(t("fr.referral.hint"))</p>\(body)")
    }

    // MARK: referral

    static func referral(
        _ req: Request, _ id: Identity, _ file: ReferralFile, schedule: CentreSchedule, failure: SectionFailure?,
        consents: HTML = .empty
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let write = id.hasAny(ReunificationAccess.write)
        let names = Dictionary(uniqueKeysWithValues: file.members.map { ($0.id, $0.person.name) })
        let members = file.members.map { m -> HTML in
            """
            <tr><td><a href="\(CorePaths.person(m.person.personID))">\(m.person.name)</a> \
            <span class="ref">\(m.person.reference)</span></td><td>\(words(t, "fr.rel", m.relationship))</td>\
            <td>\(words(t, "fr.ver", m.verification))</td>\
            <td>\(m.languages.map { t.language($0) }.joined(separator: ", "))</td></tr>
            """
        }
        let appointments = file.appointments.map { a -> HTML in
            let actions: HTML
            if write && (a.status == .booked || a.status == .waiting) {
                let moves: [AppointmentStatus] = a.status == .booked ? [.attended, .noShow, .cancelled] : [.cancelled]
                actions = HTML(
                    raw: moves.map { to in
                        """
                        <form method="post" action="/reunification/appointments/\(a.id.uuidString)/move" \
                        class="inline">\(Layout.csrfField(req).raw)<input type="hidden" name="to" \
                        value="\(to.rawValue)"><button class="link">\(HTML.escape(t("fr.move.\(to.rawValue)")))\
                        </button></form>
                        """
                    }.joined(separator: " ")
                        + (a.status == .booked
                            ? " <a href=\"/api/v1/reunification/appointments/\(a.id.uuidString)/calendar.ics\">"
                                + HTML.escape(t("fr.calendar")) + "</a>" : ""))
            } else {
                actions = .empty
            }
            let reschedule: HTML = write && a.status == .booked ? rescheduleForm(req, a, f) : .empty
            let interview: HTML = a.service == .interview && write ? interviewForms(req, a, f) : .empty
            return """
                <tr><td>\(names[a.memberID] ?? "")</td><td>\(words(t, "fr.service", a.service))\(interview)</td>\
                <td>\(a.centreTime)<br><span class="hint">\(a.netherlandsTime)</span></td>\
                <td><span class="badge">\(words(t, "fr.appt", a.status))</span></td>\
                <td>\(actions)\(reschedule)</td></tr>
                """
        }
        let samples = file.samples.map { s -> HTML in
            """
            <tr><td><a href="\(ReunificationPaths.sample(s.id))">\(s.identifier)</a></td><td>\(names[s.memberID] ?? "")\
            </td><td><span class="badge sample-\(s.status.rawValue)">\(words(t, "fr.sample.status", s.status))</span>\
            \(s.compromisedReason.map { HTML("<br><span class=\"field-error\">\($0)</span>") } ?? .empty)</td>\
            <td>\(s.outcome.map { words(t, "fr.outcome", $0) } ?? "—")</td></tr>
            """
        }
        let memberOptions = file.members.map { (value: $0.id.uuidString, label: $0.person.name) }
        let bookForm: HTML =
            write
            ? f.form(
                ReunificationPaths.referral(file.id) + "/appointments", "book", button: "fr.book",
                """
                <h3>\(t("fr.book.title"))</h3><p class="hint">\(t("fr.book.hint", CentreSchedule.clock(schedule.opens),
                    CentreSchedule.clock(schedule.closes), schedule.slotMinutes, file.centreTimeZone))</p>\
                \(f.select("book", "memberID", "fr.member.person", memberOptions, nil))\
                \(f.select("book", "service", "fr.service", options(t, "fr.service", AppointmentService.self), nil))\
                \(f.field("book", "day", "fr.day", type: "date"))\
                \(f.field("book", "time", "fr.time", hint: "fr.time.hint"))\
                \(f.check("book", "waitingList", "fr.waitingList", false))\(f.field("book", "note", "fr.note"))
                """) : .empty
        let booked = file.appointments.filter {
            $0.service == .dnaSampling && ($0.status == .booked || $0.status == .attended)
        }
        let appointmentOptions = booked.map {
            (value: $0.id.uuidString, label: "\(names[$0.memberID] ?? "") · \($0.day) \($0.time)")
        }
        let collectForm: HTML =
            write && !appointmentOptions.isEmpty
            ? f.form(
                ReunificationPaths.referral(file.id) + "/samples", "collect", button: "fr.collect",
                """
                <h3>\(t("fr.collect.title"))</h3>\(consents)\
                \(f.select("collect", "appointmentID", "fr.appointment", appointmentOptions, nil))\
                \(f.field("collect", "collectedAt", "fr.collectedAt", hint: "fr.localTime.hint"))\
                \(f.field("collect", "place", "fr.place", file.centre))\
                \(f.field("collect", "documentSeen", "fr.documentSeen", hint: "fr.documentSeen.hint"))\
                \(f.check("collect", "photoTaken", "fr.photoTaken", false))\
                \(f.field("collect", "witness", "fr.witness"))\(f.field("collect", "sealNumber", "fr.sealNumber"))
                """) : .empty
        return Layout.page(
            req: req, identity: id, title: "\(file.caseReference) · \(t("fr.title"))",
            body: """
                <h1>\(t("fr.referral.title", file.indFileNumber))</h1>
                <dl class="facts"><dt>\(t("fr.case"))</dt><dd><a href="/cases/\(file.caseID.uuidString)">\
                \(file.caseReference)</a></dd><dt>\(t("fr.sponsor"))</dt>\
                <dd><a href="\(CorePaths.person(file.sponsor.personID))">\
                \(file.sponsor.name)</a></dd><dt>\(t("fr.deadline"))</dt><dd>\(file.deadline)</dd>\
                <dt>\(t("fr.centre"))</dt><dd><a href="\(ReunificationPaths.centre(file.centreID))">\(file.centre)</a> \
                (\(file.centreTimeZone))</dd><dt>\(t("fr.referredBy"))</dt><dd>\(file.referredBy)</dd></dl>
                \(file.note.isEmpty ? HTML.empty : HTML("<p>\(file.note)</p>"))
                <section class="card" id="members"><h2>\(t("fr.members"))</h2>\
                \(table([t("fr.member.person"), t("fr.relationship"), t("fr.verification"), t("fr.languages")], members,
                    empty: ""))</section>
                <section class="card" id="appointments"><h2>\(t("fr.appointments"))</h2>\
                \(table(
                    [t("fr.member.person"), t("fr.service"), t("fr.when"), t("fr.status"), ""], appointments,
                    empty: t("fr.appointments.none")))\
                \(bookForm)</section>
                <section class="card" id="samples"><h2>\(t("fr.samples"))</h2>\
                \(table(
                    [t("fr.sample"), t("fr.member.person"), t("fr.status"), t("fr.outcome")], samples,
                    empty: t("fr.samples.none")))\
                \(collectForm)</section>
                <section class="card" id="travel"><h2>\(t("fr.travel"))</h2><p class="hint">\(t("fr.travel.hint"))</p>\
                \(id.hasAny(MovementsAccess.book)
                    ? HTML(
                        "<p><a href=\"/cases/\(file.caseID.uuidString)/bookings/new\">\(t("fr.travel.book"))</a></p>")
                    : .empty)\
                \(write ? ticketForm(req, file, f) : .empty)</section>
                """)
    }

    // MARK: sample

    static func custodyTimeline(_ t: Translator, _ s: ReferralFile.Sample) -> HTML {
        let items = s.custody.map { e -> HTML in
            let head: String
            switch e.kind {
            case "collected": head = t("fr.ev.collected", e.holder)
            case "handover": head = t("fr.ev.handover", e.from, words(t, "fr.custodian", e.custodian), e.holder)
            case "compromised": head = t("fr.ev.compromised")
            default: head = t("fr.ev.result")
            }
            let seal = t(e.sealIntact ? "fr.seal.intact" : "fr.seal.broken", e.sealNumber)
            let when: String
            if let handed = e.handedOverAt {
                when = t("fr.ev.times", Layout.dateTime(handed), Layout.dateTime(e.receivedAt))
            } else {
                when = t(e.kind == "collected" ? "fr.ev.collectedAt" : "fr.ev.at", Layout.dateTime(e.receivedAt))
            }
            return """
                <li class="custody-\(e.kind)"><strong>\(head)</strong><br>\(when) · \(seal)\
                \(e.note.isEmpty ? HTML.empty : HTML("<br>\(e.note)"))<br><span class="hint">\
                \(t("fr.recordedBy", e.recordedBy, Layout.dateTime(e.recordedAt)))</span></li>
                """
        }
        return "<ol class=\"custody\">\(items)</ol>"
    }

    static func sample(
        _ req: Request, _ id: Identity, _ s: ReferralFile.Sample, referral: ReferralFile, failure: SectionFailure?
    ) -> HTML {
        let t = req.t
        let f = SectionForms(req: req, failure: failure)
        let write = id.hasAny(ReunificationAccess.write)
        let member = referral.members.first { $0.id == s.memberID }
        let path = ReunificationPaths.sample(s.id)
        let open = s.status == .collected || s.status == .inTransit
        let custodians = CustodianKind.allCases.filter { $0 >= s.holderKind && $0 != .collector }
            .map { (value: $0.rawValue, label: words(t, "fr.custodian", $0)) }
        let yesNo: Options = [(value: "true", label: t("answer.yes")), (value: "false", label: t("answer.no"))]
        let outcomes = options(t, "fr.outcome", LabOutcome.self)
        let handForm: HTML =
            write && open
            ? f.form(
                path + "/handovers", "handover", button: "fr.handover.save",
                """
                <h3>\(t("fr.handover.title"))</h3><p class="hint">\(t("fr.handover.hint"))</p>\
                \(f.field("handover", "from", "fr.from", s.holder))\
                \(f.select("handover", "to", "fr.to", custodians, nil))\
                \(f.field("handover", "receiver", "fr.receiver", id.name))\
                \(f.field("handover", "handedOverAt", "fr.handedOverAt", hint: "fr.localTime.hint"))\
                \(f.field("handover", "receivedAt", "fr.receivedAt", hint: "fr.localTime.hint"))\
                \(f.field("handover", "sealNumber", "fr.sealNumber.read"))\
                \(f.select("handover", "sealIntact", "fr.sealIntact", yesNo, "true"))\
                \(f.check("handover", "confirmMismatch", "fr.confirmMismatch", false))
                """) : .empty
        let resultForm: HTML =
            write && id.reads(.genetic) && s.status == .atLaboratory
            ? f.form(
                path + "/result", "result", button: "fr.result.save",
                """
                <h3>\(t("fr.result.title"))</h3>\
                \(f.select("result", "outcome", "fr.outcome", outcomes, nil, blank: "—"))\
                \(f.field("result", "reportReference", "fr.reportReference"))
                """) : .empty
        let result: HTML =
            s.outcome.map {
                "<dt>\(t("fr.outcome"))</dt><dd>\(words(t, "fr.outcome", $0)) · \(s.reportReference ?? "")</dd>"
            } ?? .empty
        let compromised: HTML =
            s.compromisedReason.map {
                "<div class=\"error-summary\" role=\"alert\">\(t("fr.compromised", $0))</div>"
            } ?? .empty
        return Layout.page(
            req: req, identity: id, title: "\(s.identifier) · \(t("fr.title"))",
            body: """
                <h1>\(t("fr.sample.title", s.identifier))</h1>\(compromised)
                <p><a class="button" href="\(path)/label">\(t("fr.label.print"))</a> \
                <a class="button" href="\(path)/custody-form">\(t("fr.custodyForm"))</a></p>
                <dl class="facts"><dt>\(t("fr.member.person"))</dt><dd>\(member?.person.name ?? "")</dd>\
                <dt>\(t("fr.referral"))</dt><dd><a href="\(ReunificationPaths.referral(referral.id))">\
                \(referral.indFileNumber)</a></dd>\
                <dt>\(t("fr.status"))</dt><dd><span class="badge sample-\(s.status.rawValue)">\
                \(words(t, "fr.sample.status", s.status))</span></dd><dt>\(t("fr.holder"))</dt><dd>\
                \(words(t, "fr.custodian", s.holderKind)): \(s.holder)</dd><dt>\(t("fr.sealNumber"))</dt><dd>\
                \(s.sealNumber)</dd><dt>\(t("fr.documentSeen"))</dt><dd>\(s.documentSeen)</dd><dt>\(t("fr.witness"))\
                </dt><dd>\(s.witness)</dd>\
                \(result)</dl>
                <section class="card"><h2>\(t("fr.custody"))</h2>\(custodyTimeline(t, s))</section>
                \(handForm)\(resultForm)
                """)
    }

    /// The label stuck on the sample's tube and envelope: the barcode with the identifier under it.
    static func label(_ req: Request, _ id: Identity, _ s: ReferralFile.Sample, referral: ReferralFile) -> HTML {
        let t = req.t
        let svg = Code128.svg(s.identifier) ?? ""
        return Layout.page(
            req: req, identity: id, title: t("fr.label.title", s.identifier),
            body: """
                <p class="no-print"><button type="button" data-print>\(t("fr.print"))</button> \
                <a href="\(ReunificationPaths.sample(s.id))">\(t("fr.back"))</a></p>
                <div class="sample-label">\(HTML(raw: svg))<p>\(t("fr.indFile")) \(referral.indFileNumber) · \
                \(t("fr.sealNumber")) \(s.sealNumber)</p></div>
                """)
    }

    /// The printable chain-of-custody form: the sample, the collection and every hand-over, with room to sign.
    static func custodyForm(_ req: Request, _ id: Identity, _ s: ReferralFile.Sample, referral: ReferralFile) -> HTML {
        let t = req.t
        let rows = s.custody.filter { $0.kind != "result" }.map { e -> HTML in
            """
            <tr><td>\(e.seq)</td><td>\(e.from.isEmpty ? "—" : e.from)</td>\
            <td>\(words(t, "fr.custodian", e.custodian)): \
            \(e.holder)</td><td>\(e.handedOverAt.map { Layout.dateTime($0) } ?? "—")</td><td>\
            \(Layout.dateTime(e.receivedAt))</td><td>\(e.sealNumber) \(e.sealIntact ? "✓" : "✗")</td><td></td></tr>
            """
        }
        let blank = (0..<3).map { _ in
            HTML("<tr class=\"blank\"><td></td><td></td><td></td><td></td><td></td><td></td><td></td></tr>")
        }
        return Layout.page(
            req: req, identity: id, title: t("fr.custodyForm"),
            body: """
                <p class="no-print"><button type="button" data-print>\(t("fr.print"))</button> \
                <a href="\(ReunificationPaths.sample(s.id))">\(t("fr.back"))</a></p>
                <h1>\(t("fr.custodyForm"))</h1>\
                <div class="sample-label">\(HTML(raw: Code128.svg(s.identifier) ?? ""))</div>
                <dl class="facts"><dt>\(t("fr.indFile"))</dt><dd>\(referral.indFileNumber)</dd>\
                <dt>\(t("fr.collectedBy"))</dt><dd>\(s.collectedBy), \(Layout.dateTime(s.collectedAt)), \(s.place)</dd>\
                <dt>\(t("fr.documentSeen"))</dt>\
                <dd>\(s.documentSeen) · \(t(s.photoTaken ? "fr.photo.yes" : "fr.photo.no"))</dd>\
                <dt>\(t("fr.witness"))</dt><dd>\(s.witness)</dd>\
                <dt>\(t("fr.sealNumber"))</dt><dd>\(s.sealNumber)</dd></dl>
                <table class="custody-form"><thead><tr><th>#</th><th>\(t("fr.from"))</th><th>\(t("fr.receiver"))</th>\
                <th>\(t("fr.handedOverAt"))</th><th>\(t("fr.receivedAt"))</th><th>\(t("fr.sealNumber"))</th>\
                <th>\(t("fr.signature"))</th></tr></thead><tbody>\(rows)\(blank)</tbody></table>
                """)
    }

    // MARK: centre

    struct DaySheet: Sendable {
        var centre: FRCentre
        var day: PartialDate
        var rows: [(appointment: FRAppointment, person: String, reference: String, indFile: String, referral: UUID)]
        var waiting: Int
    }

    static func centre(_ req: Request, _ id: Identity, _ sheet: DaySheet, failure: SectionFailure?) -> HTML {
        let t = req.t
        let c = sheet.centre
        let s = c.schedule
        let f = SectionForms(req: req, failure: failure)
        let slots = s.slots(on: sheet.day)
        let closed = s.closedReason(on: sheet.day)
        var lines: [HTML] = []
        for minute in slots {
            let here = sheet.rows.filter { $0.appointment.minute == minute && $0.appointment.status != .waiting }
            for service in AppointmentService.allCases {
                let taken = here.filter { $0.appointment.service == service }
                guard !taken.isEmpty else { continue }
                for r in taken {
                    lines.append(
                        """
                        <tr><td>\(CentreSchedule.clock(minute))</td><td>\(words(t, "fr.service", service))</td>\
                        <td><a href="\(ReunificationPaths.referral(r.referral))">\(r.person)</a> \
                        <span class="ref">\(r.reference)</span></td><td>\(r.indFile)</td>\
                        <td>\(words(t, "fr.appt", r.appointment.status))</td><td class="tick"></td></tr>
                        """)
                }
            }
        }
        let waiting = sheet.rows.filter { $0.appointment.status == .waiting }.map { r -> HTML in
            """
            <li><a href="\(ReunificationPaths.referral(r.referral))">\(r.person)</a> · \
            \(words(t, "fr.service", r.appointment.service))</li>
            """
        }
        let canEdit = id.hasAny(ReunificationAccess.centres)
        let days = s.openDays.sorted().map(String.init).joined(separator: ",")
        let scheduleForm: HTML =
            canEdit
            ? f.form(
                "/reunification/centres/\(c.$location.id.uuidString)", "schedule", button: "form.save",
                """
                <h3>\(t("fr.schedule"))</h3>\(f.field("schedule", "timeZone", "fr.timeZone", s.timeZone))\
                \(f.field("schedule", "openDays", "fr.openDays", days, hint: "fr.openDays.hint"))\
                \(f.field("schedule", "opens", "fr.opens", CentreSchedule.clock(s.opens)))\
                \(f.field("schedule", "closes", "fr.closes", CentreSchedule.clock(s.closes)))\
                \(f.field("schedule", "slotMinutes", "fr.slotMinutes", String(s.slotMinutes)))\
                \(f.field("schedule", "dnaCapacity", "fr.dnaCapacity", String(s.dnaCapacity)))\
                \(f.field("schedule", "interviewCapacity", "fr.interviewCapacity", String(s.interviewCapacity)))\
                \(f.area("schedule", "holidays", "fr.holidays", s.holidays.sorted().joined(separator: ", "), rows: 2))
                """) : .empty
        let sheetTable: HTML =
            closed.map { HTML("<p class=\"empty\">\(t("fr.closed", $0))</p>") }
            ?? (lines.isEmpty
                ? HTML("<p class=\"empty\">\(t("fr.daySheet.none"))</p>")
                : """
                <table class="day-sheet"><thead><tr><th>\(t("fr.time"))</th><th>\(t("fr.service"))</th>\
                <th>\(t("fr.member.person"))</th><th>\(t("fr.indFile"))</th><th>\(t("fr.status"))</th>\
                <th>\(t("fr.present"))</th></tr></thead><tbody>\(lines)</tbody></table>
                """)
        let previous = ReunificationPaths.shift(sheet.day, by: -1)
        let next = ReunificationPaths.shift(sheet.day, by: 1)
        let base = ReunificationPaths.centre(c.id!)
        return Layout.page(
            req: req, identity: id, title: "\(c.location.name) · \(t("fr.daySheet"))",
            body: """
                <h1>\(t("fr.daySheet.title", c.location.name, t.day(sheet.day)))</h1>
                <p class="hint">\(t("fr.daySheet.hint", s.timeZone, CentreSchedule.clock(s.opens),
                    CentreSchedule.clock(s.closes), s.slotMinutes, s.dnaCapacity, s.interviewCapacity))</p>
                <nav class="no-print"><a href="\(base)?day=\(previous)">← \(previous)</a> · \
                <a href="\(base)?day=\(next)">\(next) →</a> · <button type="button" \
                data-print>\(t("fr.print"))</button></nav>
                \(sheetTable)\
                \(waiting.isEmpty
                    ? HTML.empty
                    : HTML("<section class=\"card\"><h2>\(t("fr.waiting"))</h2><ul>\(waiting)</ul></section>"))\
                \(scheduleForm)
                """)
    }
}
