import PaladinCore

/// The table format: the result's fields or steps as rows of a bordered `TextTable`.
enum TableHerald {
    /// One row per field: paladin, stop reason, turns, time, tokens, each tool call, output.
    static func render(_ result: PaladinResult, options: HeraldOptions) -> String {
        let tools = result.heraldToolRows
        var table = TextTable(headers: ["field", "value"], rightAligned: [false, false], rows: 8 + tools.count)
        table.row("paladin", result.paladin)
        table.row("stop reason", result.stopReason.rawValue)
        table.row("turns", String(result.turns))
        table.row("time", DurationText.human(result.duration))
        table.row("prompt tokens", String(result.usage.promptTokens))
        table.row("completion tokens", String(result.usage.completionTokens))
        table.row("total tokens", String(result.usage.totalTokens))
        table.rule()
        for (index, tool) in tools.enumerated() { table.row("tool \(index + 1)", toolSummary(tool.call, tool.result)) }
        table.rule()
        table.row("output", result.output)
        return table.render(style: options.tableStyle, maxColumnWidth: options.maxColumnWidth)
    }

    /// Columns member | status | time | tokens | output: one row per step, then the run's total
    /// (status, duration, tokens, final output), its error and its reasoning.
    static func render(_ result: BattalionResult, options: HeraldOptions) -> String {
        var table = TextTable(headers: ["member", "status", "time", "tokens", "output"],
                              rightAligned: [false, false, true, true, false], rows: result.steps.count + 3)
        for step in result.steps {
            table.row(step.member, step.status.rawValue, DurationText.human(step.duration),
                      String(step.usage.totalTokens), step.heraldOutput)
        }
        table.rule()
        table.row("total", result.status.rawValue, DurationText.human(result.duration),
                  String(result.usage.totalTokens), result.finalOutput)
        if let error = result.error { table.row("error", "", "", "", error) }
        if let reasoning = result.reasoning { table.row("reasoning", "", "", "", reasoning) }
        return table.render(style: options.tableStyle, maxColumnWidth: options.maxColumnWidth)
    }

    /// `name(arguments) → output`, with whichever half exists.
    private static func toolSummary(_ call: ToolCall?, _ result: ToolResult?) -> String {
        let asked = call.map { "\($0.name)(\($0.arguments))" } ?? result.map(\.name) ?? ""
        guard let result else { return asked }
        return "\(asked) → \(result.heraldOutput)"
    }
}
