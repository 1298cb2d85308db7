import PaladinCore

extension PaladinResult {
    /// Each tool call with the result quoting its id (if any), then results no call asked for,
    /// as the Markdown and table formats list them.
    var heraldToolRows: [(call: ToolCall?, result: ToolResult?)] {
        var rows: [(call: ToolCall?, result: ToolResult?)] = []
        var used = Set<Int>()
        for call in toolCalls {
            let index = toolResults.indices.first { !used.contains($0) && toolResults[$0].callID == call.id }
            if let index { used.insert(index) }
            rows.append((call, index.map { toolResults[$0] }))
        }
        for index in toolResults.indices where !used.contains(index) { rows.append((nil, toolResults[index])) }
        return rows
    }
}
