@testable import PaladinCore

/// A garrison entry for tests; `tokens` 0 lets the store count them.
func garrisonEntry(_ role: Role, _ content: String, importance: Int = 0, tokens: Int = 0, id: UInt64 = 0) -> GarrisonEntry {
    GarrisonEntry(id: id, sessionID: "s", role: role, content: content, tokenCount: tokens, importance: importance)
}

/// Entries with ids 1...n (system where `systemAt` says), for the pure eviction functions.
func numberedGarrisonEntries(_ count: Int, systemAt: Set<Int> = [], tokens: (Int) -> Int = { _ in 1 },
                     importance: (Int) -> Int = { _ in 0 }) -> [GarrisonEntry] {
    (0..<count).map { offset in
        let index = offset + 1
        return garrisonEntry(systemAt.contains(index) ? .system : .user, "m\(index)", importance: importance(index),
                      tokens: tokens(index), id: UInt64(index))
    }
}

/// Garrison's random tests use the shared seeded generator.
typealias GarrisonSeededRandom = SeededRandom

/// Counts one token per character: easy to predict in tests.
struct GarrisonCharacterCounter: TokenCounter {
    func count(_ text: String) -> Int { text.count }
}
