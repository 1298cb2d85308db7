// SQLite store benchmarks (ordo-one/benchmark). Run from Benchmarks/StoreBench:
//   swift package --allow-writing-to-package-directory benchmark
// The first run builds the 1,000,000-entry store into .build/store-1m.db (minutes); later runs
// reuse it. Benchmarks with `scalingFactor` .kilo do 1000 operations per measured iteration
// (figures marked `*` are per operation). See docs/benchmarks-store.md.

import Benchmark
import Foundation
import PaladinCore
import PaladinStore

/// A fresh database in a temporary directory, for write benchmarks.
func freshDatabase() throws -> (SQLiteDatabase, URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let database = try SQLiteDatabase(StoreConfiguration(path: directory.appendingPathComponent("bench.db").path, sessionTTL: nil))
    return (database, directory)
}

func entry(_ role: Role, _ content: String) -> GarrisonEntry {
    GarrisonEntry(sessionID: "", role: role, content: content)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(3),
        maxIterations: 2_000
    )
    let hundred = String(repeating: "x", count: 100)
    let kilo = Benchmark.Configuration(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo,
                                       maxDuration: .seconds(3), maxIterations: 50)

    // MARK: Appends (fresh database each benchmark, FIFO 1000 per session, 100 sessions)

    Benchmark("Store append 1 entry, 1 writer", configuration: kilo) { benchmark in
        let (database, directory) = try freshDatabase()
        defer { database.close(); try? FileManager.default.removeItem(at: directory) }
        let store = SQLiteGarrisonStore(database: database, defaultPolicy: GarrisonPolicy(maxEntries: 1000))
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            blackHole(try await store.append([entry(.user, hundred)], to: "s\(i % 100)"))
        }
        benchmark.stopMeasurement()
    }

    for writers in [16, 64] {
        Benchmark("Store append 1 entry, \(writers) concurrent writers (group commit)", configuration: kilo) { benchmark in
            let (database, directory) = try freshDatabase()
            defer { database.close(); try? FileManager.default.removeItem(at: directory) }
            let store = SQLiteGarrisonStore(database: database, defaultPolicy: GarrisonPolicy(maxEntries: 1000))
            let perWriter = benchmark.scaledIterations.count / writers
            benchmark.startMeasurement()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for i in 0..<perWriter { blackHole(try await store.append([entry(.user, hundred)], to: "s\((writer + i) % 100)")) }
                    }
                }
                try await group.waitForAll()
            }
            benchmark.stopMeasurement()
        }
    }

    Benchmark("Store append batched, 1000 entries per call (append(batches:))", configuration: kilo) { benchmark in
        let (database, directory) = try freshDatabase()
        defer { database.close(); try? FileManager.default.removeItem(at: directory) }
        let store = SQLiteGarrisonStore(database: database, defaultPolicy: GarrisonPolicy(maxEntries: 1000))
        let batches = (0..<10).map { (sessionID: "s\($0)", entries: Array(repeating: entry(.user, hundred), count: 100)) }
        benchmark.startMeasurement()
        blackHole(try await store.append(batches: batches))
        benchmark.stopMeasurement()
    }

    // MARK: 1,000,000 entries across 10,000 sessions

    Benchmark("Store history(50) at 1M entries") { benchmark in
        let store = try await LargeStoreCache.shared.get()
        var state = UInt64.random(in: 1...UInt64.max)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            blackHole(try await store.history(sessionID: "session-\(Int(state >> 33) % LargeStore.sessions)", limit: 50))
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Store empty read round trip (thread hop + read transaction)") { benchmark in
        let database = try await LargeStoreCache.shared.get().database
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try await database.read { _ in 0 }) }
        benchmark.stopMeasurement()
    }

    Benchmark("Store search (100-entry session) at 1M entries") { benchmark in
        let store = try await LargeStoreCache.shared.get()
        var state = UInt64.random(in: 1...UInt64.max)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let word = LargeStore.words[Int(state >> 40) % LargeStore.words.count]
            blackHole(try await store.search(sessionID: "session-\(Int(state >> 33) % LargeStore.sessions)", query: word, limit: 10))
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Store search (20,000-entry session, FTS5) at 1M entries") { benchmark in
        let store = try await LargeStoreCache.shared.get()
        var state = UInt64.random(in: 1...UInt64.max)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let first = LargeStore.words[Int(state >> 40) % LargeStore.words.count]
            let second = LargeStore.words[Int(state >> 20) % LargeStore.words.count]
            blackHole(try await store.search(sessionID: LargeStore.bigSession, query: "\(first) \(second)", limit: 10))
        }
        benchmark.stopMeasurement()
    }

    // MARK: The reference's garrison workloads (docs/benchmarks-core.md) on SQLite

    /// A database whose sessions `s0...` are FIFO (or `eviction`) at `capacity`, created before timing.
    func prepared(_ count: Int, capacity: Int, eviction: EvictionPolicy = .fifo) async throws
        -> (SQLiteDatabase, URL, SQLiteGarrisonStore) {
        let (database, directory) = try freshDatabase()
        let store = SQLiteGarrisonStore(database: database)
        for i in 0..<count { try await store.setPolicy(GarrisonPolicy(eviction: eviction, maxEntries: capacity), for: "s\(i)") }
        return (database, directory, store)
    }

    for size in [10, 100, 1000, 10000] {
        let content = String(repeating: "x", count: size)
        Benchmark("SQLite Garrison add 1 entry (\(size) chars)", configuration: kilo) { benchmark in
            let (database, directory, store) = try await prepared(benchmark.scaledIterations.count, capacity: 1000)
            defer { database.close(); try? FileManager.default.removeItem(at: directory) }
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations { blackHole(try await store.append([entry(.user, content)], to: "s\(i)")) }
            benchmark.stopMeasurement()
        }
    }

    for count in [10, 100, 500] {
        let batch = (0..<count).map { entry($0 % 2 == 0 ? .user : .assistant, hundred) }
        Benchmark("SQLite Garrison add batch \(count) (1 append)") { benchmark in
            let (database, directory, store) = try await prepared(benchmark.scaledIterations.count, capacity: 1000)
            defer { database.close(); try? FileManager.default.removeItem(at: directory) }
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations { blackHole(try await store.append(batch, to: "s\(i)")) }
            benchmark.stopMeasurement()
        }
        Benchmark("SQLite Garrison add batch \(count) (\(count) appends)") { benchmark in
            let (database, directory, store) = try await prepared(benchmark.scaledIterations.count, capacity: 1000)
            defer { database.close(); try? FileManager.default.removeItem(at: directory) }
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                for e in batch { blackHole(try await store.append([e], to: "s\(i)")) }
            }
            benchmark.stopMeasurement()
        }
    }

    for (name, limit) in [("recent(10)", 10), ("recent(50)", 50), ("all (100)", 0)] {
        Benchmark("SQLite Garrison \(name) of 100", configuration: kilo) { benchmark in
            let (database, directory, store) = try await prepared(1, capacity: 1000)
            defer { database.close(); try? FileManager.default.removeItem(at: directory) }
            _ = try await store.append((0..<100).map { entry($0 % 2 == 0 ? .user : .assistant, hundred) }, to: "s0")
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try await store.history(sessionID: "s0", limit: limit)) }
            benchmark.stopMeasurement()
        }
    }

    for (name, eviction) in [("FIFO", EvictionPolicy.fifo), ("SlidingWindow", .slidingWindow)] {
        Benchmark("SQLite Garrison add to full 50 (\(name))", configuration: kilo) { benchmark in
            let (database, directory, store) = try await prepared(1, capacity: 50, eviction: eviction)
            defer { database.close(); try? FileManager.default.removeItem(at: directory) }
            _ = try await store.append((0..<50).map { entry($0 % 2 == 0 ? .user : .assistant, hundred) }, to: "s0")
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try await store.append([entry(.user, hundred)], to: "s0")) }
            benchmark.stopMeasurement()
        }
    }

    let user150 = String(repeating: "u", count: 150)
    let assistant300 = String(repeating: "a", count: 300)
    Benchmark("SQLite Garrison conversation 10 turns") { benchmark in
        let (database, directory, store) = try await prepared(benchmark.scaledIterations.count, capacity: 200)
        defer { database.close(); try? FileManager.default.removeItem(at: directory) }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            for _ in 0..<10 {
                blackHole(try await store.append([entry(.user, user150)], to: "s\(i)"))
                blackHole(try await store.history(sessionID: "s\(i)", limit: 10))
                blackHole(try await store.append([entry(.assistant, assistant300)], to: "s\(i)"))
            }
        }
        benchmark.stopMeasurement()
    }
}
