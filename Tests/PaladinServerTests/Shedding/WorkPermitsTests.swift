@testable import PaladinServer
import PaladinWire
import Testing

/// The server-wide permit counter behind `max_inflight_runs` and `max_inflight_executions`.
@Suite("Work permits")
struct WorkPermitsTests {
    private func permits(_ limit: Int) -> WorkPermits {
        WorkPermits(limit: limit, work: "battalion runs", configKey: "server.limits.max_inflight_runs")
    }

    @Test func permitsUpToTheLimitThenNoneUntilOneIsReleased() {
        let p = permits(2)
        #expect(p.tryAcquire() && p.tryAcquire())
        #expect(!p.tryAcquire(), "the cap is reached")
        #expect(p.inFlight == 2, "a refused acquire takes nothing")
        p.release()
        #expect(p.tryAcquire())
        p.release()
        p.release()
        #expect(p.inFlight == 0)
    }

    @Test func atTheCapWorkFailsAtOnceWithTheLimitItsKeyAndARetryHint() async throws {
        let p = permits(1)
        #expect(p.tryAcquire())
        var ran = false
        do {
            try await p.withPermit { ran = true }
            Issue.record("ran past the cap")
        } catch let error as RPCError {
            #expect(error.code == .resourceExhausted)
            #expect(error.message == "too many battalion runs in flight (limit 1, server.limits.max_inflight_runs); retry later")
            #expect(error.details == ["retry_after_ms": "1000"])
            #expect(error.retryAfter == .milliseconds(1000))
        }
        #expect(!ran)
        #expect(p.inFlight == 1)
    }

    @Test func aPermitIsGivenBackWhenTheWorkThrows() async {
        let p = permits(1)
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await p.withPermit { throw Boom() } }
        #expect(p.inFlight == 0)
        #expect(p.tryAcquire())
    }

    @Test func concurrentTakersNeverExceedTheCap() async {
        let p = permits(8)
        let granted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 { group.addTask { p.tryAcquire() } }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        #expect(granted == 8 && p.inFlight == 8)
    }

    @Test func aRetryHintIsReadOnlyFromAWholeNumber() {
        #expect(RPCError(.resourceExhausted, "", details: ["retry_after_ms": "250"]).retryAfter == .milliseconds(250))
        #expect(RPCError(.resourceExhausted, "", details: ["retry_after_ms": "soon"]).retryAfter == nil)
        #expect(RPCError(.resourceExhausted, "").retryAfter == nil)
    }
}
