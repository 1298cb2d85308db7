import PaladinServer
import Testing

/// `server.limits.max_inflight_runs`, `max_inflight_executions` and `store.max_queued_jobs`.
@Suite("Shedding configuration")
struct SheddingConfigTests {
    @Test func defaultsAndValuesAreRead() throws {
        let defaults = try PaladinConfig.parse("")
        #expect(defaults.server.limits.maxInflightRuns == 256)
        #expect(defaults.server.limits.maxInflightExecutions == 1024)
        #expect(defaults.store.sqlite.maxQueuedJobs == 4096)
        let config = try PaladinConfig.parse("""
            server: { limits: { max_inflight_runs: 3, max_inflight_executions: 7 } }
            store: { max_queued_jobs: 100 }
            """)
        #expect(config.server.limits.maxInflightRuns == 3)
        #expect(config.server.limits.maxInflightExecutions == 7)
        #expect(config.store.sqlite.maxQueuedJobs == 100)
    }

    @Test func outOfRangeValuesAreErrorsNamingTheKey() {
        do {
            _ = try PaladinConfig.parse("""
                server: { limits: { max_inflight_runs: 0, max_inflight_executions: 2000000 } }
                store: { max_queued_jobs: 1 }
                """)
            Issue.record("accepted out-of-range limits")
        } catch let error as ConfigError {
            let paths = error.problems.map(\.path)
            #expect(paths.contains("server.limits.max_inflight_runs"))
            #expect(paths.contains("server.limits.max_inflight_executions"))
            #expect(paths.contains("store.max_queued_jobs"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
