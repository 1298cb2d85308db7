import NIOCore
import PaladinWire

extension ServiceRouter {
    /// Wraps every audited write (`AuditedMethods`) so that it records, when it ends, who
    /// called it on what and how it ended. Reads and model work are not audited.
    public mutating func audit(to log: AuditLog) {
        for (path, target) in AuditedMethods.targets {
            guard let route = routes[path] else { continue }
            routes[path] = Self.audited(route.asynchronous, target: target, log: log)
        }
    }

    private static func audited(_ route: RouteHandler, target: @escaping AuditedMethods.Target, log: AuditLog) -> RouteHandler {
        guard case .unary(let body) = route else { return route }  // every audited write is unary
        return .unary { payload, context in
            do {
                let reply = try await body(payload, context)
                log.record(record(context, target(payload), nil))
                return reply
            } catch {
                log.record(record(context, target(payload), error))
                throw error
            }
        }
    }

    private static func record(_ context: ServerCallContext, _ target: String, _ error: (any Error)?) -> AuditRecord {
        let failure = error.map { $0 as? RPCError ?? RPCError(.internal, "\($0)") }
        return AuditRecord(principal: context.principal.name, tenant: context.principal.tenant, method: context.method,
                           target: target, outcome: failure.map { "\($0.code)" } ?? "OK", message: failure?.message ?? "")
    }
}
