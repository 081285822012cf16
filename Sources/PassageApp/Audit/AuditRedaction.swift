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
        default: return nil
        }
    }

    static func may(_ viewer: Identity, _ readers: Set<Role>?) -> Bool { readers.map(viewer.hasAny) ?? true }

    struct View: Sendable {
        var changes: [AuditRecord.FieldChange]
        var note: String
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
