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

/// SplitMix64: a seeded generator, so randomized tests are reproducible.
struct GarrisonSeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Counts one token per character: easy to predict in tests.
struct GarrisonCharacterCounter: TokenCounter {
    func count(_ text: String) -> Int { text.count }
}
