import PaladinClient
import PaladinCore
import PaladinServer
import PaladinWire
import Testing

/// `battalion run --detach` and `runs watch`, through the real binary against a loopback server.
@Suite("CLI detached runs", .timeLimit(.minutes(1)))
struct CLIDetachTests {
    @Test(.enabled(if: CLITests.available)) func aDetachedRunIsStartedThenWatched() async throws {
        let provider = GatedProvider()
        let services = PaladinServices(providers: ProviderRegistry(["offline": provider]))
        try await withTestServer(services: services) { server in
            let connection = try await server.connect()
            try await createPaladins(["a", "b"], on: connection)
            try await createBattalion("pair", formation(["a", "b"]), on: connection)
            await connection.close()

            let started = try await CLITests.run(["battalion", "run", "--detach", "pair", "go"], port: server.port)
            #expect(started.status == 0, "\(started.stderr)")
            let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id.hasPrefix("run-") && !id.contains("\n"), "\(started.stdout)")
            #expect(started.stderr.contains("paladin runs watch \(id)"))

            // The command has exited and the run still waits on a: the watcher sees it end.
            async let watched = CLITests.run(["runs", "watch", id], port: server.port)
            try await Task.sleep(for: .milliseconds(50))
            provider.open("a")
            provider.open("b")
            let watch = try await watched
            #expect(watch.status == 0, "\(watch.stderr)")
            let lines = watch.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "run \(id) started: battalion pair, pattern formation", "\(watch.stdout)")
            #expect(lines.contains { $0.hasPrefix("a succeeded") } && lines.contains { $0.hasPrefix("b succeeded") })
            #expect(lines.last == "b done")

            let again = try await CLITests.run(["runs", "watch", "--format", "json", id], port: server.port)
            #expect(again.status == 0 && again.stdout.contains("\"final_output\""), "\(again.stdout)\(again.stderr)")
            let unknown = try await CLITests.run(["runs", "watch", "run-nobody"], port: server.port)
            #expect(unknown.status != 0 && unknown.stderr.contains("NOT_FOUND"), "\(unknown.stderr)")
            let bad = try await CLITests.run(["battalion", "run", "--detach", "--quiet", "pair", "go"], port: server.port)
            #expect(bad.status != 0 && bad.stderr.contains("--detach prints only the run id"), "\(bad.stderr)")
        }
    }

    @Test(.enabled(if: CLITests.available)) func aPausedRunIsApprovedFromTheCommandLine() async throws {
        let store: any RunStore = InMemoryRunStore()
        try await withTestServer(services: scriptedServices(ApprovalTests.provider(), runStore: store)) { server in
            let connection = try await server.connect()
            try await ApprovalTests.define(ApprovalTests.rule(reason: "check {member}"), on: connection)
            await connection.close()

            let run = try await CLITests.run(["battalion", "run", "gated", "go"], port: server.port)
            #expect(run.status != 0, "\(run.stdout)")
            let id = try #require(run.stdout.split(separator: "\n").first?.split(separator: " ")[1].description)
            #expect(run.stdout.contains("step b#1 waits for approval: check b"), "\(run.stdout)")
            #expect(run.stderr.contains("paladin runs approve \(id) b#1") && run.stderr.contains("waits for approval"), "\(run.stderr)")
            let shown = try await CLITests.run(["runs", "show", id], port: server.port)
            #expect(shown.stdout.contains("approval b#1: pending — check b"), "\(shown.stdout)")

            let approved = try await CLITests.run(["runs", "approve", "--comment", "ok", "--input", "edited", id, "b#1"], port: server.port)
            #expect(approved.status == 0 && approved.stdout.contains("approved b#1; run \(id) resumed"), "\(approved.stdout)\(approved.stderr)")
            let watched = try await CLITests.run(["runs", "watch", "--quiet", id], port: server.port)
            #expect(watched.status == 0 && watched.stdout.hasSuffix("c got: b got: edited\n"), "\(watched.stdout)\(watched.stderr)")
            let again = try await CLITests.run(["runs", "reject", id, "b#1"], port: server.port)
            #expect(again.status != 0 && again.stderr.contains("FAILED_PRECONDITION"), "\(again.stderr)")
        }
    }
}
