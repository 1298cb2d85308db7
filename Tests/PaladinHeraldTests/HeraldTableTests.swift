import PaladinCore
import PaladinHerald
import Testing

/// The table format: a real table (the 0.5.1 reference printed placeholders), aligned by display
/// width whatever the text, cut on grapheme clusters.
@Suite("Herald table")
struct HeraldTableTests {
    @Test func battalionUnicodeGolden() {
        let expected = #"""
        ┌───────────┬───────────┬────────┬────────┬────────────────────────────────┐
        │ member    │ status    │   time │ tokens │ output                         │
        ├───────────┼───────────┼────────┼────────┼────────────────────────────────┤
        │ scout     │ succeeded │ 12.3ms │     30 │ Found 2 leads | both "good"    │
        │ writer    │ failed    │  3.0ms │      5 │ error: timed out               │
        ├───────────┼───────────┼────────┼────────┼────────────────────────────────┤
        │ total     │ failed    │ 15.5ms │     35 │ Plan: run `swift build`.⏎Done. │
        │ error     │           │        │        │ writer failed                  │
        │ reasoning │           │        │        │ fixed order                    │
        └───────────┴───────────┴────────┴────────┴────────────────────────────────┘

        """#
        #expect(Herald.render(HeraldFixtures.battalion, as: .table) == expected)
    }

    @Test func battalionASCIINarrowGolden() {
        let expected = #"""
        +-----------+-----------+--------+--------+--------------+
        | member    | status    |   time | tokens | output       |
        +-----------+-----------+--------+--------+--------------+
        | scout     | succeeded | 12.3ms |     30 | Found 2 lea… |
        | writer    | failed    |  3.0ms |      5 | error: time… |
        +-----------+-----------+--------+--------+--------------+
        | total     | failed    | 15.5ms |     35 | Plan: run `… |
        | error     |           |        |        | writer fail… |
        | reasoning |           |        |        | fixed order  |
        +-----------+-----------+--------+--------+--------------+

        """#
        let options = HeraldOptions(tableStyle: .ascii, maxColumnWidth: 12)
        #expect(Herald.render(HeraldFixtures.battalion, as: .table, options: options) == expected)
    }

    @Test func paladinFieldsAsRowsGolden() {
        let expected = #"""
        ┌───────────────────┬──────────────────────────────┐
        │ field             │ value                        │
        ├───────────────────┼──────────────────────────────┤
        │ paladin           │ scout                        │
        │ stop reason       │ final                        │
        │ turns             │ 2                            │
        │ time              │ 1.50s                        │
        │ prompt tokens     │ 7                            │
        │ completion tokens │ 9                            │
        │ total tokens      │ 16                           │
        ├───────────────────┼──────────────────────────────┤
        │ tool 1            │ search({"q":"x|y"}) → 3 hits │
        ├───────────────────┼──────────────────────────────┤
        │ output            │ The answer is 42.            │
        └───────────────────┴──────────────────────────────┘

        """#
        #expect(Herald.render(HeraldFixtures.paladin, as: .table) == expected)
    }

    /// The reference TableHerald ignored its input and printed "example_paladin", "1.23s", "450".
    @Test func tableShowsTheResultNotReferencePlaceholderStub() {
        let result = BattalionResult(pattern: "phalanx", status: .completed, finalOutput: "merged", steps: [
            MemberStep(member: "alpha", status: .succeeded, output: "first", duration: .milliseconds(7),
                       usage: TokenUsage(promptTokens: 300, completionTokens: 21)),
            MemberStep(member: "beta", status: .skipped),
        ])
        let table = Herald.render(result, as: .table)
        for placeholder in ["example_paladin", "1.23s", "450"] { #expect(!table.contains(placeholder)) }
        let rows = table.split(separator: "\n").map(String.init)
        #expect(rows.contains("│ alpha  │ succeeded │ 7.0ms │    321 │ first  │"))
        #expect(rows.contains("│ beta   │ skipped   │ 0.0ms │      0 │        │"))
        #expect(rows.contains("│ total  │ completed │ 0.0ms │    321 │ merged │"))
    }

    /// The reference truncated by slicing UTF-8 bytes, which panics inside a multi-byte character.
    @Test func truncationCutsWholeClustersWhereReferenceSlicedBytes() {
        let texts = ["👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦", String(repeating: "e\u{301}", count: 12), "漢字テスト漢字テスト",
                     "مرحبا بالعالم", "tab\there\nnew line\r\nend"]
        for text in texts {
            for width in 1...14 {
                let step = MemberStep(member: "m", status: .succeeded, output: text)
                let table = Herald.render(BattalionResult(pattern: "p", status: .completed, finalOutput: text, steps: [step]),
                                          as: .table, options: HeraldOptions(maxColumnWidth: width))
                expectAligned(table)
                let cell = DisplayWidth.cell(text, maxWidth: width)
                #expect(cell.width <= width)
                let kept = cell.text.hasSuffix("…") ? String(cell.text.dropLast()) : cell.text
                #expect(DisplayWidth.sanitized(text).hasPrefix(kept))
                #expect(table.contains(cell.text))
            }
        }
    }

    @Test(arguments: [HeraldTableStyle.unicode, .ascii])
    func everyLineHasTheSameDisplayWidthForRandomText(style: HeraldTableStyle) {
        var generator = SeededGenerator(seed: 0x4845_5241_4C44)
        for round in 0..<300 {
            let steps = (0..<Int.random(in: 0...4, using: &generator)).map { index in
                MemberStep(member: generator.nastyString(maxPieces: 4), status: .succeeded, output: generator.nastyString(),
                           error: index == 1 ? generator.nastyString(maxPieces: 6) : nil,
                           usage: TokenUsage(promptTokens: Int.random(in: 0...99_999, using: &generator)))
            }
            let result = BattalionResult(pattern: "p", status: .completed, finalOutput: generator.nastyString(), steps: steps,
                                         error: round % 3 == 0 ? generator.nastyString() : nil,
                                         reasoning: round % 5 == 0 ? generator.nastyString() : nil)
            let width = [1, 2, 3, 5, 8, 13, 60][round % 7]
            let options = HeraldOptions(tableStyle: style, maxColumnWidth: width)
            expectAligned(Herald.render(result, as: .table, options: options), "round \(round)")
            let paladin = PaladinResult(paladin: generator.nastyString(maxPieces: 3), output: generator.nastyString(),
                                        toolCalls: [ToolCall(id: "1", name: generator.nastyString(maxPieces: 2), arguments: generator.nastyString())])
            expectAligned(Herald.render(paladin, as: .table, options: options), "round \(round)")
        }
    }

    @Test func columnsNeverExceedTheLimit() {
        let long = String(repeating: "漢a👍", count: 40)
        let result = BattalionResult(pattern: "p", status: .completed, finalOutput: long,
                                     steps: [MemberStep(member: long, status: .succeeded, output: long)])
        for width in [1, 4, 10, 60] {
            let table = Herald.render(result, as: .table, options: HeraldOptions(maxColumnWidth: width))
            let line = String(table.split(separator: "\n")[0])
            // Five columns of at most `width` (at least the headers' own, cut too), borders and padding.
            #expect(DisplayWidth.of(line) <= 5 * (width + 3) + 1)
            expectAligned(table)
        }
    }

    @Test func controlCharactersAreShownNotPrinted() {
        let result = PaladinResult(paladin: "p", output: "a\tb\nc\r\nd\u{1B}[31m\u{7F}\u{0}")
        let table = Herald.render(result, as: .table)
        #expect(table.contains("│ output            │ a b⏎c⏎d␛[31m␡␀ │"))
        for scalar in table.unicodeScalars where scalar != "\n" { #expect(scalar.value >= 0x20 && scalar.value != 0x7F) }
    }
}

/// Every line of `table` (split on its newlines) has the same display width, and it ends in one newline.
func expectAligned(_ table: String, _ note: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(table.hasSuffix("\n"), sourceLocation: sourceLocation)
    let lines = table.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    let widths = Set(lines.map { DisplayWidth.of(String($0)) })
    #expect(widths.count == 1, "\(note): widths \(widths)\n\(table)", sourceLocation: sourceLocation)
}
