import Foundation

/// Runs CPU-bound test work on a thread of its own, so it does not hold one of the few threads
/// of Swift's cooperative pool while the timing-sensitive async tests run beside it.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
