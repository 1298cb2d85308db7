/// One step of a compiled regular expression (a Thompson NFA laid out as a program).
enum RegexInstruction: Sendable, Hashable {
    /// Consume this scalar.
    case scalar(Unicode.Scalar)
    /// Consume a scalar of the program's set at this index.
    case set(Int)
    /// Go on only where the assertion holds; consumes nothing.
    case assertion(RegexAssertion)
    /// Go on at both targets.
    case split(Int, Int)
    /// Go on at the target.
    case jump(Int)
    /// The pattern has matched.
    case match
}
