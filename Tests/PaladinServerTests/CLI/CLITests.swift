import Foundation
import PaladinClient
import PaladinCore
import PaladinServer
import PaladinWire
import Testing

/// The `paladin` command against a real server, as a user runs it through a pipe.
@Suite("paladin CLI")
struct CLITests {
    /// The built `paladin` next to the test binary (`swift build --build-tests` builds both).
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "paladin")
    static let available = FileManager.default.isExecutableFile(atPath: binary.path)

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the command on a thread of its own: waiting for a child process must not block
    /// the cooperative pool, which the in-process server's runs need to make progress.
    static func run(_ arguments: [String], port: Int? = nil, stdin: String? = nil) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try runBlocking(arguments, port: port, stdin: stdin) })
            }.start()
        }
    }

    static func runBlocking(_ arguments: [String], port: Int?, stdin: String?) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let port { environment["PALADIN_ADDRESS"] = "127.0.0.1:\(port)" }
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test(.enabled(if: available)) func battalionRunThroughAPipePrintsPlainProgressThenTheResult() async throws {
        let provider = ScriptedProvider()
        provider.fallback("synthesis", .text("three notes, one review"))
        try await withTestServer(services: scriptedServices(provider)) { server in
            let connection = try await server.connect()
            try await createPaladins(["intake", "security", "style", "synthesis"], on: connection)
            try await createBattalion("review", maneuver("intake -> (security, style) -> synthesis"), on: connection)
            await connection.close()
            let port = server.port
            let result = try await Self.run(["battalion", "run", "review", "-"], port: port, stdin: "diff --git")
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("run run-") == true)
            for member in ["intake", "security", "style", "synthesis"] {
                #expect(lines.contains("\(member) started"))
                #expect(lines.contains { $0.hasPrefix("\(member) succeeded in ") && $0.hasSuffix(" tokens") })
            }
            #expect(lines.last == "three notes, one review")
            #expect(!result.stdout.contains("\u{1B}["), "no terminal escapes through a pipe")
            // Recorded and listed.
            let runs = try await Self.run(["runs", "list"], port: port)
            #expect(runs.stdout.contains("review") && runs.stdout.contains("completed"))
        }
    }

    @Test(.enabled(if: available)) func listsAndShowsNameVersionsAndSources() async throws {
        let config = try PaladinConfig.parse("""
            store: { path: ":memory:" }
            providers: { offline: { kind: scripted } }
            paladins: { filed: { provider: offline } }
            """)
        let assembly = try await ServerAssembly.build(config)
        defer { assembly.close() }
        try await withTestServer(services: assembly.services) { server in
            let connection = try await server.connect()
            try await createPaladins(["wired"], on: connection)
            var update = Paladin_V1_UpdatePaladinRequest()
            update.definition = paladinDefinition("wired", systemPrompt: "second")
            _ = try await Paladin_V1_PaladinServiceClient(connection).updatePaladin(update)
            try await createBattalion("pair", formation(["filed", "wired"]), on: connection)
            await connection.close()
            let port = server.port
            let list = try await Self.run(["paladins", "list"], port: port)
            #expect(list.status == 0, "\(list.stderr)")
            let rows = list.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            #expect(rows.first?.prefix(3) == ["NAME", "VERSION", "SOURCE"])
            #expect(rows.contains { $0.prefix(3) == ["filed", "1", "file"] } && rows.contains { $0.prefix(3) == ["wired", "2", "api"] })
            let show = try await Self.run(["paladins", "show", "wired"], port: port)
            #expect(show.stdout.contains("wired  (version 2, created over the wire)"), "\(show.stdout)")
            let battalions = try await Self.run(["battalion", "list"], port: port)
            #expect(battalions.stdout.split(separator: "\n").contains { $0.split(separator: " ").prefix(3) == ["pair", "1", "api"] },
                    "\(battalions.stdout)")
            let battalion = try await Self.run(["battalion", "show", "pair"], port: port)
            #expect(battalion.stdout.hasPrefix("version 1, created over the wire\n"), "\(battalion.stdout)")
            let run = try await Self.run(["battalion", "run", "pair", "go"], port: port)
            // "run run-… started: battalion pair, pattern formation"
            let id = try #require(run.stdout.split(separator: "\n").first?.split(separator: " ")[1].description)
            let shown = try await Self.run(["runs", "show", id], port: port)
            #expect(shown.stdout.hasSuffix("definitions: pair v1; members filed v1, wired v2\n"), "\(shown.stdout)\(shown.stderr)")
        }
    }

    @Test(.enabled(if: available)) func runStreamsTokensAndFormatsRender() async throws {
        let provider = ScriptedProvider()
        provider.fallback("poet", .text("a short poem about locks"))
        try await withTestServer(services: scriptedServices(provider)) { server in
            let connection = try await server.connect()
            try await createPaladins(["poet"], on: connection)
            await connection.close()
            let port = server.port
            let streamed = try await Self.run(["run", "poet", "write"], port: port)
            #expect(streamed.status == 0)
            #expect(streamed.stdout == "a short poem about locks\n")
            #expect(streamed.stderr.contains("1 turn"))
            let json = try await Self.run(["run", "poet", "write", "--format", "json"], port: port)
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(object?["output"] as? String == "a short poem about locks")
            let missing = try await Self.run(["run", "nobody", "x"], port: port)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("NOT_FOUND"))
        }
    }

    @Test(.enabled(if: available)) func configCheckReportsEveryProblemAndExitsOne() async throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "paladin-bad-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        providers: { offline: { kind: scripted } }
        paladins: { a: { temperature: 9 } }
        battalions: { b: { maneuver: "a -> (" } }
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try await Self.run(["config", "check", file.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("paladins.a.temperature"))
        #expect(result.stdout.contains("battalions.b.maneuver"))
        let defaults = try await Self.run(["config", "defaults"])
        #expect(defaults.stdout == PaladinConfig.embeddedDefaultsYAML)
    }
}
