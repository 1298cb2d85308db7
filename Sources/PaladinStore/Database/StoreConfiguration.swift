/// Where and how the SQLite store keeps its data (YAML `store.path`, `store.session_ttl`,
/// `store.cleanup_interval`, `store.run_retention`, `store.max_runs`).
public struct StoreConfiguration: Sendable, Hashable {
    /// The database file. Relative paths are taken from the working directory; its directory
    /// is created on first run. Default `./paladin.db` (with `-wal` and `-shm` beside it).
    public var path: String
    /// Sessions idle (no append, clear or policy change) for longer are deleted by the periodic
    /// clean-up. Default 30 days; nil keeps sessions forever.
    public var sessionTTL: Duration?
    /// How often the clean-up runs. Default 10 minutes.
    public var cleanupInterval: Duration
    /// Finished battalion runs older than this (by when they ended) are deleted by the
    /// clean-up. Default 30 days; nil keeps them forever.
    public var runRetention: Duration?
    /// Runs kept: beyond this many, the clean-up deletes the oldest finished ones (runs in
    /// progress are never deleted). Default 100,000; nil means no count limit.
    public var maxRuns: Int?
    /// Reader connections (and threads) beside the one writer. Default 4.
    public var readers: Int
    /// How long a connection waits for a lock held by another process before failing with
    /// `SQLITE_BUSY`. Default 5 s.
    public var busyTimeout: Duration
    /// Jobs that may wait for the writer, and for the readers, at once (`store.max_queued_jobs`);
    /// more fail at once with `StoreError.busy` rather than queue. Default 4096.
    public var maxQueuedJobs: Int = Self.defaultMaxQueuedJobs

    /// The default of `maxQueuedJobs`.
    public static let defaultMaxQueuedJobs = 4096

    public init(path: String = "./paladin.db", sessionTTL: Duration? = .seconds(30 * 24 * 3600),
                cleanupInterval: Duration = .seconds(600), readers: Int = 4, busyTimeout: Duration = .seconds(5),
                runRetention: Duration? = .seconds(30 * 24 * 3600), maxRuns: Int? = 100_000) {
        self.path = path
        self.sessionTTL = sessionTTL
        self.cleanupInterval = cleanupInterval
        self.readers = readers
        self.busyTimeout = busyTimeout
        self.runRetention = runRetention
        self.maxRuns = maxRuns
    }
}
