import PaladinServer
import Testing

/// `catalog:` and the run retention keys of `store:` (issue 17 state caps).
@Suite("Configuration: state caps")
struct CapsConfigTests {
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

    @Test func defaults() throws {
        let config = try PaladinConfig.parse("")
        #expect(config.catalog == CatalogLimits())
        #expect(config.catalog.maxPaladins == 10_000 && config.catalog.maxMembers == 256)
        #expect(config.catalog.maxSystemPromptBytes == 65_536)
        #expect(config.store.sqlite.runRetention == .seconds(30 * 86_400))
        #expect(config.store.sqlite.maxRuns == 100_000)
        #expect(config.store.memoryMaxRuns == 10_000)
    }

    @Test func everyCatalogKeyIsRead() throws {
        let config = try PaladinConfig.parse("""
        catalog:
          max_paladins: 1
          max_battalions: 2
          max_system_prompt_bytes: 3
          max_description_bytes: 4
          max_model_bytes: 5
          max_stop_words: 6
          max_tools: 7
          max_members: 8
          max_edges: 9
          max_routes: 10
          max_labels: 11
          max_label_key_bytes: 12
          max_label_value_bytes: 13
        store: { run_retention: 7d, max_runs: 500 }
        """)
        var expected = CatalogLimits()
        expected.maxPaladins = 1
        expected.maxBattalions = 2
        expected.maxSystemPromptBytes = 3
        expected.maxDescriptionBytes = 4
        expected.maxModelBytes = 5
        expected.maxStopWords = 6
        expected.maxTools = 7
        expected.maxMembers = 8
        expected.maxEdges = 9
        expected.maxRoutes = 10
        expected.maxLabels = 11
        expected.maxLabelKeyBytes = 12
        expected.maxLabelValueBytes = 13
        #expect(config.catalog == expected)
        #expect(config.store.sqlite.runRetention == .seconds(7 * 86_400))
        #expect(config.store.sqlite.maxRuns == 500 && config.store.memoryMaxRuns == 500)
    }

    @Test func offKeepsRunsForever() throws {
        let config = try PaladinConfig.parse("store: { run_retention: off, max_runs: off }")
        #expect(config.store.sqlite.runRetention == nil && config.store.sqlite.maxRuns == nil)
    }

    @Test func outOfRangeValuesAreProblems() {
        let found = problems("""
        catalog: { max_paladins: 0, max_members: 1000000, max_edgez: 3 }
        store: { run_retention: forever, max_runs: -1 }
        """)
        #expect(found.contains("catalog.max_paladins: 0 is out of range 1...10000000"))
        #expect(found.contains("catalog.max_members: 1000000 is out of range 1...100000"))
        #expect(found.contains { $0.hasPrefix("catalog.max_edgez: unknown key") })
        #expect(found.contains("store.run_retention: expected a duration such as 250ms, 30s, 10m, 2h or 7d, or off"))
        #expect(found.contains("store.max_runs: -1 is out of range 1...100000000"))
    }

    @Test func definitionsInTheFileAreCheckedAgainstTheCatalogLimits() {
        let found = problems("""
        catalog: { max_paladins: 1, max_members: 2, max_system_prompt_bytes: 4 }
        providers: { offline: { kind: scripted } }
        paladins:
          a: { system_prompt: "too long" }
          b: {}
        battalions:
          trio: { formation: { members: [a, b, a] } }
        """)
        #expect(found.contains("paladins: defines 2 paladins; at most 1 are allowed (catalog.max_paladins)"))
        #expect(found.contains("paladins.a.system_prompt: is 8 bytes; at most 4 are allowed (catalog.max_system_prompt_bytes)"))
        #expect(found.contains("battalions.trio.formation.members: has 3 members; at most 2 are allowed (catalog.max_members)"))
    }
}
