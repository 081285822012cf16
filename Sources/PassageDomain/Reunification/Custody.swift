import Foundation

/// Who holds a sample now: the last step of its chain of custody.
public struct CustodyHolder: Sendable, Equatable {
    public var custodian: CustodianKind
    public var name: String
    public var since: Date

    public init(custodian: CustodianKind, name: String, since: Date) {
        self.custodian = custodian; self.name = name; self.since = since
    }
}

/// A hand-over of a sample as its receiver records it.
public struct HandOver: Sendable, Equatable {
    /// The giver, as the receiver names them; must be who holds the sample.
    public var from: String
    public var to: CustodianKind
    /// The receiver (a person, with their organisation when not the office's).
    public var receiver: String
    public var handedOverAt: Date
    public var receivedAt: Date
    /// The seal number read on the package on receipt.
    public var sealNumber: String
    public var sealIntact: Bool
    /// The receiver confirms that the seal's number differs from the one applied at collection.
    public var confirmMismatch: Bool

    public init(
        from: String, to: CustodianKind, receiver: String, handedOverAt: Date, receivedAt: Date, sealNumber: String,
        sealIntact: Bool, confirmMismatch: Bool = false
    ) {
        self.from = from; self.to = to; self.receiver = receiver; self.handedOverAt = handedOverAt
        self.receivedAt = receivedAt; self.sealNumber = sealNumber; self.sealIntact = sealIntact
        self.confirmMismatch = confirmMismatch
    }
}

/// The rules of a sample's chain of custody: every hand-over is recorded by its receiver, from whoever holds the
/// sample, along the chain collector → courier → embassy → laboratory; the seal applied at collection travels with
/// it. A broken seal, another seal number or a time when no one held the sample makes the sample compromised: it
/// cannot be tested and the family member is sampled again.
public enum Custody {
    /// The longest time a sample may be between a giver and its receiver (a hand-over is hand to hand).
    public static let maximumUnheld: TimeInterval = 3600

    /// Names compared as people write them: case, accents and runs of spaces aside.
    public static func sameName(_ a: String, _ b: String) -> Bool {
        func key(_ s: String) -> String {
            s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
        return key(a) == key(b)
    }

    /// Seal numbers compared as printed: case, spaces and dashes aside.
    public static func sameSeal(_ a: String, _ b: String) -> Bool {
        func key(_ s: String) -> String { s.uppercased().filter { $0.isLetter || $0.isNumber } }
        return key(a) == key(b)
    }

    /// Checks a hand-over of a sample in `status`, held by `holder`, sealed with `seal` at collection.
    /// Throws a `DomainError` (the sample's state) or `ValidationErrors` (the form) when it is refused; answers the
    /// reason the sample is now compromised, or nil when the chain holds.
    public static func check(
        _ h: HandOver, status: SampleStatus, holder: CustodyHolder, seal: String, now: Date
    ) throws -> String? {
        switch status {
        case .compromised:
            throw DomainError(.conflict, "The sample is compromised; a new collection is needed, not a hand-over.")
        case .resulted:
            throw DomainError(.conflict, "The laboratory has reported on this sample; its custody is closed.")
        case .atLaboratory:
            throw DomainError(.conflict, "The sample is at the laboratory, the end of its chain of custody.")
        case .collected, .inTransit: break
        }
        var e = ValidationErrors()
        if h.receiver.trimmingWhitespace.isEmpty { e.add("receiver", "is required: who received the sample") }
        if h.sealNumber.trimmingWhitespace.isEmpty {
            e.add("sealNumber", "is required: the number on the seal, read on receipt")
        } else if !sameSeal(h.sealNumber, seal) && !h.confirmMismatch {
            e.add(
                "sealNumber",
                "\(h.sealNumber) is not the seal applied at collection (\(seal)); check the number, or confirm that "
                    + "the seal differs (the sample is then compromised)")
        }
        if h.to < holder.custodian || (h.to == .collector) {
            e.add(
                "to",
                "a sample held by the \(holder.custodian.rawValue) goes on to "
                    + CustodianKind.allCases.filter { $0 >= holder.custodian && $0 != .collector }
                    .map(\.rawValue).joined(separator: ", "))
        }
        if h.handedOverAt < holder.since {
            e.add("handedOverAt", "is before \(holder.name) received the sample")
        }
        if h.receivedAt < h.handedOverAt { e.add("receivedAt", "is before the sample was handed over") }
        if h.receivedAt > now.addingTimeInterval(300) { e.add("receivedAt", "is in the future") }
        try e.throwIfAny()
        guard sameName(h.from, holder.name) else {
            throw DomainError(
                .conflict,
                "\(h.from) does not hold the sample: the \(holder.custodian.rawValue) \(holder.name) does. "
                    + "Record the hand-overs in the order they happened.")
        }
        if !h.sealIntact { return "seal broken on receipt by \(h.receiver)" }
        if !sameSeal(h.sealNumber, seal) { return "seal \(h.sealNumber) on receipt, \(seal) at collection" }
        let unheld = h.receivedAt.timeIntervalSince(h.handedOverAt)
        if unheld > maximumUnheld {
            let minutes = Int(unheld / 60)
            return "gap in custody: \(minutes / 60) h \(minutes % 60) min between hand-over and receipt"
        }
        return nil
    }

    /// Checks that a laboratory result may be recorded for a sample in `status`.
    public static func checkResult(status: SampleStatus, compromisedBecause reason: String?) throws {
        switch status {
        case .atLaboratory: return
        case .compromised:
            throw DomainError(
                .conflict,
                "A result for a compromised sample is refused (\(reason ?? "compromised")); a new collection is needed."
            )
        case .resulted: throw DomainError(.conflict, "The laboratory's result for this sample is recorded already.")
        case .collected, .inTransit:
            throw DomainError(.conflict, "The sample has not reached the laboratory: record its hand-over first.")
        }
    }
}
