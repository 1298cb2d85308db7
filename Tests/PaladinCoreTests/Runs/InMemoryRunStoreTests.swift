import PaladinCore
import Testing

@Suite("In-memory run store")
struct InMemoryRunStoreTests {
    private func run(_ id: String, _ battalion: String = "b", at micros: Int64 = 1) -> RunRecord {
        RunRecord(id: id, battalion: battalion, pattern: "formation", input: "in", startedAtMicros: micros)
    }

    @Test func aRunIsBegunStepByStepThenFinished() throws {
        let store = InMemoryRunStore()
        try store.begin(run("r1"))
        try store.record(MemberStep(member: "a", status: .succeeded, output: "x"), runID: "r1")
        #expect(store.get("r1")?.steps.map(\.member) == ["a"])
        let result = BattalionResult(pattern: "formation", status: .completed, finalOutput: "done",
                                     steps: [MemberStep(member: "a", status: .succeeded, output: "x")])
        try store.finish(runID: "r1", with: result, atMicros: 5)
        let stored = try #require(store.get("r1"))
        #expect(stored.status == .completed && stored.finalOutput == "done" && stored.finishedAtMicros == 5)
        #expect(throws: RunStoreError.duplicateRun("r1")) { try store.begin(run("r1")) }
        #expect(throws: RunStoreError.runNotFound("nope")) { try store.record(MemberStep(member: "a", status: .failed), runID: "nope") }
    }

    @Test func listFiltersNewestFirst() throws {
        let store = InMemoryRunStore()
        try store.begin(run("r1", "alpha", at: 10))
        try store.begin(run("r2", "beta", at: 20))
        try store.begin(run("r3", "alpha", at: 30))
        try store.finish(runID: "r3", with: BattalionResult(pattern: "formation", status: .failed, finalOutput: "", steps: []), atMicros: 31)
        #expect(store.list(RunFilter()).map(\.id) == ["r3", "r2", "r1"])
        #expect(store.list(RunFilter(battalion: "alpha")).map(\.id) == ["r3", "r1"])
        #expect(store.list(RunFilter(status: .failed)).map(\.id) == ["r3"])
        #expect(store.list(RunFilter(startedAfterMicros: 10, startedBeforeMicros: 30)).map(\.id) == ["r2"])
        #expect(store.list(RunFilter(limit: 1)).map(\.id) == ["r3"])
    }

    @Test func runningRunsAreMarkedInterruptedAndCapacityDropsFinishedOnesFirst() throws {
        let store = InMemoryRunStore(capacity: 2)
        try store.begin(run("running"))
        try store.begin(run("done"))
        try store.finish(runID: "done", with: BattalionResult(pattern: "f", status: .completed, finalOutput: "", steps: []), atMicros: 2)
        try store.begin(run("new"))
        #expect(store.get("done") != nil, "within the tenth of slack")
        try store.begin(run("newer"))
        #expect(store.get("done") == nil)
        #expect(store.get("running") != nil)
        #expect(store.markInterrupted().sorted() == ["new", "newer", "running"])
        #expect(store.get("running")?.status == .interrupted)
    }
}
