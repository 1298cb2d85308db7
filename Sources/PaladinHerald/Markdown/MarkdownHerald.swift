import PaladinCore

/// The Markdown format: a heading, the status, the output in a fenced block, a pipe table of steps
/// (or tool calls), and a totals table. Ends with a newline.
enum MarkdownHerald {
    static func render(_ result: PaladinResult) -> String {
        var md = TextBuffer(capacity: 640 + result.output.utf8.count + result.toolCalls.count * 128)
        md.append("## Paladin: ")
        md.append(markdownLine: result.paladin)
        md.append("\n\n**Stop reason:** ")
        md.append(string: result.stopReason.rawValue)
        md.append("\n\n### Output\n\n")
        md.append(markdownFenced: result.output)
        let tools = result.heraldToolRows
        if !tools.isEmpty {
            md.append("\n### Tool calls\n\n| # | Tool | Call | Arguments | Result |\n| --: | --- | --- | --- | --- |\n")
            for (index, row) in tools.enumerated() {
                md.append("| ")
                md.append(decimal: index + 1)
                cell(row.call?.name ?? row.result?.name ?? "", &md)
                cell(row.call?.id ?? row.result?.callID ?? "", &md)
                cell(row.call?.arguments ?? "", &md)
                cell(row.result?.heraldOutput ?? "", &md)
                md.append(" |\n")
            }
        }
        md.append("\n### Totals\n\n| Turns | Time | Prompt tokens | Completion tokens | Total tokens |\n")
        md.append("| --: | --: | --: | --: | --: |\n| ")
        md.append(decimal: result.turns)
        md.append(" | ")
        md.append(humanDuration: result.duration)
        tokens(result.usage, &md)
        return md.string
    }

    static func render(_ result: BattalionResult) -> String {
        var bytes = 900 + result.finalOutput.utf8.count
        for step in result.steps { bytes += 96 + step.member.utf8.count + step.output.utf8.count * 17 / 16 }
        var md = TextBuffer(capacity: bytes)
        md.append("## Battalion: ")
        md.append(markdownLine: result.pattern)
        md.append("\n\n**Status:** ")
        md.append(string: result.status.rawValue)
        md.append("\n\n")
        if let error = result.error {
            md.append("**Error:** ")
            md.append(markdownLine: error)
            md.append("\n\n")
        }
        if let reasoning = result.reasoning {
            md.append("**Reasoning:** ")
            md.append(markdownLine: reasoning)
            md.append("\n\n")
        }
        md.append("### Final output\n\n")
        md.append(markdownFenced: result.finalOutput)
        md.append("\n### Steps\n\n")
        if result.steps.isEmpty {
            md.append("_No steps ran._\n")
        } else {
            md.append("| # | Member | Status | Started | Time | Tokens | Attempts | Output |\n")
            md.append("| --: | --- | --- | --: | --: | --: | --: | --- |\n")
        }
        for index in result.steps.indices {
            let step = result.steps[index]
            md.append("| ")
            md.append(decimal: index + 1)
            cell(step.member, &md)
            md.append(" | ")
            md.append(string: step.status.rawValue)
            md.append(" | ")
            md.append(humanDuration: step.startedAt)
            md.append(" | ")
            md.append(humanDuration: step.duration)
            md.append(" | ")
            md.append(decimal: step.usage.totalTokens)
            md.append(" | ")
            md.append(decimal: step.attempts)
            cell(step.output, &md)
            if let error = step.error {
                md.append(step.output.isEmpty ? "error: " : "<br>error: ")
                md.append(markdownCell: error)
            }
            md.append(" |\n")
        }
        md.append("\n### Totals\n\n| Steps | Succeeded | Failed | Time | Prompt tokens | Completion tokens | Total tokens |\n")
        md.append("| --: | --: | --: | --: | --: | --: | --: |\n| ")
        md.append(decimal: result.steps.count)
        md.append(" | ")
        md.append(decimal: result.succeeded)
        md.append(" | ")
        md.append(decimal: result.failed)
        md.append(" | ")
        md.append(humanDuration: result.duration)
        tokens(result.usage, &md)
        return md.string
    }

    /// ` | ` and `text` escaped for a table cell.
    private static func cell(_ text: String, _ md: inout TextBuffer) {
        md.append(" | ")
        md.append(markdownCell: text)
    }

    /// The three token columns, then the end of the row.
    private static func tokens(_ usage: TokenUsage, _ md: inout TextBuffer) {
        md.append(" | ")
        md.append(decimal: usage.promptTokens)
        md.append(" | ")
        md.append(decimal: usage.completionTokens)
        md.append(" | ")
        md.append(decimal: usage.totalTokens)
        md.append(" |\n")
    }
}
