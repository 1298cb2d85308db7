import PaladinWire
import Synchronization

/// The serving status of the server ("") and of each service, with watchers that hear every
/// change. Shutting down reports NOT_SERVING to every watcher and ends their streams.
public final class HealthStatusStore: Sendable {
    private struct State {
        var statuses: [String: Paladin_V1_ServingStatus] = [:]
        var watchers: [Int: (service: String, continuation: AsyncStream<Paladin_V1_ServingStatus>.Continuation)] = [:]
        var nextWatcher = 0
        var shutDown = false
    }

    private let state = Mutex(State())

    /// Starts with the server ("") and every given service SERVING.
    public init(services: [String] = []) {
        state.withLock { state in
            state.statuses[""] = .serving
            for service in services { state.statuses[service] = .serving }
        }
    }

    /// The status of a service; `nil` when the service is unknown.
    public func status(of service: String) -> Paladin_V1_ServingStatus? {
        state.withLock { $0.statuses[service] }
    }

    /// Sets a status and tells the service's watchers when it changed.
    public func setStatus(_ status: Paladin_V1_ServingStatus, for service: String) {
        state.withLock { state in
            guard state.statuses[service] != status else { return }
            state.statuses[service] = status
            for watcher in state.watchers.values where watcher.service == service {
                watcher.continuation.yield(status)
            }
        }
    }

    /// Current status at once, then every change; ends after shutdown.
    func watch(_ service: String) -> AsyncStream<Paladin_V1_ServingStatus> {
        let (stream, continuation) = AsyncStream.makeStream(of: Paladin_V1_ServingStatus.self, bufferingPolicy: .bufferingNewest(16))
        let id: Int? = state.withLock { state in
            continuation.yield(state.statuses[service] ?? .serviceUnknown)
            if state.shutDown {
                continuation.finish()
                return nil
            }
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[id] = (service, continuation)
            return id
        }
        if let id {
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
            }
        }
        return stream
    }

    /// Marks everything NOT_SERVING, tells every watcher, and ends their streams.
    public func shutDown() {
        let watchers = state.withLock { state in
            state.shutDown = true
            for key in state.statuses.keys { state.statuses[key] = .notServing }
            let watchers = state.watchers.values.map(\.continuation)
            state.watchers.removeAll()
            return watchers
        }
        for continuation in watchers {
            continuation.yield(.notServing)
            continuation.finish()
        }
    }
}
