/// A parsed regular expression: the syntax tree `RegexParser` builds and `RegexCompiler`
/// turns into a program. Groups leave no node of their own (nothing is captured), and flags
/// are already applied (a case-insensitive letter is a set of its cases).
indirect enum RegexNode: Sendable, Hashable {
    /// Matches the empty string.
    case empty
    /// One scalar, exactly.
    case scalar(Unicode.Scalar)
    /// One scalar of a set.
    case set(RegexScalarSet)
    /// A zero-width test of the position.
    case assertion(RegexAssertion)
    /// Each part in turn.
    case concatenation([RegexNode])
    /// Any one of the branches.
    case alternation([RegexNode])
    /// The node `min` to `max` times (`nil`: no upper bound).
    case repetition(RegexNode, min: Int, max: Int?)
}
