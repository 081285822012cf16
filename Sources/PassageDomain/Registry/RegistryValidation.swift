/// A location of the registry as checked: where people stay, and who is responsible for it.
public struct LocationDetails: Sendable, Equatable {
    public let name: String
    public let kind: LocationKind
    public let city: String
    public let country: String
}

/// A partner organisation as checked.
public struct PartnerDetails: Sendable, Equatable {
    public let name: String
    public let kind: PartnerKind
    public let country: String?
    public let contactEmail: String?
}

public enum RegistryValidation {
    public static let maxNameLength = 200

    public static func location(name: String?, kind: String?, city: String?, country: String?) throws -> LocationDetails
    {
        var e = ValidationErrors()
        let n = (name ?? "").trimmingWhitespace
        if n.isEmpty || n.count > maxNameLength { e.add("name", "is required (at most 200 characters)") }
        let k = LocationKind(rawValue: kind ?? "")
        if k == nil { e.add("kind", "must be one of " + LocationKind.allCases.map(\.rawValue).joined(separator: ", ")) }
        let c = (city ?? "").trimmingWhitespace
        if c.isEmpty { e.add("city", "is required") }
        let code = CountryCode.normalise(country ?? "")
        if code == nil { e.add("country", "must be an ISO 3166-1 country code, like NL") }
        try e.throwIfAny()
        return LocationDetails(name: n, kind: k!, city: c, country: code!)
    }

    /// An embassy must say which country it represents; the e-mail address, when given, must look like one.
    public static func partner(name: String?, kind: String?, country: String?, contactEmail: String?) throws
        -> PartnerDetails
    {
        var e = ValidationErrors()
        let n = (name ?? "").trimmingWhitespace
        if n.isEmpty || n.count > maxNameLength { e.add("name", "is required (at most 200 characters)") }
        let k = PartnerKind(rawValue: kind ?? "")
        if k == nil { e.add("kind", "must be one of " + PartnerKind.allCases.map(\.rawValue).joined(separator: ", ")) }
        var code: String?
        if let raw = country, !raw.trimmingWhitespace.isEmpty {
            code = CountryCode.normalise(raw)
            if code == nil { e.add("country", "must be an ISO 3166-1 country code") }
        }
        if k == .embassy && code == nil && e.message(for: "country") == nil {
            e.add("country", "an embassy needs the country it represents")
        }
        let email = (contactEmail ?? "").trimmingWhitespace
        if !email.isEmpty && !isEmailAddress(email) { e.add("contactEmail", "is not an e-mail address") }
        try e.throwIfAny()
        return PartnerDetails(name: n, kind: k!, country: code, contactEmail: email.isEmpty ? nil : email)
    }

    static func isEmailAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return false }
        return s.count <= 200 && !s.contains(where: { $0.isWhitespace })
    }
}

/// The rules for staff accounts that need no database: username form, password length, roles.
public enum StaffAccountValidation {
    public static let minimumPasswordLength = 12
    /// bcrypt ignores every byte after the 72nd.
    public static let maximumPasswordBytes = 72
    public static let maximumDisplayNameLength = 100

    public struct Checked: Sendable, Equatable {
        public let username: String
        public let displayName: String
        public let roles: Set<Role>
    }

    /// Checks what it can; `errors` collects the reasons so that callers can add their own.
    public static func check(
        username: String?, displayName: String?, password: String?, passwordRequired: Bool,
        roles: [String], errors e: inout ValidationErrors
    ) -> Checked {
        let u = (username ?? "").trimmingWhitespace.lowercased()
        if u.isEmpty {
            e.add("username", "is required")
        } else if u.count > 64 || !u.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            e.add("username", "use at most 64 letters, digits, dots, dashes or underscores")
        }
        let name = (displayName ?? "").trimmingWhitespace
        if name.isEmpty {
            e.add("displayName", "is required")
        } else if name.count > maximumDisplayNameLength {
            e.add("displayName", "must be at most \(maximumDisplayNameLength) characters")
        } else if TextSafety.hasHiddenCharacters(name) {
            e.add("displayName", TextSafety.message)
        }
        let pw = password ?? ""
        if (passwordRequired || !pw.isEmpty) && pw.count < minimumPasswordLength {
            e.add("password", "must be at least \(minimumPasswordLength) characters")
        } else if pw.utf8.count > maximumPasswordBytes {
            // bcrypt reads only the first 72 bytes: a longer password would be silently cut.
            e.add(
                "password",
                "must be at most \(maximumPasswordBytes) bytes (about 72 letters; fewer with accents or other scripts)")
        }
        var set = Set<Role>()
        for r in roles {
            if let role = Role(rawValue: r) { set.insert(role) } else { e.add("roles", "'\(r)' is not a role") }
        }
        if set.isEmpty { e.add("roles", "choose at least one role") }
        if set.contains(.partner) && set.count > 1 { e.add("roles", "a partner account has the partner role only") }
        return Checked(username: u, displayName: name, roles: set)
    }
}
