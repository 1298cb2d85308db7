import PaladinCore
import Testing

/// `LinearRegex` searches: agreement with Swift `Regex` on a table, and the documented
/// differences of scalar matching.
@Suite("LinearRegex matching")
struct LinearRegexMatchTests {
    static let agreed: [(String, String)] = [
        ("abc", "xxabcxx"), ("abc", "ab"), ("a.c", "abc"), ("a.c", "a\nc"), ("(?s)a.c", "a\nc"), ("^ab", "ab"), ("^ab", "cab"),
        ("ab$", "cab"), ("ab$", "ab\n"), ("(?m)^b", "a\nb"), ("(?m)a$", "a\nb"), (#"a\Z"#, "a\n"), (#"a\Z"#, "a\n\n"),
        (#"a\z"#, "a\n"), (#"\Ab"#, "ab"), ("[a-c]+d", "xbbd"), ("[^a-c]", "abc"), ("[^a-c]", "abcd"), (#"\d{3}"#, "ab123"),
        (#"\d{3}"#, "ab12"), (#"\w+@\w+"#, "mail me@host"), (#"\s"#, "ab"), (#"\S"#, "  "), (#"\bis\b"#, "this is"),
        (#"\bis\b"#, "this"), (#"\Bis"#, "this"), ("colou?r", "color"), ("colou?r", "colouur"), ("a{2,3}b", "aab"),
        ("a{2,3}b", "ab"), ("a{2,}b", "aaaaab"), ("a{,2}b", "b"), ("(?i)VERDICT: approved", "verdict: APPROVED"),
        ("(?i)[a-c]x", "BX"), ("(?i)[^a]", "A"), ("(?i:a)b", "AB"), ("(?i:a)b", "Ab"), ("(cat|dog)s", "dogs"),
        ("(cat|dog)s", "cats"), ("(cat|dog)s", "cows"), ("x*", ""), ("^$", ""), ("^$", "a"), ("a|", "b"), ("(a|ab)c", "abc"),
        (#"score is (8|9)\d\b"#, "The score is 87 out of 100"), (#"score is [0-7]?\d\b"#, "The score is 87 out of 100"),
        ("a{", "a{"), ("a{,}", "a{,}"), (#"\x41\u{42}"#, "AB"), ("é+", "caféé"), ("[é-ë]", "è"), (#"\d"#, "\u{0663}"),
        (#"\w"#, "é"), (#"\s"#, "\u{A0}"), (".", "\u{2028}"), ("(?s).", "\u{2028}"), ("a.b", "a\rb"), ("😀+", "x😀😀"),
        ("a(?#note)b", "ab"), ("(a*)*b", "aaab"), ("(a*)*b", "aaa"), ("a{0}b", "b"), ("[-a]", "-"), ("[a-]", "-"),
    ]

    @Test("Agrees with Swift Regex", arguments: agreed)
    func agreesWithSwiftRegex(_ pattern: String, _ text: String) throws {
        let expected = text.contains(try Regex(pattern).wordBoundaryKind(.simple))
        #expect(try LinearRegex(pattern).matches(in: text) == expected)
    }

    @Test("Matching is by Unicode scalar, not by grapheme cluster as Swift Regex does")
    func scalarSemantics() throws {
        let decomposed = "cafe\u{301}"  // "café" with a combining accent
        #expect(try LinearRegex("cafe").matches(in: decomposed))
        #expect(try LinearRegex("^.{5}$").matches(in: decomposed))
        #expect(try LinearRegex(#"\n"#).matches(in: "a\r\nb"))
        #expect(try !LinearRegex("a.b").matches(in: "a\r\nb"))
        #expect(try !LinearRegex("(?m)^$").matches(in: "a\r\nb"))  // no line start between CR and LF
    }

    @Test func caseInsensitivityUsesSimpleCaseMappings() throws {
        #expect(try LinearRegex("(?i)k").matches(in: "\u{212A}"))  // KELVIN SIGN
        #expect(try LinearRegex("(?i)É").matches(in: "é"))
        #expect(try !LinearRegex("(?i)ß").matches(in: "SS"))
        #expect(try LinearRegex("(?i)ÉCOLE").matches(in: "une école"))
    }

    @Test func lazyQuantifiersMatchWhereGreedyOnesDo() throws {
        for text in ["<a><b>", "<>", "<a"] {
            #expect(try LinearRegex("<.*?>").matches(in: text) == LinearRegex("<.*>").matches(in: text))
        }
    }

    @Test func longTextsAndLateMatches() throws {
        let filler = String(repeating: "lorem ipsum dolor sit amet, ", count: 4000)
        #expect(try LinearRegex(#"VERDICT: (APPROVED|REJECTED)\b"#).matches(in: filler + "VERDICT: APPROVED."))
        #expect(try !LinearRegex(#"VERDICT: (APPROVED|REJECTED)\b"#).matches(in: filler + "VERDICT: APPROVEDX"))
        #expect(try LinearRegex("amet, $").matches(in: filler))
        #expect(try LinearRegex(#"\bsit\b"#).matches(in: "é" + filler))
    }
}
