/// How Herald renders: JSON layout and table styling. Every format ignores what does not apply to it.
public struct HeraldOptions: Sendable, Hashable {
    /// JSON only: indent two spaces per level and put one member per line. NDJSON is always compact.
    public var pretty: Bool
    /// Table only: box-drawing or ASCII borders.
    public var tableStyle: HeraldTableStyle
    /// Table only: the widest a cell may be, in display columns (at least 1). Longer text is cut
    /// on a grapheme-cluster boundary and ends with `…`.
    public var maxColumnWidth: Int

    /// Options with compact JSON, Unicode borders and 60-column cells by default.
    public init(pretty: Bool = false, tableStyle: HeraldTableStyle = .unicode, maxColumnWidth: Int = 60) {
        self.pretty = pretty
        self.tableStyle = tableStyle
        self.maxColumnWidth = maxColumnWidth
    }
}
