#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `paladin-rpc-bench`: loopback load for `paladin serve` (Health/Check), one result line per run.
///
///     paladin-rpc-bench latency        --port P [--n 20000] [--warmup 2000] [--client-executor global|loop] [--call health|execute|formation|phalanx|start-run|replay100] [--tls-ca CA.pem]
///     paladin-rpc-bench throughput     --port P [--connections 1] [--inflight 64] [--duration 5] [--warmup 1] [--client-executor global|loop] [--threads T]
///     paladin-rpc-bench raw-latency    --port P [--n 20000] [--warmup 2000] [--request golden|minimal]
///     paladin-rpc-bench raw-throughput --port P [--connections 1] [--inflight 64] [--duration 5] [--warmup 1] [--threads 1] [--request golden|minimal]
///
/// Every mode connects to 127.0.0.1 only and exits by itself after `--max-seconds` (default 300).
@main
struct RPCBench {
    static let usage = """
    usage: paladin-rpc-bench MODE --port P [options]
      latency         strict ping-pong Health/Check with PaladinClient   (--n 20000 --warmup 2000)
      throughput      C connections x K caller tasks with PaladinClient   (--connections 1 --inflight 64 --duration 5 --warmup 1)
      raw-latency     ping-pong with pre-encoded frames on a NIO handler (--n --warmup --request golden|minimal)
      raw-throughput  K pipelined requests per connection, NIO handler   (--connections --inflight --duration --warmup --threads 1)
    latency/throughput: --call health|execute|formation|phalanx|start-run|replay100 (all but health need the server on
    Benchmarks/configs/scripted.yaml)
    common: --max-seconds 300; latency/throughput: --client-executor global|loop (loop = caller tasks pinned to
    the connection's event loop, no thread hop); throughput: --threads T client event loops (loop mode, default 1)
    bounds: n <= 10^7, connections <= 1024, inflight <= 4096, duration <= 120 s; host is always 127.0.0.1
    """

    static func main() async {
        var args = Array(CommandLine.arguments.dropFirst())
        guard let mode = args.first else { fail(BenchError(description: "missing mode", usage: true)) }
        args.removeFirst()
        if mode == "help" || mode == "--help" || mode == "-h" {
            print(usage)
            return
        }
        do {
            let throughputMode = mode == "throughput" || mode == "raw-throughput"
            var options = try Options(args, throughputMode: throughputMode)
            if throughputMode && !args.contains("--inflight") { options.inflight = 64 }
            armWatchdog(seconds: options.maxSeconds)
            let line: String
            switch mode {
            case "latency": line = try await ClientBench.latency(options)
            case "throughput": line = try await ClientBench.throughput(options)
            case "raw-latency": line = try await RawBench.latency(options)
            case "raw-throughput": line = try await RawBench.throughput(options)
            default: throw BenchError(description: "unknown mode \(mode)", usage: true)
            }
            print(line)
            fflush(nil)
        } catch let error as BenchError {
            fail(error)
        } catch {
            fail(BenchError(description: "\(error)"))
        }
    }

    static func fail(_ error: BenchError) -> Never {
        var message = "paladin-rpc-bench: \(error.description)\n"
        if error.usage { message += usage + "\n" }
        fflush(nil)
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(error.usage ? 2 : 1)
    }
}
