@testable import PaladinCore
import Testing

/// The in-memory store against a plain-array model that counts every token on append and evicts
/// with `GarrisonEviction`: hidden totals, histories held across later writes and session
/// summaries must never show a difference.
@Suite("Garrison against a plain-array model", .serialized)  // CPU-bound: leave the pool to timing tests
struct GarrisonModelDifferentialTests {
    struct Model {
        var entries: [GarrisonEntry] = []
        var policy: GarrisonPolicy
    }

    static func randomPolicy(_ rng: inout SeededRandom) -> GarrisonPolicy {
        let kind = EvictionPolicy.allCases.randomElement(using: &rng)!
        let maxTokens: Int? = Bool.random(using: &rng) ? Int.random(in: 0...40, using: &rng) : nil
        return GarrisonPolicy(eviction: kind, maxEntries: Int.random(in: 0...6, using: &rng), maxTokens: maxTokens,
                              preserveRecent: Int.random(in: 0...3, using: &rng))
    }

    /// 300 random operations on two sessions, checked step by step. Yields every few steps: the
    /// run is CPU-bound, and the cooperative pool's threads are few and shared with timing tests.
    func run(seed: UInt64, counter: any TokenCounter) async throws {
        var rng = SeededRandom(seed: seed)
        let defaultPolicy = Self.randomPolicy(&rng)
        let store = InMemoryGarrisonStore(defaultPolicy: defaultPolicy, tokenCounter: counter)
        var models: [String: Model] = [:]
        var nextID: UInt64 = 1
        var views: [(GarrisonHistory, [GarrisonEntry])] = []
        let words = ["alpha", "beta gamma", "delta epsilon zeta", "x", "", "longer text here with words"]
        for step in 0..<300 {
            if step.isMultiple(of: 10) { await Task.yield() }
            let session = ["a", "b"].randomElement(using: &rng)!
            var model = models[session] ?? Model(policy: defaultPolicy)
            let op = Int.random(in: 0..<100, using: &rng)
            let context = "seed \(seed) step \(step) op \(op) session \(session) policy \(model.policy)"
            if op < 60 {
                let batch = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                    GarrisonEntry(sessionID: "", role: [Role.user, .assistant, .system, .user].randomElement(using: &rng)!,
                                  content: words.randomElement(using: &rng)!,
                                  tokenCount: Bool.random(using: &rng) ? 0 : Int.random(in: 1...9, using: &rng),
                                  importance: Int.random(in: 0...100, using: &rng))
                }
                _ = try store.append(batch, to: session)
                for var entry in batch {
                    entry.id = nextID
                    nextID += 1
                    entry.sessionID = session
                    if entry.tokenCount <= 0 { entry.tokenCount = min(max(counter.count(entry.content), 0), GarrisonEntry.maxTokenCount) }
                    model.entries.append(entry)
                }
                GarrisonEviction.evict(entries: &model.entries, policy: model.policy)
            } else if op < 70 {
                let policy = Self.randomPolicy(&rng)
                _ = try store.setPolicy(policy, for: session)
                model.entries = GarrisonEviction.window(model.entries, policy: model.policy)
                model.policy = policy
                GarrisonEviction.evict(entries: &model.entries, policy: policy)
            } else if op < 75 {
                let keep = Bool.random(using: &rng)
                _ = try store.clear(sessionID: session, keepSystem: keep)
                model.entries = keep ? model.entries.filter { $0.role == .system } : []
            } else if op < 90 {
                let limit = Int.random(in: 0...8, using: &rng)
                let view = try store.history(sessionID: session, limit: limit)
                let window = GarrisonEviction.window(model.entries, policy: model.policy)
                let expected = limit > 0 ? Array(window.suffix(limit)) : window
                #expect(view.map(\.id) == expected.map(\.id), "\(context)")
                #expect(view.map(\.tokenCount) == expected.map(\.tokenCount), "\(context)")
                #expect(view.map(\.role) == expected.map(\.role), "\(context)")
                if Bool.random(using: &rng) { views.append((view, Array(view))) }
            } else {
                let summaries = try store.sessions(limit: 0)
                for (id, m) in models.merging([session: model], uniquingKeysWith: { $1 }) {
                    guard let summary = summaries.first(where: { $0.sessionID == id }) else { continue }
                    let window = GarrisonEviction.window(m.entries, policy: m.policy)
                    #expect(summary.entryCount == window.count, "\(context) [\(id)]")
                    #expect(summary.tokenCount == window.reduce(0) { $0 + $1.tokenCount }, "\(context) [\(id)]")
                }
            }
            models[session] = model
            let problems = store.auditTotals()
            #expect(problems.isEmpty, "\(context): \(problems)")
            if !problems.isEmpty { return }
        }
        for (view, copy) in views { #expect(Array(view) == copy, "seed \(seed): a view changed") }
    }

    @Test(arguments: 1...25)
    func estimator(seed: Int) async throws {
        try await run(seed: UInt64(seed), counter: EstimatingTokenCounter())
    }

    @Test(arguments: 1...25)
    func characterCounter(seed: Int) async throws {
        try await run(seed: UInt64(seed) &+ 1000, counter: GarrisonCharacterCounter())
    }
}
