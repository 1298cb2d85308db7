import NIOCore
import NIOPosix
import PaladinClient
import PaladinWire
import Synchronization

/// Health/Check through the real async client (`PaladinConnection` + `Paladin_V1_HealthClient`),
/// as an application would call it.
///
/// `--client-executor global` (default): caller tasks run on Swift's global executor and the
/// connection on NIO's singleton event loops, so each call hops thread twice (task -> loop to
/// write, loop -> task to resume). `loop`: the connection gets an event loop of our own and its
/// caller tasks prefer that loop as their task executor, so a call never leaves the loop thread.
enum ClientBench {
    /// One connection plus the executor its callers prefer (nil: the global executor).
    struct Target: Sendable {
        let connection: PaladinConnection
        let executor: EventLoopTaskExecutor?
    }

    static func connect(_ options: Options, group: MultiThreadedEventLoopGroup?) async throws -> Target {
        var configuration = ClientConfiguration()
        configuration.tls = options.tlsCA.map { ClientTLS(caFile: $0) }
        if let group {
            let loop = group.next()
            let connection = try await PaladinConnection.connect(host: benchHost, port: options.port,
                                                                 configuration: configuration, group: loop)
            return Target(connection: connection, executor: EventLoopTaskExecutor(loop))
        }
        let connection = try await PaladinConnection.connect(host: benchHost, port: options.port, configuration: configuration)
        return Target(connection: connection, executor: nil)
    }

    /// One call of the kind `--call` names; throws unless its answer is the expected one.
    struct Caller: Sendable {
        let call: String
        let connection: PaladinConnection
        /// For `replay100`: a finished run of formation100, made once by `prepare`.
        var finishedRun = ""

        /// Makes what the calls need: for `replay100`, one finished run of 100 steps.
        mutating func prepare() async throws {
            guard call == "replay100" else { return }
            var request = Paladin_V1_RunRequest()
            request.battalion = "formation100"
            request.input = "task"
            let run = try await Paladin_V1_BattalionServiceClient(connection).run(request)
            guard run.steps.count == 100 else { throw BenchError(description: "formation100 ran \(run.steps.count) steps") }
            finishedRun = run.id
        }

        /// Untimed, after a latency sample: waits for the run a `start-run` call started, so each
        /// StartRun is measured on a server with no runs of earlier calls still going.
        func settle(_ started: String = "") async throws {
            guard call == "start-run", !started.isEmpty else { return }
            var request = Paladin_V1_RunRequest()
            request.attachRunID = started
            _ = try await Paladin_V1_BattalionServiceClient(connection).run(request)
        }

        /// One call; returns the id of the run it started, if any.
        @discardableResult
        func callOnce() async throws -> String {
            switch call {
            case "execute":
                var request = Paladin_V1_ExecuteRequest()
                request.paladin = "p1"
                request.input = "task"
                let reply = try await Paladin_V1_PaladinServiceClient(connection).execute(request)
                guard reply.output == "ok" else { throw BenchError(description: "Execute answered \(reply.output)") }
            case "formation", "phalanx":
                var request = Paladin_V1_RunRequest()
                request.battalion = call + "5"
                request.input = "task"
                let run = try await Paladin_V1_BattalionServiceClient(connection).run(request)
                guard run.status == .completed, run.steps.count == 5 else {
                    throw BenchError(description: "Run answered \(run.status) with \(run.steps.count) steps: \(run.error)")
                }
            case "start-run":
                // StartRun of the 5-member formation: answers once the run is recorded RUNNING.
                var request = Paladin_V1_RunRequest()
                request.battalion = "formation5"
                request.input = "task"
                let run = try await Paladin_V1_BattalionServiceClient(connection).startRun(request)
                guard run.status == .running else { throw BenchError(description: "StartRun answered \(run.status)") }
                return run.id
            case "replay100":
                // Attach to a finished 100-step run: started, 2 events per step, the result.
                var request = Paladin_V1_RunRequest()
                request.attachRunID = finishedRun
                var events = 0
                for try await _ in Paladin_V1_BattalionServiceClient(connection).runStream(request) { events += 1 }
                guard events == 202 else { throw BenchError(description: "the replay sent \(events) events, expected 202") }
            default:
                let reply = try await Paladin_V1_HealthClient(connection).check(.init())
                guard reply.status == .serving else {
                    throw BenchError(description: "Health/Check answered \(reply.status), expected SERVING")
                }
            }
            return ""
        }
    }

    static func latency(_ options: Options) async throws -> String {
        let group = options.clientExecutor == "loop" ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
        let target = try await connect(options, group: group)
        let warmup = options.warmup, n = options.n
        let (samples, elapsed, cpu) = try await Task(executorPreference: target.executor) {
            var caller = Caller(call: options.call, connection: target.connection)
            try await caller.prepare()
            for _ in 0..<warmup { try await caller.settle(try await caller.callOnce()) }
            var samples = [UInt64]()
            samples.reserveCapacity(n)
            let cpu0 = processCPUMicros()
            let start = nowNanos()
            for _ in 0..<n {
                let t0 = nowNanos()
                let started = try await caller.callOnce()
                samples.append(nowNanos() - t0)
                try await caller.settle(started)
            }
            let elapsed = nowNanos() - start
            return (samples, elapsed, processCPUMicros() - cpu0)
        }.value
        await target.connection.close()
        try? await group?.shutdownGracefully()
        return latencyLine(mode: "latency", client: "paladin-\(options.clientExecutor)", samples: samples,
                           elapsedNanos: elapsed, cpuMicros: cpu, totalCalls: warmup + n, extra: " call=\(options.call)")
    }

    /// Counters shared by the caller tasks.
    final class Shared: Sendable {
        let completed = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
    }

    static func throughput(_ options: Options) async throws -> String {
        let group = options.clientExecutor == "loop" ? MultiThreadedEventLoopGroup(numberOfThreads: options.threads) : nil
        var targets: [Target] = []
        for _ in 0..<options.connections { targets.append(try await connect(options, group: group)) }
        let shared = Shared()
        let inflight = options.inflight
        let result: (calls: UInt64, nanos: UInt64, cpu: Double) = try await withThrowingTaskGroup(of: Void.self) { tasks in
            for target in targets {
                let caller = Caller(call: options.call, connection: target.connection)
                for _ in 0..<inflight {
                    tasks.addTask(executorPreference: target.executor) {
                        while !shared.stop.load(ordering: .relaxed) {
                            try await caller.callOnce()
                            shared.completed.add(1, ordering: .relaxed)
                        }
                    }
                }
            }
            // Sample the counter at the window edges; a caller that failed is rethrown by
            // waitForAll once the window has ended.
            let watcher: (UInt64, UInt64, Double) = try await {
                try await Task.sleep(for: .nanoseconds(Int64(options.warmupSeconds * 1e9)))
                let c0 = shared.completed.load(ordering: .relaxed), t0 = nowNanos(), cpu0 = processCPUMicros()
                try await Task.sleep(for: .nanoseconds(Int64(options.duration * 1e9)))
                let c1 = shared.completed.load(ordering: .relaxed), t1 = nowNanos(), cpu1 = processCPUMicros()
                return (UInt64(c1 - c0), t1 - t0, cpu1 - cpu0)
            }()
            shared.stop.store(true, ordering: .relaxed)
            try await tasks.waitForAll()
            return (watcher.0, watcher.1, watcher.2)
        }
        for target in targets { await target.connection.close() }
        try? await group?.shutdownGracefully()
        return throughputLine(mode: "throughput", client: "paladin-\(options.clientExecutor)", options: options,
                              calls: result.calls, nanos: result.nanos, cpuMicros: result.cpu,
                              totalCalls: shared.completed.load(ordering: .relaxed), extra: " call=\(options.call)")
    }
}
