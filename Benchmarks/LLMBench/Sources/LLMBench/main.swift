import Foundation
import PaladinCore
import PaladinLLM
import Synchronization

// paladin-llm-bench [--concurrency 256] [--rounds 10] [--chunks 32] [--pause-ms 5] [--port P] [raw]
//   Spawns itself as the fake server (`serve`), then per round runs `concurrency` streaming
//   completions at once through the real OpenAIProvider and the shared curl-multi engine, and
//   prints threads (max seen while running), CPU µs per request, RSS and peak RSS.
//   `--mode raw` runs the same transfers through CurlEngine alone (no SSE or JSON), to show
//   what the provider adds on top of the bytes.

func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let at = args.firstIndex(of: name), at + 1 < args.count, let value = Int(args[at + 1]) else { return fallback }
    return value
}
/// Writes a line to stdout unbuffered (the parent reads the server's port line from a pipe).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let chunks = option("--chunks", 32)
let pause = Duration.milliseconds(option("--pause-ms", 5))

if CommandLine.arguments.dropFirst().first == "serve" {
    // Exit when the parent goes away (its end of our stdin closes).
    Thread.detachNewThread {
        while FileHandle.standardInput.availableData.count > 0 {}
        exit(0)
    }
    try await FakeServer.run(chunks: chunks, pause: pause)
    exit(0)
}

let concurrency = option("--concurrency", 256)
let rounds = option("--rounds", 10)
let raw = CommandLine.arguments.contains("raw")

/// The fake server's port: `--port` for one already running (e.g. when the client runs under
/// valgrind), else a child process started here.
func serverPort() throws -> Int {
    let given = option("--port", 0)
    if given > 0 { return given }
    let server = Process()
    server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    server.arguments = ["serve", "--chunks", String(chunks), "--pause-ms", String(option("--pause-ms", 5))]
    let pipe = Pipe()
    server.standardOutput = pipe
    server.standardInput = Pipe()
    try server.run()
    guard let line = String(data: pipe.fileHandleForReading.availableData, encoding: .utf8),
          let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("port ".count)) else {
        fatalError("the fake server did not report its port")
    }
    return port
}
let port = try serverPort()

let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:\(port)/v1", model: "bench",
                                timeouts: HTTPTimeouts(connect: .seconds(10), total: .seconds(120), idle: .seconds(30)))
let provider = OpenAIProvider(endpoint)
let request = CompletionRequest(model: "bench", messages: [.system("You are a benchmark."), .user("Stream some tokens.")], temperature: 0)
let rawRequest = HTTPRequest(url: endpoint.baseURL + "/chat/completions", headers: [("Content-Type", "application/json")],
                             body: Array(#"{"model":"bench","stream":true}"#.utf8), timeouts: endpoint.timeouts)

/// One completion; returns the number of text chunks it saw.
@Sendable func one() async throws -> Int {
    var count = 0
    if raw {
        for try await event in CurlEngine.shared.start(rawRequest) { if case .body = event { count += 1 } }
        return count
    }
    for try await chunk in provider.stream(request) {
        switch chunk {
        case .text: count += 1
        case .done(let completion): precondition(completion.usage?.completionTokens == chunks, "usage missing")
        }
    }
    return count
}

say("mode \(raw ? "raw engine" : "OpenAIProvider.stream"), \(concurrency) concurrent x \(rounds) rounds, \(chunks) chunks \(pause) apart")
say("round  ok    wall_ms  threads(before/max/after)  cpu_us/req  rss_MiB  peak_MiB")
let peakThreads = Mutex(0)
for round in 1...rounds {
    let before = ProcessStats.now()
    let start = ContinuousClock.now
    let sampler = Task.detached {
        while !Task.isCancelled {
            let threads = ProcessStats.now().threads
            peakThreads.withLock { $0 = max($0, threads) }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
    peakThreads.withLock { $0 = before.threads }
    let ok = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<concurrency { group.addTask { try await one() } }
        var ok = 0
        for try await count in group where count > 0 { ok += 1 }
        return ok
    }
    sampler.cancel()
    let wall = ContinuousClock.now - start
    let after = ProcessStats.now()
    let cpuPerRequest = Double(after.cpuMicros - before.cpuMicros) / Double(concurrency)
    say(String(format: "%5d  %4d  %8.1f  %8d/%d/%d  %13.1f  %7.1f  %8.1f", round, ok,
                 Double(wall.components.attoseconds) / 1e15 + Double(wall.components.seconds) * 1000,
                 before.threads, peakThreads.withLock { $0 }, after.threads, cpuPerRequest,
                 Double(after.rssKiB) / 1024, Double(after.peakRSSKiB) / 1024))
    if ok != concurrency { say("FAILED: \(concurrency - ok) completions did not finish"); exit(1) }
}
say("active transfers after the run: \(CurlEngine.shared.activeTransfers)")
