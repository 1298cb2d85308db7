extension RegexParser {
    /// After `[`: a character class of scalars, ranges `a-z` and class escapes, negated by a
    /// leading `^`. Nested classes, POSIX classes and set operations (`&&`, `--`, `~~`) are
    /// refused rather than read as literals, since other engines give them other meanings.
    mutating func parseClass() throws(LinearRegexError) -> RegexNode {
        var negated = false
        if peek == "^" {
            negated = true
            index += 1
        }
        if peek == "]" { throw error("empty character class (write \\] for a literal ']')") }
        var ranges: [ClosedRange<UInt32>] = []
        var classes: [RegexScalarClass] = []
        var first = true
        while let next = peek, next != "]" {
            if next == "[" { throw error("nested character classes and POSIX classes like [[:alpha:]] are not supported") }
            for operation in ["&&", "--", "~~"] where next == operation.unicodeScalars.first && peek(1) == next {
                throw error("character class set operation \(operation) is not supported")
            }
            if next == "-" && !first && peek(1) != "]" && peek(1) != nil {
                throw error("'-' after a range or a class escape is ambiguous (write \\- for a literal '-')")
            }
            first = false
            switch try classItem() {
            case .scalarClass(let scalarClass):
                classes.append(scalarClass)
            case .scalar(let low):
                if peek == "-" && peek(1) == "-" { throw error("character class set operation -- is not supported") }
                guard peek == "-", let after = peek(1), after != "]" else {
                    ranges.append(low.value...low.value)
                    continue
                }
                index += 1
                guard case .scalar(let high) = try classItem() else { throw error("a class escape cannot bound a range") }
                guard low <= high else { throw error("range \(low)-\(high) is out of order") }
                ranges.append(low.value...high.value)
            case .assertion:
                throw error("an assertion is not allowed in a character class")
            }
        }
        guard peek == "]" else { throw error("missing ']' to close a character class") }
        index += 1
        return .set(RegexScalarSet(ranges: ranges, classes: classes, negated: negated,
                                   caseInsensitive: flags.caseInsensitive))
    }

    private mutating func classItem() throws(LinearRegexError) -> Escape {
        let next = scalars[index]
        index += 1
        return next == "\\" ? try parseEscape(inClass: true) : .scalar(next)
    }
}
