import PaladinCore
import Synchronization
import Testing

/// How members run inside any pattern: failures, cancellation, timing, usage, the requests the
/// provider sees, repeated and unknown names, observers.
@Suite("Member runs")
struct MemberRunTests {
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

    @Test func stepsAreTimedInOrderWithUsageAndTotals() async throws {
        let provider = ScriptedProvider(defaultReply: .delayed(.milliseconds(2), .text("two words")))
        let result = await Formation(members: ["a", "b", "c"]).run("some input", in: try Fixtures.context(["a", "b", "c"], provider))
        #expect(result.status == .completed)
        for (previous, next) in zip(result.steps, result.steps.dropFirst()) {
            #expect(next.startedAt >= previous.finishedAt)
        }
        #expect(result.steps.allSatisfy { $0.duration >= .milliseconds(2) })  // durations measure real time
        #expect(result.steps.allSatisfy { $0.usage.completionTokens == TokenEstimator.estimate("two words") })
        #expect(result.steps[0].usage.promptTokens == TokenEstimator.estimate("some input"))
        #expect(result.usage.totalTokens == result.steps.reduce(0) { $0 + $1.usage.totalTokens })
        #expect(result.duration >= result.steps[2].finishedAt)
    }

    @Test func everyMemberSendsItsOwnRequest() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("from a"))
        provider.fallback("b", .text("from b"))
        let members: [any BattalionMember] = [try Fixtures.paladin("a", provider, systemPrompt: "be a"),
                                              try Fixtures.paladin("b", provider)]
        let result = await Formation(members: ["a", "b"]).run("go", in: BattalionContext(members: members))
        #expect(result.finalOutput == "from b")
        let requests = provider.requests
        #expect(requests.map(\.agent) == ["a", "b"])
        #expect(requests[0].messages == [.system("be a"), .user("go")])
        #expect(requests[1].messages == [.user("from a")])
    }

    @Test func aRepeatedNameMeansTheLastMemberGivenUnderIt() async throws {
        let first = ScriptedProvider(defaultReply: .text("first"))
        let last = ScriptedProvider(defaultReply: .text("last"))
        let context = BattalionContext(members: [try Fixtures.paladin("a", first), try Fixtures.paladin("b", first),
                                                 try Fixtures.paladin("a", last)])
        #expect(context.members.count == 2)
        #expect((try context.member("a") as? PaladinAgent)?.provider as? ScriptedProvider === last)
        let result = await Formation(members: ["b", "a"]).run("x", in: context)
        #expect(result.finalOutput == "last")
        #expect(first.requests.map(\.agent) == ["b"])
        let missing = await Formation(members: ["a", "zed"]).run("x", in: context)
        #expect(missing.status == .failed && missing.error == "unknown member \"zed\"")
        #expect(missing.steps.isEmpty)
    }

    @Test func runsSharingMembersKeepTheirOwnSteps() async throws {
        let provider = ScriptedProvider(defaultReply: .text("ok"))
        let members: [any BattalionMember] = try ["a", "b", "c"].map { try Fixtures.paladin($0, provider) }
        let results = await withTaskGroup(of: BattalionResult.self) { group in
            for index in 0..<8 {
                let pattern: any BattalionPattern = index.isMultiple(of: 2)
                    ? Formation(members: ["a", "b", "c"]) : Phalanx(members: ["c", "a"], aggregation: .collectAll)
                group.addTask { await pattern.run("run \(index)", in: BattalionContext(members: members)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0.status == .completed })
        #expect(results.filter { $0.pattern == "formation" }.allSatisfy { $0.steps.map(\.member) == ["a", "b", "c"] })
        #expect(results.filter { $0.pattern == "phalanx" }.allSatisfy { Set($0.steps.map(\.member)) == ["a", "c"] })
    }

    @Test func aFormationMemberAskingForToolsGoesOn() async throws {
        let provider = ScriptedProvider()
        let calls = Mutex(0)
        let lookup = ClosureTool(ToolSpec(name: "lookup", description: "Looks up")) { _ in
            calls.withLock { $0 += 1 }
            return "found"
        }
        provider.script("a", .toolCalls([ToolCall(id: "c1", name: "lookup", arguments: "{}")]),
                        .computed { request in "a saw " + (request.messages.last?.content ?? "?") })
        provider.fallback("b", .echo(prefix: "b: "))
        let members: [any BattalionMember] = [try Fixtures.paladin("a", provider, tools: [lookup]), try Fixtures.paladin("b", provider)]
        let result = await Formation(members: ["a", "b"]).run("go", in: BattalionContext(members: members))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "b: a saw found")
        #expect(calls.withLock { $0 } == 1)
        #expect(provider.requests(from: "a").count == 2)
    }

    /// Members that answer at once and members that wait are asked once each, in order, each with
    /// the previous output.
    @Test func aFormationMixingQuickAndWaitingMembersKeepsItsOrder() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .echo(prefix: "a: "))
        provider.fallback("b", .delayed(.milliseconds(5), .echo(prefix: "b: ")))
        provider.fallback("c", .echo(prefix: "c: "))
        provider.fallback("d", .delayed(.milliseconds(5), .echo(prefix: "d: ")))
        provider.fallback("e", .echo(prefix: "e: "))
        let names = ["a", "b", "c", "d", "e"]
        let result = await Formation(members: names).run("go", in: try Fixtures.context(names, provider))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "e: d: c: b: a: go")
        #expect(result.steps.map(\.member) == names)
        #expect(result.steps.map(\.status) == Array(repeating: .succeeded, count: 5))
        for name in names { #expect(provider.requests(from: name).count == 1, "\(name)") }
        for (earlier, later) in zip(result.steps, result.steps.dropFirst()) {
            #expect(earlier.finishedAt <= later.startedAt)
        }
    }

    /// An observer that only wants starts and ends (the server's unary Run) hears every member in
    /// order; one that wants deltas gets them streamed.
    @Test(arguments: [false, true]) func observersHearEveryMember(wantsDeltas: Bool) async throws {
        final class Observer: BattalionObserver {
            let wantsDeltas: Bool
            let recorder = RecordingObserver()
            init(wantsDeltas: Bool) { self.wantsDeltas = wantsDeltas }
            func memberStarted(_ member: String) { recorder.memberStarted(member) }
            func memberDelta(_ member: String, _ text: String) { recorder.memberDelta(member, text) }
            func memberFinished(_ step: MemberStep) { recorder.memberFinished(step) }
        }
        let provider = ScriptedProvider()
        provider.fallback("a", .text("alpha"))
        provider.fallback("b", .text("beta"))
        let observer = Observer(wantsDeltas: wantsDeltas)
        let result = await Formation(members: ["a", "b"]).run("q", in: try Fixtures.context(["a", "b"], provider, observer: observer))
        #expect(result.finalOutput == "beta")
        let events = observer.recorder.all
        let withoutDeltas = events.filter { !$0.hasPrefix("delta") }
        #expect(withoutDeltas == ["started a", "finished a succeeded", "started b", "finished b succeeded"])
        #expect(events.contains { $0.hasPrefix("delta") } == wantsDeltas)
    }
}
