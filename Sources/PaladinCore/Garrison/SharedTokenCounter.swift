/// A store's custom `TokenCounter` behind one reference, so that the views it hands out
/// (`GarrisonHistory`) carry it with a retain instead of copying an existential. The default
/// counter is not shared at all: `sharing(_:)` returns nil for it, and a nil reference counts
/// with `TokenEstimator` (a view then carries no counter: `GarrisonHistory.Backing.ring`).
final class SharedTokenCounter: Sendable {
    let counter: any TokenCounter

    private init(_ counter: any TokenCounter) {
        self.counter = counter
    }

    /// The reference views of a store counting with `counter` carry; nil for the default.
    static func sharing(_ counter: any TokenCounter) -> SharedTokenCounter? {
        counter is EstimatingTokenCounter ? nil : SharedTokenCounter(counter)
    }
}

extension Optional where Wrapped == SharedTokenCounter {
    /// The counter this reference stands for: the shared one, else the default estimator.
    var counter: any TokenCounter { self?.counter ?? EstimatingTokenCounter() }
}
