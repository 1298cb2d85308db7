import PaladinCore
import Synchronization
import Testing

/// The inline (immediate) member path keeps every behaviour of the general one: failures,
/// cancellation, timing, token usage, requests as the provider sees them, repeated names.
@Suite("Fast path of members that answer at once")
struct FastPathTests {
    @Test func aFailingMemberFailsTheFormationOrIsSkippedOver() async throws {
        let provider = ScriptedProvider(defaultReply: .text("ok"))
        provider.fallback("b", .failure(ProviderError(.server, "boom")))
        let failFast = await Formation(members: ["a", "b", "c"]).run("in", in: try Fixtures.context(["a", "b", "c"], provider))
        #expect(failFast.status == .failed)
        #expect(failFast.steps.map(\.status) == [.succeeded, .failed])
        #expect(failFast.steps[1].error == "server: boom" && failFast.steps[1].attempts == 1)
        #expect(provider.requests(from: "c").isEmpty)

        let options = BattalionOptions(errorStrategy: .continueOnError)
        let goesOn = await Formation(members: ["a", "b", "c"])
            .run("in", in: try Fixtures.context(["a", "b", "c"], provider, options: options))
        #expect(goesOn.status == .completed && goesOn.finalOutput == "ok")
        #expect(goesOn.steps.map(\.status) == [.succeeded, .failed, .succeeded])
        #expect(provider.requests(from: "c").last?.messages.last?.content == "ok")  // a's output, past b
    }

    @Test func aCancelledFormationCallsNoMember() async throws {
        let provider = ScriptedProvider(defaultReply: .text("ok"))
        let context = try Fixtures.context(["a", "b"], provider)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await Formation(members: ["a", "b"]).run("in", in: context)
        }
        let result = await task.value
        #expect(result.status == .cancelled)
        #expect(result.steps.isEmpty && provider.requests.isEmpty)
    }

    @Test func stepsAreTimedBackToBackWithUsageAndTotals() async throws {
        let provider = ScriptedProvider(defaultReply: .text("two words"))
        let result = await Formation(members: ["a", "b", "c"]).run("some input", in: try Fixtures.context(["a", "b", "c"], provider))
        #expect(result.status == .completed)
        for (previous, next) in zip(result.steps, result.steps.dropFirst()) {
            #expect(next.startedAt == previous.finishedAt)  // one clock read ends a step and starts the next
        }
        #expect(result.steps.allSatisfy { $0.duration >= .zero && $0.usage.completionTokens == TokenEstimator.estimate("two words") })
        #expect(result.steps[0].usage.promptTokens == TokenEstimator.estimate("some input"))
        #expect(result.usage.totalTokens == result.steps.reduce(0) { $0 + $1.usage.totalTokens })
        #expect(result.duration >= result.steps[2].finishedAt)
    }

    @Test func everyMemberSendsItsOwnRequestThoughTheBufferIsReused() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("from a"))
        provider.fallback("b", .text("from b"))
        let members: [any BattalionMember] = [try Fixtures.paladin("a", provider, systemPrompt: "be a"),
                                              try Fixtures.paladin("b", provider)]
        let result = await Formation(members: ["a", "b"]).run("go", in: BattalionContext(members: members))
        #expect(result.finalOutput == "from b")
        let requests = provider.requests
        #expect(requests.map(\.agent) == ["a", "b"])
        #expect(requests[0].messages == [.system("be a"), .user("go")])  // kept as sent, not overwritten by b's
        #expect(requests[1].messages == [.user("from a")])
    }

    @Test func aRepeatedNameMeansTheLastMemberGivenUnderIt() async throws {
        let first = ScriptedProvider(defaultReply: .text("first"))
        let last = ScriptedProvider(defaultReply: .text("last"))
        let context = BattalionContext(members: [try Fixtures.paladin("a", first), try Fixtures.paladin("b", first),
                                                 try Fixtures.paladin("a", last)])
        #expect(context.members.count == 2)
        #expect(try context.member("a").asPaladinAgent?.provider as? ScriptedProvider === last)
        let result = await Formation(members: ["b", "a"]).run("x", in: context)
        #expect(result.finalOutput == "last")
        let missing = await Formation(members: ["a", "zed"]).run("x", in: context)
        #expect(missing.status == .failed && missing.error == "unknown member \"zed\"")
    }

    @Test func scriptingAProviderThatAnsweredStatelesslyTakesEffect() throws {
        let provider = ScriptedProvider(defaultReply: .text("default"), recordRequests: false)
        let request = CompletionRequest(model: "m", messages: [.user("hi")], agent: "a")
        #expect(try provider.completeImmediately(request)?.text == "default")
        provider.script("a", .text("scripted"))
        #expect(try provider.completeImmediately(request)?.text == "scripted")
        #expect(try provider.completeImmediately(request)?.text == "default")
    }

    @Test func aPhalanxGoesOnInATaskGroupFromTheFirstMemberThatWaits() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("A"))
        provider.fallback("b", .delayed(.milliseconds(20), .text("B")))
        provider.fallback("c", .text("C"))
        let result = await Phalanx(members: ["a", "b", "c"]).run("q", in: try Fixtures.context(["a", "b", "c"], provider))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "A\n---\nB\n---\nC")
        #expect(Set(result.steps.map(\.member)) == ["a", "b", "c"])
    }

    @Test func firstSuccessRecordsTheRestCancelledAtTheStop() async throws {
        let provider = ScriptedProvider(defaultReply: .text("ok"))
        let names = ["a", "b", "c", "d"]
        let result = await Phalanx(members: names, aggregation: .firstSuccess).run("q", in: try Fixtures.context(names, provider))
        #expect(result.status == .completed && result.reasoning == "first success: a")
        #expect(result.steps.map(\.status) == [.succeeded, .cancelled, .cancelled, .cancelled])
        #expect(result.steps.dropFirst().allSatisfy { $0.startedAt >= result.steps[0].finishedAt && $0.error == "cancelled" })
        #expect(provider.requests.count == 1)
    }
}
