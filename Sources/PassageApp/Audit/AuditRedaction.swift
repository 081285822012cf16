import Vapor
import PassageDomain

/// What of an audit entry a viewer may read. The trail keeps every value; every view of it (page, API, export)
/// passes through `visible`, which shows a field the viewer may not read as "changed (restricted)": the same
/// rules that guard the record guard its history.
enum AuditRedaction {
    static let restricted = "changed (restricted)"

    /// Who may read the values of a field of an entry, where it is narrower than who may read the trail: the
    /// details of vulnerabilities, counselling notes and document numbers.
    static func readers(entity: String, field: String?) -> Set<Role>? {
        switch (entity, field) {
        case ("vulnerability.trafficking", _): return [.manager]
        case ("vulnerability.medical", _): return ReturnAccess.medical
        case ("vulnerability.unaccompanied_child", _): return ReturnAccess.read
        case ("counselling_session", "notes"): return ReturnAccess.confidentialNotes
        case ("identity_document", "number"), ("travel_document_request", "number"): return PersonAccess.read
        case ("dna_sample", _), ("fr_member", _), ("fr_referral", _), ("fr_interview", _), ("fr_mileage", "reason"):
            return ReunificationAccess.read
        default: return nil
        }
    }

    static func may(_ viewer: Identity, _ readers: Set<Role>?) -> Bool { readers.map(viewer.hasAny) ?? true }

    struct View: Sendable {
        var changes: [AuditRecord.FieldChange]
        var note: String
    }

    /// Fields the trail keeps in euro cents, by entity; pages show them in euros.
    static let centFields: [String: Set<String>] = [
        "grant": ["amount", "cash", "inKind"], "grant_payment": ["amount"],
    ]

    /// A value of the trail as a page shows it: amounts in euros in the reader's style, the rest as kept.
    static func shown(_ value: String?, entity: String, field: String) -> String {
        guard let value else { return "∅" }
        if centFields[entity]?.contains(field) == true, let cents = Int(value) { return Money.format(cents) }
        return value
    }

    /// When an entry was written (kept in UTC), in the office's time zone.
    static func when(_ at: String) -> String {
        let precise = ISO8601DateFormatter()
        precise.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let d = precise.date(from: at) ?? ISO8601DateFormatter().date(from: at) else { return at }
        return Layout.dateTime(d)
    }

    /// The entry's changes and note as the viewer may read them.
    static func visible(_ e: AuditEntry, to viewer: Identity) -> View {
        let changes = AuditLog.record(from: e).changes.map { c -> AuditRecord.FieldChange in
            guard !may(viewer, readers(entity: e.entity, field: c.field)) else { return c }
            return .init(field: c.field, before: nil, after: restricted)
        }
        let note =
            e.note.isEmpty || may(viewer, readers(entity: e.entity, field: "note"))
            ? e.note : restricted
        return View(changes: changes, note: note)
    }
}
