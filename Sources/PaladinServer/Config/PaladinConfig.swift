import Foundation
import PaladinCore
import PaladinWire
import Yams

/// The server's configuration file (YAML). Every key is optional; docs/configuration.md lists
/// them with their defaults. Unknown keys are errors, so a typo never silently does nothing.
public struct PaladinConfig: Sendable {
    /// Address, limits and timeouts.
    public var server = ServerConfiguration()
    /// Bounds of the in-memory garrison.
    public var garrison = GarrisonLimits()
    /// Environment variable holding the auth token, if any (`server.auth_token_env`).
    public var authTokenEnvironmentVariable = ""
    /// Bounds on paladins and battalions (`catalog:`).
    public var catalog = CatalogLimits()
    /// Where garrison sessions and runs are kept (`store:`).
    public var store = StoreSettings()
    /// Model providers by name (`providers:`).
    public var providers: [String: ProviderSpec] = [:]
    /// Paladins defined at start-up (`paladins:`), in file order.
    public var paladins: [Paladin_V1_PaladinDefinition] = []
    /// Battalions defined at start-up (`battalions:`), in file order.
    public var battalions: [Paladin_V1_BattalionDefinition] = []
    /// Principals and JWT issuers (`auth:`).
    public var auth = AuthSettings()

    public init() {}

    /// Reads and checks a file.
    /// - Throws: `ConfigError` listing every problem with its path.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PaladinConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, problems: [.init(path: "", message: "cannot read the file: \(error.localizedDescription)")])
        }
        return try parse(text, file: path, environment: environment)
    }

    /// Parses YAML text; `file` only names it in errors.
    public static func parse(_ text: String, file: String = "<config>", environment: [String: String] = [:]) throws -> PaladinConfig {
        var config = PaladinConfig()
        var reader = ConfigReader()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(file: file, problems: [.init(path: "", message: "not valid YAML: \(error)")])
        }
        if let top = reader.mapping(root, at: "") {
            reader.rejectUnknownKeys(top, known: ["server", "garrison", "catalog", "store", "providers", "paladins",
                                                 "battalions", "auth"], at: "")
            if let server = reader.mapping(top["server"], at: "server") { config.readServer(server, &reader, environment) }
            if let auth = reader.mapping(top["auth"], at: "auth") { config.readAuth(auth, &reader, environment) }
            if let garrison = reader.mapping(top["garrison"], at: "garrison") { config.readGarrison(garrison, &reader) }
            if let catalog = reader.mapping(top["catalog"], at: "catalog") { config.readCatalog(catalog, &reader) }
            if let store = reader.mapping(top["store"], at: "store") { config.store = StoreSettings.read(store, &reader) }
            if let providers = reader.mapping(top["providers"], at: "providers") { config.providers = readProviders(providers, &reader, environment) }
            if let paladins = reader.mapping(top["paladins"], at: "paladins") { config.paladins = readPaladins(paladins, &reader) }
            if let battalions = reader.mapping(top["battalions"], at: "battalions") {
                config.battalions = readBattalions(battalions, &reader)
            }
            config.checkReferences(&reader)
        }
        if !reader.problems.isEmpty { throw ConfigError(file: file, problems: reader.problems) }
        return config
    }

    private mutating func readServer(_ m: Node.Mapping, _ r: inout ConfigReader, _ environment: [String: String]) {
        r.rejectUnknownKeys(m, known: ["host", "port", "threads", "auth_token_env", "limits", "timeouts", "tls"], at: "server")
        r.string(m, "host", at: "server", into: &server.host)
        r.integer(m, "port", at: "server", range: 0...65535, into: &server.port)
        r.integer(m, "threads", at: "server", range: 0...256, into: &server.threads)
        r.string(m, "auth_token_env", at: "server", into: &authTokenEnvironmentVariable)
        if !authTokenEnvironmentVariable.isEmpty {
            if let token = environment[authTokenEnvironmentVariable], !token.isEmpty {
                server.authToken = token
            } else {
                r.fail("server.auth_token_env", "environment variable \(authTokenEnvironmentVariable) is not set or empty")
            }
        }
        if let tls = r.mapping(m["tls"], at: "server.tls") { server.tls = Self.readTLS(tls, &r) }
        if let l = r.mapping(m["limits"], at: "server.limits") {
            let p = "server.limits"
            r.rejectUnknownKeys(l, known: Self.wireLimitKeys.union([
                "max_frame_size", "max_concurrent_streams", "max_metadata_size", "max_connections", "max_timeout_ms",
                "max_control_strikes", "control_strike_interval_ms", "max_inflight_runs", "max_inflight_executions",
                "max_page_size"]), at: p)
            r.integer(l, "max_frame_size", at: p, range: 16_384...(64 * 1024 * 1024), into: &server.limits.maxFrameSize)
            r.integer(l, "max_concurrent_streams", at: p, range: 1...100_000, into: &server.limits.maxConcurrentStreams)
            r.integer(l, "max_metadata_size", at: p, range: 0...(1024 * 1024), into: &server.limits.maxMetadataSize)
            r.integer(l, "max_connections", at: p, range: 1...1_000_000, into: &server.limits.maxConnections)
            readWireLimits(l, &r)
            var timeoutMs = server.limits.maxTimeoutMicroseconds / 1000
            r.integer(l, "max_timeout_ms", at: p, range: 1...(30 * 24 * 3_600_000), into: &timeoutMs)
            server.limits.maxTimeoutMicroseconds = timeoutMs * 1000
            r.integer(l, "max_control_strikes", at: p, range: 0...1_000_000, into: &server.limits.maxControlStrikes)
            r.integer(l, "control_strike_interval_ms", at: p, range: 1...3_600_000,
                      into: &server.limits.controlStrikeIntervalMilliseconds)
            Self.readInflightLimits(l, &r, into: &server.limits)
            readPaging(l, &r)
        }
        if let t = r.mapping(m["timeouts"], at: "server.timeouts") {
            let p = "server.timeouts"
            r.rejectUnknownKeys(t, known: ["handshake_ms", "partial_frame_ms", "idle_ms", "drain_grace_ms", "write_stall_ms"], at: p)
            r.integer(t, "handshake_ms", at: p, range: 1...3_600_000, into: &server.timeouts.handshakeMilliseconds)
            r.integer(t, "partial_frame_ms", at: p, range: 1...3_600_000, into: &server.timeouts.partialFrameMilliseconds)
            r.integer(t, "idle_ms", at: p, range: 1...86_400_000, into: &server.timeouts.idleMilliseconds)
            r.integer(t, "drain_grace_ms", at: p, range: 0...3_600_000, into: &server.timeouts.drainGraceMilliseconds)
            r.integer(t, "write_stall_ms", at: p, range: 1...3_600_000, into: &server.timeouts.writeStallMilliseconds)
        }
    }

    private mutating func readGarrison(_ m: Node.Mapping, _ r: inout ConfigReader) {
        let p = "garrison"
        r.rejectUnknownKeys(m, known: ["max_entries_per_session", "max_sessions", "max_total_bytes", "max_entries_per_append"], at: p)
        r.integer(m, "max_entries_per_session", at: p, range: 1...10_000_000, into: &garrison.maxEntriesPerSession)
        r.integer(m, "max_sessions", at: p, range: 1...100_000_000, into: &garrison.maxSessions)
        r.integer(m, "max_total_bytes", at: p, range: 1024...(1 << 40), into: &garrison.maxTotalBytes)
        r.integer(m, "max_entries_per_append", at: p, range: 1...100_000, into: &garrison.maxEntriesPerAppend)
    }
}
