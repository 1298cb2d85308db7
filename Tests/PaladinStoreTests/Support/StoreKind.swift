import Testing
import PaladinCore
import PaladinStore

/// The two garrison stores, for behaviour tests that must hold for both.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite

    var testDescription: String { rawValue }

    /// A fresh store of this kind; `close` releases it (removes the SQLite file).
    func make(limits: GarrisonLimits = GarrisonLimits(), defaultPolicy: GarrisonPolicy? = nil,
              tokenCounter: any TokenCounter = EstimatingTokenCounter(),
              clock: ManualClock = ManualClock()) throws -> OpenStore {
        switch self {
        case .memory:
            return OpenStore(store: InMemoryGarrisonStore(limits: limits, defaultPolicy: defaultPolicy,
                                                          tokenCounter: tokenCounter, now: clock.closure),
                             close: {})
        case .sqlite:
            let directory = try TemporaryDirectory()
            let database = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil, readers: 2))
            let store = SQLiteGarrisonStore(database: database, limits: limits, defaultPolicy: defaultPolicy,
                                            tokenCounter: tokenCounter, now: clock.closure)
            return OpenStore(store: store, close: { database.close(); directory.remove() })
        }
    }
}

/// A store under test and how to dispose of it.
struct OpenStore {
    let store: any GarrisonStore
    let close: () -> Void
}

/// Counts one token per character: easy to predict in tests.
struct CharacterCounter: TokenCounter {
    func count(_ text: String) -> Int { text.count }
}

/// An entry of `role` with `content`.
func entry(_ role: Role, _ content: String, importance: Int = 0, tokens: Int = 0,
           metadata: [String: String] = [:]) -> GarrisonEntry {
    GarrisonEntry(sessionID: "", role: role, content: content, tokenCount: tokens, importance: importance, metadata: metadata)
}

/// A user entry with `content`.
func entry(_ content: String, importance: Int = 0, tokens: Int = 0, metadata: [String: String] = [:]) -> GarrisonEntry {
    entry(.user, content, importance: importance, tokens: tokens, metadata: metadata)
}
