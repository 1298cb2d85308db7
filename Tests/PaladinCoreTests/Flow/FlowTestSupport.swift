@testable import PaladinCore

extension FlowNode {
    /// Shorthand for an expected `.sequence` in Flow tests.
    static func seq(_ children: FlowNode...) -> FlowNode { .sequence(children) }
    /// Shorthand for an expected `.parallel` in Flow tests.
    static func par(_ children: FlowNode...) -> FlowNode { .parallel(children) }
}

extension FlowLexer {
    /// The token kinds of `source`, without the final `.end`, for lexer tests.
    static func kinds(of source: String) throws(FlowParseError) -> [FlowToken.Kind] {
        var lexer = FlowLexer(source)
        var kinds: [FlowToken.Kind] = []
        while true {
            let token = try lexer.next()
            if token.kind == .end { return kinds }
            kinds.append(token.kind)
        }
    }
}
