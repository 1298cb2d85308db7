/// Stops the fuzzer with a message when something that must hold for every input does not.
enum Invariant {
    static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fail(message()) }
    }

    static func fail(_ message: String) -> Never {
        fatalError("fuzz invariant broken: \(message)")
    }
}
