/// A class escape of a regular expression (`\d`, `\w`, `\s` and their complements) and the
/// newlines `.` stops at, over Unicode scalars with Unicode's definitions (ASCII first).
enum RegexScalarClass: Sendable, Hashable {
    /// `\d`: a decimal digit (general category Nd).
    case digit
    /// `\D`.
    case notDigit
    /// `\w`: a letter, mark, decimal digit or connector punctuation such as `_`.
    case word
    /// `\W`.
    case notWord
    /// `\s`: Unicode White_Space.
    case space
    /// `\S`.
    case notSpace
    /// A line terminator: LF, VT, FF, CR, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
    case newline

    /// Whether `scalar` belongs to the class.
    func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch self {
        case .digit: Self.isDigit(scalar)
        case .notDigit: !Self.isDigit(scalar)
        case .word: Self.isWord(scalar)
        case .notWord: !Self.isWord(scalar)
        case .space: Self.isSpace(scalar)
        case .notSpace: !Self.isSpace(scalar)
        case .newline: Self.isNewline(scalar)
        }
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (0x30...0x39).contains(scalar.value) }
        return scalar.properties.generalCategory == .decimalNumber
    }

    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) || v == 0x5F
        }
        switch scalar.properties.generalCategory {
        case .decimalNumber, .connectorPunctuation, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return scalar.properties.isAlphabetic
        }
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) }
        return scalar.properties.isWhitespace
    }

    static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }
}
