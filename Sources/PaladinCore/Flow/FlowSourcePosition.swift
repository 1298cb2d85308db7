/// A place in Flow DSL source, given both ways tools need it: a UTF-8 byte offset for slicing
/// buffers, and a line and column in characters for people.
public struct FlowSourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Bytes of UTF-8 before this position (0-based).
    public var offset: Int
    /// 1-based line; only multi-line source has lines other than 1.
    public var line: Int
    /// 1-based column within `line`, counted in characters (extended grapheme clusters).
    public var column: Int

    /// Creates a position from its byte offset, line and column.
    public init(offset: Int, line: Int = 1, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// The start of any source: offset 0, line 1, column 1.
    public static let start = FlowSourcePosition(offset: 0, line: 1, column: 1)

    /// Orders positions by where they occur in the source.
    public static func < (lhs: FlowSourcePosition, rhs: FlowSourcePosition) -> Bool {
        (lhs.offset, lhs.line, lhs.column) < (rhs.offset, rhs.line, rhs.column)
    }

    /// `line:column`, as compilers print it.
    public var description: String { "\(line):\(column)" }
}
