import PaladinCore
import PaladinStore
import Testing

/// Random operations applied to the in-memory store and the SQLite store side by side: every
/// answer (ids, entries, counts, errors) must be the same.
@Suite("Garrison differential")
struct GarrisonDifferentialTests {
    private static let words = ["alpha", "Beta", "gamma", "delta", "ÉTÉ", "x", "quick", "brown", "fox", "zz"]

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomOperationsAgree(seed: UInt64) async throws {
        var random = SeededRandom(seed: seed)
        let clock = ManualClock()
        let memoryOpen = try StoreKind.memory.make(defaultPolicy: GarrisonPolicy(eviction: .fifo, maxEntries: 12), clock: clock)
        let sqliteOpen = try StoreKind.sqlite.make(defaultPolicy: GarrisonPolicy(eviction: .fifo, maxEntries: 12), clock: clock)
        defer { memoryOpen.close(); sqliteOpen.close() }
        let memory = memoryOpen.store, sqlite = sqliteOpen.store
        let sessions = ["s0", "s1", "s2"]
        for step in 0..<600 {
            clock.advance(by: Int64.random(in: 0...2, using: &random))
            let session = sessions.randomElement(using: &random)!
            let context = Comment(rawValue: "seed \(seed) step \(step)")
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<55:
                let batch = (0..<Int.random(in: 1...4, using: &random)).map { _ in randomEntry(&random) }
                #expect(try await outcome { try await memory.append(batch, to: session) }
                        == outcome { try await sqlite.append(batch, to: session) }, context)
            case 55..<62:
                let policy = randomPolicy(&random)
                #expect(try await outcome { try await memory.setPolicy(policy, for: session) }
                        == outcome { try await sqlite.setPolicy(policy, for: session) }, context)
            case 62..<77:
                let limit = Int.random(in: 0...15, using: &random)
                #expect(try await memory.history(sessionID: session, limit: limit)
                        == sqlite.history(sessionID: session, limit: limit), context)
            case 77..<87:
                let query = (0..<Int.random(in: 1...2, using: &random)).map { _ in
                    Self.words.randomElement(using: &random)!.lowercased()
                }.joined(separator: " ")
                let limit = Int.random(in: 0...6, using: &random)
                #expect(try await memory.search(sessionID: session, query: query, limit: limit)
                        == sqlite.search(sessionID: session, query: query, limit: limit), context)
            case 87..<91:
                let keep = Bool.random(using: &random)
                #expect(try await memory.clear(sessionID: session, keepSystem: keep)
                        == sqlite.clear(sessionID: session, keepSystem: keep), context)
            case 91..<93:
                #expect(try await outcome { try await memory.deleteSession(session) }
                        == outcome { try await sqlite.deleteSession(session) }, context)
            default:
                #expect(try await memory.sessions(limit: 0) == sqlite.sessions(limit: 0), context)
            }
        }
        for session in sessions {
            #expect(try await memory.history(sessionID: session, limit: 0) == sqlite.history(sessionID: session, limit: 0))
        }
    }

    private func randomEntry(_ random: inout SeededRandom) -> GarrisonEntry {
        let role: Role = Int.random(in: 0..<10, using: &random) == 0 ? .system : [.user, .assistant, .tool].randomElement(using: &random)!
        let content = (0..<Int.random(in: 1...5, using: &random)).map { _ in Self.words.randomElement(using: &random)! }
            .joined(separator: " ")
        let tokens = Bool.random(using: &random) ? 0 : Int.random(in: 1...9, using: &random)
        let metadata = Bool.random(using: &random) ? [:] : ["turn": "\(Int.random(in: 0...9, using: &random))"]
        return entry(role, content, importance: Int.random(in: 0...100, using: &random), tokens: tokens, metadata: metadata)
    }

    private func randomPolicy(_ random: inout SeededRandom) -> GarrisonPolicy {
        GarrisonPolicy(eviction: EvictionPolicy.allCases.randomElement(using: &random)!,
                       maxEntries: Int.random(in: 0...8, using: &random),
                       maxTokens: Bool.random(using: &random) ? nil : Int.random(in: 0...40, using: &random),
                       preserveRecent: Int.random(in: 0...4, using: &random))
    }
}

/// A value or the `GarrisonError` thrown, for comparing two stores' answers.
enum Outcome<Value: Equatable>: Equatable {
    case value(Value)
    case error(GarrisonError)
}

func outcome<Value: Equatable>(_ body: () async throws -> Value) async throws -> Outcome<Value> {
    do {
        return .value(try await body())
    } catch let error as GarrisonError {
        return .error(error)
    }
}
