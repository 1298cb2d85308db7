import ArgumentParser
import Dispatch
import Foundation
import Logging
import PaladinCore
import PaladinServer
import PaladinWire

/// `paladin serve`: runs the server until SIGINT or SIGTERM, then drains gracefully.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Paladin server.",
        discussion: """
        Serves the protocol of docs/protocol.md on TCP. Without --config it runs the embedded
        defaults: 127.0.0.1:50051, the SQLite store .paladin/paladin.db, the local model of
        scripts/local-model as provider "local", and the code-review battalion (the same as
        examples/code-review.yaml). Flags override the file. On SIGINT or SIGTERM the server
        sends GOAWAY, finishes in-flight calls (up to server.timeouts.drain_grace_ms) and exits 0.
        """
    )

    @Option(help: "Address to bind (default 127.0.0.1).") var host: String?
    @Option(help: "Port to bind; 0 picks a free one (default 50051).") var port: Int?
    @Option(help: "YAML configuration file (see docs/configuration.md).") var config: String?
    @Option(help: "Event loop threads; 0 means one per core.") var threads: Int?
    @Option(help: "SQLite file for sessions and runs, or :memory: (overrides store.path).") var store: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String = "info"
    @Flag(help: "Allow a non-loopback address without TLS and principals (anyone who can reach it gets full access).")
    var insecure = false

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var settings: PaladinConfig
        do {
            settings = try config.map { try PaladinConfig.load(path: $0) } ?? PaladinConfig.embeddedDefaults()
        } catch let error as ConfigError {
            throw CLIError(error.description)
        }
        if let host { settings.server.host = host }
        if let port { settings.server.port = port }
        if let threads { settings.server.threads = threads }
        if let store { settings.store.sqlite.path = store }
        if let refusal = BindPolicy.refusal(host: settings.server.host, tls: settings.server.tls != nil,
                                            authenticated: settings.auth.isConfigured || !settings.server.authToken.isEmpty,
                                            insecure: insecure) {
            throw CLIError(refusal)
        }

        let assembly: ServerAssembly
        do {
            assembly = try await ServerAssembly.build(settings, file: config ?? "<embedded defaults>")
        } catch let error as ConfigError {
            throw CLIError(error.description)
        }
        defer { assembly.close() }
        for line in assembly.skippedDefinitions { print("warning: \(line)") }

        let maintenance = assembly.startMaintenance()
        defer { maintenance?.cancel() }
        let services = assembly.services
        let access: ServerAccess
        do { access = try await ServerAccess.make(settings.auth, sharedToken: settings.server.authToken) } catch {
            throw CLIError(error.description)
        }
        var router = services.makeRouter(configuration: settings.server)
        router.audit(to: .logging())  // one line per write: principal, tenant, method, target, outcome
        let server = PaladinServer(configuration: settings.server, router: router,
                                   health: services.health, access: access)
        let address: String
        do {
            let bound = try await server.start()
            address = "\(bound.ipAddress ?? settings.server.host):\(bound.port ?? settings.server.port)"
        } catch let error as TLSSetupError {
            await server.shutdownGracefully()
            throw CLIError("server.tls: \(error)")
        } catch {
            await server.shutdownGracefully()
            throw CLIError("cannot listen on \(settings.server.host):\(settings.server.port): \(error)")
        }
        let recovery = await services.runs.resumeInterrupted(catalog: services.catalog)
        if !recovery.resumed.isEmpty { print("resumed \(recovery.resumed.count) interrupted run(s): \(recovery.resumed.joined(separator: " "))") }
        for line in recovery.left { print("left interrupted: \(line); resume with `paladin battalion resume RUN_ID`") }
        // Approval deadlines, and decided runs waiting for a free run permit.
        let approvals = Task { await services.runs.superviseApprovalsForever(catalog: services.catalog) }
        defer { approvals.cancel() }
        print("paladin \(PaladinVersion.current) listening on \(address)")
        fflush(nil)  // scripts read the port from this line, often through a pipe
        // SIGHUP re-reads the TLS files: new connections get them, open ones keep theirs.
        let hangups = SignalWatcher(signals: [SIGHUP])
        let hangupEvents = hangups.events
        let reloading = Task {
            for await _ in hangupEvents {
                do {
                    try server.reloadTLS()
                    if server.usesTLS { print("reloaded TLS certificates") }
                } catch {
                    print("warning: TLS reload failed, keeping the previous certificates: \(error)")
                }
                fflush(nil)
            }
        }
        defer {
            reloading.cancel()
            withExtendedLifetime(hangups) {}
        }
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM])
        let received = await signals.next()
        print("received signal \(received); draining")
        fflush(nil)
        // Runs started with StartRun outlive calls, not the process: stopped first (their
        // watchers end), then marked interrupted once the calls have drained, before the
        // database closes; the next start resumes them per their battalion's on_interrupt.
        await services.runs.stopDetachedRuns()
        await server.shutdownGracefully()
        await services.runs.markStoppedRunsInterrupted()
    }
}

/// Turns signals (SIGINT, SIGTERM, SIGHUP) into awaitable events instead of their default action.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]
    private let stream: AsyncStream<Int32>

    /// Every signal received, in order.
    var events: AsyncStream<Int32> { stream }

    init(signals: [Int32]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        self.stream = stream
        self.sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    func next() async -> Int32 {
        for await number in stream { return number }
        return 0
    }
}

