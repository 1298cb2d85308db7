/// Splits Flow DSL source into tokens one at a time, on demand, so the parser stops at the first
/// error in source order and never lexes past it. Linear in the length of the source.
struct FlowLexer {
    private let source: String
    private var index: String.Index
    private var position = FlowSourcePosition.start

    /// Starts lexing `source` from its beginning.
    init(_ source: String) {
        self.source = source
        self.index = source.startIndex
    }

    /// The next token, or `.end` (repeatedly) once the source is exhausted.
    /// - Throws: `FlowParseError.Kind.invalidCharacter` at a character no token can start with.
    mutating func next() throws(FlowParseError) -> FlowToken {
        while index < source.endIndex, source[index].isWhitespace { advance() }
        let start = position
        guard index < source.endIndex else { return FlowToken(kind: .end, position: start) }
        let character = source[index]
        switch character {
        case "(": advance(); return FlowToken(kind: .leftParen, position: start)
        case ")": advance(); return FlowToken(kind: .rightParen, position: start)
        case ",": advance(); return FlowToken(kind: .comma, position: start)
        case "-" where startsArrow(at: index):
            advance()
            advance()
            return FlowToken(kind: .arrow, position: start)
        case _ where character.isLetter || character.isNumber:
            return FlowToken(kind: .identifier(identifier()), position: start)
        default:
            throw FlowParseError(kind: .invalidCharacter, position: start,
                                 message: Self.invalidCharacterMessage(character), source: source)
        }
    }

    /// Consumes an identifier starting at `index`; a `-` followed by `>` ends it (`a->b`).
    private mutating func identifier() -> String {
        let first = index
        while index < source.endIndex {
            let character = source[index]
            let continues = character.isLetter || character.isNumber || character == "_"
                || (character == "-" && !startsArrow(at: index))
            guard continues else { break }
            advance()
        }
        return String(source[first..<index])
    }

    /// Whether the characters at `i` are `->`.
    private func startsArrow(at i: String.Index) -> Bool {
        guard source[i] == "-" else { return false }
        let next = source.index(after: i)
        return next < source.endIndex && source[next] == ">"
    }

    /// Moves past one character, keeping `position` in step.
    private mutating func advance() {
        let character = source[index]
        position.offset += character.utf8.count
        if character.isNewline {
            position.line += 1
            position.column = 1
        } else {
            position.column += 1
        }
        index = source.index(after: index)
    }

    /// A message for a character no token starts with, with a hint for likely mistakes.
    static func invalidCharacterMessage(_ character: Character) -> String {
        switch character {
        case "-", ">":
            return "unexpected '\(character)'; did you mean '->'?"
        case "_":
            return "agent names must start with a letter or digit, not '_'"
        case "|", ";", "&", "+":
            return "invalid character '\(character)'; use '->' for steps in sequence and ',' for parallel branches"
        default:
            return "invalid character \(describe(character))"
        }
    }

    /// `'x'` for visible characters, `U+XXXX` for control and other invisible ones.
    private static func describe(_ character: Character) -> String {
        let invisible = character.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .unassigned, .privateUse, .surrogate, .lineSeparator,
                 .paragraphSeparator, .spaceSeparator:
                true
            default:
                false
            }
        }
        guard invisible else { return "'\(character)'" }
        return character.unicodeScalars.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }.joined(separator: " ")
    }
}
