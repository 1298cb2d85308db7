/// How a Phalanx turns its members' outputs into one.
public enum Aggregation: Sendable, Hashable {
    /// Keep every output; the final output joins the successful ones in member order,
    /// separated by `"\n---\n"`.
    case collectAll
    /// The first success wins and the others are cancelled.
    case firstSuccess
    /// The (trimmed) output given by more than half of all members wins; otherwise the run fails.
    case majority
    /// A judge member reads the numbered candidates and answers with the number of the best.
    case vote(judge: String)
}
