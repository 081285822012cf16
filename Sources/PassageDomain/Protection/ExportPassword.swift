/// The password that protects an export of restricted data.
public enum ExportPassword {
    public static let minimum = 12

    /// What is wrong with a password and its confirmation (the field and why), nil when it may protect an export;
    /// without a confirmation (a password read from a file), the password alone.
    public static func problem(_ password: String, confirmation: String?) -> (field: String, reason: String)? {
        if password.count < minimum { return ("password", "must be at least \(minimum) characters") }
        if let confirmation, confirmation != password { return ("confirmation", "differs from the password") }
        return nil
    }
}
