/// Runs `body` with a time limit: past it, `body` is cancelled and `TimeoutError` is thrown.
/// `nil` means no limit (the body runs as is, with no extra task).
public func withTimeout<T: Sendable>(_ limit: Duration?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withTimeout(limit, clock: ContinuousClock(), body)
}

/// `withTimeout` measured on any clock: the time port (tests can pass a clock they drive).
public func withTimeout<T: Sendable, C: Clock>(_ limit: Duration?, clock: C,
                                              _ body: @escaping @Sendable () async throws -> T) async throws -> T
where C.Duration == Duration {
    guard let limit else { return try await body() }
    return try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await clock.sleep(until: clock.now.advanced(by: limit), tolerance: nil)
            throw TimeoutError(limit: limit)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// A time limit passed.
public struct TimeoutError: Error, Hashable, Sendable, CustomStringConvertible {
    public var limit: Duration
    public init(limit: Duration) { self.limit = limit }
    public var description: String { "timed out after \(limit)" }
}
