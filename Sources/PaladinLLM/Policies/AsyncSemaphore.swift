import Synchronization

/// A counting semaphore for tasks: `acquire` suspends (never blocks a thread) until a permit
/// is free, in FIFO order, and throws `CancellationError` if its task is cancelled meanwhile.
final class AsyncSemaphore: Sendable {
    private struct State {
        var available: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        /// Acquisitions neither granted nor cancelled yet.
        var pending: Set<UInt64> = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    init(permits: Int) { state = Mutex(State(available: permits)) }

    func acquire() async throws {
        let id = state.withLock { state in
            state.nextID += 1
            state.pending.insert(state.nextID)
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    guard state.pending.contains(id) else { return .failure(CancellationError()) }
                    guard state.available > 0 else {
                        state.waiters.append((id, continuation))
                        return nil
                    }
                    state.available -= 1
                    state.pending.remove(id)
                    return .success(())
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard state.pending.remove(id) != nil else { return nil }
                guard let at = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: at).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil
            }
            let waiter = state.waiters.removeFirst()
            state.pending.remove(waiter.id)
            return waiter.continuation
        }
        next?.resume()
    }
}
