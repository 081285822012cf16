import Vapor
import Fluent
import PassageDomain

final class Partner: Model, @unchecked Sendable {
    static let schema = "partners"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: PartnerKind
    @OptionalField(key: "country") var country: String?
    @OptionalField(key: "contact_email") var contactEmail: String?
    /// Who proposed this entry, until an administrator confirms it (nil: confirmed).
    @OptionalField(key: "proposed_by") var proposedBy: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(id: UUID? = nil, name: String, kind: PartnerKind, country: String? = nil, contactEmail: String? = nil) {
        self.id = id; self.name = name; self.kind = kind; self.country = country; self.contactEmail = contactEmail
    }
}

final class Location: Model, @unchecked Sendable {
    static let schema = "locations"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: LocationKind
    @Field(key: "city") var city: String
    @Field(key: "country") var country: String
    /// The organisation responsible for people staying here (e.g. the reception agency for a centre).
    @OptionalParent(key: "partner_id") var partner: Partner?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(id: UUID? = nil, name: String, kind: LocationKind, city: String, country: String, partnerID: UUID? = nil) {
        self.id = id; self.name = name; self.kind = kind; self.city = city; self.country = country
        self.$partner.id = partnerID
    }
}
