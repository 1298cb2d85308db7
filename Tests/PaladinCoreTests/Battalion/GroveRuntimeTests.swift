import PaladinCore
import Synchronization
import Testing

/// Grove at run time: cancellation, timeouts, retries.
@Suite("Grove runtime")
struct GroveRuntimeTests {
    /// Counts scripted replies that got past their delay.
    private final class Completions: Sendable {
        let count = Mutex(0)
        func reply(_ text: String) -> ScriptedReply { .computed { _ in self.count.withLock { $0 += 1 }; return text } }
    }

    static let routes = [GroveRoute(member: "billing", keywords: ["invoice"]), GroveRoute(member: "tech", keywords: ["crash"])]

    @Test func cancellationReachesTheRouterAndTheChosenMember() async throws {
        for slow in ["router", "tech"] {
            let provider = ScriptedProvider()
            let completions = Completions()
            provider.fallback("router", .text("ROUTE: tech"))
            provider.fallback(slow, .delayed(.seconds(120), completions.reply("late")))
            let context = try Fixtures.context(["billing", "tech", "router"], provider)
            let clock = ContinuousClock()
            let start = clock.now
            let task = Task { await Grove(routes: Self.routes, router: "router").run("crash", in: context) }
            try await waitForRequests(provider, slow == "router" ? 1 : 2)
            task.cancel()
            let result = await task.value
            #expect(clock.now - start < .seconds(30), "took \(clock.now - start)")
            #expect(result.status == .cancelled)
            #expect(result.steps.last?.member == slow)
            #expect(result.steps.last?.status == .cancelled)
            #expect(completions.count.withLock { $0 } == 0)
        }
    }

    @Test func theRunTimeoutEndsTheRunAsTimedOut() async throws {
        let provider = ScriptedProvider()
        provider.fallback("tech", .delayed(.seconds(120), .text("late")))
        let context = try Fixtures.context(["billing", "tech"], provider, options: BattalionOptions(timeout: .milliseconds(100)))
        let clock = ContinuousClock()
        let start = clock.now
        let result = await Grove(routes: Self.routes).run("crash", in: context)
        #expect(clock.now - start < .seconds(30), "took \(clock.now - start)")
        #expect(result.status == .timedOut)
        #expect(result.steps.map(\.status) == [.cancelled])
    }

    @Test func retryThenContinueReallyRetries() async throws {
        let provider = ScriptedProvider()
        provider.script("tech", .failure(ProviderError(.server, "flaky")), .text("fixed"))
        let options = BattalionOptions(errorStrategy: .retryThenContinue,
                                       retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)))
        let result = await Grove(routes: Self.routes).run("crash", in: try Fixtures.context(["billing", "tech"], provider, options: options))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "fixed")
        #expect(result.steps.map(\.attempts) == [2])
    }
}
