import PaladinCore
import Synchronization
import Testing

/// Members whose provider answers at once run inline, without a task (`runImmediately`); these
/// check that the patterns still keep their semantics on that path.
@Suite("Members that never suspend")
struct ImmediateMemberTests {
    @Test func aCappedPhalanxRunsEveryInlineMemberInOrder() async throws {
        let provider = ScriptedProvider()
        for name in ["a", "b", "c", "d", "e"] { provider.fallback(name, .text(name)) }
        let phalanx = Phalanx(members: ["a", "b", "c", "d", "e"], aggregation: .collectAll, maxConcurrency: 2)
        let result = await phalanx.run("q", in: try Fixtures.context(["a", "b", "c", "d", "e"], provider))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "a\n---\nb\n---\nc\n---\nd\n---\ne")
        #expect(result.steps.map(\.status) == Array(repeating: .succeeded, count: 5))
    }

    @Test func firstSuccessCancelsTheMembersOfTheFirstWave() async throws {
        let provider = ScriptedProvider()
        for name in ["a", "b", "c"] { provider.fallback(name, .text(name)) }
        let result = await Phalanx(members: ["a", "b", "c"], aggregation: .firstSuccess)
            .run("q", in: try Fixtures.context(["a", "b", "c"], provider))
        #expect(result.finalOutput == "a")
        let statuses = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.member, $0.status) })
        #expect(statuses == ["a": .succeeded, "b": .cancelled, "c": .cancelled])
        #expect(provider.requests(from: "b").isEmpty && provider.requests(from: "c").isEmpty)
    }

    @Test func failFastCancelsTheFirstWaveAndSkipsTheRest() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .failure(ProviderError(.server, "boom")))
        for name in ["b", "c"] { provider.fallback(name, .text(name)) }
        let result = await Phalanx(members: ["a", "b", "c"], maxConcurrency: 2)
            .run("q", in: try Fixtures.context(["a", "b", "c"], provider))
        #expect(result.status == .failed)
        #expect(result.error?.contains("member a failed") == true)
        let statuses = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.member, $0.status) })
        #expect(statuses == ["a": .failed, "b": .cancelled])  // c, beyond the first wave, never started
    }

    @Test func aFormationMemberAskingForToolsGoesOnAsynchronously() async throws {
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
        #expect(provider.requests(from: "a").count == 2)  // the first answer was not asked for twice
    }

    /// A formation runs its members that answer at once in a plain function and goes on
    /// asynchronously from a member that must be awaited (decision 42): every member is asked
    /// once, in order, each with the previous output, on both paths and back again.
    @Test func aFormationGoesBackAndForthBetweenTheInlineAndTheAwaitedPaths() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .echo(prefix: "a: "))
        provider.fallback("b", .delayed(.milliseconds(5), .echo(prefix: "b: ")))  // suspends
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

    /// An observer that only wants starts and ends (the server's unary Run) keeps the inline
    /// path and still hears every member, in order; one that wants deltas gets them streamed.
    @Test(arguments: [false, true]) func observersHearEveryMemberOnBothPaths(wantsDeltas: Bool) async throws {
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
