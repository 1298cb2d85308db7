import PaladinWire
import Synchronization

/// The events of one run in progress, for the callers attached to it (RunStream with
/// `attach_run_id`). It keeps the run's events except deltas, so a watcher that attaches late
/// first gets everything since `started`, then the live events, in the order they happened, with
/// no gap and no repeat: the replay and the registration happen under one lock, as does each
/// publication. Deltas go only to the watchers attached when they happen.
///
/// Publishing never waits for a watcher: each has a buffer of what it has not read yet, and one
/// that falls `lagLimit` events behind is ended with RESOURCE_EXHAUSTED (it can attach again and
/// replay), so a slow watcher cannot slow the run or hold its events without bound.
final class RunEventHub: Sendable {
    typealias Events = AsyncThrowingStream<Paladin_V1_RunEvent, any Error>

    /// Watchers one run may have at once.
    static let maxWatchers = 64
    /// Unread events a watcher may have beyond the replay before it is ended.
    static let lagLimit = 4096

    private struct State {
        var log: [Paladin_V1_RunEvent] = []
        var watchers: [Int: Events.Continuation] = [:]
        var nextWatcher = 0
        var closed = false
    }

    private let state = Mutex(State())

    /// Sends `event` to every watcher; `keep` adds it to the replay (all but deltas).
    func publish(_ event: Paladin_V1_RunEvent, keep: Bool = true) {
        let lagging = state.withLock { state -> [Events.Continuation] in
            guard !state.closed else { return [] }
            if keep { state.log.append(event) }
            var lagging: [Events.Continuation] = []
            for (id, watcher) in state.watchers {
                if case .dropped = watcher.yield(event) {
                    lagging.append(watcher)
                    state.watchers[id] = nil
                }
            }
            return lagging
        }
        // Outside the lock: finishing runs the stream's onTermination, which takes it.
        for watcher in lagging {
            watcher.finish(throwing: RPCError(.resourceExhausted, "this watcher fell more than \(Self.lagLimit) events behind the run; attach again to replay it"))
        }
    }

    /// The run has ended (after its result was published) or stopped: every watcher's stream
    /// ends, and a later `attach` gets the replay, then the end.
    func close() {
        let watchers = state.withLock { state in
            state.closed = true
            defer { state.watchers = [:] }
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.finish() }
    }

    /// The run's events so far, then the live ones until `close`.
    /// - Throws: RESOURCE_EXHAUSTED when the run has `maxWatchers` already.
    func attach() throws(RPCError) -> Events {
        try state.withLock { state throws(RPCError) in
            guard state.watchers.count < Self.maxWatchers else {
                throw RPCError(.resourceExhausted, "this run already has \(Self.maxWatchers) watchers")
            }
            let (events, continuation) = Events.makeStream(bufferingPolicy: .bufferingOldest(state.log.count + Self.lagLimit))
            for event in state.log { continuation.yield(event) }
            if state.closed {
                continuation.finish()  // no onTermination set yet: nothing takes the lock
                return events
            }
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = continuation
            continuation.onTermination = { [weak self] _ in self?.detach(id) }
            return events
        }
    }

    /// A watcher went away (its call ended): it is no longer sent anything.
    private func detach(_ id: Int) {
        _ = state.withLock { $0.watchers.removeValue(forKey: id) }
    }
}
