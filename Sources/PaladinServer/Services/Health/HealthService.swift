import PaladinWire

/// paladin.v1.Health: Check on the event loop, Watch as a stream of changes.
enum HealthService {
    static func register(in router: inout ServiceRouter, store: HealthStatusStore) {
        router.registerInline(Paladin_V1_Health.check) { request, _ throws(RPCError) in
            guard let status = store.status(of: request.service) else {
                throw RPCError(.notFound, "unknown service \(RPCError.echo(request.service))")
            }
            var response = Paladin_V1_HealthCheckResponse()
            response.status = status
            return response
        }
        router.registerServerStreaming(Paladin_V1_Health.watch) { request, _, writer in
            for await status in store.watch(request.service) {
                var response = Paladin_V1_HealthCheckResponse()
                response.status = status
                try await writer.write(response)
            }
        }
    }
}
