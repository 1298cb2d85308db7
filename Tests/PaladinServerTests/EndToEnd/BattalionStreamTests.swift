import PaladinClient
import PaladinCore
import PaladinServer
import PaladinWire
import Synchronization
import Testing

/// RunStream event order, CancelRun and deadlines in the middle of a battalion.
@Suite("Battalion runs streamed, cancelled and out of time")
struct BattalionStreamTests {
    @Test func streamedEventsArriveInAValidOrder() async throws {
        let provider = ScriptedProvider()
        provider.fallback("synthesis", .text("merged review"))
        try await withTestServer(services: scriptedServices(provider)) { server in
            let connection = try await server.connect()
            try await createPaladins(["intake", "security", "performance", "style", "synthesis"], on: connection)
            try await createBattalion("review", maneuver("intake -> (security, performance, style) -> synthesis"), on: connection)
            var run = Paladin_V1_RunRequest()
            run.battalion = "review"
            run.input = "func f() {}"
            var events: [Paladin_V1_RunEvent.Event] = []
            for try await event in Paladin_V1_BattalionServiceClient(connection).runStream(run) {
                if let e = event.event { events.append(e) }
            }
            guard case .started(let started)? = events.first, case .result(let result)? = events.last else {
                Issue.record("the stream must open with started and close with result: \(events)")
                return
            }
            #expect(started.status == .running && !started.id.isEmpty)
            #expect(result.id == started.id && result.status == .completed && result.finalOutput == "merged review")
            var running: Set<String> = []
            var finished: [String] = []
            for event in events.dropFirst().dropLast() {
                switch event {
                case .memberStarted(let m):
                    #expect(!running.contains(m.member))
                    running.insert(m.member)
                case .memberDelta(let d):
                    #expect(running.contains(d.member), "a delta from \(d.member), which is not running")
                case .memberFinished(let f):
                    let name = f.step?.member ?? ""
                    #expect(running.remove(name) != nil, "\(name) finished without starting")
                    finished.append(name)
                default:
                    Issue.record("unexpected event in the middle: \(event)")
                }
            }
            #expect(running.isEmpty)
            #expect(finished.first == "intake" && finished.last == "synthesis")
            #expect(Set(finished) == ["intake", "security", "performance", "style", "synthesis"])
            await connection.close()
        }
    }

    @Test func cancelRunStopsEveryMemberAndRecordsTheRunCancelled() async throws {
        let provider = ScriptedProvider(defaultReply: .delayed(.seconds(30), .text("too late")))
        let store = InMemoryRunStore()
        try await withTestServer(services: scriptedServices(provider, runStore: store)) { server in
            let connection = try await server.connect()
            let client = Paladin_V1_BattalionServiceClient(connection)
            try await createPaladins(["x", "y", "z"], on: connection)
            var spec = Paladin_V1_PhalanxSpec()
            spec.members = ["x", "y", "z"]
            try await createBattalion("slow", .phalanx(spec), on: connection)
            var run = Paladin_V1_RunRequest()
            run.battalion = "slow"
            run.input = "wait"
            let clock = ContinuousClock()
            let start = clock.now
            var result: Paladin_V1_BattalionRun?
            var started = 0
            for try await event in client.runStream(run) {
                switch event.event {
                case .memberStarted?:
                    started += 1
                    if started == 3, case let id? = store.list(RunFilter()).first?.id {
                        var cancel = Paladin_V1_CancelRunRequest()
                        cancel.id = id
                        #expect(try await client.cancelRun(cancel).cancelled)
                    }
                case .result(let r)?: result = r
                default: break
                }
            }
            #expect(clock.now - start < .seconds(10), "members did not stop")
            #expect(result?.status == .cancelled)
            let recorded = store.list(RunFilter()).first
            #expect(recorded?.status == .cancelled)
            #expect(recorded?.steps.allSatisfy { $0.status == .cancelled } == true)
            await connection.close()
        }
    }

    @Test func aDeadlineMidBattalionStopsMembersAndIsRecorded() async throws {
        let provider = ScriptedProvider()
        provider.fallback("quick", .text("done"))
        provider.fallback("stuck", .delayed(.seconds(30), .text("never")))
        let store = InMemoryRunStore()
        try await withTestServer(services: scriptedServices(provider, runStore: store)) { server in
            let connection = try await server.connect()
            try await createPaladins(["quick", "stuck", "after"], on: connection)
            try await createBattalion("doomed", formation(["quick", "stuck", "after"]), on: connection)
            var run = Paladin_V1_RunRequest()
            run.battalion = "doomed"
            run.input = "go"
            let clock = ContinuousClock()
            let start = clock.now
            let error = await expectStatus(.deadlineExceeded) {
                _ = try await Paladin_V1_BattalionServiceClient(connection).run(run, options: CallOptions(timeout: .milliseconds(300)))
            }
            #expect(clock.now - start < .seconds(10))
            // The run ends recorded as timed out, with the step that finished and none after.
            var recorded: RunRecord?
            for _ in 0..<200 {
                recorded = store.list(RunFilter()).first
                if recorded?.status.isFinished == true && recorded?.status != .running { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(recorded?.status == .timedOut)
            #expect(recorded?.steps.first?.member == "quick" && recorded?.steps.first?.status == .succeeded)
            #expect(provider.requests(from: "after").isEmpty)
            if let id = error?.details["run_id"] { #expect(id == recorded?.id) }
            await connection.close()
        }
    }
}
