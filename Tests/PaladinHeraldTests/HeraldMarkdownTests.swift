import PaladinCore
import PaladinHerald
import Testing

/// The Markdown format: exact output for a small fixed result, fences that outgrow any backtick
/// run, and table cells that cannot break their row.
@Suite("Herald Markdown")
struct HeraldMarkdownTests {
    @Test func battalionGolden() {
        let expected = #"""
        ## Battalion: formation

        **Status:** failed

        **Error:** writer failed

        **Reasoning:** fixed order

        ### Final output

        ```
        Plan: run `swift build`.
        Done.
        ```

        ### Steps

        | # | Member | Status | Started | Time | Tokens | Attempts | Output |
        | --: | --- | --- | --: | --: | --: | --: | --- |
        | 1 | scout | succeeded | 0.0ms | 12.3ms | 30 | 1 | Found 2 leads \| both "good" |
        | 2 | writer | failed | 12.3ms | 3.0ms | 5 | 2 | error: timed out |

        ### Totals

        | Steps | Succeeded | Failed | Time | Prompt tokens | Completion tokens | Total tokens |
        | --: | --: | --: | --: | --: | --: | --: |
        | 2 | 1 | 1 | 15.5ms | 15 | 20 | 35 |

        """#
        #expect(Herald.render(HeraldFixtures.battalion, as: .markdown) == expected)
    }

    @Test func paladinGolden() {
        let expected = #"""
        ## Paladin: scout

        **Stop reason:** final

        ### Output

        ```
        The answer is 42.
        ```

        ### Tool calls

        | # | Tool | Call | Arguments | Result |
        | --: | --- | --- | --- | --- |
        | 1 | search | c1 | {"q":"x\|y"} | 3 hits |

        ### Totals

        | Turns | Time | Prompt tokens | Completion tokens | Total tokens |
        | --: | --: | --: | --: | --: |
        | 2 | 1.50s | 7 | 9 | 16 |

        """#
        #expect(Herald.render(HeraldFixtures.paladin, as: .markdown) == expected)
    }

    @Test(arguments: [
        ("plain", 3), ("one ` tick", 3), ("``` three", 4), ("a ```` four\n```", 5), (String(repeating: "`", count: 9), 10),
        ("ends with ``", 3),
    ])
    func fenceIsLongerThanAnyBacktickRun(output: String, fence: Int) {
        let markdown = Herald.render(BattalionResult(pattern: "p", status: .completed, finalOutput: output, steps: []), as: .markdown)
        let ticks = String(repeating: "`", count: fence)
        let block = "### Final output\n\n\(ticks)\n\(output)\n\(ticks)\n"
        #expect(markdown.contains(block))
        // No line inside the block is a fence that could close it.
        for line in output.split(separator: "\n") { #expect(!line.hasPrefix(ticks)) }
    }

    @Test func fenceKeepsATrailingNewlineAndEmptyOutput() {
        let withNewline = Herald.render(PaladinResult(paladin: "p", output: "x\n"), as: .markdown)
        #expect(withNewline.contains("```\nx\n```\n"))
        let empty = Herald.render(PaladinResult(paladin: "p", output: ""), as: .markdown)
        #expect(empty.contains("### Output\n\n```\n```\n"))
    }

    @Test func cellsEscapePipesAndLineBreaks() {
        let step = MemberStep(member: "a|b", status: .failed, output: "one\ntwo\r\nthree\rfour | five", error: "bad|worse")
        let markdown = Herald.render(BattalionResult(pattern: "p", status: .failed, finalOutput: "", steps: [step]), as: .markdown)
        #expect(markdown.contains("| 1 | a\\|b | failed | 0.0ms | 0.0ms | 0 | 0 | one<br>two<br>three<br>four \\| five<br>error: bad\\|worse |\n"))
        // Every steps-table row still has exactly nine unescaped pipes.
        let row = Array(markdown.split(separator: "\n").first { $0.hasPrefix("| 1 | a") }!.utf8)
        let unescaped = row.indices.filter { row[$0] == UInt8(ascii: "|") && ($0 == 0 || row[$0 - 1] != UInt8(ascii: "\\")) }
        #expect(unescaped.count == 9)
    }

    @Test func escapeHeavyCellsResumeCleanlyAcrossBufferGrowth() {
        // Every byte expands (a pipe to two bytes, a line break to four); CRLF pairs must still
        // become one <br> wherever the writer stops to grow its buffer.
        for prefix in ["", "x", "xy"] {
            let output = prefix + String(repeating: "|\r\n", count: 3000) + "\r"
            let step = MemberStep(member: "m", status: .succeeded, output: output)
            let markdown = Herald.render(BattalionResult(pattern: "p", status: .completed, finalOutput: "", steps: [step]), as: .markdown)
            let expected = prefix + String(repeating: "\\|<br>", count: 3000) + "<br>"
            #expect(markdown.contains("| 1 | m | succeeded | 0.0ms | 0.0ms | 0 | 0 | \(expected) |\n"))
        }
    }

    @Test func headingsAndFieldsStayOnOneLine() {
        let result = BattalionResult(pattern: "two\nlines", status: .failed, finalOutput: "", steps: [], error: "e1\r\ne2", reasoning: "r1\nr2")
        let markdown = Herald.render(result, as: .markdown)
        #expect(markdown.hasPrefix("## Battalion: two lines\n\n**Status:** failed\n\n**Error:** e1 e2\n\n**Reasoning:** r1 r2\n\n"))
        #expect(markdown.contains("### Steps\n\n_No steps ran._\n"))
    }

    @Test func toolResultsWithoutACallStillAppear() {
        let result = PaladinResult(paladin: "p", output: "", toolCalls: [ToolCall(id: "a", name: "t", arguments: "{}")],
                                   toolResults: [ToolResult(callID: "zz", name: "orphan", output: "boom", isError: true)])
        let markdown = Herald.render(result, as: .markdown)
        #expect(markdown.contains("| 1 | t | a | {} |  |\n| 2 | orphan | zz |  | error: boom |\n"))
    }

    @Test func fenceCountsACRLFEndingAsANewline() {
        let markdown = Herald.render(PaladinResult(paladin: "p", output: "x\r\n"), as: .markdown)
        #expect(markdown.contains("### Output\n\n```\nx\r\n```\n"))
    }

    @Test(arguments: [
        (Duration.microseconds(12_345), "12.3ms"), (.microseconds(999_949), "999.9ms"), (.microseconds(999_950), "1.00s"),
        (.milliseconds(3_250), "3.25s"), (.microseconds(59_996_000), "1m00s"), (.seconds(125), "2m05s"),
        (.seconds(3_720), "1h02m"), (.seconds(3_599) + .milliseconds(600), "1h00m"), (.milliseconds(-2), "-2.0ms"),
        (.nanoseconds(-400), "0.0ms"),
    ])
    func humanDurationsRoundWithinEachUnit(duration: Duration, text: String) {
        let markdown = Herald.render(PaladinResult(paladin: "p", output: "", duration: duration), as: .markdown)
        #expect(markdown.hasSuffix("| --: | --: | --: | --: | --: |\n| 1 | \(text) | 0 | 0 | 0 |\n"))
    }
}
