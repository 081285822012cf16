/// Field-by-field reasons a piece of input was refused, in the order they were found.
public struct ValidationErrors: Error, Equatable, Sendable {
    public struct Item: Equatable, Sendable, Codable {
        public let field: String
        public let message: String
    }

    public private(set) var items: [Item] = []

    public init() {}

    /// One field's refusal.
    public init(_ field: String, _ message: String) { add(field, message) }

    public var isEmpty: Bool { items.isEmpty }

    public mutating func add(_ field: String, _ message: String) {
        items.append(Item(field: field, message: message))
    }

    /// The same refusals under other names: a page names its fields otherwise than the records do.
    public func renamed(_ name: (String) -> String) -> ValidationErrors {
        var out = ValidationErrors()
        for i in items { out.add(name(i.field), i.message) }
        return out
    }

    public func message(for field: String) -> String? {
        items.first { $0.field == field }?.message
    }

    /// Throws `self` when anything was recorded.
    public func throwIfAny() throws {
        if !items.isEmpty { throw self }
    }
}

/// A rule of the office said no. The message is written for the person who asked.
public struct DomainError: Error, Equatable, Sendable {
    public enum Kind: Sendable, Equatable { case notAllowed, conflict, invalid }
    public let kind: Kind
    public let message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
