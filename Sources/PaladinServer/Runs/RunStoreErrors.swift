import PaladinCore
import PaladinWire

/// Maps run-store failures to status codes.
enum RunStoreErrors {
    static func map<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RPCError {
            throw error
        } catch let error as RunStoreError {
            switch error {
            case .runNotFound(let id): throw Catalog.notFound("run", id)
            case .duplicateRun(let id): throw RPCError(.alreadyExists, "run \(RPCError.echo(id)) already exists")
            case .notInterrupted(let id, let status):
                throw RPCError(.failedPrecondition, "run \(id) is \(status.rawValue); only interrupted runs can be resumed",
                               details: ["run_id": id])
            case .approvalNotFound(let id, let step):
                throw RPCError(.notFound, "run \(id) has no approval for step \(RPCError.echo(step))", details: ["run_id": id])
            case .alreadyDecided(let id, let step, let decision):
                throw RPCError(.failedPrecondition, "step \(RPCError.echo(step)) of run \(id) is already \(decision.rawValue)",
                               details: ["run_id": id])
            }
        } catch is CancellationError {
            throw RPCError(.cancelled, "the call was cancelled")
        } catch {
            throw StoreFailures.status(for: error) ?? RPCError(.unavailable, "run store: \(error)")
        }
    }
}
