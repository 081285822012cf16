/// When repeated wrong passwords lock an account, and for how long.
public struct LoginThrottle: Sendable {
    public let maxFailures: Int
    public let lockSeconds: Double

    public init(maxFailures: Int = 5, lockSeconds: Double = 15 * 60) {
        self.maxFailures = maxFailures
        self.lockSeconds = lockSeconds
    }

    /// After one more failure: the new failure count and, when it reaches the limit, the lock's end.
    public func afterFailure(failures: Int, now: Double) -> (failures: Int, lockedUntil: Double?) {
        let n = failures + 1
        return n >= maxFailures ? (0, now + lockSeconds) : (n, nil)
    }

    public func isLocked(lockedUntil: Double?, now: Double) -> Bool {
        guard let until = lockedUntil else { return false }
        return until > now
    }
}
