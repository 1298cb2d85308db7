import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The workloads of the performance regression check. Runs one workload a fixed number of
/// times and exits; `scripts/perf-check` runs it under callgrind and compares the instructions
/// of the measured iterations with `Benchmarks/PerfCheck/baselines.json`. See docs/benchmarks.md.
///
///     paladin-perf-workloads <workload> [--iterations N] [--warmup N]
///     paladin-perf-workloads --list
@main
enum PerfWorkloads {
    /// Every workload, in the order the check runs them.
    static var all: [any PerfWorkload.Type] {
        [
            FormationWorkload.self, PhalanxWorkload.self, ExecuteWorkload.self,
            GarrisonWorkload.self, HeraldWorkload.self, RequestCodecWorkload.self, ResponseCodecWorkload.self,
        ]
    }

    /// Synchronous on purpose: an `async` main parks the main thread in `dispatch_main`, which
    /// valgrind (3.19) does not survive; this one waits for a detached task instead.
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["--list"] {
            for workload in all { print("\(workload.name)\t\(workload.summary)") }
            return
        }
        guard let name = arguments.first, !name.hasPrefix("-") else { usage() }
        arguments.removeFirst()
        var iterations = 1_000
        var warmup = 50
        while let option = arguments.first {
            arguments.removeFirst()
            guard let value = arguments.first.flatMap(Int.init), value >= 0 else { usage() }
            arguments.removeFirst()
            switch option {
            case "--iterations": iterations = value
            case "--warmup": warmup = value
            default: usage()
            }
        }
        let done = DispatchSemaphore(value: 0)
        Task.detached { [iterations, warmup] in
            do {
                try await run(name, iterations: iterations, warmup: warmup)
            } catch {
                fail("\(name): \(error)")
            }
            done.signal()
        }
        done.wait()
    }

    /// Runs `warmup` unmarked iterations (lazy metadata, caches and the thread pool settle),
    /// then `iterations` between the callgrind markers.
    static func run(_ name: String, iterations: Int, warmup: Int) async throws {
        guard let type = all.first(where: { $0.name == name }) else {
            fail("unknown workload \"\(name)\"; known: \(all.map { $0.name }.joined(separator: ", "))")
        }
        let measured = try await measure(type, iterations: iterations, warmup: warmup)
        print("\(name) iterations=\(measured) warmup=\(warmup)")
    }

    static func measure<Workload: PerfWorkload>(_ type: Workload.Type, iterations: Int, warmup: Int) async throws -> Int {
        var workload = try Workload()
        for _ in 0..<warmup { try await workload.iterate() }
        CallgrindMarker.measurementStarts(iterations: iterations)
        for _ in 0..<iterations { try await workload.iterate() }
        return CallgrindMarker.measurementEnds()
    }

    static func usage() -> Never {
        fail("usage: paladin-perf-workloads <workload> [--iterations N] [--warmup N] | --list")
    }

    static func fail(_ message: String) -> Never {
        var line = message + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(2)
    }
}
