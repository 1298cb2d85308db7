/// A regular expression matched without backtracking, for patterns that come from callers
/// (Campaign edge conditions): a search takes time linear in the text, whatever the pattern.
///
/// The pattern is compiled once to a Thompson NFA (`RegexProgram`) and searched by simulating
/// every alive NFA state together (`RegexMatcher`), so `(a+)+$` or `(a|a)*b` cost the same per
/// scalar as `ab`. The text is read as Unicode scalars.
///
/// Supported: literals and escapes (`\n \r \t \f \a \e \0 \xHH \x{H…} \uHHHH \u{H…}`, `\` before
/// punctuation), `.`, classes `[a-z0-9_]`, `[^…]` and `\d \w \s \D \W \S`, anchors `^ $ \A \z \Z`
/// and `\b \B`, groups `(…)`, `(?:…)`, `(?<name>…)`, alternation `|`, quantifiers `* + ? {m}
/// {m,} {m,n} {,n}` (lazy forms too), flags `(?i) (?m) (?s)` and `(?i:…)`, comments `(?#…)`.
/// Refused with a `LinearRegexError` naming the construct: backreferences, lookaround, atomic
/// groups, possessive quantifiers, conditionals, recursion, `\p{…}` and other escapes, nested
/// classes and class set operations, patterns over `maxPatternBytes`, counts over
/// `maxRepetition`, and programs over `maxInstructions`.
public struct LinearRegex: Sendable, Hashable {
    /// The longest pattern accepted, in UTF-8 bytes.
    public static let maxPatternBytes = 1024
    /// The largest count a `{m,n}` quantifier may give.
    public static let maxRepetition = RegexQuantifier.maxCount
    /// The most instructions a compiled pattern may have; repetition counts multiply, and the
    /// work per scalar of text is at most proportional to it.
    public static let maxInstructions = 1024

    /// The pattern as given.
    public let pattern: String
    private let program: RegexProgram

    /// Compiles `pattern`.
    /// - Throws: `LinearRegexError` naming the syntax error, refused construct or limit.
    public init(_ pattern: String) throws(LinearRegexError) {
        let bytes = pattern.utf8.count
        guard bytes <= Self.maxPatternBytes else {
            throw LinearRegexError("pattern of \(bytes) bytes is over the limit of \(Self.maxPatternBytes)", at: Self.maxPatternBytes)
        }
        self.pattern = pattern
        program = try RegexCompiler.compile(try RegexParser.parse(pattern), maxInstructions: Self.maxInstructions)
    }

    /// Whether the pattern matches somewhere in `text` (an unanchored search).
    public func matches(in text: String) -> Bool {
        RegexMatcher.matches(program, in: text)
    }

    /// Patterns are equal when their text is (the program follows from it).
    public static func == (lhs: LinearRegex, rhs: LinearRegex) -> Bool { lhs.pattern == rhs.pattern }

    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}
