/// The output formats Herald renders results in.
public enum HeraldFormat: String, Sendable, CaseIterable {
    /// One JSON document with a stable key order (`application/json`).
    case json
    /// A Markdown report: heading, status, fenced final output, steps table, totals (`text/markdown`).
    case markdown
    /// A bordered text table for terminals, aligned by display width (`text/plain`).
    case table
}
