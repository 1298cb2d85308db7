import PaladinCore
import PaladinWire

/// Maps what an agent run throws to the status code a caller can act on.
enum ExecutionErrors {
    static func map<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RPCError {
            throw error
        } catch let error as ProviderError {
            throw RPCError(code(for: error.kind), "model provider: \(error.message)", details: ["provider_error": error.kind.rawValue])
        } catch let error as TimeoutError {
            throw RPCError(.deadlineExceeded, error.description)
        } catch let error as GarrisonError {
            throw RPCError(.invalidArgument, "session: \(error)", details: ["field": "session_id"])
        } catch let error as PaladinError {
            throw RPCError(.failedPrecondition, error.description)
        } catch is CancellationError {
            throw RPCError(.cancelled, "the call was cancelled")
        } catch {
            throw StoreFailures.status(for: error) ?? error  // the session's history, read or written
        }
    }

    static func code(for kind: ProviderError.Kind) -> StatusCode {
        switch kind {
        case .authentication: .unauthenticated
        case .rateLimited, .responseTooLarge: .resourceExhausted
        case .contextTooLong, .invalidRequest: .invalidArgument
        case .timeout: .deadlineExceeded
        case .network, .server: .unavailable
        case .malformedResponse: .internal
        }
    }
}
