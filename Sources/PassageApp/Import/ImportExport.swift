import Fluent
import Foundation
import PassageDomain
import Vapor

/// The office's records written out in the import layout, so that they can be taken to another system or into
/// another Passage: `passage export DIR --user USERNAME`. A record imported before keeps the office's reference; one
/// made in Passage is known by Passage's reference (or its id).
enum ImportExport {
    static func tables(on db: any Database) async throws -> (files: [ImportKind: [[String]]], persons: [UUID]) {
        var refs: [ImportKind: [UUID: String]] = [:]
        for k in try await ImportKey.query(on: db).all() {
            guard let kind = ImportKind(rawValue: k.kind), kind.keyColumns == ["ref"] else { continue }
            refs[kind, default: [:]][k.recordID] = k.ref
        }
        func ref(_ kind: ImportKind, _ id: UUID, _ fallback: String? = nil) -> String {
            refs[kind]?[id] ?? fallback ?? id.uuidString.lowercased()
        }
        let locations = Dictionary(
            try await Location.query(on: db).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        let partners = Dictionary(
            try await Partner.query(on: db).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        let users = Dictionary(
            try await User.query(on: db).all().map { ($0.id!, $0.username) }, uniquingKeysWith: { a, _ in a })
        func amount(_ cents: Int) -> String { String(format: "%d.%02d", cents / 100, cents % 100) }
        func flag(_ b: Bool) -> String { b ? "true" : "false" }
        var out: [ImportKind: [[String]]] = [:]
        func header(_ kind: ImportKind) -> [String] { kind.required + kind.optional }

        let persons = try await Person.query(on: db).filter(\.$mergedInto == nil).sort(\.$reference).all()
        var personRef: [UUID: String] = [:]
        out[.persons] = [header(.persons)]
        for p in persons {
            let r = ref(.persons, p.id!, p.reference)
            personRef[p.id!] = r
            let values: [String: String?] = [
                "ref": r, "familyName": p.familyName, "sex": p.sex, "nationality": p.nationality,
                "givenNames": p.givenNames, "familyNameOriginal": p.familyNameOriginal,
                "givenNamesOriginal": p.givenNamesOriginal, "aliases": p.aliases.joined(separator: "; "),
                "dateOfBirth": p.dateOfBirth.map { $0.isoText }, "dateOfBirthEstimated": flag(p.dobEstimated),
                "languages": p.languages.joined(separator: "; "), "phone": p.phone,
                "location": p.$location.id.flatMap { locations[$0] },
            ]
            out[.persons]!.append(row(.persons, values))
        }
        out[.documents] = [header(.documents)]
        for d in try await IdentityDocument.query(on: db).all() {
            guard let pr = personRef[d.$person.id] else { continue }
            out[.documents]!.append(
                row(
                    .documents,
                    [
                        "personRef": pr, "type": d.type.rawValue, "number": d.number,
                        "issuingCountry": d.issuingCountry, "expiresOn": d.expiresOn,
                    ]))
        }
        out[.households] = [header(.households)]
        for l in try await HouseholdLink.query(on: db).all() {
            guard let a = personRef[l.$person.id], let b = personRef[l.$relatedPerson.id] else { continue }
            out[.households]!.append(
                row(.households, ["personRef": a, "relatedRef": b, "relationship": l.relationship]))
        }

        let cases = try await Case.query(on: db).filter(\.$programme == .voluntaryReturn).sort(\.$reference).all()
        let returns = Dictionary(
            try await ReturnCase.query(on: db).all().map { ($0.$caseRecord.id, $0) }, uniquingKeysWith: { a, _ in a })
        var caseRef: [UUID: String] = [:]
        out[.returnCases] = [header(.returnCases)]
        for c in cases {
            guard let pr = personRef[c.$person.id], let r = returns[c.id!] else { continue }
            let cr = ref(.returnCases, c.id!, c.reference)
            caseRef[c.id!] = cr
            let companions = r.companionIDs.compactMap { UUID(uuidString: $0).flatMap { personRef[$0] } }
            out[.returnCases]!.append(
                row(
                    .returnCases,
                    [
                        "ref": cr, "personRef": pr, "openedOn": c.openedOn, "referralSource": r.referralSource.rawValue,
                        "destinationCountry": r.destinationCountry, "destinationPlace": r.destinationPlace,
                        "summary": c.summary, "owner": c.$owner.id.flatMap { users[$0] },
                        "office": c.$officeLocation.id.flatMap { locations[$0] },
                        "preferredLanguage": r.preferredLanguage, "interpreterNeeded": flag(r.interpreterNeeded),
                        "stayLocation": r.$stayLocation.id.flatMap { locations[$0] },
                        "companionRefs": companions.joined(separator: "; "), "stage": r.stage.rawValue,
                        "departedOn": r.departedOn, "closedOn": r.stage.isFinal ? c.closedOn : nil,
                    ]))
        }
        out[.bookings] = [header(.bookings)]
        for b in try await Booking.query(on: db).with(\.$legs).with(\.$passengers).sort(\.$departsAt).all() {
            guard let cr = caseRef[b.$caseRecord.id] else { continue }
            var values: [String: String?] = [
                "ref": ref(.bookings, b.id!), "caseRef": cr, "status": b.status.rawValue, "reference": b.reference,
                "passengerRefs": b.passengers.compactMap { personRef[$0.$person.id] }.joined(separator: "; "),
                "fare": b.fareCents.map(amount), "baggageKg": String(b.baggageKg), "escort": b.escort.rawValue,
                "escortStaff": b.escortStaff, "note": b.note,
            ]
            let legs = b.legs.filter { !$0.escortOnly }.sorted { $0.seq < $1.seq }
            for (i, leg) in legs.prefix(BookingValidation.maxLegs).enumerated() {
                let p = "leg\(i + 1)_"
                values[p + "carrier"] = leg.carrier
                values[p + "flight"] = leg.flightNumber
                values[p + "from"] = leg.fromCode
                values[p + "to"] = leg.toCode
                values[p + "departs"] = leg.departsLocal
                values[p + "arrives"] = leg.arrivesLocal
            }
            out[.bookings]!.append(row(.bookings, values))
        }
        out[.sessions] = [header(.sessions)]
        for s in try await CounsellingSession.query(on: db).sort(\.$heldOn).all() {
            guard let cr = caseRef[s.$caseRecord.id] else { continue }
            out[.sessions]!.append(
                row(
                    .sessions,
                    [
                        "ref": ref(.sessions, s.id!), "caseRef": cr, "heldOn": s.heldOn,
                        "location": locations[s.$location.id], "language": s.language,
                        "durationMinutes": String(s.durationMinutes), "outcome": s.outcome.rawValue,
                        "counsellor": users[s.$counsellor.id], "interpreter": flag(s.interpreter), "notes": s.notes,
                    ]))
        }
        out[.decisions] = [header(.decisions)]
        for d in try await DecisionRecord.query(on: db).sort(\.$decidedFor).all() {
            guard let cr = caseRef[d.$caseRecord.id] else { continue }
            out[.decisions]!.append(
                row(
                    .decisions,
                    [
                        "ref": ref(.decisions, d.id!), "caseRef": cr, "decidedFor": d.decidedFor,
                        "outcome": d.outcome.rawValue,
                        "grantTypes": d.grantTypes.replacingOccurrences(of: ",", with: "; "),
                        "explanation": d.explanation, "decidedBy": d.decidedBy,
                    ]))
        }
        out[.vulnerabilities] = [header(.vulnerabilities)]
        for v in try await VulnerabilityRecord.query(on: db).all() {
            guard let cr = caseRef[v.$caseRecord.id] else { continue }
            var values: [String: String?] = ["caseRef": cr, "kind": v.kind.rawValue]
            switch v.kind {
            case .unaccompaniedChild:
                guard let c = v.decode(ChildSafeguards.self) else { continue }
                values["familyAssessment"] = c.familyAssessment.rawValue
                values["assessmentOutcome"] = c.assessmentOutcome.rawValue
                values["guardianHostConfirmed"] = flag(c.guardianHostConfirmed)
                values["guardianHostName"] = c.guardianHostName
                values["guardianReturnConfirmed"] = flag(c.guardianReturnConfirmed)
                values["guardianReturnName"] = c.guardianReturnName
            case .medical:
                guard let m = v.decode(MedicalRecord.self) else { continue }
                values["category"] = m.category.rawValue
                values["chronic"] = flag(m.chronic)
                values["treatmentAvailability"] = m.treatmentAvailability.rawValue
                values["recordsTranslated"] = flag(m.recordsTranslated)
                values["fitToFlyRequired"] = flag(m.fitToFlyRequired)
                values["fitToFly"] = m.fitToFly.rawValue
                values["fitToFlyOn"] = m.fitToFlyOn?.isoText
                values["fitToFlyValidUntil"] = m.fitToFlyValidUntil?.isoText
                values["escort"] = m.escort.rawValue
                values["postReturnBudget"] = amount(m.postReturnBudget)
            case .trafficking:
                guard let x = v.decode(TraffickingRecord.self) else { continue }
                values["referralSource"] = x.referralSource
                values["exploitation"] = x.exploitation.rawValue
                values["returnPlan"] = x.returnPlan
                values["postReturnPartner"] = x.postReturnPartner
                values["grantedUsers"] = x.grantedUserIDs.compactMap { UUID(uuidString: $0).flatMap { users[$0] } }
                    .joined(separator: "; ")
            }
            out[.vulnerabilities]!.append(row(.vulnerabilities, values))
        }
        out[.travelDocuments] = [header(.travelDocuments)]
        for t in try await TravelDocumentRequest.query(on: db).sort(\.$requestedOn).all() {
            guard let cr = caseRef[t.$caseRecord.id] else { continue }
            out[.travelDocuments]!.append(
                row(
                    .travelDocuments,
                    [
                        "ref": ref(.travelDocuments, t.id!), "caseRef": cr, "embassy": partners[t.$embassy.id],
                        "kind": t.kind.rawValue, "status": t.status.rawValue, "requestedOn": t.requestedOn,
                        "interviewOn": t.interviewOn, "number": t.number, "issuedOn": t.issuedOn,
                        "expiresOn": t.expiresOn,
                    ]))
        }
        out[.grants] = [header(.grants)]
        var grantRef: [UUID: String] = [:]
        for g in try await GrantRecord.query(on: db).all() {
            guard let cr = caseRef[g.$caseRecord.id] else { continue }
            let gr = ref(.grants, g.id!)
            grantRef[g.id!] = gr
            out[.grants]!.append(
                row(
                    .grants,
                    [
                        "ref": gr, "caseRef": cr, "type": g.type.rawValue, "amount": amount(g.amount),
                        "grantedOn": g.grantedOn, "cash": amount(g.cash), "inKind": amount(g.inKind),
                        "funder": g.$funder.id.flatMap { partners[$0] },
                    ]))
        }
        out[.payments] = [header(.payments)]
        for p in try await GrantPayment.query(on: db).sort(\.$paidOn).all() {
            guard let gr = grantRef[p.$grant.id] else { continue }
            out[.payments]!.append(
                row(
                    .payments,
                    [
                        "ref": ref(.payments, p.id!), "grantRef": gr, "kind": p.kind.rawValue,
                        "amount": amount(p.amount), "paidOn": p.paidOn, "proofReference": p.proofReference,
                        "reportedBy": p.reportedBy,
                    ]))
        }
        out[.outreach] = [header(.outreach)]
        for o in try await OutreachActivity.query(on: db).sort(\.$heldOn).all() {
            out[.outreach]!.append(
                row(
                    .outreach,
                    [
                        "ref": ref(.outreach, o.id!), "kind": o.kind.rawValue, "heldOn": o.heldOn, "topic": o.topic,
                        "location": o.$location.id.flatMap { locations[$0] }, "audience": o.audience,
                        "attendees": String(o.attendees), "organisations": o.organisations,
                        "counsellor": users[o.$counsellor.id],
                    ]))
        }
        return (out, persons.map { $0.id! })
    }

    /// A row in the order of the kind's columns.
    static func row(_ kind: ImportKind, _ values: [String: String?]) -> [String] {
        (kind.required + kind.optional).map { (values[$0] ?? nil) ?? "" }
    }

    /// CSV as RFC 4180 writes it: cells with a comma, quote or line break quoted, quotes doubled; lines end in CRLF.
    static func csv(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { cell in
                let special = cell.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
                return special ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
            }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }
}

/// `passage export DIR --user USERNAME --password-file FILE`: writes the records in the import layout (one CSV file
/// per kind) into `DIR/passage-export.zip`, an archive protected by the password in FILE, since they hold restricted
/// data; `--unprotected` writes the CSV files as they are.
struct ExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "directory", help: "the folder to write passage-export.zip (or persons.csv, ...) into")
        var directory: String
        @Option(name: "user", help: "the username of the manager the export is recorded as (a reading of each person)")
        var user: String?
        @Option(
            name: "password-file", help: "a file whose first line is the archive's password (12 characters or more)")
        var passwordFile: String?
        @Flag(name: "unprotected", help: "write the CSV files without a password (they hold restricted data)")
        var unprotected: Bool
        init() {}
    }

    static let archive = "passage-export.zip"

    /// The password in the first line of a file, checked.
    static func password(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw UsageError("--password-file: \(path) cannot be read")
        }
        let password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        if let problem = ExportPassword.problem(password, confirmation: nil) {
            throw UsageError("--password-file: the password \(problem.reason)")
        }
        return password
    }

    var help: String { "Writes the records in the layout `passage import` reads, one CSV file per kind of record." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let username = signature.user,
            let user = try await User.query(on: app.db).filter(\.$username == username).first(), user.active,
            user.roles.contains(.manager)
        else {
            throw UsageError("--user: give the username of an active manager; the export is a reading of every record")
        }
        let password = try signature.passwordFile.map(Self.password)
        guard password != nil || signature.unprotected else {
            throw UsageError(
                "the export holds restricted data (medical, trafficking and child-protection records, notes): give "
                    + "--password-file FILE for an archive protected by a password, or --unprotected")
        }
        let (files, persons) = try await ImportExport.tables(on: app.db)
        try FileManager.default.createDirectory(atPath: signature.directory, withIntermediateDirectories: true)
        let named = files.sorted { $0.key.rawValue < $1.key.rawValue }.map {
            (name: $0.key.rawValue + ".csv", data: Array(ImportExport.csv($0.value).utf8))
        }
        let place: String
        if let password {
            place = signature.directory + "/" + Self.archive
            let zip = try ProtectedZip.make(named, password: password)
            FileManager.default.createFile(
                atPath: place, contents: Data(zip), attributes: [.posixPermissions: 0o600])
        } else {
            place = signature.directory
            for f in named { try Data(f.data).write(to: URL(fileURLWithPath: signature.directory + "/" + f.name)) }
        }
        try await AuditLog.listed(
            app, Actor(id: user.id!.uuidString, name: user.username), entity: "person",
            rows: persons.map { ($0, $0) },
            note: "export in the import layout" + (password == nil ? ", unprotected" : ", protected by a password"))
        let count = files.values.reduce(0) { $0 + $1.count - 1 }
        let actor = Actor(id: user.id!.uuidString, name: user.username)
        let basis = try await ProcessingBasis.basis(of: .counselling, on: app.db)?.rawValue ?? ""
        try await app.writeTransaction { db in
            try await SharingGate.log(
                channel: "export", recipient: "\(place), written for \(user.username)", purpose: .counselling,
                basis: basis,
                what: "every record in the import layout, \(count) rows"
                    + (password == nil ? ", unprotected" : ", protected by a password"),
                person: nil, actor: actor, on: db)
        }
        context.console.print("Exported \(count) rows in \(files.count) files to \(place).")
    }
}
