import PaladinCore
import PaladinWire

/// paladin.v1.BattalionService over a `Catalog` and a `RunManager`; every run in progress (of
/// Run, RunStream or StartRun, new or resumed) holds one of `permits` until it ends.
enum BattalionService {
    static func register(in router: inout ServiceRouter, catalog: Catalog, runs: RunManager, paging: PageLimits) {
        registerListing(in: &router, catalog: catalog, runs: runs, paging: paging)
        registerApprovals(in: &router, catalog: catalog, runs: runs)
        router.registerUnary(Paladin_V1_BattalionService.createBattalion) { request, _ in
            guard let definition = request.definition else { throw BattalionMapping.invalid("definition", "is required") }
            let plan = try BattalionMapping.plan(from: definition, limits: catalog.limits)
            return message(try await catalog.createBattalion(plan, now: WallClock.nowMicros()))
        }
        router.registerUnary(Paladin_V1_BattalionService.updateBattalion) { request, _ in
            guard let definition = request.definition else { throw BattalionMapping.invalid("definition", "is required") }
            let plan = try BattalionMapping.plan(from: definition, limits: catalog.limits)
            return message(try await catalog.updateBattalion(plan, expectedVersion: request.expectedVersion,
                                                             now: WallClock.nowMicros()))
        }
        router.registerInline(Paladin_V1_BattalionService.getBattalion) { request, _ throws(RPCError) in
            message(try catalog.battalion(request.name))
        }
        router.registerUnary(Paladin_V1_BattalionService.deleteBattalion) { request, _ in
            try await catalog.deleteBattalion(request.name)
            return Paladin_V1_DeleteBattalionResponse()
        }
        router.registerUnary(Paladin_V1_BattalionService.run) { request, context in
            let format = try ExecuteMapping.heraldFormat(request.format)
            if !request.attachRunID.isEmpty {
                return RunMapping.run(try await watch(request, runs: runs, format: format) { _ in }, format: format)
            }
            try context.require(.operator, toDo: "start a run")
            let outcome = try await runs.permits.withPermit {
                let prepared = try await prepare(request, catalog: catalog, runs: runs)
                return try await runs.run(prepared.battalion, prepared.origin, deadline: context.deadline, format: format, send: nil)
            }
            if outcome.endedByDeadline { throw deadlineExceeded(outcome.record.id) }
            return RunMapping.run(outcome.record, format: format)
        }
        router.registerServerStreaming(Paladin_V1_BattalionService.runStream) { request, context, writer in
            let format = try ExecuteMapping.heraldFormat(request.format)
            if !request.attachRunID.isEmpty {
                _ = try await watch(request, runs: runs, format: format) { try await writer.write($0) }
                return
            }
            try context.require(.operator, toDo: "start a run")
            let outcome = try await runs.permits.withPermit {
                let prepared = try await prepare(request, catalog: catalog, runs: runs)
                return try await runs.run(prepared.battalion, prepared.origin, deadline: context.deadline, format: format) { event in
                    try await writer.write(event)
                }
            }
            if outcome.endedByDeadline { throw deadlineExceeded(outcome.record.id) }
        }
        router.registerUnary(Paladin_V1_BattalionService.startRun) { request, _ in
            _ = try ExecuteMapping.heraldFormat(request.format)
            guard request.attachRunID.isEmpty else {
                throw BattalionMapping.invalid("attach_run_id", "is for Run and RunStream; StartRun starts a new run")
            }
            // The run, not this call, holds a run permit until it ends.
            let prepared = try await prepare(request, catalog: catalog, runs: runs)
            return RunMapping.run(try await runs.start(prepared.battalion, prepared.origin))
        }
        router.registerUnary(Paladin_V1_BattalionService.getRun) { request, _ in
            guard let record = try await RunStoreErrors.map({ try await runs.store.get(request.id) }) else {
                throw Catalog.notFound("run", request.id)
            }
            return RunMapping.run(record)
        }
        router.registerUnary(Paladin_V1_BattalionService.cancelRun) { request, _ in
            var response = Paladin_V1_CancelRunResponse()
            response.cancelled = try await runs.cancel(request.id)
            return response
        }
    }

    /// What a Run call runs: the battalion with its members, and a new input or the
    /// interrupted run it resumes.
    private struct Prepared {
        var battalion: RunnableBattalion
        var origin: RunOrigin
    }

    private static func prepare(_ request: Paladin_V1_RunRequest, catalog: Catalog, runs: RunManager) async throws -> Prepared {
        guard !request.resumeRunID.isEmpty else {
            return Prepared(battalion: try catalog.runnable(request.battalion), origin: .new(input: request.input))
        }
        guard let previous = try await RunStoreErrors.map({ try await runs.store.get(request.resumeRunID) }) else {
            throw Catalog.notFound("run", request.resumeRunID)
        }
        guard previous.status == .interrupted else {
            throw RPCError(.failedPrecondition, "run \(previous.id) is \(previous.status.rawValue); only interrupted runs can be resumed")
        }
        if !request.battalion.isEmpty, request.battalion != previous.battalion {
            throw BattalionMapping.invalid("battalion", "run \(previous.id) belongs to \(previous.battalion), not \(RPCError.echo(request.battalion))")
        }
        // Checked again when the store reopens it, atomically, should another resume win.
        return Prepared(battalion: try catalog.runnable(previous.battalion), origin: .resume(runID: previous.id))
    }

    private static func deadlineExceeded(_ id: String) -> RPCError {
        RPCError(.deadlineExceeded, "the deadline passed while the battalion ran; run \(id) is recorded as timed out",
                 details: ["run_id": id])
    }

    static func message(_ stored: StoredBattalion) -> Paladin_V1_Battalion {
        var message = Paladin_V1_Battalion()
        message.definition = stored.plan.message
        message.createdAtUs = stored.createdAtMicros
        message.updatedAtUs = stored.updatedAtMicros
        message.version = stored.version
        message.source = stored.source.message
        return message
    }
}
