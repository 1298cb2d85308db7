import PaladinServer
import Testing

/// The YAML configuration: defaults, overrides, and every mistake reported with its path.
@Suite("Configuration file")
struct PaladinConfigTests {
    @Test func emptyFileGivesTheDefaults() throws {
        let config = try PaladinConfig.parse("")
        #expect(config.server == ServerConfiguration())
        #expect(config.server.port == 50051)
        #expect(config.server.limits.maxFrameSize == 4 * 1024 * 1024)
    }

    @Test func everyKeyIsRead() throws {
        let config = try PaladinConfig.parse("""
        server:
          host: 0.0.0.0
          port: 6000
          threads: 2
          auth_token_env: MY_TOKEN
          limits:
            max_frame_size: 65536
            max_concurrent_streams: 10
            max_metadata_size: 1024
            max_connections: 5
            max_timeout_ms: 60000
            max_control_strikes: 3
            control_strike_interval_ms: 250
          timeouts:
            handshake_ms: 1000
            partial_frame_ms: 2000
            idle_ms: 3000
            drain_grace_ms: 4000
            write_stall_ms: 7000
        garrison:
          max_entries_per_session: 50
          max_sessions: 7
          max_total_bytes: 4096
          max_entries_per_append: 9
        """, environment: ["MY_TOKEN": "s3cret"])
        #expect(config.server.host == "0.0.0.0")
        #expect(config.server.port == 6000)
        #expect(config.server.threads == 2)
        #expect(config.server.authToken == "s3cret")
        #expect(config.server.limits.maxFrameSize == 65536)
        #expect(config.server.limits.maxConcurrentStreams == 10)
        #expect(config.server.limits.maxMetadataSize == 1024)
        #expect(config.server.limits.maxConnections == 5)
        #expect(config.server.limits.maxTimeoutMicroseconds == 60_000_000)
        #expect(config.server.limits.maxControlStrikes == 3)
        #expect(config.server.limits.controlStrikeIntervalMilliseconds == 250)
        #expect(config.server.timeouts.handshakeMilliseconds == 1000)
        #expect(config.server.timeouts.partialFrameMilliseconds == 2000)
        #expect(config.server.timeouts.idleMilliseconds == 3000)
        #expect(config.server.timeouts.drainGraceMilliseconds == 4000)
        #expect(config.server.timeouts.writeStallMilliseconds == 7000)
        #expect(config.garrison.maxEntriesPerSession == 50)
        #expect(config.garrison.maxSessions == 7)
        #expect(config.garrison.maxTotalBytes == 4096)
        #expect(config.garrison.maxEntriesPerAppend == 9)
    }

    @Test func everyMistakeIsReportedWithItsPath() throws {
        let error = #expect(throws: ConfigError.self) {
            try PaladinConfig.parse("""
            server:
              prot: 6000
              port: seventy
              limits:
                max_frame_size: 10
              auth_token_env: UNSET_VARIABLE
            garison: {}
            """, file: "bad.yaml")
        }
        let problems = error?.problems.map { "\($0.path): \($0.message)" } ?? []
        #expect(problems.contains("server.prot: unknown key (did you mean port?)"))
        #expect(problems.contains("server.port: expected a whole number from 0 to 65535"))
        #expect(problems.contains("server.limits.max_frame_size: 10 is out of range 16384...67108864"))
        #expect(problems.contains("server.auth_token_env: environment variable UNSET_VARIABLE is not set or empty"))
        #expect(problems.contains { $0.hasPrefix("garison: unknown key") })
        #expect(error?.description.hasPrefix("bad.yaml: 5 problems") == true)
    }

    @Test func notYAMLOrNotAMappingIsAnError() throws {
        #expect(throws: ConfigError.self) { try PaladinConfig.parse("server: [unclosed") }
        let error = #expect(throws: ConfigError.self) { try PaladinConfig.parse("- a list") }
        #expect(error?.problems.first?.message == "expected a mapping of keys to values")
    }

    @Test func missingFileIsAnError() throws {
        let error = #expect(throws: ConfigError.self) { try PaladinConfig.load(path: "/nonexistent/paladin.yaml") }
        #expect(error?.problems.first?.message.hasPrefix("cannot read the file") == true)
    }
}
