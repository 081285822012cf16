import Vapor
import Fluent
import PassageDomain

/// Pages for the Location and Partner registries: everyone on staff reads, administrators change.
struct RegistryController {
    static let readers: Set<Role> = Role.staff
    static let editors: Set<Role> = [.administrator]
    /// Who may propose an embassy that is missing, for an administrator to confirm.
    static let proposers: Set<Role> = Role.caseworkers
    struct ProposalForm: Content {
        var name: String?; var country: String?; var contactEmail: String?; var back: String?
    }

    func boot(_ app: Application) {
        let proposals = app.grouped("registry", "embassies", "propose")
        proposals.get(roles: Self.proposers) { req, id -> HTML in
            proposalPage(req, id, ProposalForm(back: req.query[String.self, at: "back"]), errors: nil)
        }
        proposals.post(roles: Self.proposers) { req, id -> Response in
            let f = try req.content.decode(ProposalForm.self)
            do {
                _ = try await RegistryRecords.propose(
                    embassy: .init(name: f.name, country: f.country, contactEmail: f.contactEmail), actor: id.actor,
                    on: req.application)
                return req.redirect(
                    to: AuthController.safeLocalPath(f.back) ?? "/admin/registry?saved=registry-partners")
            } catch let e as ValidationErrors {
                return proposalPage(req, id, f, errors: e).response(status: .unprocessableEntity)
            }
        }
        let r = app.grouped("admin", "registry")
        r.post("partners", ":partnerID", "confirm", roles: Self.editors) { req, id -> Response in
            _ = try await RegistryRecords.confirm(
                partner: try req.uuid("partnerID"), actor: id.actor, on: req.application)
            return req.redirect(to: "/admin/registry?saved=registry-partners")
        }
        r.get(roles: Self.readers) { req, id in
            try await page(
                req, id, locationForm: .init(), partnerForm: .init(), locationErrors: nil, partnerErrors: nil)
        }
        r.post("locations", roles: Self.editors) { req, id -> Response in
            let f = try req.content.decode(RegistryRecords.LocationForm.self)
            do {
                let l = try await RegistryRecords.validate(f, on: req.db)
                _ = try await RegistryRecords.save(location: l, replacing: nil, actor: id.actor, on: req.application)
                return req.redirect(to: "/admin/registry?saved=registry-locations")
            } catch let e as ValidationErrors {
                return try await page(
                    req, id, locationForm: f, partnerForm: .init(), locationErrors: e, partnerErrors: nil
                ).response(status: .unprocessableEntity)
            }
        }
        r.get("locations", ":locationID", roles: Self.editors) { req, id -> HTML in
            let lid = try req.uuid("locationID")
            guard let l = try await Location.find(lid, on: req.db) else {
                throw Abort(.notFound, reason: "No such location.")
            }
            let values = RegistryRecords.LocationForm(
                name: l.name, kind: l.kind.rawValue, city: l.city, country: l.country,
                partnerID: l.$partner.id?.uuidString)
            return editPage(
                req, id, title: l.name,
                form: Self.locationForm(
                    req, action: "/admin/registry/locations/\(lid.uuidString)",
                    values: values, errors: nil, partners: try await partnerOptions(req)))
        }
        r.post("locations", ":locationID", roles: Self.editors) { req, id -> Response in
            let lid = try req.uuid("locationID")
            let f = try req.content.decode(RegistryRecords.LocationForm.self)
            do {
                let l = try await RegistryRecords.validate(f, on: req.db)
                _ = try await RegistryRecords.save(location: l, replacing: lid, actor: id.actor, on: req.application)
                return req.redirect(to: "/admin/registry?saved=registry-locations")
            } catch let e as ValidationErrors {
                return editPage(
                    req, id, title: f.name ?? "",
                    form: Self.locationForm(
                        req, action: "/admin/registry/locations/\(lid.uuidString)",
                        values: f, errors: e, partners: try await partnerOptions(req))
                )
                .response(status: .unprocessableEntity)
            }
        }
        r.get("partners", ":partnerID", roles: Self.editors) { req, id -> HTML in
            let pid = try req.uuid("partnerID")
            guard let p = try await Partner.find(pid, on: req.db) else {
                throw Abort(.notFound, reason: "No such partner.")
            }
            let values = RegistryRecords.PartnerForm(
                name: p.name, kind: p.kind.rawValue, country: p.country, contactEmail: p.contactEmail)
            return editPage(
                req, id, title: p.name,
                form: Self.partnerForm(
                    req, action: "/admin/registry/partners/\(pid.uuidString)", values: values, errors: nil))
        }
        r.post("partners", ":partnerID", roles: Self.editors) { req, id -> Response in
            let pid = try req.uuid("partnerID")
            let f = try req.content.decode(RegistryRecords.PartnerForm.self)
            do {
                _ = try await RegistryRecords.save(
                    partner: try RegistryRecords.validate(f), replacing: pid, actor: id.actor, on: req.application)
                return req.redirect(to: "/admin/registry?saved=registry-partners")
            } catch let e as ValidationErrors {
                return editPage(
                    req, id, title: f.name ?? "",
                    form: Self.partnerForm(
                        req, action: "/admin/registry/partners/\(pid.uuidString)", values: f, errors: e)
                )
                .response(status: .unprocessableEntity)
            }
        }
        r.post("partners", roles: Self.editors) { req, id -> Response in
            let f = try req.content.decode(RegistryRecords.PartnerForm.self)
            do {
                _ = try await RegistryRecords.save(
                    partner: try RegistryRecords.validate(f), replacing: nil, actor: id.actor, on: req.application)
                return req.redirect(to: "/admin/registry?saved=registry-partners")
            } catch let e as ValidationErrors {
                return try await page(
                    req, id, locationForm: .init(), partnerForm: f, locationErrors: nil, partnerErrors: e
                ).response(status: .unprocessableEntity)
            }
        }
    }

    static func locationForm(
        _ req: Request, action: String, values lf: RegistryRecords.LocationForm, errors raw: ValidationErrors?,
        partners popts: [(value: String, label: String)]
    ) -> HTML {
        let t = req.t
        let le = t.localized(raw)
        let countries = t.countryChoices
        let lkinds = LocationKind.allCases.map { (value: $0.rawValue, label: t("lockind.\($0.rawValue)")) }
        return """
            \(Layout.errorSummary(le, t))
            <form method="post" action="\(action)" class="card" novalidate>\(Layout.csrfField(req))<div class="grid">
            \(Layout.field("name", label: t("registry.name"), value: lf.name, error: le?.message(for: "name"),
                required: true))
            \(Layout.select("kind", label: t("registry.kind"), options: lkinds, selected: lf.kind,
                error: le?.message(for: "kind")))
            \(Layout.field("city", label: t("registry.city"), value: lf.city, error: le?.message(for: "city"),
                required: true))
            \(Layout.select("country", label: t("registry.country"), options: countries, selected: lf.country ?? "NL",
                error: le?.message(for: "country")))
            \(Layout.select("partnerID", label: t("registry.responsible"), options: popts, selected: lf.partnerID,
                error: le?.message(for: "partnerID"), includeBlank: "—"))
            </div><button class="primary" type="submit">\(t("form.save"))</button></form>
            """
    }

    static func partnerForm(
        _ req: Request, action: String, values pf: RegistryRecords.PartnerForm, errors raw: ValidationErrors?
    ) -> HTML {
        let t = req.t
        let pe = t.localized(raw)
        let countries = t.countryChoices
        let pkinds = PartnerKind.allCases.map { (value: $0.rawValue, label: t("partnerkind.\($0.rawValue)")) }
        return """
            \(Layout.errorSummary(pe, t))
            <form method="post" action="\(action)" class="card" novalidate>\(Layout.csrfField(req))<div class="grid">
            \(Layout.field("name", label: t("registry.name"), value: pf.name, error: pe?.message(for: "name"),
                required: true))
            \(Layout.select("kind", label: t("registry.kind"), options: pkinds, selected: pf.kind,
                error: pe?.message(for: "kind")))
            \(Layout.select("country", label: t("registry.country"), options: countries, selected: pf.country,
                error: pe?.message(for: "country"), includeBlank: "—"))
            \(Layout.field("contactEmail", label: t("registry.email"), value: pf.contactEmail,
                error: pe?.message(for: "contactEmail"), type: "email"))
            </div><button class="primary" type="submit">\(t("form.save"))</button></form>
            """
    }

    /// A member of staff proposes an embassy that is not in the registry yet.
    func proposalPage(_ req: Request, _ id: Identity, _ f: ProposalForm, errors raw: ValidationErrors?) -> HTML {
        let t = req.t
        let e = t.localized(raw)
        let back = AuthController.safeLocalPath(f.back)
        return Layout.page(
            req: req, identity: id, title: t("registry.propose.title"),
            body: """
                \(back.map { HTML("<p><a href=\"\($0)\">← \(t("action.back"))</a></p>") } ?? .empty)
                <h1>\(t("registry.propose.title"))</h1><p>\(t("registry.propose.explain"))</p>
                \(Layout.errorSummary(e, t))
                <form method="post" action="/registry/embassies/propose" class="card" novalidate>\
                \(Layout.csrfField(req))
                <input type="hidden" name="back" value="\(back ?? "")"><div class="grid">
                \(Layout.field("name", label: t("registry.name"), value: f.name, error: e?.message(for: "name"),
                    required: true))
                \(Layout.select("country", label: t("registry.propose.country"), options: t.countryChoices,
                    selected: f.country, error: e?.message(for: "country"), includeBlank: "—"))
                \(Layout.field("contactEmail", label: t("registry.email"), value: f.contactEmail,
                    error: e?.message(for: "contactEmail"), type: "email"))
                </div><button class="primary" type="submit">\(t("registry.propose.submit"))</button></form>
                """)
    }

    func partnerOptions(_ req: Request) async throws -> [(value: String, label: String)] {
        try await Partner.query(on: req.db).sort(\.$name).all().map { (value: $0.id!.uuidString, label: $0.name) }
    }

    static func proposed(_ p: Partner, _ t: Translator) -> HTML {
        p.proposedBy == nil ? .empty : " <span class=\"badge\">\(t("registry.proposed"))</span>"
    }

    /// The edit page of one registry entry.
    func editPage(_ req: Request, _ id: Identity, title: String, form: HTML) -> HTML {
        Layout.page(
            req: req, identity: id, title: title,
            body: """
                <p><a href="/admin/registry">← \(req.t("nav.registry"))</a></p><h1>\(title)</h1>\(form)
                """)
    }

    func page(
        _ req: Request, _ id: Identity, locationForm lf: RegistryRecords.LocationForm,
        partnerForm pf: RegistryRecords.PartnerForm,
        locationErrors le: ValidationErrors?, partnerErrors pe: ValidationErrors?
    ) async throws -> HTML {
        let t = req.t
        let locations = try await Location.query(on: req.db).with(\.$partner).sort(\.$name).all()
        let partners = try await Partner.query(on: req.db).sort(\.$name).all()
        let canEdit = id.hasAny(Self.editors)
        let lrows = locations.map {
            "<tr><td>\(canEdit ? HTML("<a href=\"/admin/registry/locations/\($0.id!.uuidString)\">\($0.name)</a>") : HTML("\($0.name)"))</td><td>\(t("lockind.\($0.kind)"))</td><td>\($0.city)</td><td>\(t.country($0.country))</td><td>\($0.partner?.name ?? "—")</td></tr>"
                as HTML
        }
        let prows = partners.map {
            "<tr><td>\(canEdit ? HTML("<a href=\"/admin/registry/partners/\($0.id!.uuidString)\">\($0.name)</a>") : HTML("\($0.name)"))\(Self.proposed($0, t))</td><td>\(t("partnerkind.\($0.kind)"))</td><td>\($0.country.map(t.country) ?? "—")</td><td>\($0.contactEmail ?? "—")</td></tr>"
                as HTML
        }
        let proposed = partners.filter { $0.proposedBy != nil }
        let proposalRows = proposed.map { p -> HTML in
            """
            <li><a href="/admin/registry/partners/\(p.id!.uuidString)">\(p.name)</a> \
            (\(p.country.map(t.country) ?? "—")), \(t("registry.proposedBy", p.proposedBy ?? "")) \
            <form method="post" action="/admin/registry/partners/\(p.id!.uuidString)/confirm" class="inline">\
            \(Layout.csrfField(req))<button type="submit">\(t("registry.confirm"))</button></form></li>
            """
        }
        let proposals: HTML =
            canEdit && !proposed.isEmpty
            ? """
            <section class="notice" id="proposals"><h2>\(t("registry.proposals", String(proposed.count)))</h2>
            <p>\(t("registry.proposals.explain"))</p><ul>\(proposalRows)</ul></section>
            """ : .empty
        let popts = partners.map { (value: $0.id!.uuidString, label: $0.name) }
        let addLocation: HTML =
            canEdit
            ? """
            <details\(HTML(raw: le == nil ? "" : " open"))><summary>\(t("registry.location.add"))</summary>
            \(Self.locationForm(req, action: "/admin/registry/locations", values: lf, errors: le, partners: popts))\
            </details>
            """ : .empty
        let addPartner: HTML =
            canEdit
            ? """
            <details\(HTML(raw: pe == nil ? "" : " open"))><summary>\(t("registry.partner.add"))</summary>
            \(Self.partnerForm(req, action: "/admin/registry/partners", values: pf, errors: pe))</details>
            """ : .empty
        let body: HTML = """
            <h1>\(t("nav.registry"))</h1>\(proposals)
            <h2 id="registry-locations">\(t("registry.locations"))</h2>\(addLocation)
            \(lrows.isEmpty ? HTML("<p class=\"empty\">\(t("registry.none"))</p>") : HTML("<table><thead><tr><th>\(t("registry.name"))</th><th>\(t("registry.kind"))</th><th>\(t("registry.city"))</th><th>\(t("registry.country"))</th><th>\(t("registry.responsible"))</th></tr></thead><tbody>\(lrows)</tbody></table>"))
            <h2 id="registry-partners">\(t("registry.partners"))</h2>\(addPartner)
            \(prows.isEmpty ? HTML("<p class=\"empty\">\(t("registry.none"))</p>") : HTML("<table><thead><tr><th>\(t("registry.name"))</th><th>\(t("registry.kind"))</th><th>\(t("registry.country"))</th><th>\(t("registry.email"))</th></tr></thead><tbody>\(prows)</tbody></table>"))
            """
        return Layout.page(
            req: req, identity: id, title: t("nav.registry"),
            body: SectionForms.landing(body, savedAt: SectionForms.sectionName(req.query[String.self, at: "saved"]), t))
    }
}
