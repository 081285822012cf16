import Vapor
import PassageDomain

/// What of an audit entry a viewer may read. The trail keeps every value; every view of it (page, API, export)
/// passes through `visible`, which shows a field the viewer may not read as "changed (restricted)": the field's
/// category (`FieldTags`) and the viewer's (`Identity.reads`) decide, as they do for the record itself.
enum AuditRedaction {
    static let restricted = "changed (restricted)"

    /// Whether the viewer reads the values of a field of an entry: a field of no restricted category, or one whose
    /// category the viewer's roles read.
    static func may(_ viewer: Identity, entity: String, field: String?) -> Bool {
        FieldTags.category(entity: entity, field: field).map(viewer.reads) ?? true
    }

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
            guard !may(viewer, entity: e.entity, field: c.field) else { return c }
            return .init(field: c.field, before: nil, after: restricted)
        }
        let note =
            e.note.isEmpty || may(viewer, entity: e.entity, field: "note")
            ? e.note : restricted
        return View(changes: changes, note: note)
    }
}
