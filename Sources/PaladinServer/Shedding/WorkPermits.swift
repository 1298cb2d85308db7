import PaladinWire
import Synchronization

/// A server-wide cap on one kind of work in flight (battalion runs, paladin executions). New work
/// takes a permit or fails at once with RESOURCE_EXHAUSTED and a retry hint: nothing waits in a
/// queue, so a burst of callers costs the server no memory beyond the cap.
final class WorkPermits: Sendable {
    /// Most permits held at once.
    let limit: Int
    /// What the work is called in the error ("battalion runs").
    let work: String
    /// The configuration key of `limit`, named in the error.
    let configKey: String
    private let held = Atomic<Int>(0)

    /// The hint given: long enough for some work in flight to finish, short enough to be retried
    /// by a caller that waits as told.
    static let retryAfterMilliseconds = 1000

    init(limit: Int, work: String, configKey: String) {
        self.limit = max(1, limit)  // a cap of zero would refuse all work
        self.work = work
        self.configKey = configKey
    }

    /// Permits held now.
    var inFlight: Int { held.load(ordering: .relaxed) }

    /// Takes a permit when one is free; `false` at the cap (nothing is taken then).
    func tryAcquire() -> Bool {
        var current = held.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = held.compareExchange(expected: current, desired: current + 1,
                                                             ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives back a permit taken with `tryAcquire`.
    func release() {
        let before = held.subtract(1, ordering: .acquiringAndReleasing).oldValue
        assert(before > 0, "released a permit never taken")
    }

    /// Runs `body` holding a permit, given back when it returns or throws.
    /// - Throws: `exhausted` at the cap (without running `body`), or what `body` throws.
    func withPermit<T>(_ body: () async throws -> T) async throws -> T {
        guard tryAcquire() else { throw exhausted }
        defer { release() }
        return try await body()
    }

    /// The error new work gets at the cap: names the limit and its key, and carries the hint.
    var exhausted: RPCError {
        RPCError(.resourceExhausted, "too many \(work) in flight (limit \(limit), \(configKey)); retry later",
                 details: [RPCError.retryAfterKey: String(Self.retryAfterMilliseconds)])
    }
}
