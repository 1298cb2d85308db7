import PaladinCore
import Synchronization
import Testing

/// Campaign at run time: real parallelism, error strategies, cancellation, timeouts, retries.
@Suite("Campaign runtime")
struct CampaignRuntimeTests {
    /// Counts scripted replies that got past their delay.
    private final class Completions: Sendable {
        let count = Mutex(0)
        func reply(_ text: String) -> ScriptedReply { .computed { _ in self.count.withLock { $0 += 1 }; return text } }
    }

    @Test("Campaign branches really run in parallel (reference runs them sequentially)")
    func branchesRunInParallel() async throws {
        let provider = ScriptedProvider()
        for name in ["a", "b", "c"] { provider.fallback(name, .delayed(.milliseconds(50), .text(name))) }
        provider.fallback("merge", .echo())
        let campaign = Campaign(members: ["a", "b", "c", "merge"],
                                edges: ["a", "b", "c"].map { CampaignEdge(from: $0, to: "merge") })
        var last: BattalionResult?
        let elapsed = try await shortestRun(target: .milliseconds(150)) {
            last = await campaign.run("q", in: try Fixtures.context(["a", "b", "c", "merge"], provider))
        }
        #expect(elapsed < .milliseconds(150), "three 50 ms branches took \(elapsed)")
        let result = try #require(last)
        #expect(result.finalOutput == "a\n---\nb\n---\nc")
        let branches = result.steps.filter { $0.member != "merge" }
        #expect(branches.count == 3)
        #expect(branches.allSatisfy { x in branches.allSatisfy { y in x.startedAt < y.finishedAt && y.startedAt < x.finishedAt } })
    }

    @Test("A member starts as soon as its own parents finish, not when a whole level does")
    func readyMembersStartAtOnce() async throws {
        let provider = ScriptedProvider()
        provider.fallback("fast", .text("f"))
        provider.fallback("slow", .delayed(.seconds(120), .text("s")))
        provider.fallback("after", .text("after fast"))
        let campaign = Campaign(members: ["fast", "slow", "after"], edges: [CampaignEdge(from: "fast", to: "after")])
        let context = try Fixtures.context(["fast", "slow", "after"], provider)
        let run = Task { await campaign.run("q", in: context) }
        // "after" is asked while "slow" (30 s) is still running: it did not wait for the level.
        let deadline = ContinuousClock.now + .seconds(30)
        while provider.requests(from: "after").isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(provider.requests(from: "after").count == 1)
        #expect(context.log.all.first { $0.member == "after" }?.status == .succeeded)
        #expect(context.log.all.first { $0.member == "slow" } == nil, "slow has not finished")
        run.cancel()
        let result = await run.value
        #expect(result.status == .cancelled)
    }

    @Test("Campaign honours the error strategy (reference ignores it)")
    func honoursTheErrorStrategy() async throws {
        let names = ["bad", "slow", "next", "other"]
        let campaign = Campaign(members: names, edges: [CampaignEdge(from: "bad", to: "next"), CampaignEdge(from: "slow", to: "other")])
        let provider = ScriptedProvider()
        provider.fallback("bad", .delayed(.milliseconds(10), .failure(ProviderError(.server, "boom"))))
        provider.fallback("slow", .delayed(.seconds(120), .text("slow done")))
        provider.fallback("other", .echo(prefix: "other:"))

        let clock = ContinuousClock()
        let start = clock.now
        let failFast = await campaign.run("q", in: try Fixtures.context(names, provider))
        #expect(clock.now - start < .seconds(30), "took \(clock.now - start)")
        #expect(failFast.status == .failed)
        #expect(failFast.error == "member bad failed: server: boom")
        let status = Dictionary(uniqueKeysWithValues: failFast.steps.map { ($0.member, $0.status) })
        #expect(status == ["bad": .failed, "slow": .cancelled, "next": .skipped, "other": .skipped])

        provider.fallback("slow", .text("slow done"))
        let continued = await campaign.run("q", in: try Fixtures.context(names, provider, options: BattalionOptions(errorStrategy: .continueOnError)))
        #expect(continued.status == .completed)
        #expect(continued.finalOutput == "other:slow done")
        #expect(continued.steps.first { $0.member == "next" }?.error == "no satisfied incoming edge (bad failed)")
        #expect(provider.requests(from: "next").isEmpty)
    }

    @Test func cancellationReachesEveryRunningMember() async throws {
        let provider = ScriptedProvider()
        let completions = Completions()
        let names = ["a", "b", "c"]
        for name in names { provider.fallback(name, .delayed(.seconds(120), completions.reply(name))) }
        let context = try Fixtures.context(names + ["sink"], provider)
        let campaign = Campaign(members: names + ["sink"], edges: names.map { CampaignEdge(from: $0, to: "sink") })
        let clock = ContinuousClock()
        let start = clock.now
        let task = Task { await campaign.run("q", in: context) }
        try await waitForRequests(provider, 3)
        task.cancel()
        let result = await task.value
        #expect(clock.now - start < .seconds(30), "took \(clock.now - start)")
        #expect(result.status == .cancelled)
        #expect(result.steps.map(\.member).sorted() == names)
        #expect(result.steps.allSatisfy { $0.status == .cancelled })
        #expect(completions.count.withLock { $0 } == 0)
        #expect(provider.requests(from: "sink").isEmpty)
    }

    @Test func theRunTimeoutEndsTheRunAsTimedOut() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("quick"))
        provider.fallback("b", .delayed(.seconds(120), .text("late")))
        let campaign = Campaign(members: ["a", "b"], edges: [CampaignEdge(from: "a", to: "b")])
        let clock = ContinuousClock()
        let start = clock.now
        let result = await campaign.run("q", in: try Fixtures.context(["a", "b"], provider, options: BattalionOptions(timeout: .milliseconds(100))))
        #expect(clock.now - start < .seconds(30), "took \(clock.now - start)")
        #expect(result.status == .timedOut)
        #expect(result.steps.map(\.status) == [.succeeded, .cancelled])
    }

    @Test func retryThenContinueReallyRetries() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .failure(ProviderError(.server, "flaky")), .text("second time"))
        provider.fallback("b", .echo(prefix: "b:"))
        let options = BattalionOptions(errorStrategy: .retryThenContinue,
                                       retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)))
        let campaign = Campaign(members: ["a", "b"], edges: [CampaignEdge(from: "a", to: "b")])
        let result = await campaign.run("q", in: try Fixtures.context(["a", "b"], provider, options: options))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "b:second time")
        #expect(result.steps.first { $0.member == "a" }?.attempts == 2)
        #expect(provider.requests(from: "a").count == 2)
    }
}
