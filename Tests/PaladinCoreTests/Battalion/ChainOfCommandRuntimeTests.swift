import PaladinCore
import Synchronization
import Testing

/// Chain of Command at run time: concurrency, cancellation, timeouts, retries.
@Suite("Chain of Command runtime")
struct ChainOfCommandRuntimeTests {
    /// Counts scripted replies that got past their delay.
    private final class Completions: Sendable {
        let count = Mutex(0)
        func reply(_ text: String) -> ScriptedReply { .computed { _ in self.count.withLock { $0 += 1 }; return text } }
    }

    static let specialists = ["a", "b", "c"]
    static let names = ["chief"] + specialists

    @Test("Specialists run concurrently (the reference runs them one by one)")
    func specialistsRunConcurrently() async throws {
        let provider = ScriptedProvider()
        provider.script("chief", .text("SELECT: a, b, c"), .text("done"))
        for name in Self.specialists { provider.fallback(name, .delayed(.milliseconds(100), .text(name))) }
        let context = try Fixtures.context(Self.names, provider)
        let result = await ChainOfCommand(commander: "chief", specialists: Self.specialists).run("q", in: context)
        #expect(result.finalOutput == "done")
        // Concurrency shown by the steps' intervals overlapping (no wall-clock bound: the tests share 2 cores).
        let steps = result.steps.filter { $0.member != "chief" }
        #expect(steps.count == 3)
        #expect(steps.allSatisfy { x in steps.allSatisfy { y in x.startedAt < y.finishedAt && y.startedAt < x.finishedAt } })
    }

    @Test func cancellationReachesEverySpecialist() async throws {
        let provider = ScriptedProvider()
        let completions = Completions()
        provider.script("chief", .text("SELECT: a, b, c"))
        for name in Self.specialists { provider.fallback(name, .delayed(.seconds(120), completions.reply(name))) }
        let context = try Fixtures.context(Self.names, provider)
        let clock = ContinuousClock()
        let start = clock.now
        let task = Task { await ChainOfCommand(commander: "chief", specialists: Self.specialists).run("q", in: context) }
        try await waitForRequests(provider, 4)
        task.cancel()
        let result = await task.value
        #expect(clock.now - start < .seconds(30), "took \(clock.now - start)")
        #expect(result.status == .cancelled)
        #expect(result.steps.filter { $0.member != "chief" }.map(\.status) == [.cancelled, .cancelled, .cancelled])
        #expect(completions.count.withLock { $0 } == 0)
        #expect(provider.requests(from: "chief").count == 1)
    }

    @Test func cancellationReachesTheCommander() async throws {
        let provider = ScriptedProvider()
        let completions = Completions()
        provider.fallback("chief", .delayed(.seconds(120), completions.reply("SELECT: a")))
        let context = try Fixtures.context(Self.names, provider)
        let task = Task { await ChainOfCommand(commander: "chief", specialists: Self.specialists).run("q", in: context) }
        try await waitForRequests(provider, 1)
        task.cancel()
        let result = await task.value
        #expect(result.status == .cancelled)
        #expect(result.steps.map(\.status) == [.cancelled])
        #expect(completions.count.withLock { $0 } == 0)
    }

    @Test("Chain of Command honours the run timeout (the reference has none)")
    func theRunTimeoutEndsTheRunAsTimedOut() async throws {
        let provider = ScriptedProvider()
        provider.script("chief", .text("SELECT: a"))
        provider.fallback("a", .delayed(.seconds(120), .text("late")))
        let context = try Fixtures.context(Self.names, provider, options: BattalionOptions(timeout: .milliseconds(100)))
        let clock = ContinuousClock()
        let start = clock.now
        let result = await ChainOfCommand(commander: "chief", specialists: Self.specialists).run("q", in: context)
        #expect(clock.now - start < .seconds(30), "took \(clock.now - start)")
        #expect(result.status == .timedOut)
        #expect(result.steps.map(\.status) == [.succeeded, .cancelled])
    }

    @Test func retryThenContinueReallyRetries() async throws {
        let provider = ScriptedProvider()
        provider.script("chief", .text("SELECT: a"), .failure(ProviderError(.server, "busy")), .text("synthesized"))
        provider.script("a", .failure(ProviderError(.server, "flaky")), .text("answer"))
        let options = BattalionOptions(errorStrategy: .retryThenContinue,
                                       retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)))
        let result = await ChainOfCommand(commander: "chief", specialists: Self.specialists).run("q", in: try Fixtures.context(Self.names, provider, options: options))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "synthesized")
        #expect(result.steps.map(\.member) == ["chief", "a", "chief"])
        #expect(result.steps.map(\.attempts) == [1, 2, 2])
    }
}
