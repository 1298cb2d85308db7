/// Parses the regular-expression subset `LinearRegex` supports into a `RegexNode`, refusing
/// every construct a non-backtracking matcher cannot run (backreferences, lookaround, atomic
/// groups, possessive quantifiers, ...) with an error that names it.
///
/// Recursive descent over the pattern's Unicode scalars: alternation, then concatenation, then
/// an atom with its quantifier. Group nesting is capped, so the recursion depth is bounded.
struct RegexParser {
    /// How deep groups may nest.
    static let maxNesting = 64

    struct Flags {
        /// `(?i)`: letters match their other case.
        var caseInsensitive = false
        /// `(?m)`: `^` and `$` match at line starts and ends.
        var multiline = false
        /// `(?s)`: `.` matches newlines too.
        var dotMatchesNewlines = false
    }

    let scalars: [Unicode.Scalar]
    var index = 0
    var flags = Flags()
    var depth = 0

    /// The syntax tree of `pattern`.
    /// - Throws: `LinearRegexError` naming the first problem and where it is.
    static func parse(_ pattern: String) throws(LinearRegexError) -> RegexNode {
        var parser = RegexParser(scalars: Array(pattern.unicodeScalars))
        let node = try parser.parseAlternation()
        if parser.index < parser.scalars.count {  // only a ')' stops the top level early
            throw parser.error("unbalanced ')': no group is open")
        }
        return node
    }

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    /// An error at the current position (or `offset` scalars before it).
    func error(_ message: String, back offset: Int = 0) -> LinearRegexError {
        let at = max(0, min(index - offset, scalars.count))
        return LinearRegexError(message, at: scalars[..<at].reduce(0) { $0 + UTF8.width($1) })
    }

    mutating func parseAlternation() throws(LinearRegexError) -> RegexNode {
        var branches = [try parseConcatenation()]
        while peek == "|" {
            index += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() throws(LinearRegexError) -> RegexNode {
        var items: [RegexNode] = []
        while let next = peek, next != "|", next != ")" {
            let bareAnchor = "^$".unicodeScalars.contains(next) || (next == "\\" && peek(1).map { "bBAzZ".unicodeScalars.contains($0) } == true)
            guard let atom = try parseAtom() else { continue }
            items.append(try parseQuantifier(of: atom, bareAnchor: bareAnchor))
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concatenation(items)
        }
    }

    /// One atom; `nil` for what matches nothing by itself (a flag group, a comment).
    private mutating func parseAtom() throws(LinearRegexError) -> RegexNode? {
        let next = scalars[index]
        if RegexQuantifier.starts(at: self) {
            throw error("quantifier '\(next)' has nothing to repeat")
        }
        index += 1
        switch next {
        case "(": return try parseGroup()
        case "[": return try parseClass()
        case ".": return .set(flags.dotMatchesNewlines ? .anyScalar : .anyButNewline)
        case "^": return .assertion(flags.multiline ? .startOfLine : .startOfText)
        case "$": return .assertion(flags.multiline ? .endOfLine : .endOfText)
        case "\\":
            switch try parseEscape(inClass: false) {
            case .scalar(let scalar): return literal(scalar)
            case .scalarClass(let scalarClass): return .set(RegexScalarSet(classes: [scalarClass]))
            case .assertion(let assertion): return .assertion(assertion)
            }
        default: return literal(next)
        }
    }

    /// `scalar` as a node under the current flags: a set of its cases when case is ignored.
    func literal(_ scalar: Unicode.Scalar) -> RegexNode {
        guard flags.caseInsensitive, !RegexCase.variants(of: scalar).isEmpty else { return .scalar(scalar) }
        return .set(RegexScalarSet(ranges: [scalar.value...scalar.value], caseInsensitive: true))
    }

    /// `atom` with the quantifier that follows it, if any. A bare anchor (`^`, `\\b`, ...) may not
    /// be repeated; a group holding one may, as in other engines.
    private mutating func parseQuantifier(of atom: RegexNode, bareAnchor: Bool) throws(LinearRegexError) -> RegexNode {
        guard let quantifier = try RegexQuantifier.parse(&self) else { return atom }
        if bareAnchor { throw error("an anchor or \\b cannot be repeated", back: quantifier.length) }
        if peek == "+" { throw error("possessive quantifier '+' is not supported") }
        if peek == "?" { index += 1 }  // lazy: the same matches, and only whether one exists counts
        if RegexQuantifier.starts(at: self) { throw error("a quantifier cannot follow a quantifier") }
        return .repetition(atom, min: quantifier.min, max: quantifier.max)
    }
}
