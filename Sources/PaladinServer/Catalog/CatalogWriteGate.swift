import PaladinWire
import Synchronization

/// Lets one catalog write run at a time, in arrival order. A write checks the catalog, waits for
/// its store, then applies the change in memory; holding the gate across that wait keeps another
/// write from checking against a state that is about to change (or from reaching the store out
/// of order). Reads never take it.
final class CatalogWriteGate: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Runs `body` once every write that arrived earlier has finished.
    func run<T>(_ body: () async throws(RPCError) -> T) async throws(RPCError) -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state in
                if state.held {
                    state.waiters.append(continuation)
                    return false
                }
                state.held = true
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()  // the gate passes straight to it, still held
        }
        next?.resume()
    }
}
