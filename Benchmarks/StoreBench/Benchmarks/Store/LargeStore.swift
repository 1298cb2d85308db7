import Foundation
import PaladinCore
import PaladinStore

/// The 1,000,000-entry store (10,000 sessions of 100 entries, plus one session of 20,000 for
/// the FTS5 path), built once into `.build/store-1m.db` and reused by later runs.
enum LargeStore {
    static let sessions = 10_000
    static let perSession = 100
    static let bigSession = "big"
    static let bigEntries = 20_000
    static let path = ProcessInfo.processInfo.environment["STORE_BENCH_DB"] ?? ".build/store-1m.db"

    /// Words the contents are drawn from (a few hundred, so searches have hits).
    static let words: [String] = {
        let stems = ["paladin", "garrison", "battalion", "formation", "phalanx", "herald", "council", "grove",
                     "campaign", "maneuver", "conclave", "commander", "session", "memory", "token", "model",
                     "answer", "question", "summary", "research", "report", "draft", "review", "plan"]
        return stems.flatMap { stem in ["", "s", "ed", "ing", "er", "al", "ly", "ness", "ful", "ish"].map { stem + $0 } }
    }()

    /// A sentence of 8 to 20 words, deterministic in `seed`.
    static func content(_ seed: Int) -> String {
        var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        var parts: [String] = []
        let count = 8 + Int(state % 13)
        for _ in 0..<count {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            parts.append(words[Int(state % UInt64(words.count))])
        }
        return parts.joined(separator: " ")
    }

    /// Reads every session's history once, so timings are of a warm process (a server that has
    /// been running), not of first page faults.
    static func warm(_ store: SQLiteGarrisonStore) async throws {
        for session in 0..<sessions { _ = try await store.history(sessionID: "session-\(session)", limit: 0) }
        _ = try await store.history(sessionID: bigSession, limit: 0)
    }

    /// Opens the store, building it first when missing or incomplete.
    static func open() async throws -> (SQLiteDatabase, SQLiteGarrisonStore) {
        let configuration = StoreConfiguration(path: path, sessionTTL: nil)
        let policy = GarrisonPolicy(eviction: .fifo, maxEntries: 100_000)
        let database = try SQLiteDatabase(configuration)
        let store = SQLiteGarrisonStore(database: database, defaultPolicy: policy)
        let total = try await database.read { try $0.integer("SELECT count(*) FROM entries") }
        if total == Int64(sessions * perSession + bigEntries) { return (database, store) }
        return try await build(configuration, policy: policy, replacing: database)
    }

    /// Builds the store afresh, indexes it for search and checkpoints the WAL into the file.
    private static func build(_ configuration: StoreConfiguration, policy: GarrisonPolicy,
                              replacing old: SQLiteDatabase) async throws -> (SQLiteDatabase, SQLiteGarrisonStore) {
        var database = old
        database.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        database = try SQLiteDatabase(configuration)
        let store = SQLiteGarrisonStore(database: database, defaultPolicy: policy)
        let clock = ContinuousClock()
        let start = clock.now
        var seed = 0
        // 100 sessions x 100 entries per transaction.
        for chunk in stride(from: 0, to: sessions, by: 100) {
            var batches: [(sessionID: String, entries: [GarrisonEntry])] = []
            for session in chunk..<(chunk + 100) {
                let entries = (0..<perSession).map { offset -> GarrisonEntry in
                    seed += 1
                    return GarrisonEntry(sessionID: "", role: offset % 2 == 0 ? .user : .assistant, content: content(seed))
                }
                batches.append((sessionID: "session-\(session)", entries: entries))
            }
            _ = try await store.append(batches: batches)
        }
        for chunk in 0..<(bigEntries / 1000) {
            let entries = (0..<1000).map { offset in
                GarrisonEntry(sessionID: "", role: .user, content: content(10_000_000 + chunk * 1000 + offset))
            }
            _ = try await store.append(batches: [(sessionID: bigSession, entries: entries)])
        }
        let loaded = clock.now
        try await database.catchUpSearchIndex()
        FileHandle.standardError.write(Data("built \(path): loaded in \(loaded - start), indexed in \(clock.now - loaded)\n".utf8))
        database.close()
        try SQLiteConnection(path: path).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        database = try SQLiteDatabase(configuration)
        return (database, SQLiteGarrisonStore(database: database, defaultPolicy: policy))
    }
}

/// The large store, opened and warmed once per benchmark process (ordo-one calls a benchmark's
/// closure once per iteration), so every measured iteration is one operation on a warm store.
actor LargeStoreCache {
    static let shared = LargeStoreCache()
    private var store: SQLiteGarrisonStore?

    func get() async throws -> SQLiteGarrisonStore {
        if let store { return store }
        let (_, opened) = try await LargeStore.open()
        try await LargeStore.warm(opened)
        store = opened
        return opened
    }
}
