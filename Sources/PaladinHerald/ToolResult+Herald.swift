import PaladinCore

extension ToolResult {
    /// The result's output, marked when the tool failed.
    var heraldOutput: String { isError ? "error: \(output)" : output }
}
