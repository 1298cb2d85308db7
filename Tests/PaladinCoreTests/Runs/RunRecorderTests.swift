import PaladinCore
import Testing

/// The recorder writes in the task that drains it: the run, each step before its event is
/// handed on, and the result, also from a cancelled task.
@Suite("Run recorder")
struct RunRecorderTests {
    private func run(_ id: String) -> RunRecord {
        RunRecord(id: id, battalion: "duo", pattern: "formation", input: "in", startedAtMicros: 1)
    }

    @Test func eachStepIsStoredBeforeItsEventIsForwarded() async throws {
        let store = InMemoryRunStore()
        let provider = ScriptedProvider()
        provider.fallback("a", .echo(prefix: "a:"))
        provider.fallback("b", .echo(prefix: "b:"))
        let recorder = RunRecorder(store: store, run: run("r1"), wantsDeltas: false)
        try await recorder.flush()
        #expect(store.get("r1")?.status == .running)

        let context = try Fixtures.context(["a", "b"], provider, observer: recorder)
        async let outcome = {
            let result = await Formation(members: ["a", "b"]).run("in", in: context)
            recorder.endOfRun()
            return result
        }()
        var heard: [String] = []
        await recorder.record { event in
            switch event {
            case .memberStarted(let member): heard.append("started \(member)")
            case .memberDelta(let member, _): heard.append("delta \(member)")
            case .memberFinished(let step):
                heard.append("finished \(step.member)")
                #expect(store.get("r1")?.steps.last?.member == step.member, "step stored before it is forwarded")
            }
        }
        let result = await outcome
        try await recorder.finish(result, atMicros: 9)

        #expect(heard == ["started a", "finished a", "started b", "finished b"])
        let stored = try #require(store.get("r1"))
        #expect(stored.status == .completed && stored.finalOutput == "b:a:in" && stored.finishedAtMicros == 9)
    }

    @Test func aRefusedBeginSurfacesFromTheFirstFlush() async throws {
        let store = InMemoryRunStore()
        try store.begin(run("r1"))
        let recorder = RunRecorder(store: store, run: run("r1"))
        await #expect(throws: RunStoreError.duplicateRun("r1")) { try await recorder.flush() }
    }

    @Test func theResultIsStoredEvenFromACancelledTask() async throws {
        let store = CancellationRefusingStore()
        let recorder = RunRecorder(store: store, run: run("r1"))
        try await recorder.flush()
        let result = BattalionResult(pattern: "formation", status: .cancelled, finalOutput: "", steps: [])
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await recorder.finish(result, atMicros: 5)
        }
        try await task.value
        #expect(store.inner.get("r1")?.status == .cancelled)
    }
}

/// A store that refuses work in a cancelled task, as a store waiting on I/O may.
private final class CancellationRefusingStore: RunStore {
    let inner = InMemoryRunStore()

    func begin(_ run: RunRecord) throws { try Task.checkCancellation(); try inner.begin(run) }
    func record(_ step: MemberStep, runID: String) throws { try Task.checkCancellation(); try inner.record(step, runID: runID) }
    func finish(runID: String, with result: BattalionResult, atMicros: Int64) throws {
        try Task.checkCancellation()
        try inner.finish(runID: runID, with: result, atMicros: atMicros)
    }
    func get(_ id: String) -> RunRecord? { inner.get(id) }
    func list(_ filter: RunFilter) -> [RunRecord] { inner.list(filter) }
    func listed(_ filter: RunFilter) -> [ListedRun] { inner.listed(filter) }
    func markInterrupted() -> [String] { inner.markInterrupted() }
    func reopen(_ id: String, versions: DefinitionVersions) throws -> RunRecord { try inner.reopen(id, versions: versions) }
    func pause(runID: String, steps: [MemberStep], approvals: [ApprovalRecord]) throws {
        try inner.pause(runID: runID, steps: steps, approvals: approvals)
    }
    func decide(runID: String, step: String, _ decision: ApprovalRecord.Decision, comment: String,
                editedInput: String?, atMicros: Int64) throws -> RunRecord {
        try inner.decide(runID: runID, step: step, decision, comment: comment, editedInput: editedInput, atMicros: atMicros)
    }
    func expiredApprovals(atMicros: Int64) -> [(runID: String, step: String)] { inner.expiredApprovals(atMicros: atMicros) }
}
