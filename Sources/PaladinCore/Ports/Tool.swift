/// Something a paladin can call: a function, a search, an MCP tool.
public protocol Tool: Sendable {
    /// Name, description and argument schema shown to the model.
    var spec: ToolSpec { get }
    /// Runs the tool with the model's JSON arguments and returns text for the model.
    /// Throwing reports the error to the model as the tool's result (it does not fail the run).
    func call(arguments: String) async throws -> String
}

/// A tool from a closure.
public struct ClosureTool: Tool {
    public let spec: ToolSpec
    private let body: @Sendable (String) async throws -> String

    public init(_ spec: ToolSpec, _ body: @escaping @Sendable (String) async throws -> String) {
        self.spec = spec
        self.body = body
    }

    public func call(arguments: String) async throws -> String { try await body(arguments) }
}
