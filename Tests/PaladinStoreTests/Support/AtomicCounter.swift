import Synchronization

/// A shared Int64 for tests (clocks, counts across tasks).
final class AtomicCounter: Sendable {
    private let storage: Atomic<Int64>

    init(_ value: Int64 = 0) { storage = Atomic(value) }

    var value: Int64 { storage.load(ordering: .sequentiallyConsistent) }

    func add(_ delta: Int64) { storage.add(delta, ordering: .sequentiallyConsistent) }
}
