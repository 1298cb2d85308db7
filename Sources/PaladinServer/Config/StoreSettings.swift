import PaladinStore
import Yams

/// Where the server keeps garrison sessions and battalion runs (`store:`).
public struct StoreSettings: Sendable, Hashable {
    /// `path`: the SQLite file; `:memory:` keeps everything in process memory (lost on exit).
    public var sqlite = StoreConfiguration(path: ".paladin/paladin.db")
    /// Whether the file set `store.max_runs` (the in-memory run store keeps its own default
    /// otherwise; see `memoryMaxRuns`).
    var maxRunsGiven = false
    /// Whether the path is `:memory:`.
    public var inMemory: Bool { sqlite.path == ":memory:" }

    public init() {}

    static func read(_ m: Node.Mapping, _ r: inout ConfigReader) -> StoreSettings {
        var settings = StoreSettings()
        r.rejectUnknownKeys(m, known: ["path", "session_ttl", "cleanup_interval", "readers", "busy_timeout", "max_queued_jobs",
                                       "run_retention", "max_runs"], at: "store")
        r.string(m, "path", at: "store", into: &settings.sqlite.path)
        if settings.sqlite.path.isEmpty { r.fail("store.path", "must not be empty (use :memory: for no file)") }
        r.duration(m, "session_ttl", at: "store", allowOff: true, into: &settings.sqlite.sessionTTL)
        r.duration(m, "cleanup_interval", at: "store", into: &settings.sqlite.cleanupInterval)
        r.integer(m, "readers", at: "store", range: 1...64, into: &settings.sqlite.readers)
        r.duration(m, "busy_timeout", at: "store", into: &settings.sqlite.busyTimeout)
        r.integer(m, "max_queued_jobs", at: "store", range: 16...1_000_000, into: &settings.sqlite.maxQueuedJobs)
        settings.readRetention(m, &r)
        return settings
    }
}
