/// Every mistake found in a configuration file, each with its path in the file.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    /// One mistake: where (`server.limits.max_frame_size`) and what.
    public struct Problem: Sendable, Hashable {
        public var path: String
        public var message: String
    }

    public var file: String
    public var problems: [Problem]

    public var description: String {
        (["\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s")"]
            + problems.map { "  \($0.path.isEmpty ? "(top level)" : $0.path): \($0.message)" })
            .joined(separator: "\n")
    }
}
