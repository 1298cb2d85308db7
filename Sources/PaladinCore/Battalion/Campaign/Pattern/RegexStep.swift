/// A `RegexInstruction` as three integers, the form the matcher's inner loop reads.
struct RegexStep: Sendable, Hashable {
    enum Operation: UInt8, Sendable {
        case scalar, set, assertion, split, jump, match
    }

    var operation: Operation
    /// The scalar value, set index, assertion index, or first target.
    var first: Int32
    /// The second target of a split.
    var second: Int32 = 0

    init(_ instruction: RegexInstruction) {
        switch instruction {
        case .scalar(let scalar): (operation, first) = (.scalar, Int32(bitPattern: scalar.value))
        case .set(let index): (operation, first) = (.set, Int32(index))
        case .assertion(let assertion): (operation, first) = (.assertion, Int32(RegexAssertion.allCases.firstIndex(of: assertion)!))
        case .split(let a, let b): (operation, first, second) = (.split, Int32(a), Int32(b))
        case .jump(let target): (operation, first) = (.jump, Int32(target))
        case .match: (operation, first) = (.match, 0)
        }
    }
}
