/// One change as the audit trail records it. The chain hash covers `canonicalText`
/// and the previous entry's hash, so altering or removing any entry breaks every later link.
public struct AuditRecord: Sendable, Equatable {
    public enum Action: String, Sendable, Codable { case create, update, delete, view, login, logout, export, other }

    public struct FieldChange: Sendable, Equatable, Codable {
        public let field: String
        public let before: String?
        public let after: String?
        public init(field: String, before: String?, after: String?) {
            self.field = field; self.before = before; self.after = after
        }
    }

    public var sequence: Int64
    public var at: String  // ISO 8601, UTC, millisecond precision
    public var actor: String  // user id, or "system"
    public var actorName: String
    public var action: Action
    public var entity: String  // "person", "case", ...
    public var entityID: String
    public var personID: String?
    public var changes: [FieldChange]
    public var note: String

    public init(
        sequence: Int64, at: String, actor: String, actorName: String, action: Action, entity: String,
        entityID: String, personID: String?, changes: [FieldChange], note: String
    ) {
        self.sequence = sequence; self.at = at; self.actor = actor; self.actorName = actorName; self.action = action
        self.entity = entity; self.entityID = entityID; self.personID = personID
        self.changes = changes; self.note = note
    }

    /// A stable, unambiguous text of every field: each value length-prefixed.
    public var canonicalText: String {
        var parts = [String(sequence), at, actor, actorName, action.rawValue, entity, entityID, personID ?? "-", note]
        for c in changes { parts += [c.field, c.before ?? "\u{0}", c.after ?? "\u{0}"] }
        return parts.map { "\($0.utf8.count):\($0)" }.joined()
    }

    /// The changed fields between two snapshots of a record (fields only in one count as changed).
    public static func diff(before: [String: String], after: [String: String]) -> [FieldChange] {
        Set(before.keys).union(after.keys).sorted().compactMap { key in
            before[key] == after[key] ? nil : FieldChange(field: key, before: before[key], after: after[key])
        }
    }
}
