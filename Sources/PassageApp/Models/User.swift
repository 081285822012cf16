import Vapor
import Fluent
import PassageDomain

final class User: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    /// Comma-separated role names.
    @Field(key: "roles") var rolesText: String
    @OptionalParent(key: "partner_id") var partner: Partner?
    @Field(key: "locale") var locale: String
    @Field(key: "active") var active: Bool
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(
        id: UUID? = nil, username: String, displayName: String, passwordHash: String, roles: Set<Role>,
        partnerID: UUID? = nil, locale: String = "en"
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.rolesText = roles.map(\.rawValue).sorted().joined(separator: ",")
        self.$partner.id = partnerID
        self.locale = locale
        self.active = true
        self.failedLogins = 0
    }

    var roles: Set<Role> {
        get { Set(rolesText.split(separator: ",").compactMap { Role(rawValue: String($0)) }) }
        set { rolesText = newValue.map(\.rawValue).sorted().joined(separator: ",") }
    }
}

extension User: SessionAuthenticatable {
    var sessionID: String { id!.uuidString }
}

final class ApiToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    /// SHA-256 of the token, hex; the token itself is shown once and never stored.
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "token_prefix") var tokenPrefix: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    /// The last day the token may be used (office calendar); nil for no end.
    @OptionalField(key: "expires_on") var expiresOn: String?
    /// `TokenScope.text`; nil for every route the account may use.
    @OptionalField(key: "scope") var scope: String?

    init() {}
    init(userID: UUID, name: String, tokenHash: String, tokenPrefix: String) {
        self.$user.id = userID
        self.name = name
        self.tokenHash = tokenHash
        self.tokenPrefix = tokenPrefix
    }
}
