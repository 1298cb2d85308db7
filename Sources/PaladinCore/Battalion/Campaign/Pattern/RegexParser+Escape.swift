extension RegexParser {
    /// What a backslash escape stands for.
    enum Escape {
        case scalar(Unicode.Scalar)
        case scalarClass(RegexScalarClass)
        case assertion(RegexAssertion)
    }

    /// Escapes the matcher does not run, by letter, with what they are.
    private static let refused: [Unicode.Scalar: String] = [
        "k": "named backreference \\k", "g": "backreference or subroutine \\g", "p": "Unicode property \\p",
        "P": "Unicode property \\P", "K": "match reset \\K", "G": "\\G (end of previous match)",
        "Q": "quoting \\Q...\\E", "E": "quoting \\Q...\\E", "X": "grapheme cluster \\X",
        "R": "newline sequence \\R", "N": "\\N", "h": "horizontal whitespace \\h", "H": "\\H",
        "v": "vertical whitespace \\v", "V": "\\V", "c": "control escape \\c", "o": "octal escape \\o",
        "O": "\\O", "y": "\\y", "Y": "\\Y",
    ]

    /// After `\`: a scalar, a class escape, or (outside a class) an assertion.
    mutating func parseEscape(inClass: Bool) throws(LinearRegexError) -> Escape {
        guard let next = peek else { throw error("trailing '\\' escapes nothing") }
        index += 1
        switch next {
        case "d": return .scalarClass(.digit)
        case "D": return .scalarClass(.notDigit)
        case "w": return .scalarClass(.word)
        case "W": return .scalarClass(.notWord)
        case "s": return .scalarClass(.space)
        case "S": return .scalarClass(.notSpace)
        case "b": return inClass ? .scalar("\u{8}") : .assertion(.wordBoundary)
        case "n": return .scalar("\n")
        case "r": return .scalar("\r")
        case "t": return .scalar("\t")
        case "f": return .scalar("\u{C}")
        case "a": return .scalar("\u{7}")
        case "e": return .scalar("\u{1B}")
        case "x", "u": return .scalar(try parseHexScalar(exactDigits: next == "x" ? 2 : 4))
        case "0":
            if let digit = peek, ("0"..."7").contains(digit) { throw error("octal escape \\0\(digit) is not supported") }
            return .scalar("\0")
        case "1"..."9": throw error("backreference \\\(next) is not supported", back: 2)
        case "B", "A", "z", "Z":
            if inClass { throw error("\\\(next) is not allowed in a character class", back: 2) }
            let assertions: [Unicode.Scalar: RegexAssertion] = ["B": .notWordBoundary, "A": .startOfText,
                                                                 "z": .endOfText, "Z": .endOfTextOrFinalNewline]
            return .assertion(assertions[next]!)
        default:
            if let name = Self.refused[next] { throw error("\(name) is not supported", back: 2) }
            if next.isASCII && (next.properties.isAlphabetic || next.properties.numericType != nil) {
                throw error("unknown escape \\\(next)", back: 2)
            }
            return .scalar(next)
        }
    }

    /// `HH` (`exactDigits` hex digits) or `{H...}` (1 to 8) after `\x` or `\u`.
    private mutating func parseHexScalar(exactDigits: Int) throws(LinearRegexError) -> Unicode.Scalar {
        let braced = peek == "{"
        if braced { index += 1 }
        var value: UInt32 = 0
        var count = 0
        while let next = peek, let digit = next.isASCII ? UInt32(String(next), radix: 16) : nil, count < (braced ? 8 : exactDigits) {
            value = value * 16 + digit
            count += 1
            index += 1
        }
        if braced {
            guard count > 0, peek == "}" else { throw error("expected hex digits and '}' in a \\x{...} or \\u{...} escape") }
            index += 1
        } else if count != exactDigits {
            throw error("expected \(exactDigits) hex digits in a hex escape")
        }
        guard let scalar = Unicode.Scalar(value) else { throw error("U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar") }
        return scalar
    }
}
