import Vapor
import PassageDomain

enum PersonPages {
    struct SearchModel {
        var name: String
        var document: String
        var dob: String
        var dobError: String?
        var results: [PersonSummary]
        var searched: Bool
        var page: Int
        var hasMore: Bool
        /// How many persons match in all, where known.
        var total: Int? = nil
    }

    static func search(_ req: Request, _ id: Identity, _ m: SearchModel) -> HTML {
        let t = req.t
        let rows = m.results.map { p -> HTML in
            let orig: HTML =
                p.originalName.map { "<div class=\"original\" dir=\"\(textDirection($0))\">\($0)</div>" } ?? .empty
            let docs = p.documents.map(\.number).joined(separator: ", ")
            // Why it was found, where it was not by the very words sought.
            var why = (p.matches ?? []).filter { $0.kind != .exact }.map {
                t("persons.search.why.\($0.kind.rawValue)", $0.queried, $0.stored)
            }
            // A date of birth found with day and month swapped, or an estimated year near the one sought.
            if let code = p.dateOfBirthMatch, code == .birthDayMonthSwapped || code == .birthYearNear {
                why.append(t("identity.reason.\(code.rawValue)", m.dob, p.dateOfBirth ?? ""))
            }
            let whyLine: HTML =
                why.isEmpty ? .empty : "<div class=\"muted why\">\(why.joined(separator: " · "))</div>"
            return """
                <tr><td><a href="\(CorePaths.person(p.id))">\(p.familyName), \(p.givenNames)</a>\(orig)\(whyLine)</td>
                <td>\(p.dateOfBirth ?? "—")</td><td>\(t.country(p.nationality))</td><td>\(docs)</td>\
                <td>\(p.locationName ?? "")</td></tr>
                """
        }
        var results: HTML
        if !m.searched {
            results = "<p class=\"muted\">\(t("persons.search.help"))</p>"
        } else if rows.isEmpty {
            results = "<p class=\"empty\">\(t("persons.search.none"))</p>"
        } else {
            let q = "name=\(urlQuery(m.name))&document=\(urlQuery(m.document))&dob=\(urlQuery(m.dob))"
            let prev: HTML =
                m.page > 1 ? "<a href=\"/persons?\(q)&page=\(m.page - 1)\">\(t("pager.previous"))</a>" : .empty
            let next: HTML = m.hasMore ? "<a href=\"/persons?\(q)&page=\(m.page + 1)\">\(t("pager.next"))</a>" : .empty
            results = """
                <table><thead><tr><th>\(t("person.name"))</th><th>\(t("person.dob"))</th><th>\(t("person.nationality"))\
                </th>
                <th>\(t("person.documents"))</th><th>\(t("person.location"))</th></tr></thead><tbody>\(rows)</tbody>\
                </table>
                <div class="pager">\(prev)<span>\(t("pager.page", m.page))</span>\(next)</div>
                """
            if let total = m.total {
                results = "<p class=\"count\" role=\"status\">\(t("persons.search.total", total))</p>\(results)"
            }
        }
        let queueLink: HTML =
            id.hasAny(MergeAccess.merge)
            ? "<a class=\"btn secondary\" href=\"/persons/duplicates\">\(t("queue.nav"))</a>" : .empty
        return Layout.page(
            req: req, identity: id, title: t("persons.title"),
            body: """
                <h1>\(t("persons.title"))</h1>
                <form method="get" action="/persons" class="card filters" role="search">
                \(Layout.field("name", label: t("persons.search.name"), value: m.name, error: nil,
                    hint: t("persons.search.name.hint")))
                \(Layout.field("document", label: t("persons.search.document"), value: m.document, error: nil))
                \(Layout.field("dob", label: t("persons.search.dob"), value: m.dob, error: m.dobError,
                    hint: "1990, 1990-05, 1990-05-21"))
                <button class="primary" type="submit">\(t("persons.search.submit"))</button>
                <a class="btn secondary" href="/persons/new">\(t("persons.new"))</a>
                \(queueLink)</form>
                \(results)
                """)
    }

    struct FormModel {
        var form: PersonForm
        var document: IdentityDocumentForm
        var errors: ValidationErrors?
        var locations: [(value: String, label: String)]
        var editing: UUID?
        /// Persons already held who may be the one being registered.
        var duplicates: [DuplicateCheck.Candidate] = []
        /// Those of them the counsellor already said are someone else.
        var notSameAs: Set<UUID> = []
    }

    /// The evidence that two records are one person, in words: the name words met as typed on one line, each other
    /// piece on its own; whether it speaks for or against.
    static func reasonLines(_ reasons: [IdentityMatch.Reason], _ t: Translator) -> [(text: String, isFor: Bool)] {
        let show: (IdentityMatch.Reason, String?) -> String = { r, value in
            guard let value else { return "" }
            switch r.code {
            case .nationalitySame, .nationalityDiffers: return t.country(value)
            case .nameExact, .namePrefix, .nameTransliteration, .nameMisspelling, .nameMissing:
                return value.capitalized
            default: return value
            }
        }
        let same = reasons.filter { $0.code == .nameExact }.compactMap { show($0, $0.queried) }
        var lines: [(String, Bool)] =
            same.isEmpty ? [] : [(t("identity.reason.name_exact", same.joined(separator: " ")), true)]
        for r in reasons where r.code != .nameExact {
            lines.append((t("identity.reason.\(r.code.rawValue)", show(r, r.queried), show(r, r.stored)), r.isFor))
        }
        return lines.map { (text: $0.0, isFor: $0.1) }
    }

    /// The evidence as list items.
    static func reasonItems(_ reasons: [IdentityMatch.Reason], _ t: Translator) -> HTML {
        HTML(
            stringLiteral: reasonLines(reasons, t).map {
                "<li class=\"\($0.isFor ? "for" : "against")\">\(HTML.escape($0.text))</li>"
            }.joined())
    }

    /// The possible duplicates of a person being registered, each to open or to mark as someone else.
    static func duplicatesPanel(_ m: FormModel, _ t: Translator) -> HTML {
        guard !m.duplicates.isEmpty else { return .empty }
        let rows = m.duplicates.map { c -> HTML in
            let p = c.person
            let reasons = reasonItems(c.reasons, t)
            let checked = m.notSameAs.contains(p.id) ? " checked" : ""
            return """
                <tr><td><a href="\(CorePaths.person(p.id))" target="_blank" rel="noopener">\(p.familyName), \
                \(p.givenNames)</a> <span class="muted">\(p.reference)</span></td>\
                <td>\(p.dateOfBirth ?? "—")</td><td>\(t.country(p.nationality))</td>\
                <td>\(p.documents.map(\.number).joined(separator: ", "))</td>\
                <td><span class="score">\(c.score)</span></td><td><ul class="reasons">\(reasons)</ul></td>\
                <td><label class="check-line"><input type="checkbox" name="notSameAs[]" \
                value="\(p.id.uuidString)"\(HTML(raw: checked))> \(t("identity.notSame"))</label></td></tr>
                """
        }
        return """
            <section class="card duplicates" id="duplicates" role="alert" tabindex="-1">
            <h2>\(t("identity.duplicates.title"))</h2><p>\(t("identity.duplicates.help"))</p>
            <table><thead><tr><th>\(t("person.name"))</th><th>\(t("person.dob"))</th>\
            <th>\(t("person.nationality"))</th><th>\(t("person.documents"))</th><th>\(t("identity.score"))</th>\
            <th>\(t("identity.why"))</th><th><span class="sr-only">\(t("identity.notSame"))</span></th></tr></thead>
            <tbody>\(rows)</tbody></table></section>
            """
    }

    static func form(_ req: Request, _ id: Identity, _ m: FormModel) -> HTML {
        let t = req.t
        let f = m.form
        let e = t.localized(m.errors)
        let countries = t.countryChoices
        let sexes = Sex.allCases.map { (value: $0.rawValue, label: t("sex.\($0.rawValue)")) }
        let docTypes = IdentityDocumentType.allCases.map { (value: $0.rawValue, label: t("doctype.\($0.rawValue)")) }
        let title = m.editing == nil ? t("persons.new") : t("persons.edit")
        let action = m.editing.map { "\(CorePaths.person($0))/edit" } ?? "/persons/new"
        let documentSection: HTML =
            m.editing != nil
            ? .empty
            : """
            <h2>\(t("person.document.first"))</h2><div class="grid">
            \(Layout.select("document.type", label: t("document.type"), options: docTypes, selected: m.document.type,
                error: e?.message(for: "document.type"), includeBlank: "—"))
            \(Layout.field("document.number", label: t("document.number"), value: m.document.number,
                error: e?.message(for: "document.number")))
            \(Layout.select("document.issuingCountry", label: t("document.issuingCountry"), options: countries,
                selected: m.document.issuingCountry, error: e?.message(for: "document.issuingCountry"), includeBlank: "—"))
            \(Layout.field("document.expiresOn", label: t("document.expiresOn"), value: m.document.expiresOn,
                error: e?.message(for: "document.expiresOn"), type: "date"))
            </div>
            """
        var labels: [String: String] = [:]
        for key in [
            "familyName", "givenNames", "familyNameOriginal", "givenNamesOriginal", "aliases", "sex", "nationality",
            "languages", "phone",
        ] { labels[key] = t("person.\(key)") }
        labels["dateOfBirth"] = t("person.dob")
        labels["locationID"] = t("person.location")
        for key in ["type", "number", "issuingCountry", "expiresOn"] {
            labels["document.\(key)"] = t("document.\(key)")
        }
        return Layout.page(
            req: req, identity: id, title: title,
            body: """
                <h1>\(title)</h1>\(Layout.errorSummary(e, t, labels: labels))
                <form method="post" action="\(action)" class="card" novalidate>\(Layout.csrfField(req))
                \(duplicatesPanel(m, t))
                <h2>\(t("person.names"))</h2><div class="grid">
                \(Layout.field("familyName", label: t("person.familyName"), value: f.familyName,
                    error: e?.message(for: "familyName"), required: true))
                \(Layout.field("givenNames", label: t("person.givenNames"), value: f.givenNames,
                    error: e?.message(for: "givenNames"), required: true))
                \(Layout.field("familyNameOriginal", label: t("person.familyNameOriginal"),
                    value: f.familyNameOriginal, error: e?.message(for: "familyNameOriginal"), hint: t("person.original.hint"), attributes: "dir=\"auto\""))
                \(Layout.field("givenNamesOriginal", label: t("person.givenNamesOriginal"),
                    value: f.givenNamesOriginal, error: e?.message(for: "givenNamesOriginal"), attributes: "dir=\"auto\""))
                \(Layout.field("aliases", label: t("person.aliases"),
                    value: (f.aliases ?? []).joined(separator: "; "), error: e?.items.first { $0.field.hasPrefix("aliases") }?.message, hint: t("person.aliases.hint")))
                </div><h2>\(t("person.identity"))</h2><div class="grid">
                \(Layout.select("sex", label: t("person.sex"), options: sexes, selected: f.sex ?? "U",
                    error: e?.message(for: "sex")))
                \(Layout.field("dateOfBirth", label: t("person.dob"), value: f.dateOfBirth,
                    error: e?.message(for: "dateOfBirth"), hint: t("person.dob.hint")))
                <label class="field"><span>\(t("person.dob.estimated"))</span>\
                <input type="checkbox" name="dateOfBirthEstimated" \
                value="true"\(HTML(raw: f.dateOfBirthEstimated == true ? " checked" : ""))></label>
                \(Layout.select("nationality", label: t("person.nationality"), options: countries,
                    selected: f.nationality, error: e?.message(for: "nationality"), includeBlank: "—"))
                \(Layout.field("languages", label: t("person.languages"),
                    value: (f.languages ?? []).joined(separator: ", "), error: e?.message(for: "languages"), hint: t("person.languages.hint")))
                \(Layout.field("phone", label: t("person.phone"), value: f.phone, error: e?.message(for: "phone"),
                    type: "tel", hint: "+31612345678"))
                \(Layout.select("locationID", label: t("person.location"), options: m.locations,
                    selected: f.locationID, error: e?.message(for: "locationID"), includeBlank: "—"))
                </div>\(documentSection)
                <button class="primary" type="submit">\
                \(m.duplicates.isEmpty ? t("form.save") : t("identity.saveAnyway"))</button>
                <a class="btn secondary" \
                href="\(m.editing.map { CorePaths.person($0) } ?? "/persons")">\(t("form.cancel"))</a>
                </form>
                """)
    }

    struct DetailModel {
        var person: PersonSummary
        var household: [HouseholdMember]
        var cases: [CaseSummary]
        var notice: String?
        var canEdit: Bool
        var link: LinkAttempt?
        /// Possible duplicates, merges and "not the same person" decisions.
        var identity: HTML = .empty
        /// The person's consents, and the forms to record and withdraw them.
        var consents: HTML = .empty
    }

    /// A family link that was not made: what was typed, why, and whom the typed name may mean.
    struct LinkAttempt {
        var relationship: String?
        var typed: String
        var errors: ValidationErrors?
        var message: String?
        var candidates: [PersonSummary]
    }

    static func detail(_ req: Request, _ id: Identity, _ m: DetailModel) -> HTML {
        let t = req.t
        let p = m.person
        let csrf = Layout.csrfField(req)
        let orig: HTML =
            p.originalName.map { "<div class=\"original\" dir=\"\(textDirection($0))\" lang=\"\">\($0)</div>" }
            ?? .empty
        let docs = p.documents.map { d -> HTML in
            let remove: HTML =
                m.canEdit
                ? Layout.confirmedAction(
                    req, action: "\(CorePaths.person(p.id))/documents/\(d.id.uuidString)/delete",
                    label: t("action.remove"), confirm: t("confirm.remove")) : .empty
            return
                "<tr><td>\(t("doctype.\(d.type)"))</td><td>\(d.number)</td><td>\(t.country(d.issuingCountry))</td><td>\(d.expiresOn ?? "—")</td><td>\(remove)</td></tr>"
        }
        let household = m.household.map { h -> HTML in
            let remove: HTML =
                m.canEdit
                ? Layout.confirmedAction(
                    req, action: "\(CorePaths.person(p.id))/household/\(h.linkID.uuidString)/delete",
                    label: t("action.remove"), confirm: t("confirm.remove")) : .empty
            return
                """
                <tr><td>\(t("relationship.\(h.relationship)"))</td><td><a \
                href=\"\(CorePaths.person(h.personID))\">\(h.name)</a></td><td>\(remove)</td></tr>
                """
        }
        let cases = m.cases.map { c -> HTML in
            "<tr><td><a href=\"\(CorePaths.case(c.id))\">\(c.reference)</a></td><td>\(t("programme.\(c.programme)"))</td><td><span class=\"badge \(c.status)\">\(t("status.\(c.status)"))</span></td><td>\(c.openedOn)</td><td>\(c.ownerName ?? "—")</td></tr>"
        }
        let docTypes = IdentityDocumentType.allCases.map { (value: $0.rawValue, label: t("doctype.\($0.rawValue)")) }
        let countries = t.countryChoices
        let relations = Relationship.allCases.map { (value: $0.rawValue, label: t("relationship.\($0.rawValue)")) }
        let addDoc: HTML =
            m.canEdit
            ? """
            <details><summary>\(t("document.add"))</summary>
            <form method="post" action="\(CorePaths.person(p.id))/documents" class="card">\(csrf)<div class="grid">
            \(Layout.select("type", label: t("document.type"), options: docTypes, selected: nil, error: nil))
            \(Layout.field("number", label: t("document.number"), value: nil, error: nil, required: true))
            \(Layout.select("issuingCountry", label: t("document.issuingCountry"), options: countries,
                selected: p.nationality, error: nil))
            \(Layout.field("expiresOn", label: t("document.expiresOn"), value: nil, error: nil, type: "date"))
            </div><button class="primary" type="submit">\(t("document.add"))</button></form></details>
            """ : .empty
        let link = m.link
        let linkErrors = t.localized(link?.errors)
        let choices = (link?.candidates ?? []).map { c -> HTML in
            """
            <label class="check-line"><input type="radio" name="candidateID" value="\(c.id.uuidString)"> \
            <strong>\(c.familyName), \(c.givenNames)</strong> <span class="muted">\(c.reference) · \
            \(c.dateOfBirth ?? "—") · \(t.country(c.nationality))</span></label>
            """
        }
        let choiceBlock: HTML =
            choices.isEmpty
            ? .empty
            : """
            <fieldset class="card" id="link-candidates"><legend>\(t("household.candidates"))</legend>\(choices)\
            </fieldset>
            """
        let linkMessage: HTML =
            link?.message.map { "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\">\($0)</div>" } ?? .empty
        let addLink: HTML =
            m.canEdit
            ? """
            <details id="household-add"\(HTML(raw: link == nil ? "" : " open"))><summary>\(t("household.add"))</summary>
            \(linkMessage)\(Layout.errorSummary(linkErrors, t))
            <form method="post" action="\(CorePaths.person(p.id))/household" class="card">\(csrf)<div class="grid">
            \(Layout.select("relationship", label: t("household.relationship"), options: relations,
                selected: link?.relationship, error: linkErrors?.message(for: "relationship")))
            \(Layout.field("relatedPersonID", label: t("household.person"), value: link?.typed,
                error: linkErrors?.message(for: "relatedPersonID"), required: true, hint: t("household.person.hint")))
            </div>\(choiceBlock)<button class="primary" type="submit">\(t("household.add"))</button></form></details>
            """ : .empty
        let notice: HTML = m.notice.map { "<div class=\"notice\" role=\"status\">\($0)</div>" } ?? .empty
        let languages = p.languages.map { t.language($0) }.joined(separator: ", ")
        return Layout.page(
            req: req, identity: id, title: "\(p.familyName), \(p.givenNames)",
            body: """
                \(notice)<h1>\(p.familyName), \(p.givenNames) <span class="muted">\(p.reference)</span></h1>\(orig)
                <section class="card"><dl class="facts">
                <dt>\(t("person.aliases"))</dt><dd>\(p.aliases.isEmpty ? "—" : p.aliases.joined(separator: "; "))</dd>
                <dt>\(t("person.sex"))</dt><dd>\(t("sex.\(p.sex)"))</dd>
                <dt>\(t("person.dob"))</dt><dd>\(p.dateOfBirth ?? "—")</dd>
                <dt>\(t("person.nationality"))</dt><dd>\(t.country(p.nationality))</dd>
                <dt>\(t("person.languages"))</dt><dd>\(languages.isEmpty ? "—" : languages)</dd>
                <dt>\(t("person.phone"))</dt><dd>\(p.phone ?? "—")</dd>
                <dt>\(t("person.location"))</dt><dd>\(p.locationName ?? "—")</dd>
                </dl>\(m.canEdit ? HTML("<p><a class=\"btn secondary\" href=\"\(CorePaths.person(p.id))/edit\">\(t("persons.edit"))</a> <a class=\"btn secondary\" href=\"/cases/new?personID=\(p.id.uuidString)\">\(t("cases.new"))</a> <a class=\"btn secondary\" href=\"/return/new?personID=\(p.id.uuidString)\">\(t("return.new.title"))</a></p>") : .empty)</section>
                <h2>\(t("person.documents"))</h2>
                \(docs.isEmpty ? HTML("<p class=\"empty\">\(t("person.documents.none"))</p>") : HTML("<table><thead><tr><th>\(t("document.type"))</th><th>\(t("document.number"))</th><th>\(t("document.issuingCountry"))</th><th>\(t("document.expiresOn"))</th><th><span class=\"sr-only\">\(t("table.actions"))</span></th></tr></thead><tbody>\(docs)</tbody></table>"))
                \(addDoc)
                <h2>\(t("household.title"))</h2>
                \(household.isEmpty ? HTML("<p class=\"empty\">\(t("household.none"))</p>") : HTML("<table><tbody>\(household)</tbody></table>"))
                \(addLink)
                <h2>\(t("cases.title"))</h2>
                \(cases.isEmpty ? HTML("<p class=\"empty\">\(t("cases.none"))</p>") : HTML("<table><thead><tr><th>\(t("case.reference"))</th><th>\(t("case.programme"))</th><th>\(t("case.status"))</th><th>\(t("case.openedOn"))</th><th>\(t("case.owner"))</th></tr></thead><tbody>\(cases)</tbody></table>"))
                \(m.consents)
                \(m.identity)
                """)
    }
}
