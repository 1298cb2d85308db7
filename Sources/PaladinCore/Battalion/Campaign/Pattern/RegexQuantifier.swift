/// A quantifier of a regular expression: `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}` or `{,n}`.
/// A `{` that does not start one of these is a literal brace.
struct RegexQuantifier {
    /// The largest count `{m,n}` may give.
    static let maxCount = 1000

    var min: Int
    var max: Int?
    /// How many scalars of the pattern it took.
    var length: Int

    /// Whether a quantifier starts at the parser's position.
    static func starts(at parser: RegexParser) -> Bool {
        switch parser.peek {
        case "*", "+", "?": true
        case "{": braces(at: parser) != nil
        default: false
        }
    }

    /// The quantifier at the parser's position, consumed; `nil` when there is none.
    /// - Throws: for counts over `maxCount` or `{n,m}` with n > m.
    static func parse(_ parser: inout RegexParser) throws(LinearRegexError) -> RegexQuantifier? {
        let quantifier: RegexQuantifier
        switch parser.peek {
        case "*": quantifier = RegexQuantifier(min: 0, max: nil, length: 1)
        case "+": quantifier = RegexQuantifier(min: 1, max: nil, length: 1)
        case "?": quantifier = RegexQuantifier(min: 0, max: 1, length: 1)
        case "{":
            guard let (low, high, length) = braces(at: parser) else { return nil }
            guard low <= maxCount, (high ?? 0) <= maxCount else {
                throw parser.error("repetition count \(Swift.max(low, high ?? 0)) is over the limit of \(maxCount)")
            }
            if let high, high < low { throw parser.error("repetition {\(low),\(high)}: the minimum is above the maximum") }
            quantifier = RegexQuantifier(min: low, max: high, length: length)
        default: return nil
        }
        parser.index += quantifier.length
        return quantifier
    }

    /// `{m}`, `{m,}`, `{m,n}` or `{,n}` at the parser's position: (min, max, length in scalars).
    /// Counts too long to hold are reported as `Int.max` (refused by the caller).
    private static func braces(at parser: RegexParser) -> (Int, Int?, Int)? {
        var offset = 1
        func number() -> Int? {
            var value: Int?
            while let scalar = parser.peek(offset), let digit = Int(String(scalar)), scalar.isASCII {
                value = Swift.min((value ?? 0) * 10 + digit, Int(Int32.max))
                offset += 1
            }
            return value
        }
        let low = number()
        guard parser.peek(offset) == "," else {
            guard let low, parser.peek(offset) == "}" else { return nil }
            return (low, low, offset + 1)
        }
        offset += 1
        let high = number()
        guard parser.peek(offset) == "}", low != nil || high != nil else { return nil }
        return (low ?? 0, high, offset + 1)
    }
}
