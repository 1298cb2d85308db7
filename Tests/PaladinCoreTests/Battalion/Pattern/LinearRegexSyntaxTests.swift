import PaladinCore
import Testing

/// What `LinearRegex` accepts, and what it refuses with an error naming the construct.
@Suite("LinearRegex syntax")
struct LinearRegexSyntaxTests {
    @Test("The supported subset compiles", arguments: [
        "abc", #"a\.b\*\(\)\[\]\{\}\\\|\^\$\?\+"#, ".", "[a-z0-9_]", "[^a-z]", "[-a]", "[a-]", #"[\d\w\s\D\W\S]"#,
        #"\d+\w*\s?\D\W\S"#, "^abc$", #"\Aabc\z"#, #"abc\Z"#, #"\bword\B"#, "(a|b)c", "(?:a|b)c", "(?<name>a)", "(?P<name>a)",
        "(?'name'a)", "a|b|", "a*b+c?", "a{3}", "a{3,}", "a{3,5}", "a{,5}", "a*?b+?c??d{2,3}?", "(?i)abc", "(?i:a)b",
        "(?im-s)a", "(?s).", "(?m)^a$", "a(?#comment)b", #"\n\r\t\f\a\e\0"#, #"\x41\x{1F600}\u0041\u{41}"#, "a{", "a{}",
        "a{,}", "x{1000}", "é+", #"[\x00-\x1F]"#, #"[\b]"#, "", "()", "((((a))))", "a{0}",
    ])
    func accepted(_ pattern: String) throws {
        _ = try LinearRegex(pattern)
    }

    @Test("Constructs a non-backtracking matcher cannot run are refused by name", arguments: [
        (#"(a)\1"#, "backreference \\1"), (#"(?<n>a)\k<n>"#, "backreference \\k"), ("(?P=n)", "backreference (?P="),
        ("a(?=b)", "lookahead (?="), ("a(?!b)", "negative lookahead (?!"), ("(?<=a)b", "lookbehind (?<="),
        ("(?<!a)b", "negative lookbehind (?<!"), ("(?>a+)b", "atomic group (?>"), ("a*+", "possessive quantifier"),
        ("a++", "possessive quantifier"), ("a?+", "possessive quantifier"), ("a{2}+", "possessive quantifier"),
        ("(?(1)a|b)", "conditional group"), ("(?R)", "recursion"), ("(?1)", "recursion"), ("(*ACCEPT)", "verbs"),
        (#"\p{L}"#, "Unicode property \\p"), (#"\Qa\E"#, "quoting"), (#"a\Kb"#, "match reset \\K"), (#"\X"#, "grapheme"),
        (#"\h"#, "horizontal whitespace"), (#"\R"#, "newline sequence"), (#"\q"#, "unknown escape \\q"),
        ("[[:alpha:]]", "POSIX classes"), ("[a[b]]", "nested character classes"), ("[a&&b]", "set operation &&"),
        ("[a--b]", "set operation --"), ("(?x)a b", "(?x"), ("(?|a)", "branch reset"), (#"\01"#, "octal escape"),
    ])
    func refused(_ pattern: String, construct: String) {
        #expect {
            try LinearRegex(pattern)
        } throws: { error in
            (error as? LinearRegexError)?.message.contains(construct) == true
        }
    }

    @Test("Syntax errors are refused with a message and an offset", arguments: [
        ("(a", "missing ')'", 2), ("a)", "unbalanced ')'", 1), ("[a", "missing ']'", 2), ("[]a]", "empty character class", 1),
        ("*a", "nothing to repeat", 0), ("a**", "cannot follow a quantifier", 2), ("^*", "cannot be repeated", 1),
        ("[z-a]", "out of order", 4), (#"[\d-z]"#, "ambiguous", 3), (#"[a-\d]"#, "class escape cannot bound a range", 5),
        ("a{3,2}", "minimum is above the maximum", 1), (#"\"#, "trailing", 1), (#"\xZZ"#, "hex digits", 2),
        (#"\x{110000}"#, "not a Unicode scalar", 10), ("(?<1a>x)", "invalid group name", 3),
    ])
    func syntaxErrors(_ pattern: String, message: String, offset: Int) {
        #expect {
            try LinearRegex(pattern)
        } throws: { error in
            guard let error = error as? LinearRegexError else { return false }
            return error.message.contains(message) && error.offset == offset
        }
    }

    @Test func theLimitsAreEnforced() throws {
        _ = try LinearRegex(String(repeating: "a", count: LinearRegex.maxPatternBytes))
        #expect(throws: LinearRegexError.self) { try LinearRegex(String(repeating: "a", count: LinearRegex.maxPatternBytes + 1)) }
        #expect(throws: LinearRegexError.self) { try LinearRegex("a{1001}") }
        #expect(throws: LinearRegexError.self) { try LinearRegex("a{99999999999999999999}") }
        #expect(throws: LinearRegexError.self) { try LinearRegex("(?:a{100}){100}") }
        #expect(throws: LinearRegexError.self) { try LinearRegex(String(repeating: "(", count: 65) + String(repeating: ")", count: 65)) }
        // A body that compiles to nothing repeats to nothing, however deep.
        _ = try LinearRegex("((((){1000}){1000}){1000}){1000}")
        do {
            _ = try LinearRegex(String(repeating: "é", count: 600))
            Issue.record("a pattern of 1200 UTF-8 bytes was accepted")
        } catch {
            #expect(error.description.contains("1200 bytes"))
        }
    }
}
