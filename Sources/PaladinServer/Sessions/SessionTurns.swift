import PaladinCore
import PaladinWire
import Synchronization

/// Takes turns on garrison sessions: one execution holds a session at a time, so two messages
/// sent to one conversation at once ("double-texting") never interleave their history. What a
/// second execution does is its paladin's `ConcurrentSessionPolicy`: wait in line, be refused, or
/// stop the holder and go next.
///
/// A session has state here only while someone holds it; waiters hold no task beyond their
/// suspended call, and a waiter whose call is cancelled leaves the line at once.
final class SessionTurns: Sendable {
    /// Executions that may wait for one session; one more is RESOURCE_EXHAUSTED.
    static let maxWaiting = 32

    private typealias Handoff = CheckedContinuation<RunCancellation, any Error>

    private struct Line {
        var holder: Int
        /// Fired to stop the holder (by an `interrupt` arrival).
        var stop: RunCancellation
        var waiting: [(id: Int, handoff: Handoff)] = []
    }

    private struct State {
        var lines: [String: Line] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    /// Runs `body` holding `session`, taking the turn as `policy` says.
    /// - Throws: ABORTED when refused (`reject`) or stopped by a later `interrupt`;
    ///   RESOURCE_EXHAUSTED when `maxWaiting` already wait; CANCELLED when the call is cancelled
    ///   while it waits; or what `body` throws.
    func withTurn<T: Sendable>(on session: String, policy: ConcurrentSessionPolicy,
                               _ body: @Sendable @escaping () async throws -> T) async throws -> T {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        let stop = try await take(session, id: id, policy: policy)
        defer { release(session, id: id) }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                await stop.wait()
                return nil
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let value = next { return value }
                // `wait` also returns when this call is cancelled: that is not an interruption.
                try Task.checkCancellation()
                throw RPCError(.aborted, "interrupted by a newer execution on session \(session)", details: ["session_id": session])
            }
            throw CancellationError()
        }
    }

    /// Suspends until `id` holds `session`; returns the signal that stops it.
    private func take(_ session: String, id: Int, policy: ConcurrentSessionPolicy) async throws -> RunCancellation {
        enum Admission { case holds(RunCancellation), waits, refused(RPCError) }
        let admission = state.withLock { state -> Admission in
            guard let line = state.lines[session] else {
                let stop = RunCancellation()
                state.lines[session] = Line(holder: id, stop: stop)
                return .holds(stop)
            }
            switch policy {
            case .reject:
                return .refused(RPCError(.aborted, "session \(session) is busy with another execution (this paladin's concurrent_session is reject)",
                                         details: ["session_id": session]))
            case .queue where line.waiting.count >= Self.maxWaiting, .interrupt where line.waiting.count >= Self.maxWaiting:
                return .refused(RPCError(.resourceExhausted, "\(Self.maxWaiting) executions already wait for session \(session)",
                                         details: ["session_id": session]))
            case .queue, .interrupt:
                return .waits
            }
        }
        switch admission {
        case .holds(let stop): return stop
        case .refused(let error): throw error
        case .waits: break
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (handoff: Handoff) in
                let cancelled = state.withLock { state -> Bool in
                    guard !Task.isCancelled, var line = state.lines[session] else { return true }
                    if policy == .interrupt {
                        line.stop.fire()
                        line.waiting.insert((id, handoff), at: 0)
                    } else {
                        line.waiting.append((id, handoff))
                    }
                    state.lines[session] = line
                    return false
                }
                if cancelled { handoff.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let handoff = state.withLock { state -> Handoff? in
                guard let index = state.lines[session]?.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.lines[session]?.waiting.remove(at: index).handoff
            }
            handoff?.resume(throwing: CancellationError())
        }
    }

    /// `id` is done with `session`: the next in line holds it, or the session is free.
    private func release(_ session: String, id: Int) {
        let next = state.withLock { state -> (Handoff, RunCancellation)? in
            guard var line = state.lines[session], line.holder == id else { return nil }
            guard !line.waiting.isEmpty else {
                state.lines[session] = nil
                return nil
            }
            let waiter = line.waiting.removeFirst()
            line.holder = waiter.id
            line.stop = RunCancellation()
            state.lines[session] = line
            return (waiter.handoff, line.stop)
        }
        if let (handoff, stop) = next { handoff.resume(returning: stop) }
    }

    /// Runs `body` on `session` as `withTurn` does; without a session (""), at once.
    func taking<T: Sendable>(_ session: String, _ policy: ConcurrentSessionPolicy,
                             _ body: @Sendable @escaping () async throws -> T) async throws -> T {
        session.isEmpty ? try await body() : try await withTurn(on: session, policy: policy, body)
    }

    /// Sessions held now (for tests and metrics).
    var heldSessions: Int { state.withLock { $0.lines.count } }
}
