import PaladinCore
import Testing

/// Conclave: concurrent experts, one aggregator, deterministic order, error strategies.
@Suite("Conclave")
struct ConclaveTests {
    private static let fast = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))

    /// The last user message the member received.
    private func input(of member: String, _ provider: ScriptedProvider, call: Int = 0) -> String? {
        let requests = provider.requests(from: member)
        guard requests.indices.contains(call) else { return nil }
        return requests[call].messages.last { $0.role == .user }?.content
    }

    // Reference bug: expert outputs reached the aggregator in HashMap order (nondeterministic).
    @Test func expertOutputsReachTheAggregatorInDeclaredOrderNotHashMapOrCompletionOrder() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .delayed(.milliseconds(400), .text("from a")))
        provider.script("b", .delayed(.milliseconds(200), .text("from b")))
        provider.script("c", .text("from c"))
        provider.script("agg", .text("final"))
        let context = try Fixtures.context(["a", "b", "c", "agg"], provider)
        let result = await Conclave(experts: ["a", "b", "c"], aggregator: "agg", synthesisPrompt: "Merge.").run("Q?", in: context)
        #expect(result.status == .completed)
        #expect(result.finalOutput == "final")
        let finished = result.steps.filter { $0.member != "agg" }.sorted { $0.finishedAt < $1.finishedAt }.map(\.member)
        #expect(finished == ["c", "b", "a"])
        #expect(input(of: "agg", provider) == """
            Merge.

            Task:
            Q?

            Expert answers:

            Expert a:
            from a

            ---

            Expert b:
            from b

            ---

            Expert c:
            from c
            """)
        #expect(result.reasoning == "agg synthesized 3 of 3 experts: a, b, c")
    }

    @Test func theAggregatorGetsTheDefaultSynthesisPromptTheTaskAndLabelledOutputs() async throws {
        let provider = ScriptedProvider()
        provider.script("x", .text("X says 1"))
        provider.script("y", .text("Y says 2"))
        provider.script("agg", .text("1 and 2"))
        let context = try Fixtures.context(["x", "y", "agg"], provider)
        let result = await Conclave(experts: ["x", "y"], aggregator: "agg").run("Count.", in: context)
        let prompt = try #require(input(of: "agg", provider))
        #expect(prompt.hasPrefix(Conclave.defaultSynthesisPrompt + "\n\nTask:\nCount.\n\n"))
        #expect(prompt.hasSuffix("Expert x:\nX says 1\n\n---\n\nExpert y:\nY says 2"))
        #expect(input(of: "x", provider) == "Count.")
        #expect(input(of: "y", provider) == "Count.")
        #expect(result.finalOutput == "1 and 2")
        #expect(result.steps.count == 3)
    }

    @Test func failFastCancelsTheRunningExpertsAndNeverCallsTheAggregator() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .delayed(.seconds(120), .text("late")))
        provider.script("b", .failure(ProviderError(.server, "boom")))
        provider.script("c", .delayed(.seconds(120), .text("late")))
        let context = try Fixtures.context(["a", "b", "c", "agg"], provider)
        let clock = ContinuousClock()
        let start = clock.now
        let result = await Conclave(experts: ["a", "b", "c"], aggregator: "agg").run("q", in: context)
        #expect(clock.now - start < .seconds(30), "took \(clock.now - start)")
        #expect(result.status == .failed)
        #expect(result.error?.contains("expert b failed") == true)
        #expect(provider.requests(from: "agg").isEmpty)
        let statuses = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.member, $0.status) })
        #expect(statuses == ["a": .cancelled, "b": .failed, "c": .cancelled])
    }

    @Test func continueOnErrorAggregatesOnlyTheSuccesses() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .text("A"))
        provider.script("b", .failure(ProviderError(.server, "boom")))
        provider.script("c", .text("C"))
        provider.script("agg", .text("A+C"))
        let context = try Fixtures.context(["a", "b", "c", "agg"], provider, options: BattalionOptions(errorStrategy: .continueOnError))
        let result = await Conclave(experts: ["a", "b", "c"], aggregator: "agg").run("q", in: context)
        #expect(result.status == .completed)
        #expect(result.finalOutput == "A+C")
        let prompt = try #require(input(of: "agg", provider))
        #expect(prompt.hasSuffix("Expert a:\nA\n\n---\n\nExpert c:\nC"))
        #expect(!prompt.contains("Expert b"))
        #expect(result.reasoning == "agg synthesized 2 of 3 experts: a, c (failed: b)")
        #expect(result.failed == 1)
    }

    @Test func continueOnErrorFailsWhenEveryExpertFailed() async throws {
        let provider = ScriptedProvider(defaultReply: .failure(ProviderError(.server, "down")))
        let context = try Fixtures.context(["a", "b", "agg"], provider, options: BattalionOptions(errorStrategy: .continueOnError))
        let result = await Conclave(experts: ["a", "b"], aggregator: "agg").run("q", in: context)
        #expect(result.status == .failed)
        #expect(result.error == "every expert failed")
        #expect(provider.requests(from: "agg").isEmpty)
    }

    @Test func retryThenContinueRetriesAFailingExpert() async throws {
        let provider = ScriptedProvider()
        provider.script("a", .failure(ProviderError(.rateLimited, "slow")), .text("A at last"))
        provider.script("b", .text("B"))
        provider.script("agg", .echo())
        let options = BattalionOptions(errorStrategy: .retryThenContinue, retry: Self.fast)
        let context = try Fixtures.context(["a", "b", "agg"], provider, options: options)
        let result = await Conclave(experts: ["a", "b"], aggregator: "agg").run("q", in: context)
        #expect(result.status == .completed)
        #expect(result.finalOutput.hasSuffix("Expert a:\nA at last\n\n---\n\nExpert b:\nB"))
        #expect(result.steps.first { $0.member == "a" }?.attempts == 2)
        #expect(provider.requests(from: "a").count == 2)
    }

    @Test func aFailedAggregatorFailsTheRun() async throws {
        let provider = ScriptedProvider()
        provider.script("agg", .failure(ProviderError(.authentication, "bad key")))
        let context = try Fixtures.context(["a", "b", "agg"], provider, options: BattalionOptions(errorStrategy: .continueOnError))
        let result = await Conclave(experts: ["a", "b"], aggregator: "agg").run("q", in: context)
        #expect(result.status == .failed)
        #expect(result.error?.hasPrefix("aggregator agg failed") == true)
    }

    // Reference bug: the Commander's default aggregator was also counted as an expert.
    @Test func theAggregatorIsNeverCountedAsAnExpert() throws {
        let conclave = Conclave(experts: ["a", "b"], aggregator: "c")
        #expect(conclave.validate().isEmpty)
        #expect(conclave.memberNames == ["a", "b", "c"])
        #expect(Conclave(experts: ["a", "b", "c"], aggregator: "c").validate() == ["the aggregator c cannot also be an expert"])
        #expect(Conclave(experts: ["a"], aggregator: "c").validate() == ["a conclave needs at least two experts"])
        #expect(Conclave(experts: ["a", "a"], aggregator: "c").validate() == ["conclave experts must be distinct"])
    }

    @Test func cancellingTheRunCancelsEveryRunningExpert() async throws {
        let provider = ScriptedProvider(defaultReply: .delayed(.seconds(120), .text("late")))
        let context = try Fixtures.context(["a", "b", "c", "agg"], provider)
        let conclave = Conclave(experts: ["a", "b", "c"], aggregator: "agg")
        let result = try await cancelledRun { await conclave.run("q", in: context) }
        #expect(result.status == .cancelled)
        #expect(result.steps.map(\.member).sorted() == ["a", "b", "c"])
        #expect(result.steps.allSatisfy { $0.status == .cancelled })
        #expect(provider.requests(from: "agg").isEmpty)
    }
}
