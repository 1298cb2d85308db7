import PaladinCore
import Testing

/// Phalanx: concurrency, aggregations, limits, failures.
@Suite("Phalanx")
struct PhalanxTests {
    @Test func membersRunConcurrently() async throws {
        let provider = ScriptedProvider()
        for name in ["a", "b", "c"] { provider.fallback(name, .delayed(.milliseconds(50), .text(name))) }
        var result: BattalionResult?
        let elapsed = try await shortestRun(target: .milliseconds(150)) {
            result = await Phalanx(members: ["a", "b", "c"]).run("q", in: try Fixtures.context(["a", "b", "c"], provider))
        }
        #expect(elapsed < .milliseconds(150), "three 50 ms members took \(elapsed)")
        #expect(result?.finalOutput == "a\n---\nb\n---\nc")
        let steps = result?.steps ?? []
        #expect(steps.allSatisfy { step in steps.allSatisfy { $0.startedAt < step.finishedAt } })
    }

    @Test func maxConcurrencyIsHonoured() async throws {
        let provider = ScriptedProvider()
        for name in ["a", "b", "c", "d"] { provider.fallback(name, .delayed(.milliseconds(30), .text(name))) }
        let result = await Phalanx(members: ["a", "b", "c", "d"], maxConcurrency: 2).run("q", in: try Fixtures.context(["a", "b", "c", "d"], provider))
        let steps = result.steps
        for step in steps {
            // Members running at the moment this one started (itself included).
            let running = steps.filter { $0.startedAt <= step.startedAt && $0.finishedAt > step.startedAt }
            #expect(running.count <= 2, "\(running.map(\.member)) ran at once")
        }
        #expect(result.finalOutput == "a\n---\nb\n---\nc\n---\nd")
    }

    @Test func firstSuccessWinsAndCancelsTheRest() async throws {
        let provider = ScriptedProvider()
        provider.fallback("fast", .delayed(.milliseconds(10), .text("quick")))
        provider.fallback("slow", .delayed(.seconds(120), .text("slow")))
        let clock = ContinuousClock()
        let start = clock.now
        let result = await Phalanx(members: ["slow", "fast"], aggregation: .firstSuccess).run("q", in: try Fixtures.context(["slow", "fast"], provider))
        #expect(clock.now - start < .seconds(30), "took \(clock.now - start)")
        #expect(result.finalOutput == "quick")
        #expect(result.steps.first { $0.member == "slow" }?.status == .cancelled)
    }

    @Test("Majority needs more than half of all members (the reference counts only successes)")
    func majorityOfAllMembers() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("42"))
        provider.fallback("b", .text(" 42\n"))
        provider.fallback("c", .text("41"))
        let context = try Fixtures.context(["a", "b", "c"], provider)
        let result = await Phalanx(members: ["a", "b", "c"], aggregation: .majority).run("q", in: context)
        #expect(result.finalOutput == "42")
        provider.fallback("b", .text("40"))
        let split = await Phalanx(members: ["a", "b", "c"], aggregation: .majority).run("q", in: try Fixtures.context(["a", "b", "c"], provider))
        #expect(split.status == .failed)
        #expect(split.error?.hasPrefix("no majority") == true)
    }

    @Test func voteLetsAJudgePick() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("short answer"))
        provider.fallback("b", .text("thorough answer"))
        provider.fallback("judge", .text("BEST: 2\nIt is more complete."))
        let context = try Fixtures.context(["a", "b", "judge"], provider)
        let result = await Phalanx(members: ["a", "b"], aggregation: .vote(judge: "judge")).run("q", in: context)
        #expect(result.finalOutput == "thorough answer")
        #expect(result.reasoning?.contains("judge judge chose b") == true)
        let prompt = try #require(provider.requests(from: "judge").first?.messages.last?.content)
        #expect(prompt.contains("[1] (from a)\nshort answer") && prompt.contains("[2] (from b)\nthorough answer"))
    }

    @Test("FailFast cancels the running members (the reference waits for all of them)")
    func failFastCancelsTheRest() async throws {
        let provider = ScriptedProvider()
        provider.fallback("bad", .delayed(.milliseconds(10), .failure(ProviderError(.server, "boom"))))
        provider.fallback("slow", .delayed(.seconds(120), .text("late")))
        let clock = ContinuousClock()
        let start = clock.now
        let result = await Phalanx(members: ["bad", "slow"]).run("q", in: try Fixtures.context(["bad", "slow"], provider))
        #expect(clock.now - start < .seconds(30), "took \(clock.now - start)")
        #expect(result.status == .failed)
        #expect(result.steps.first { $0.member == "slow" }?.status == .cancelled)
    }

    @Test func continueOnErrorCollectsTheSuccesses() async throws {
        let provider = ScriptedProvider()
        provider.fallback("bad", .failure(ProviderError(.server, "boom")))
        provider.fallback("good", .text("fine"))
        let options = BattalionOptions(errorStrategy: .continueOnError)
        let result = await Phalanx(members: ["bad", "good"]).run("q", in: try Fixtures.context(["bad", "good"], provider, options: options))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "fine")
        #expect(result.failed == 1 && result.succeeded == 1)
    }

    @Test func cancellationReachesEveryMember() async throws {
        let provider = ScriptedProvider()
        for name in ["a", "b", "c"] { provider.fallback(name, .delayed(.seconds(120), .text(name))) }
        let context = try Fixtures.context(["a", "b", "c"], provider)
        let task = Task { await Phalanx(members: ["a", "b", "c"]).run("q", in: context) }
        try await waitForRequests(provider, from: ["a", "b", "c"])
        task.cancel()
        let result = await task.value
        #expect(result.status == .cancelled)
        #expect(result.steps.map(\.status) == [.cancelled, .cancelled, .cancelled])
    }
}
