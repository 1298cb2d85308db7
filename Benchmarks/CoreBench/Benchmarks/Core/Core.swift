// Orchestration-core micro-benchmarks (ordo-one/benchmark) reproducing the workloads of
// paladin-ai 0.5.1's legacy Criterion suites (benches/{garrison,battalion,herald}_benchmarks.rs,
// see ../shared/reference/paladin-ai-0.5.1.md §8.2). Run from Benchmarks/CoreBench:
//   swift package --allow-writing-to-package-directory benchmark
// Every benchmark does its operation `scalingFactor` (1000) times per measured iteration; the
// figures marked `*` in the output are per operation (wall clock, mallocs). Setup that Criterion
// kept out of the timing (`iter_batched` fresh stores, services built once) is done before
// `startMeasurement()`. See docs/benchmarks-core.md.

import Benchmark
import PaladinCore
import PaladinHerald

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 200
    )

    // MARK: Garrison

    let session = "bench"

    /// A store whose one session is FIFO (or `eviction`) at `capacity` non-system entries, with
    /// the session already created: the counterpart of a fresh `ConversationHistory`.
    /// Stores are made before `startMeasurement()` and kept alive past `stopMeasurement()` with
    /// `withExtendedLifetime`, as Criterion's `iter_batched` drops its inputs and outputs outside
    /// the timing: without it, ARC releases them right after their last use, inside the timed
    /// region, and a row then also times tearing 1000 stores down (decision 41).
    func freshStore(capacity: Int, eviction: EvictionPolicy = .fifo) -> InMemoryGarrisonStore {
        let store = InMemoryGarrisonStore()
        _ = try! store.setPolicy(GarrisonPolicy(eviction: eviction, maxEntries: capacity), for: session)
        return store
    }

    func entry(_ role: Role, _ content: String) -> GarrisonEntry {
        GarrisonEntry(sessionID: session, role: role, content: content)
    }

    // Add one entry of N chars to a fresh store (capacity 1000).
    for size in [10, 100, 1000, 10000] {
        let content = String(repeating: "x", count: size)
        Benchmark("Garrison add 1 entry (\(size) chars)") { benchmark in
            let stores = benchmark.scaledIterations.map { _ in freshStore(capacity: 1000) }
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                blackHole(try stores[i].append([entry(.user, content)], to: session))
            }
            benchmark.stopMeasurement()
            withExtendedLifetime(stores) {}  // torn down after the timing (see freshStore)
        }
    }

    // Add a batch of N x 100-char entries (alternating User/Assistant) to a fresh store:
    // one `append` of N entries (the store's batch API), and N one-entry appends (the
    // reference's loop of `add_message`).
    let hundred = String(repeating: "x", count: 100)
    for count in [10, 50, 100, 500] {
        let batch = (0..<count).map { entry($0 % 2 == 0 ? .user : .assistant, hundred) }
        Benchmark("Garrison add batch \(count) (1 append)") { benchmark in
            let stores = benchmark.scaledIterations.map { _ in freshStore(capacity: 1000) }
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                blackHole(try stores[i].append(batch, to: session))
            }
            benchmark.stopMeasurement()
            withExtendedLifetime(stores) {}  // torn down after the timing (see freshStore)
        }
        Benchmark("Garrison add batch \(count) (\(count) appends)") { benchmark in
            let stores = benchmark.scaledIterations.map { _ in freshStore(capacity: 1000) }
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                for e in batch { blackHole(try stores[i].append([e], to: session)) }
            }
            benchmark.stopMeasurement()
            withExtendedLifetime(stores) {}  // torn down after the timing (see freshStore)
        }
    }

    // Reads over a session of 100 entries.
    for (name, limit) in [("recent(10)", 10), ("recent(50)", 50), ("all (100)", 0)] {
        Benchmark("Garrison \(name) of 100") { benchmark in
            let store = freshStore(capacity: 1000)
            for i in 0..<100 { _ = try store.append([entry(i % 2 == 0 ? .user : .assistant, hundred)], to: session) }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try store.history(sessionID: session, limit: limit))
            }
            benchmark.stopMeasurement()
            withExtendedLifetime(store) {}  // torn down after the timing (see freshStore)
        }
    }

    // Add one 100-char entry to a full 50-entry session: every add evicts (FIFO) or slides the
    // window (the sliding window evicts in batches, amortized over its adds).
    for (name, eviction) in [("FIFO", EvictionPolicy.fifo), ("SlidingWindow", .slidingWindow)] {
        Benchmark("Garrison add to full 50 (\(name))") { benchmark in
            let store = freshStore(capacity: 50, eviction: eviction)
            for i in 0..<50 { _ = try store.append([entry(i % 2 == 0 ? .user : .assistant, hundred)], to: session) }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try store.append([entry(.user, hundred)], to: session))
            }
            benchmark.stopMeasurement()
            withExtendedLifetime(store) {}  // torn down after the timing (see freshStore)
        }
    }

    // "Realistic": 10 x (add User 150 chars, recent(10), add Assistant 300 chars), capacity 200.
    let user150 = String(repeating: "u", count: 150)
    let assistant300 = String(repeating: "a", count: 300)
    Benchmark("Garrison conversation 10 turns") { benchmark in
        let stores = benchmark.scaledIterations.map { _ in freshStore(capacity: 200) }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            let store = stores[i]
            for _ in 0..<10 {
                blackHole(try store.append([entry(.user, user150)], to: session))
                blackHole(try store.history(sessionID: session, limit: 10))
                blackHole(try store.append([entry(.assistant, assistant300)], to: session))
            }
        }
        benchmark.stopMeasurement()
        withExtendedLifetime(stores) {}  // torn down after the timing (see freshStore)
    }

    // MARK: Battalion (zero-latency paladins built once, as the reference built its battalion
    // once; one BattalionContext per run)

    let provider = ScriptedProvider(defaultReply: .text("ok"), recordRequests: false)
    func paladins(_ count: Int) -> [any BattalionMember] {
        (1...count).map { try! PaladinAgent(PaladinDefinition(name: "p\($0)"), provider: provider) }
    }

    for count in [3, 5, 10, 20] {
        let members = paladins(count)
        let formation = Formation(members: members.map(\.name))
        Benchmark("Formation \(count) paladins") { benchmark in
            let check = await formation.run("task", in: BattalionContext(members: members))
            precondition(check.status == .completed && check.steps.count == count, "\(check)")
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(await formation.run("task", in: BattalionContext(members: members)))
            }
            benchmark.stopMeasurement()
        }
    }

    for count in [3, 5, 10, 20] {
        let members = paladins(count)
        let phalanx = Phalanx(members: members.map(\.name), aggregation: .collectAll)
        Benchmark("Phalanx \(count) paladins (CollectAll)") { benchmark in
            let check = await phalanx.run("task", in: BattalionContext(members: members))
            precondition(check.status == .completed && check.steps.count == count, "\(check)")
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(await phalanx.run("task", in: BattalionContext(members: members)))
            }
            benchmark.stopMeasurement()
        }
    }

    let five = paladins(5)
    for (name, aggregation) in [("FirstSuccess", Aggregation.firstSuccess), ("Majority", .majority)] {
        // CollectAll with 5 is "Phalanx 5 paladins (CollectAll)" above.
        let phalanx = Phalanx(members: five.map(\.name), aggregation: aggregation)
        Benchmark("Phalanx 5 paladins (\(name))") { benchmark in
            let check = await phalanx.run("task", in: BattalionContext(members: five))
            precondition(check.status == .completed, "\(check)")
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(await phalanx.run("task", in: BattalionContext(members: five)))
            }
            benchmark.stopMeasurement()
        }
    }

    // MARK: Herald

    let sentence = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "
    for kb in [1, 10] {
        let bytes = kb * 1024
        let output = String(String(repeating: sentence, count: bytes / sentence.utf8.count + 1).prefix(bytes))
        let result = PaladinResult(paladin: "herald-bench", output: output,
                                   usage: TokenUsage(promptTokens: 0, completionTokens: 100), turns: 1,
                                   duration: .milliseconds(1000), stopReason: .final)
        for (name, format) in [("JSON", HeraldFormat.json), ("Markdown", .markdown), ("Table", .table)] {
            Benchmark("Herald \(name) \(kb)KB") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(Herald.render(result, as: format))
                }
            }
        }
    }
}
