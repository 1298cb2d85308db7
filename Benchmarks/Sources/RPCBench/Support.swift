#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import NIOCore

/// A bad command line or a failed run: printed to stderr, exit status 1 (2 for usage).
struct BenchError: Error, CustomStringConvertible {
    var description: String
    var usage = false
}

/// The command line: `SUBCOMMAND --key value ...`, every value checked against the bounds.
struct Options {
    var port = 0
    var n = 20_000
    var warmup = 2_000
    var connections = 1
    var inflight = 1
    var duration = 5.0
    var warmupSeconds = 1.0
    var maxSeconds = 300.0
    var threads = 1
    var clientExecutor = "global"
    var request = "golden"
    /// What latency/throughput call: health (Health/Check), execute (PaladinService/Execute of
    /// `p1`), formation / phalanx (BattalionService/Run of `formation5` / `phalanx5`); the last
    /// three need the server started with Benchmarks/configs/scripted.yaml.
    var call = "health"
    /// `--tls-ca FILE`: speak TLS to the server, trusting the CAs of FILE (client modes only).
    var tlsCA: String?

    static let bounds = (n: 10_000_000, connections: 1_024, inflight: 4_096, duration: 120.0)

    /// Parses `args` (without the subcommand). `--warmup` means a count for the latency modes
    /// and seconds for the throughput modes, as in the task's command lines.
    init(_ args: [String], throughputMode: Bool) throws {
        var i = 0
        var seen: Set<String> = []
        while i < args.count {
            let key = args[i]
            guard key.hasPrefix("--"), i + 1 < args.count else {
                throw BenchError(description: "expected --key value, got \(key)", usage: true)
            }
            let value = args[i + 1]
            seen.insert(key)
            func int() throws -> Int {
                guard let v = Int(value) else { throw BenchError(description: "\(key): not an integer: \(value)", usage: true) }
                return v
            }
            func double() throws -> Double {
                guard let v = Double(value), v.isFinite else { throw BenchError(description: "\(key): not a number: \(value)", usage: true) }
                return v
            }
            switch key {
            case "--port": port = try int()
            case "--n": n = try int()
            case "--warmup":
                if throughputMode { warmupSeconds = try double() } else { warmup = try int() }
            case "--connections": connections = try int()
            case "--inflight": inflight = try int()
            case "--duration": duration = try double()
            case "--max-seconds": maxSeconds = try double()
            case "--threads": threads = try int()
            case "--client-executor": clientExecutor = value
            case "--request": request = value
            case "--call": call = value
            case "--tls-ca": tlsCA = value
            default: throw BenchError(description: "unknown option \(key)", usage: true)
            }
            i += 2
        }
        guard seen.contains("--port"), (1...65_535).contains(port) else {
            throw BenchError(description: "--port 1...65535 is required", usage: true)
        }
        guard (1...Self.bounds.n).contains(n), (0...Self.bounds.n).contains(warmup),
              (1...Self.bounds.connections).contains(connections), (1...Self.bounds.inflight).contains(inflight),
              duration > 0, duration <= Self.bounds.duration, warmupSeconds >= 0, warmupSeconds <= Self.bounds.duration,
              maxSeconds > 0, maxSeconds <= 3_600, (1...64).contains(threads)
        else {
            throw BenchError(description: "out of bounds: n <= 10^7, warmup <= 10^7, connections <= 1024, inflight <= 4096, duration and warmup <= 120 s, max-seconds <= 3600, threads 1...64", usage: true)
        }
        guard ["health", "execute", "formation", "phalanx", "start-run", "replay100"].contains(call) else {
            throw BenchError(description: "--call must be health, execute, formation, phalanx, start-run or replay100", usage: true)
        }
        guard ["global", "loop"].contains(clientExecutor) else {
            throw BenchError(description: "--client-executor must be global or loop", usage: true)
        }
        guard ["golden", "minimal"].contains(request) else {
            throw BenchError(description: "--request must be golden or minimal", usage: true)
        }
    }
}

/// The only host ever connected to.
let benchHost = "127.0.0.1"

/// CLOCK_MONOTONIC in nanoseconds (the clock limit-c and nio-styles use).
@inline(__always)
func nowNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// User + system CPU time of this process, in microseconds.
func processCPUMicros() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    let user = Double(usage.ru_utime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec)
    let sys = Double(usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_stime.tv_usec)
    return user + sys
}

/// Exits the process with status 3 after `seconds`, whatever it is doing.
func armWatchdog(seconds: Double) {
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
        let message = "paladin-rpc-bench: --max-seconds \(seconds) reached, exiting\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(3)
    }
}

/// Nearest-rank percentile over sorted samples (the definition limit-c uses).
func percentile(_ sorted: [UInt64], _ p: Double) -> UInt64 {
    let r = p / 100 * Double(sorted.count)
    var rank = Int(r)
    if Double(rank) < r { rank += 1 }
    rank = min(max(rank, 1), sorted.count)
    return sorted[rank - 1]
}

func fixed1(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

func us(_ nanos: UInt64) -> String { fixed1(Double(nanos) / 1e3) }

/// One `key=value ...` line for a latency run (keys as limit-c's `echo_client`).
func latencyLine(mode: String, client: String, samples: [UInt64], elapsedNanos: UInt64, cpuMicros: Double, totalCalls: Int, extra: String = "") -> String {
    let sorted = samples.sorted()
    let mean = Double(sorted.reduce(0, +)) / Double(sorted.count)
    let rate = Double(sorted.count) / (Double(elapsedNanos) / 1e9)
    return "mode=\(mode) client=\(client) n=\(sorted.count) conns=1 inflight=1"
        + " p50_us=\(us(percentile(sorted, 50))) p99_us=\(us(percentile(sorted, 99)))"
        + " p999_us=\(us(percentile(sorted, 99.9))) mean_us=\(fixed1(mean / 1e3))"
        + " min_us=\(us(sorted.first!)) max_us=\(us(sorted.last!))"
        + " rtt_per_s=\(Int(rate.rounded())) rps=\(Int(rate.rounded()))"
        + " client_cpu_us_per_call=\(fixed1(cpuMicros / Double(sorted.count))) total_calls=\(totalCalls)" + extra
}

/// One `key=value ...` line for a throughput run.
func throughputLine(mode: String, client: String, options: Options, calls: UInt64, nanos: UInt64, cpuMicros: Double, totalCalls: Int, extra: String = "") -> String {
    let rps = Double(calls) / (Double(nanos) / 1e9)
    return "mode=\(mode) client=\(client) conns=\(options.connections) inflight=\(options.inflight)"
        + " duration_s=\(fixed1(Double(nanos) / 1e9)) requests=\(calls) rps=\(Int(rps.rounded()))"
        + " client_cpu_us_per_call=\(fixed1(calls > 0 ? cpuMicros / Double(calls) : 0)) total_calls=\(totalCalls)" + extra
}

/// Runs Swift tasks on a NIO event loop thread (NIO 2.101 has no ready-made TaskExecutor for
/// event loops; the same 15-line adapter as ../shared/bench/nio-styles and PaladinServer).
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
