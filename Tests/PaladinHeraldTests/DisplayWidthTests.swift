import PaladinCore
import PaladinHerald
import Testing

/// Display widths of grapheme clusters, one-line cleaning and truncation of table cells.
@Suite("Herald display width")
struct DisplayWidthTests {
    @Test(arguments: [
        ("", 0), ("abc", 3), ("e\u{301}", 1), ("\u{301}", 0), ("漢字テスト", 10), ("ｶﾞ", 2), ("한국어", 6),
        ("\u{1100}\u{1161}\u{11A8}", 2), ("👩‍👩‍👧‍👦", 2), ("🇺🇳", 2), ("👍🏽", 2), ("1️⃣", 2), ("❤️", 2), ("❤", 1),
        ("⌚", 2), ("⌚\u{FE0E}", 1), ("❤️‍🔥", 2), ("مرحبا", 5), ("שלום", 4), ("\u{200B}\u{200D}\u{FE0F}", 0),
        ("＊Ａ", 4), ("─│┌", 3), ("…⏎", 2), ("\t\n", 0), ("क्षि", 3), ("🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}", 2),
    ])
    func widths(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    @Test func characterWidthsMatchStringWidths() {
        for text in ["👩‍👩‍👧‍👦", "e\u{301}", "漢", "a"] { #expect(DisplayWidth.of(Character(text)) == DisplayWidth.of(text)) }
        #expect(DisplayWidth.of(Unicode.Scalar(0x301)!) == 0)
        #expect(DisplayWidth.of(Unicode.Scalar(0x6F22)!) == 2)
        #expect(DisplayWidth.of(Unicode.Scalar(0x41)!) == 1)
    }

    @Test func sanitizedMakesControlsVisibleOnOneLine() {
        #expect(DisplayWidth.sanitized("a\nb\r\nc\rd\u{2028}e\u{85}f") == "a⏎b⏎c⏎d⏎e⏎f")
        #expect(DisplayWidth.sanitized("tab\there") == "tab here")
        #expect(DisplayWidth.sanitized("\u{0}\u{1B}\u{7F}\u{9B}") == "␀␛␡\u{FFFD}")
        #expect(DisplayWidth.sanitized("x\u{202E}y\u{2066}z\u{2069}") == "xyz")
        #expect(DisplayWidth.sanitized("\u{301}start") == "\u{25CC}\u{301}start")
        #expect(DisplayWidth.sanitized("a\n\u{301}") == "a⏎\u{25CC}\u{301}")
        #expect(DisplayWidth.sanitized("e\u{301}") == "e\u{301}")
    }

    @Test(arguments: [
        ("👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦", 5, "👩‍👩‍👧‍👦👩‍👩‍👧‍👦…", 5),
        ("👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦", 4, "👩‍👩‍👧‍👦…", 3),
        ("👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦", 6, "👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦", 6),
        ("e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}", 5, "e\u{301}e\u{301}e\u{301}e\u{301}…", 5),
        ("漢字テスト", 6, "漢字…", 5),
        ("漢字テスト", 10, "漢字テスト", 10),
        ("漢字テスト", 1, "…", 1),
        ("مرحبا بالعالم", 6, "مرحبا…", 6),
        ("a\tb\nc\r\nd", 5, "a b⏎…", 5),
        ("abcdefgh", 4, "abc…", 4),
        ("abcd", 4, "abcd", 4),
        ("abc\u{301}defgh", 3, "ab…", 3),
        ("abc\u{301}d", 4, "abc\u{301}d", 4),
        ("🇺🇳🇺🇳", 3, "🇺🇳…", 3),
    ])
    func truncatesOnClusterBoundaries(text: String, maxWidth: Int, expected: String, width: Int) {
        let cell = DisplayWidth.cell(text, maxWidth: maxWidth)
        #expect(cell.text == expected)
        #expect(Array(cell.text.unicodeScalars) == Array(expected.unicodeScalars))
        #expect(cell.width == width)
        #expect(DisplayWidth.of(cell.text) == cell.width)
    }

    @Test func cutsNeverSplitAClusterOfRandomText() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let text = generator.nastyString()
            let full = DisplayWidth.sanitized(text)
            let limit = Int.random(in: 1...12, using: &generator)
            let cell = DisplayWidth.cell(text, maxWidth: limit)
            #expect(cell.width == DisplayWidth.of(cell.text))
            if cell.text != full {
                #expect(cell.width <= limit)
                #expect(cell.text.unicodeScalars.last == "…")
                // What is kept is whole clusters of the cleaned text.
                let kept = String(cell.text.unicodeScalars.dropLast())
                #expect(Array(full.prefix(kept.count)) == Array(kept))
            } else {
                #expect(cell.text == full)
            }
        }
    }

    @Test func aLimitBelowOneStillShowsSomething() {
        #expect(DisplayWidth.cell("hello", maxWidth: 0) == ("…", 1))
        #expect(DisplayWidth.cell("", maxWidth: 0) == ("", 0))
    }
}
