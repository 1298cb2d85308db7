import PaladinServer
import PaladinWire
import Synchronization

/// Methods that exist only in tests, registered next to the real services.
enum TestRoutes {
    /// Echoes `service` back (inline, on the event loop).
    static let echoInline = MethodDescriptor<Paladin_V1_HealthCheckRequest, Paladin_V1_HealthCheckRequest>(path: "test.v1.Test/EchoInline", kind: .unary)
    /// Echoes `service` back from a task.
    static let echoAsync = MethodDescriptor<Paladin_V1_HealthCheckRequest, Paladin_V1_HealthCheckRequest>(path: "test.v1.Test/EchoAsync", kind: .unary)
    /// Sleeps `service` milliseconds (cancellable), then answers.
    static let sleep = MethodDescriptor<Paladin_V1_HealthCheckRequest, Paladin_V1_HealthCheckRequest>(path: "test.v1.Test/Sleep", kind: .unary)
    /// Streams `service` (a count) messages, numbered.
    static let count = MethodDescriptor<Paladin_V1_HealthCheckRequest, Paladin_V1_HealthCheckRequest>(path: "test.v1.Test/Count", kind: .serverStreaming)

    /// What the sleeping handlers saw, for asserting that cancellation reached them.
    final class Observations: Sendable {
        private let state = Mutex((started: 0, cancelled: 0, finished: 0))
        var started: Int { state.withLock { $0.started } }
        var cancelled: Int { state.withLock { $0.cancelled } }
        var finished: Int { state.withLock { $0.finished } }
        func start() { state.withLock { $0.started += 1 } }
        func cancel() { state.withLock { $0.cancelled += 1 } }
        func finish() { state.withLock { $0.finished += 1 } }
    }

    static func register(in router: inout ServiceRouter, observations: Observations = Observations()) {
        router.registerInline(echoInline) { request, _ throws(RPCError) in request }
        router.registerUnary(echoAsync) { request, _ in request }
        router.registerUnary(sleep) { request, _ in
            observations.start()
            do {
                try await Task.sleep(for: .milliseconds(Int(request.service) ?? 0))
            } catch {
                observations.cancel()
                throw error
            }
            observations.finish()
            return request
        }
        router.registerServerStreaming(count) { request, _, writer in
            for index in 0..<(Int(request.service) ?? 0) {
                var message = Paladin_V1_HealthCheckRequest()
                message.service = "\(index)"
                try await writer.write(message)
            }
        }
    }

    static func request(_ text: String) -> Paladin_V1_HealthCheckRequest {
        var request = Paladin_V1_HealthCheckRequest()
        request.service = text
        return request
    }
}
