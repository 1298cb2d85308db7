/// A store's `TokenCounter` behind one reference, so that the views it hands out
/// (`GarrisonHistory`) carry it with a retain instead of copying an existential.
final class SharedTokenCounter: Sendable {
    let counter: any TokenCounter

    init(_ counter: any TokenCounter) {
        self.counter = counter
    }
}
