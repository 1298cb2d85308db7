import PaladinCore

/// The Markdown format: a heading, the status, the output in a fenced block, a pipe table of steps
/// (or tool calls), and a totals table. Ends with a newline.
enum MarkdownHerald {
    static func render(_ result: PaladinResult) -> String {
        var md = "## Paladin: \(MarkdownEscaping.line(result.paladin))\n\n"
        md += "**Stop reason:** \(result.stopReason.rawValue)\n\n"
        md += "### Output\n\n"
        md += MarkdownEscaping.fenced(result.output)
        let tools = result.heraldToolRows
        if !tools.isEmpty {
            md += "\n### Tool calls\n\n"
            md += row(["#", "Tool", "Call", "Arguments", "Result"])
            md += row(["--:", "---", "---", "---", "---"])
            for (index, tool) in tools.enumerated() {
                md += row([
                    String(index + 1),
                    MarkdownEscaping.cell(tool.call?.name ?? tool.result?.name ?? ""),
                    MarkdownEscaping.cell(tool.call?.id ?? tool.result?.callID ?? ""),
                    MarkdownEscaping.cell(tool.call?.arguments ?? ""),
                    MarkdownEscaping.cell(tool.result?.heraldOutput ?? ""),
                ])
            }
        }
        md += "\n### Totals\n\n"
        md += row(["Turns", "Time", "Prompt tokens", "Completion tokens", "Total tokens"])
        md += row(["--:", "--:", "--:", "--:", "--:"])
        md += row([String(result.turns), DurationText.human(result.duration)] + tokens(result.usage))
        return md
    }

    static func render(_ result: BattalionResult) -> String {
        var md = "## Battalion: \(MarkdownEscaping.line(result.pattern))\n\n"
        md += "**Status:** \(result.status.rawValue)\n\n"
        if let error = result.error { md += "**Error:** \(MarkdownEscaping.line(error))\n\n" }
        if let reasoning = result.reasoning { md += "**Reasoning:** \(MarkdownEscaping.line(reasoning))\n\n" }
        md += "### Final output\n\n"
        md += MarkdownEscaping.fenced(result.finalOutput)
        md += "\n### Steps\n\n"
        if result.steps.isEmpty {
            md += "_No steps ran._\n"
        } else {
            md += row(["#", "Member", "Status", "Started", "Time", "Tokens", "Attempts", "Output"])
            md += row(["--:", "---", "---", "--:", "--:", "--:", "--:", "---"])
        }
        for (index, step) in result.steps.enumerated() {
            md += row([
                String(index + 1),
                MarkdownEscaping.cell(step.member),
                step.status.rawValue,
                DurationText.human(step.startedAt),
                DurationText.human(step.duration),
                String(step.usage.totalTokens),
                String(step.attempts),
                output(of: step),
            ])
        }
        md += "\n### Totals\n\n"
        md += row(["Steps", "Succeeded", "Failed", "Time", "Prompt tokens", "Completion tokens", "Total tokens"])
        md += row(["--:", "--:", "--:", "--:", "--:", "--:", "--:"])
        md += row([String(result.steps.count), String(result.succeeded), String(result.failed),
                   DurationText.human(result.duration)] + tokens(result.usage))
        return md
    }

    /// One table row: `| a | b |` and a newline; the cells are already escaped.
    private static func row(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |\n"
    }

    /// The step's output cell: its output, then its error (if any) after a line break.
    private static func output(of step: MemberStep) -> String {
        let output = MarkdownEscaping.cell(step.output)
        guard let error = step.error else { return output }
        return output + (step.output.isEmpty ? "error: " : "<br>error: ") + MarkdownEscaping.cell(error)
    }

    /// The three token columns.
    private static func tokens(_ usage: TokenUsage) -> [String] {
        [String(usage.promptTokens), String(usage.completionTokens), String(usage.totalTokens)]
    }
}
