import PaladinCore
import Testing

/// Maneuver: the Flow DSL executed, nesting included.
@Suite("Maneuver")
struct ManeuverTests {
    private func provider(delay: Duration? = nil) -> ScriptedProvider {
        let provider = ScriptedProvider()
        for name in ["intake", "a", "b", "c", "d", "e", "f", "security", "performance", "style", "synthesis"] {
            let reply = ScriptedReply.computed { request in "\(name)(\(request.messages.last?.content ?? ""))" }
            provider.fallback(name, delay.map { .delayed($0, reply) } ?? reply)
        }
        return provider
    }

    @Test func codeReviewFlowFansOutAndIn() async throws {
        let names = ["intake", "security", "performance", "style", "synthesis"]
        let result = await Maneuver(flow: "intake -> (security, performance, style) -> synthesis")
            .run("diff", in: try Fixtures.context(names, provider()))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "synthesis(security(intake(diff))\n---\nperformance(intake(diff))\n---\nstyle(intake(diff)))")
    }

    @Test("Nested groups run (the reference parses a -> (b -> (c, d), e) -> f but fails at run time)")
    func nestedGroupsRun() async throws {
        let names = ["a", "b", "c", "d", "e", "f"]
        // ',' binds tighter than '->': inside the group this is b -> ((c, d), e), so e gets b's output.
        let result = await Maneuver(flow: "a -> (b -> (c, d), e) -> f").run("x", in: try Fixtures.context(names, provider()))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "f(c(b(a(x)))\n---\nd(b(a(x)))\n---\ne(b(a(x))))")
        #expect(result.steps.count == 6)
        // With the sequence grouped explicitly, e runs beside it on a's output.
        let grouped = await Maneuver(flow: "a -> ((b -> (c, d)), e) -> f").run("x", in: try Fixtures.context(names, provider()))
        #expect(grouped.finalOutput == "f(c(b(a(x)))\n---\nd(b(a(x)))\n---\ne(a(x)))")
    }

    @Test func parallelBranchesOverlapInTime() async throws {
        var result: BattalionResult?
        let elapsed = try await shortestRun(target: .milliseconds(150)) {
            result = await Maneuver(flow: "a, b, c").run("x", in: try Fixtures.context(["a", "b", "c"], provider(delay: .milliseconds(50))))
        }
        #expect(elapsed < .milliseconds(150), "three 50 ms branches took \(elapsed)")
        #expect(result?.finalOutput == "a(x)\n---\nb(x)\n---\nc(x)")
        let steps = result?.steps ?? []
        #expect(steps.allSatisfy { step in steps.allSatisfy { $0.startedAt < step.finishedAt } })
    }

    @Test func continueOnErrorSkipsFailedAgentsAndBranches() async throws {
        let provider = provider()
        provider.fallback("b", .failure(ProviderError(.server, "boom")))
        let options = BattalionOptions(errorStrategy: .continueOnError)
        let result = await Maneuver(flow: "a -> (b, c) -> b -> d").run("x", in: try Fixtures.context(["a", "b", "c", "d"], provider, options: options))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "d(c(a(x)))")
    }

    @Test func failFastFailsTheRun() async throws {
        let provider = provider()
        provider.fallback("b", .failure(ProviderError(.server, "boom")))
        let result = await Maneuver(flow: "a -> (b, c) -> d").run("x", in: try Fixtures.context(["a", "b", "c", "d"], provider))
        #expect(result.status == .failed)
        #expect(result.error?.contains("member b failed") == true)
        #expect(provider.requests(from: "d").isEmpty)
    }

    @Test func badFlowsAndUnknownAgentsAreReported() async throws {
        let bad = await Maneuver(flow: "a -> -> b").run("x", in: try Fixtures.context(["a", "b"], provider()))
        #expect(bad.status == .failed)
        #expect(bad.error?.hasPrefix("flow:") == true)
        let unknown = await Maneuver(flow: "a -> ghost").run("x", in: try Fixtures.context(["a"], provider()))
        #expect(unknown.error == "unknown member \"ghost\"")
    }
}
