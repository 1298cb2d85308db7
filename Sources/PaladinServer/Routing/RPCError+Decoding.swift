import PaladinWire

extension RPCError {
    /// The status that fails a call whose REQUEST or request message did not decode, as the
    /// protocol promises: RESOURCE_EXHAUSTED over the decode budget, INVALID_ARGUMENT with
    /// `malformed` otherwise.
    init(undecodable error: WireError, malformed: @autoclosure () -> String) {
        if case .decodeBudgetExceeded = error {
            self.init(.resourceExhausted, error.description)
        } else {
            self.init(.invalidArgument, malformed())
        }
    }
}
