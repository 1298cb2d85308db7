import PaladinCore
import Testing

/// Formation: sequential hand-off, error strategies, timeouts, cancellation.
@Suite("Formation")
struct FormationTests {
    @Test func eachMemberGetsThePreviousOutput() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .echo(prefix: "a:"))
        provider.fallback("b", .echo(prefix: "b:"))
        provider.fallback("c", .echo(prefix: "c:"))
        let observer = RecordingObserver()
        let context = try Fixtures.context(["a", "b", "c"], provider, observer: observer)
        let result = await Formation(members: ["a", "b", "c"], sharedContext: "ctx").run("in", in: context)
        #expect(result.status == .completed)
        #expect(result.finalOutput == "c:b:a:ctx\n\nin")
        #expect(result.steps.map(\.member) == ["a", "b", "c"])
        #expect(result.steps.allSatisfy { $0.status == .succeeded && $0.attempts == 1 })
        #expect(result.usage.totalTokens == result.steps.reduce(0) { $0 + $1.usage.totalTokens })
        #expect(observer.all.filter { $0.hasPrefix("started") || $0.hasPrefix("finished") } ==
                ["started a", "finished a succeeded", "started b", "finished b succeeded", "started c", "finished c succeeded"])
    }

    @Test func failFastStopsAtTheFirstFailure() async throws {
        let provider = ScriptedProvider()
        provider.fallback("b", .failure(ProviderError(.server, "boom")))
        let context = try Fixtures.context(["a", "b", "c"], provider)
        let result = await Formation(members: ["a", "b", "c"]).run("in", in: context)
        #expect(result.status == .failed)
        #expect(result.error?.contains("member b failed") == true)
        #expect(result.steps.map(\.member) == ["a", "b"])
        #expect(provider.requests(from: "c").isEmpty)
    }

    @Test("A formation whose every member fails reports it, with quick, waiting and timed members")
    func everyMemberFailing() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .failure(ProviderError(.server, "boom")))
        provider.fallback("b", .delayed(.milliseconds(2), .failure(ProviderError(.server, "late boom"))))  // awaited
        for timeout in [nil, Duration.seconds(30)] {
            let options = BattalionOptions(errorStrategy: .continueOnError, timeout: timeout)
            for members in [["a"], ["a", "b"], ["b", "a"]] {
                let result = await Formation(members: members).run("in", in: try Fixtures.context(["a", "b"], provider, options: options))
                #expect(result.status == .failed && result.error == "every member failed" && result.finalOutput == "")
                #expect(result.steps.map(\.member) == members && result.steps.allSatisfy { $0.status == .failed })
            }
        }
    }

    @Test("Step and run durations measure real time")
    func durationsMeasureRealTime() async throws {
        let provider = ScriptedProvider(defaultReply: .text("ok"))
        provider.fallback("slow", .delayed(.milliseconds(30), .text("late")))
        let start = ContinuousClock.now
        let result = await Formation(members: ["a", "slow", "b"]).run("in", in: try Fixtures.context(["a", "slow", "b"], provider))
        let outside = ContinuousClock.now - start
        #expect(result.status == .completed && result.finalOutput == "ok")
        #expect(result.steps[1].duration >= .milliseconds(30))
        #expect(result.steps[2].startedAt >= result.steps[1].finishedAt)
        #expect(result.duration >= result.steps[2].finishedAt && result.duration <= outside)
    }

    @Test("A run lasts at least until its last step ends, with or without an observer")
    func runDurationCoversItsSteps() async throws {
        let provider = ScriptedProvider(defaultReply: .text("ok"))
        let start = ContinuousClock.now
        let plain = await Formation(members: ["a", "b", "c"]).run("in", in: try Fixtures.context(["a", "b", "c"], provider))
        let observed = await Formation(members: ["a", "b", "c"]).run(
            "in", in: try Fixtures.context(["a", "b", "c"], provider, observer: RecordingObserver()))
        let outside = ContinuousClock.now - start
        for result in [plain, observed] {
            #expect(result.status == .completed && result.steps.count == 3)
            #expect(result.duration >= result.steps[2].finishedAt && result.duration <= outside)
        }
    }

    @Test("ContinueOnError passes the last good output on (the reference passes an empty string)")
    func continueOnErrorPassesTheLastGoodOutput() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("from a"))
        provider.fallback("b", .failure(ProviderError(.server, "boom")))
        provider.fallback("c", .echo(prefix: "c got: "))
        let context = try Fixtures.context(["a", "b", "c"], provider, options: BattalionOptions(errorStrategy: .continueOnError))
        let result = await Formation(members: ["a", "b", "c"]).run("in", in: context)
        #expect(result.status == .completed)
        #expect(result.finalOutput == "c got: from a")
        #expect(result.steps.map(\.status) == [.succeeded, .failed, .succeeded])
    }

    @Test func retryThenContinueReallyRetries() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .failure(ProviderError(.server, "flaky")), .text("second time"))
        let options = BattalionOptions(errorStrategy: .retryThenContinue,
                                       retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)))
        let result = await Formation(members: ["a"]).run("in", in: try Fixtures.context(["a"], provider, options: options))
        #expect(result.finalOutput == "second time")
        #expect(result.steps.first?.attempts == 2)
    }

    @Test func timeoutEndsTheRunAndKeepsFinishedSteps() async throws {
        let provider = ScriptedProvider()
        provider.fallback("slow", .delayed(.seconds(120), .text("late")))
        let context = try Fixtures.context(["fast", "slow"], provider, options: BattalionOptions(timeout: .milliseconds(100)))
        let result = await Formation(members: ["fast", "slow"]).run("in", in: context)
        #expect(result.status == .timedOut)
        #expect(result.steps.map(\.status) == [.succeeded, .cancelled])
    }

    @Test func cancellationReachesTheRunningMember() async throws {
        let provider = ScriptedProvider()
        provider.fallback("slow", .delayed(.seconds(120), .text("late")))
        let context = try Fixtures.context(["slow", "never"], provider)
        let task = Task { await Formation(members: ["slow", "never"]).run("in", in: context) }
        try await waitForRequests(provider, from: ["slow"])
        task.cancel()
        let result = await task.value
        #expect(result.status == .cancelled)
        #expect(result.steps.map(\.status) == [.cancelled])
        #expect(provider.requests(from: "never").isEmpty)
    }

    @Test func unknownMembersAreReportedBeforeAnythingRuns() async throws {
        let provider = ScriptedProvider()
        let result = await Formation(members: ["a", "ghost"]).run("in", in: try Fixtures.context(["a"], provider))
        #expect(result.status == .failed)
        #expect(result.error == "unknown member \"ghost\"")
        #expect(provider.requests.isEmpty)
    }
}
