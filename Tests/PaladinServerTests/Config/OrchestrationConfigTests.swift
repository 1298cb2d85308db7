import Foundation
import PaladinServer
import Testing

/// The providers, paladins, battalions and store sections, and the files shipped with the repo.
@Suite("Orchestration configuration")
struct OrchestrationConfigTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private func problems(_ yaml: String) -> [String] {
        do {
            _ = try PaladinConfig.parse(yaml)
            return []
        } catch let error as ConfigError {
            return error.problems.map { "\($0.path): \($0.message)" }
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func aCompleteFileReadsEverySection() throws {
        let config = try PaladinConfig.parse("""
        store: { path: ":memory:", session_ttl: 7d, cleanup_interval: 5m }
        providers:
          offline: { kind: scripted, default_reply: "ok", delay: 10ms, replies: { judge: ["a", "b"] } }
          cloud:
            kind: anthropic
            base_url: https://api.anthropic.com/v1
            model: claude-x
            api_key_env: ANTHROPIC_API_KEY
            retry: { max_attempts: 4, initial_backoff: 250ms, max_backoff: 8s }
            cache: { enabled: true, ttl: 1h }
        paladins:
          scout: { provider: offline, temperature: 0.5, max_tokens: 100, stop: ["END"], tools: [current_time],
                   garrison: { eviction: sliding_window, max_entries: 10 }, retry: { max_attempts: 3 } }
          judge: { provider: offline, concurrent_session: interrupt }
        battalions:
          duo: { phalanx: { members: [scout], aggregation: vote, judge: judge }, error_strategy: retry_then_continue }
          flow: { maneuver: "scout -> judge", timeout_ms: 1000, on_interrupt: mark }
        """)
        #expect(config.store.inMemory)
        #expect(config.store.sqlite.sessionTTL == .seconds(7 * 86_400))
        #expect(config.providers["offline"] == .scripted(.init(defaultReply: "ok", replies: ["judge": ["a", "b"]], delay: .milliseconds(10))))
        guard case .http(let cloud)? = config.providers["cloud"] else { Issue.record("cloud is not http"); return }
        #expect(cloud.kind == .anthropic && cloud.retry.maxAttempts == 4 && cloud.retry.initialBackoff == .milliseconds(250))
        #expect(cloud.cache.enabled && cloud.cache.ttl == .seconds(3600) && cloud.apiKeyEnv == "ANTHROPIC_API_KEY")
        #expect(config.paladins.map(\.name) == ["scout", "judge"])
        #expect(config.paladins[0].garrison?.eviction == .slidingWindow && config.paladins[0].maxTokens == 100)
        #expect(config.battalions.map(\.name) == ["duo", "flow"])
        #expect(config.battalions[0].errorStrategy == .retryThenContinue)
        #expect(config.paladins[0].concurrentSession == .unspecified && config.paladins[1].concurrentSession == .interrupt)
        #expect(config.battalions[0].onInterrupt == .unspecified && config.battalions[1].onInterrupt == .mark)
    }

    @Test func everyMistakeIsReportedWithItsPath() {
        let found = problems("""
        providers:
          offline: { kind: scripted, delai: 1s }
          remote: { kind: carrier-pigeon }
        paladins:
          a: { provider: nothere, temprature: 1 }
          b: { provider: offline, tools: [hammer], concurrent_session: later }
        battalions:
          x: { maneuver: "a -> (b, " }
          y: { formation: { members: [b, zed] } }
          z: { description: none, on_interrupt: retry }
          w: { formation: { members: [b] }, phalanx: { members: [b] } }
        """)
        let expected = [
            "providers.offline.delai: unknown key (did you mean delay?)",
            "providers.remote.kind:", "paladins.a.temprature: unknown key (did you mean temperature?)",
            "paladins.a.provider: \"nothere\" is not defined", "paladins.b.tools: \"hammer\" is not a known tool",
            "paladins.b.concurrent_session:", "battalions.z.on_interrupt:",
            "battalions.x.maneuver:", "battalions.y.formation: names paladins that are not defined: zed",
            "battalions.z: needs one pattern", "battalions.w: has more than one pattern",
        ]
        for prefix in expected {
            #expect(found.contains { $0.hasPrefix(prefix) }, "missing \(prefix) in \(found)")
        }
        #expect(found.first { $0.hasPrefix("battalions.x.maneuver") }?.contains("1:8") == true)
    }

    @Test(arguments: ["250ms", "30s", "10m", "2h", "7d"])
    func durationsHaveUnits(_ text: String) throws {
        let config = try PaladinConfig.parse("store: { session_ttl: \(text) }")
        #expect(config.store.sqlite.sessionTTL != nil)
    }

    @Test(arguments: ["10", "ten seconds", "-1s", "5 s"])
    func durationsWithoutAUnitAreRefused(_ text: String) {
        #expect(problems("store: { session_ttl: \"\(text)\" }").first?.hasPrefix("store.session_ttl") == true)
    }

    @Test func theEmbeddedDefaultsAreTheCodeReviewExample() throws {
        let file = try String(contentsOf: Self.repository.appending(path: "examples/code-review.yaml"), encoding: .utf8)
        #expect(file == PaladinConfig.embeddedDefaultsYAML)
        let defaults = try PaladinConfig.embeddedDefaults()
        #expect(defaults.battalions.map(\.name) == ["code-review"])
        #expect(defaults.store.sqlite.path == ".paladin/paladin.db")
    }

    @Test func everyExampleChecksClean() throws {
        let examples = try FileManager.default.contentsOfDirectory(atPath: Self.repository.appending(path: "examples").path)
            .filter { $0.hasSuffix(".yaml") }
        #expect(examples.count >= 4)
        for name in examples {
            let config = try PaladinConfig.load(path: Self.repository.appending(path: "examples/\(name)").path)
            #expect(!config.battalions.isEmpty, "\(name) defines no battalion")
        }
    }

    @Test func theAssemblyLoadsAFileIntoTheCatalogAndRefusesAMissingKey() async throws {
        let config = try PaladinConfig.parse("""
        store: { path: ":memory:" }
        providers: { offline: { kind: scripted } }
        paladins: { a: {}, b: {} }
        battalions: { pair: { formation: { members: [a, b] } } }
        """)
        let assembly = try await ServerAssembly.build(config)
        #expect(assembly.services.catalog.providers.names == ["offline"])
        let keyed = try PaladinConfig.parse("""
        providers: { cloud: { kind: openai, base_url: "https://api.openai.com/v1", api_key_env: PALADIN_TEST_NO_SUCH_KEY } }
        """)
        #expect(throws: ConfigError.self) { try ServerAssembly.checkEnvironment(keyed, file: "f", environment: [:]) }
        await #expect(throws: ConfigError.self) { _ = try await ServerAssembly.build(keyed, environment: [:]) }
    }
}
