import PaladinClient
import PaladinCore
import PaladinServer
import PaladinWire
import Testing

/// BattalionService definitions and unary runs over the wire.
@Suite("BattalionService end to end")
struct BattalionServiceTests {
    @Test func createGetListDeleteAndTheirErrors() async throws {
        try await withTestServer(services: scriptedServices()) { server in
            let connection = try await server.connect()
            let client = Paladin_V1_BattalionServiceClient(connection)
            try await createPaladins(["a", "b", "c"], on: connection)
            try await createBattalion("review", maneuver("a -> (b, c)"), on: connection)
            await expectStatus(.alreadyExists) { try await createBattalion("review", maneuver("a"), on: connection) }

            var bad = Paladin_V1_CreateBattalionRequest()
            bad.definition = Paladin_V1_BattalionDefinition()
            bad.definition?.name = "broken"
            bad.definition?.pattern = maneuver("a -> (b, ")
            let flowError = await expectStatus(.invalidArgument) { _ = try await client.createBattalion(bad) }
            #expect(flowError?.details["field"] == "definition.maneuver")
            #expect(flowError?.message.contains("1:8") == true)  // the position of the parse error
            bad.definition?.pattern = formation(["a", "zed"])
            let memberError = await expectStatus(.invalidArgument) { _ = try await client.createBattalion(bad) }
            #expect(memberError?.message.contains("zed") == true)
            bad.definition?.pattern = nil
            let patternError = await expectStatus(.invalidArgument) { _ = try await client.createBattalion(bad) }
            #expect(patternError?.details["field"] == "definition.pattern")

            var get = Paladin_V1_GetBattalionRequest()
            get.name = "review"
            #expect(try await client.getBattalion(get).definition?.pattern == maneuver("a -> (b, c)"))
            #expect(try await client.listBattalions(.init()).battalions.compactMap(\.definition?.name) == ["review"])

            // A paladin in use cannot be deleted.
            var deletePaladin = Paladin_V1_DeletePaladinRequest()
            deletePaladin.name = "b"
            await expectStatus(.failedPrecondition) {
                _ = try await Paladin_V1_PaladinServiceClient(connection).deletePaladin(deletePaladin)
            }
            var delete = Paladin_V1_DeleteBattalionRequest()
            delete.name = "review"
            _ = try await client.deleteBattalion(delete)
            await expectStatus(.notFound) { _ = try await client.deleteBattalion(delete) }
            get.name = "review"
            await expectStatus(.notFound) { _ = try await client.getBattalion(get) }
            await connection.close()
        }
    }

    @Test func runRecordsEveryStepAndGetRunListRunsFindIt() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("draft"))
        provider.fallback("b", .computed { "reviewed: " + ($0.messages.last?.content ?? "") })
        try await withTestServer(services: scriptedServices(provider)) { server in
            let connection = try await server.connect()
            let client = Paladin_V1_BattalionServiceClient(connection)
            try await createPaladins(["a", "b"], on: connection)
            try await createBattalion("pipeline", formation(["a", "b"]), on: connection)
            var run = Paladin_V1_RunRequest()
            run.battalion = "pipeline"
            run.input = "write"
            run.format = .table
            let result = try await client.run(run)
            #expect(result.status == .completed)
            #expect(result.pattern == "formation")
            #expect(result.finalOutput == "reviewed: draft")
            #expect(result.steps.map(\.member) == ["a", "b"])
            #expect(result.steps.allSatisfy { $0.status == .succeeded && $0.attempts == 1 })
            #expect((result.usage?.totalTokens ?? 0) > 0)
            #expect(result.finishedAtUs >= result.startedAtUs)
            #expect(result.rendered.contains("reviewed: draft") && result.rendered.contains("│"))

            var get = Paladin_V1_GetRunRequest()
            get.id = result.id
            let stored = try await client.getRun(get)
            #expect(stored.steps == result.steps && stored.status == .completed)
            get.id = "run-nope"
            await expectStatus(.notFound) { _ = try await client.getRun(get) }

            var list = Paladin_V1_ListRunsRequest()
            list.battalion = "pipeline"
            list.status = .completed
            #expect(try await client.listRuns(list).runs.map(\.id) == [result.id])
            list.status = .failed
            #expect(try await client.listRuns(list).runs.isEmpty)
            list.status = .unspecified
            list.startedAfterUs = result.startedAtUs
            #expect(try await client.listRuns(list).runs.isEmpty)
            // A limit above the maximum page size is clamped, not refused.
            list.limit = 5000
            #expect(try await client.listRuns(list).runs.isEmpty)

            run.battalion = "nothing"
            await expectStatus(.notFound) { _ = try await client.run(run) }
            var cancel = Paladin_V1_CancelRunRequest()
            cancel.id = result.id
            #expect(try await client.cancelRun(cancel).cancelled == false)  // already finished
            cancel.id = "run-nope"
            await expectStatus(.notFound) { _ = try await client.cancelRun(cancel) }
            await connection.close()
        }
    }

    @Test func aFailedMemberFailsTheRunUnderFailFast() async throws {
        let provider = ScriptedProvider()
        provider.fallback("b", .failure(ProviderError(.server, "boom")))
        try await withTestServer(services: scriptedServices(provider)) { server in
            let connection = try await server.connect()
            try await createPaladins(["a", "b", "c"], on: connection)
            try await createBattalion("fragile", formation(["a", "b", "c"]), on: connection)
            var run = Paladin_V1_RunRequest()
            run.battalion = "fragile"
            run.input = "go"
            let result = try await Paladin_V1_BattalionServiceClient(connection).run(run)
            #expect(result.status == .failed)
            #expect(result.error.contains("boom"))
            #expect(result.steps.map(\.status) == [.succeeded, .failed])
            #expect(provider.requests(from: "c").isEmpty)
            await connection.close()
        }
    }
}
