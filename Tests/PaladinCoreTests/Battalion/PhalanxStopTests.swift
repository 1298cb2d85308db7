import PaladinCore
import Testing

/// A Phalanx runs its members in a task group, at most `maxConcurrency` at once; a step that stops
/// the run cancels the members still running and never starts the rest.
@Suite("Phalanx concurrency and stopping")
struct PhalanxStopTests {
    @Test func aCappedPhalanxRunsEveryMemberAndKeepsMemberOrder() async throws {
        let provider = ScriptedProvider()
        for (index, name) in ["a", "b", "c", "d", "e"].enumerated() {
            provider.fallback(name, .delayed(.milliseconds(5 - index), .text(name)))  // later members finish first
        }
        let phalanx = Phalanx(members: ["a", "b", "c", "d", "e"], aggregation: .collectAll, maxConcurrency: 2)
        let result = await phalanx.run("q", in: try Fixtures.context(["a", "b", "c", "d", "e"], provider))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "a\n---\nb\n---\nc\n---\nd\n---\ne")
        #expect(result.steps.map(\.status) == Array(repeating: .succeeded, count: 5))
    }

    @Test func aCappedPhalanxNeverRunsMoreThanItsLimit() async throws {
        let observer = RecordingObserver()
        let provider = ScriptedProvider(defaultReply: .delayed(.milliseconds(3), .text("ok")))
        let names = ["a", "b", "c", "d", "e", "f"]
        let result = await Phalanx(members: names, maxConcurrency: 2)
            .run("q", in: try Fixtures.context(names, provider, observer: observer))
        #expect(result.status == .completed)
        var running = 0
        var most = 0
        for event in observer.all {
            if event.hasPrefix("started") { running += 1 }
            if event.hasPrefix("finished") { running -= 1 }
            most = max(most, running)
        }
        #expect(most == 2)
    }

    @Test func firstSuccessCancelsTheMembersStillRunning() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .text("a"))
        for name in ["b", "c"] { provider.fallback(name, .delayed(.seconds(120), .text(name))) }
        let result = await Phalanx(members: ["a", "b", "c"], aggregation: .firstSuccess)
            .run("q", in: try Fixtures.context(["a", "b", "c"], provider))
        #expect(result.status == .completed && result.finalOutput == "a" && result.reasoning == "first success: a")
        let statuses = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.member, $0.status) })
        #expect(statuses == ["a": .succeeded, "b": .cancelled, "c": .cancelled])
        #expect(result.steps.filter { $0.member != "a" }.allSatisfy { $0.error == "cancelled" })
        #expect(result.duration < .seconds(30))
    }

    @Test func failFastCancelsTheRunningAndNeverStartsTheRest() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .failure(ProviderError(.server, "boom")))
        for name in ["b", "c"] { provider.fallback(name, .delayed(.seconds(120), .text(name))) }
        let result = await Phalanx(members: ["a", "b", "c"], maxConcurrency: 2)
            .run("q", in: try Fixtures.context(["a", "b", "c"], provider))
        #expect(result.status == .failed)
        #expect(result.error?.contains("member a failed") == true)
        let statuses = Dictionary(uniqueKeysWithValues: result.steps.map { ($0.member, $0.status) })
        #expect(statuses == ["a": .failed, "b": .cancelled])  // c, beyond the limit, never started
        #expect(provider.requests(from: "c").isEmpty)
    }

    @Test func aMemberThatFailsAtOnceStopsTheRestStarting() async throws {
        let provider = ScriptedProvider()
        provider.fallback("a", .failure(ProviderError(.server, "boom")))
        for name in ["b", "c"] { provider.fallback(name, .text(name)) }
        let result = await Phalanx(members: ["a", "b", "c"], maxConcurrency: 2)
            .run("q", in: try Fixtures.context(["a", "b", "c"], provider))
        #expect(result.status == .failed)
        // b, of the first wave, is recorded cancelled without being called; c never starts.
        #expect(result.steps.map(\.member) == ["a", "b"])
        #expect(result.steps.map(\.status) == [.failed, .cancelled])
        #expect(provider.requests(from: "b").isEmpty && provider.requests(from: "c").isEmpty)
    }

    @Test func aMemberOfACancelledRunIsNotCalled() async throws {
        let provider = ScriptedProvider(defaultReply: .text("ok"))
        let context = try Fixtures.context(["a", "b"], provider)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await Phalanx(members: ["a", "b"]).run("q", in: context)
        }
        let result = await task.value
        #expect(result.status == .cancelled)
        #expect(result.steps.allSatisfy { $0.status == .cancelled })
        #expect(provider.requests.isEmpty)
    }
}
