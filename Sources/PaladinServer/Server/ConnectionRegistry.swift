import NIOCore
import Synchronization

/// The server's open connections, so shutdown can reach each one and the connection limit
/// can be checked at accept time.
final class ConnectionRegistry: Sendable {
    private struct State {
        var connections: [ObjectIdentifier: (channel: any Channel, handler: NIOLoopBound<ServerConnectionHandler>)] = [:]
        var draining = false
    }

    private let state = Mutex(State())

    /// Adds a connection unless the server is full or draining; returns whether it was added.
    func add(_ channel: any Channel, handler: NIOLoopBound<ServerConnectionHandler>, limit: Int) -> Bool {
        state.withLock { state in
            guard !state.draining, state.connections.count < limit else { return false }
            state.connections[ObjectIdentifier(channel)] = (channel, handler)
            return true
        }
    }

    func remove(_ channel: any Channel) {
        _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    var count: Int { state.withLock { $0.connections.count } }

    /// Marks the server as draining and returns every connection to drain.
    func beginDraining() -> [(channel: any Channel, handler: NIOLoopBound<ServerConnectionHandler>)] {
        state.withLock { state in
            state.draining = true
            return Array(state.connections.values)
        }
    }
}
