import Vapor
import Fluent

final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"
    @ID(custom: "sequence", generatedBy: .user) var id: Int64?
    @Field(key: "at") var at: String
    @Field(key: "actor") var actor: String
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @Field(key: "entity") var entity: String
    @Field(key: "entity_id") var entityID: String
    @OptionalField(key: "person_id") var personID: String?
    /// JSON array of {field, before, after}.
    @Field(key: "changes") var changesJSON: String
    @Field(key: "note") var note: String
    @Field(key: "prev_hash") var prevHash: String
    @Field(key: "hash") var hash: String
    /// HMAC-SHA256 of `hash` with the audit key: without the key no one can write an entry that verifies.
    @OptionalField(key: "mac") var mac: String?
    init() {}
}
