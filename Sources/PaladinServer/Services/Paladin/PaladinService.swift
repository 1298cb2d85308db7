import PaladinCore
import PaladinWire

/// paladin.v1.PaladinService over a `Catalog`; Execute and ExecuteStream on a session first take
/// their turn on it (`SessionTurns`, per the paladin's `concurrent_session`), then each holds one
/// of `executions` while it runs.
enum PaladinService {
    static func register(in router: inout ServiceRouter, catalog: Catalog, paging: PageLimits, executions: WorkPermits) {
        let turns = SessionTurns()
        registerListing(in: &router, catalog: catalog, paging: paging)
        router.registerUnary(Paladin_V1_PaladinService.createPaladin) { request, _ in
            let wire = try required(request.definition)
            let definition = try PaladinMapping.definition(from: wire, limits: catalog.limits)
            return message(try await catalog.createPaladin(definition, labels: wire.labels,
                                                           now: WallClock.nowMicros()))
        }
        router.registerInline(Paladin_V1_PaladinService.getPaladin) { request, _ throws(RPCError) in
            message(try catalog.paladin(request.name))
        }
        router.registerUnary(Paladin_V1_PaladinService.updatePaladin) { request, _ in
            let wire = try required(request.definition)
            let definition = try PaladinMapping.definition(from: wire, limits: catalog.limits)
            return message(try await catalog.updatePaladin(definition, labels: wire.labels,
                                                           expectedVersion: request.expectedVersion, now: WallClock.nowMicros()))
        }
        router.registerUnary(Paladin_V1_PaladinService.deletePaladin) { request, _ in
            try await catalog.deletePaladin(request.name)
            return Paladin_V1_DeletePaladinResponse()
        }
        router.registerUnary(Paladin_V1_PaladinService.execute) { request, _ in
            let agent = try catalog.paladin(request.paladin).agent
            let format = try ExecuteMapping.heraldFormat(request.format)
            let result = try await turns.taking(request.sessionID, agent.definition.concurrentSession) {
                try await executions.withPermit {
                    try await ExecutionErrors.map {
                        try await agent.execute(request.input, sessionID: request.sessionID.isEmpty ? nil : request.sessionID)
                    }
                }
            }
            return ExecuteMapping.response(result, format: format)
        }
        router.registerServerStreaming(Paladin_V1_PaladinService.executeStream) { request, _, writer in
            let agent = try catalog.paladin(request.paladin).agent
            let format = try ExecuteMapping.heraldFormat(request.format)
            try await turns.taking(request.sessionID, agent.definition.concurrentSession) {
                try await executions.withPermit {
                    let events = agent.executeStream(request.input, sessionID: request.sessionID.isEmpty ? nil : request.sessionID)
                    try await ExecutionErrors.map {
                        for try await event in events { try await writer.write(ExecuteMapping.event(event, format: format)) }
                    }
                }
            }
        }
    }

    static func message(_ stored: StoredPaladin) -> Paladin_V1_Paladin {
        var message = Paladin_V1_Paladin()
        message.definition = stored.wireDefinition
        message.createdAtUs = stored.createdAtMicros
        message.updatedAtUs = stored.updatedAtMicros
        message.version = stored.version
        message.source = stored.source.message
        return message
    }

    static func required(_ definition: Paladin_V1_PaladinDefinition?) throws(RPCError) -> Paladin_V1_PaladinDefinition {
        guard let definition else { throw BattalionMapping.invalid("definition", "is required") }
        return definition
    }
}
