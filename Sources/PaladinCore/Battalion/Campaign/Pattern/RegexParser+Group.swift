extension RegexParser {
    /// After `(`: a group (capturing, named or `(?:`), a flag group `(?i)` / `(?i:...)`, or a
    /// comment `(?#...)`; lookaround, atomic groups, conditionals, recursion and verbs are refused.
    mutating func parseGroup() throws(LinearRegexError) -> RegexNode? {
        if peek == "*" { throw error("backtracking verbs like (*ACCEPT) are not supported") }
        guard peek == "?" else { return try parseGroupBody() }
        index += 1
        switch peek {
        case ":":
            index += 1
        case "=":
            throw error("lookahead (?= is not supported")
        case "!":
            throw error("negative lookahead (?! is not supported")
        case ">":
            throw error("atomic group (?> is not supported")
        case "|":
            throw error("branch reset group (?| is not supported")
        case "(":
            throw error("conditional group (?( is not supported")
        case "#":
            while let next = peek, next != ")" { index += 1 }
            guard peek == ")" else { throw error("missing ')' to close the comment (?#") }
            index += 1
            return nil
        case "<":
            if peek(1) == "=" { throw error("lookbehind (?<= is not supported") }
            if peek(1) == "!" { throw error("negative lookbehind (?<! is not supported") }
            index += 1
            try skipGroupName(until: ">")
        case "'":
            index += 1
            try skipGroupName(until: "'")
        case "P":
            if peek(1) == "=" { throw error("backreference (?P= is not supported") }
            if peek(1) == ">" { throw error("recursion (?P> is not supported") }
            guard peek(1) == "<" else { throw error("unknown group syntax (?P") }
            index += 2
            try skipGroupName(until: ">")
        case "R", "&", "+":
            throw error("recursion (?\(peek!) is not supported")
        case let next? where next.properties.numericType != nil || (next == "-" && peek(1)?.properties.numericType != nil):
            throw error("recursion (?\(next) is not supported")
        default:
            if let scoped = try parseFlags() { return scoped }
            return nil
        }
        return try parseGroupBody()
    }

    /// The group's inner expression up to its `)`; flags set inside end with the group.
    private mutating func parseGroupBody() throws(LinearRegexError) -> RegexNode {
        guard depth < Self.maxNesting else { throw error("groups nested deeper than \(Self.maxNesting)") }
        depth += 1
        let outer = flags
        let node = try parseAlternation()
        flags = outer
        depth -= 1
        guard peek == ")" else { throw error("missing ')' to close a group") }
        index += 1
        return node
    }

    /// A group name (letters, digits, `_`) and its closing delimiter; the name is not kept,
    /// since nothing is captured.
    private mutating func skipGroupName(until close: Unicode.Scalar) throws(LinearRegexError) {
        let start = index
        if peek?.properties.numericType != nil { throw error("invalid group name") }
        while let next = peek, next.isASCII, next.properties.isAlphabetic || next.properties.numericType != nil || next == "_" {
            index += 1
        }
        guard index > start, peek == close else { throw error("invalid group name") }
        index += 1
    }

    /// After `(?`: flags `i`, `m`, `s`, optionally turned off after `-`, then `)` (they apply to
    /// the rest of the enclosing group; returns `nil`) or `:` (a group they apply to).
    private mutating func parseFlags() throws(LinearRegexError) -> RegexNode? {
        var on = true
        var changed = flags
        while let next = peek, next != ")", next != ":" {
            switch next {
            case "i": changed.caseInsensitive = on
            case "m": changed.multiline = on
            case "s": changed.dotMatchesNewlines = on
            case "-" where on: on = false
            default: throw error("flag or group syntax (?\(next) is not supported (flags: i, m, s)")
            }
            index += 1
        }
        guard let close = peek else { throw error("missing ')' to close a flag group") }
        index += 1
        if close == ")" {
            flags = changed
            return nil
        }
        let outer = flags
        flags = changed
        let node = try parseGroupBody()
        flags = outer
        return node
    }
}
