import PaladinCore
import Testing

/// Resume on the in-memory run store, and `PriorSteps` matching by member and occurrence.
@Suite("Run resume")
struct RunResumeTests {
    @Test func aFormationInterruptedAfterMemberTwoCallsOnlyMemberThree() async throws {
        let store = InMemoryRunStore()
        let formation = Formation(members: ["a", "b", "c"])
        let first = ScriptedProvider()
        first.fallback("a", .echo(prefix: "a:"))
        first.fallback("b", .echo(prefix: "b:"))
        first.fallback("c", .delayed(.seconds(120), .echo(prefix: "c:")))
        let recorder = RunRecorder(store: store, run: RunRecord(id: "r1", battalion: "trio", pattern: "formation", input: "in",
                                                                startedAtMicros: 1))
        let context = try Fixtures.context(["a", "b", "c"], first, observer: recorder)
        let task = Task { await formation.run("in", in: context) }
        try await waitForRequests(first, 3)
        task.cancel()
        _ = await task.value
        try await recorder.flush()  // the "crash": the run is never finished

        #expect(store.markInterrupted() == ["r1"])
        let interrupted = try #require(store.get("r1"))
        let second = ScriptedProvider()
        second.fallback("c", .echo(prefix: "c:"))
        let resumed = RunRecorder(store: store, run: RunRecord(id: "r2", battalion: "trio", pattern: "formation", input: "in",
                                                               startedAtMicros: 2))
        let members = try ["a", "b", "c"].map { try Fixtures.paladin($0, second) }
        let result = await formation.run("in", in: BattalionContext(members: members, observer: resumed, resuming: interrupted.steps))
        try await resumed.finish(result, atMicros: 3)
        #expect(result.status == .completed && result.finalOutput == "c:b:a:in")
        #expect(second.requests.map(\.agent) == ["c"])
        #expect(store.get("r2")?.steps.map(\.member) == ["a", "b", "c"])
        #expect(store.get("r2")?.status == .completed)
    }

    @Test func priorStepsReplaySuccessesByOccurrenceOnly() {
        let prior = PriorSteps([MemberStep(member: "a", status: .succeeded, output: "1"),
                                MemberStep(member: "b", status: .failed, error: "x"),
                                MemberStep(member: "a", status: .succeeded, output: "2")])
        #expect(prior.remaining == 2)
        #expect(prior.take("b") == nil, "failures run again")
        #expect(prior.take("a")?.output == "1")
        #expect(prior.take("a")?.output == "2")
        #expect(prior.take("a") == nil)
    }
}
