import PaladinCore
import PaladinWire

/// paladin.v1.GarrisonService over any `GarrisonStore`.
enum GarrisonService {
    static func register(in router: inout ServiceRouter, store: any GarrisonStore, paging: PageLimits) {
        registerReads(in: &router, store: store, paging: paging)
        router.registerUnary(Paladin_V1_GarrisonService.append) { request, _ in
            let entries = try request.entries.enumerated().map { index, entry in
                try GarrisonMapping.entry(from: entry, field: "entries[\(index)]")
            }
            let outcome = try await mapErrors { try await store.append(entries, to: request.sessionID) }
            var response = Paladin_V1_AppendResponse()
            response.ids = outcome.ids
            response.evicted = UInt32(clamping: outcome.evicted)
            return response
        }
        router.registerUnary(Paladin_V1_GarrisonService.clear) { request, _ in
            var response = Paladin_V1_ClearResponse()
            response.removed = UInt32(clamping: try await mapErrors {
                try await store.clear(sessionID: request.sessionID, keepSystem: request.keepSystem)
            })
            return response
        }
        router.registerUnary(Paladin_V1_GarrisonService.deleteSession) { request, _ in
            var response = Paladin_V1_DeleteSessionResponse()
            response.removed = UInt32(clamping: try await mapErrors { try await store.deleteSession(request.sessionID) })
            return response
        }
    }

    /// Turns the store's domain errors into the status codes the protocol promises.
    static func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as GarrisonError {
            switch error {
            case .invalidSessionID(let id):
                throw RPCError(.invalidArgument, "invalid session id \(RPCError.echo(id.prefix(64))): use 1 to \(SessionID.maxLength) characters of A-Z a-z 0-9 . _ : -",
                               details: ["field": "session_id"])
            case .invalidArgument(let field, let reason):
                throw RPCError(.invalidArgument, "\(field) \(reason)", details: ["field": field])
            case .sessionNotFound(let id):
                throw RPCError(.notFound, "session \(RPCError.echo(id)) not found")
            case .capacityExceeded(let reason):
                throw RPCError(.resourceExhausted, reason)
            }
        } catch {
            throw StoreFailures.status(for: error) ?? error
        }
    }
}
