import Foundation
import PaladinStore

/// A fresh directory under the system temp folder for one test's database files, removed by
/// `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("paladin-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A database path inside it.
    func path(_ name: String = "paladin.db") -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A test clock in microseconds that only moves when told to.
final class ManualClock: Sendable {
    private let micros = AtomicCounter(1_000_000)

    var now: Int64 { micros.value }

    func advance(by delta: Int64) { micros.add(delta) }

    /// `now`, as a store's clock closure.
    var closure: @Sendable () -> Int64 { { [self] in self.now } }
}
