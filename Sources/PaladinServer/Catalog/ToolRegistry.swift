import Foundation
import PaladinCore

/// The tools paladins may name, by name. A wire client cannot ship code, so a paladin created
/// over the wire can only use tools the server knows.
public struct ToolRegistry: Sendable {
    private var tools: [String: any Tool]

    /// - Parameter tools: the tools to offer; later ones replace earlier ones of the same name.
    public init(_ tools: [any Tool] = []) {
        var byName: [String: any Tool] = [:]
        for tool in tools { byName[tool.spec.name] = tool }
        self.tools = byName
    }

    /// The tools named `names`; unknown names are left out (the agent reports them).
    public func tools(named names: [String]) -> [any Tool] { names.compactMap { tools[$0] } }

    /// Whether a tool of this name exists.
    public func contains(_ name: String) -> Bool { tools[name] != nil }

    /// Known names, sorted.
    public var names: [String] { tools.keys.sorted() }

    /// The built-in tools every server offers: small, pure, safe to expose to any model.
    public static let builtIn = ToolRegistry([BuiltInTools.currentTime, BuiltInTools.wordCount])
}

/// Tools the server ships with.
enum BuiltInTools {
    /// The current UTC time in ISO 8601.
    static let currentTime = ClosureTool(
        ToolSpec(name: "current_time", description: "The current date and time in UTC, ISO 8601.")) { _ in
        Date.now.formatted(.iso8601)
    }

    /// Counts the words of `text`.
    static let wordCount = ClosureTool(
        ToolSpec(name: "word_count", description: "Counts the words in a text.",
                 parametersSchema: #"{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}"#)) { arguments in
        guard let data = arguments.data(using: .utf8),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let text = object["text"] as? String else {
            throw BattalionError("word_count needs a JSON object with a string \"text\"")
        }
        return String(text.split(whereSeparator: { $0.isWhitespace }).count)
    }
}
