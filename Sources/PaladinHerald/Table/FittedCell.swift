/// A table cell's text as `DisplayWidth.fit` left it: the first `byteCount` UTF-8 bytes of `text`,
/// then `…` when `ellipsis` is set, `width` columns wide. Plain ASCII is cut this way without
/// building a new string.
struct FittedCell {
    var text: String
    var byteCount: Int
    var ellipsis: Bool
    var width: Int

    /// The cell as one string.
    var string: String {
        guard ellipsis || byteCount < text.utf8.count else { return text }
        let end = text.utf8.index(text.utf8.startIndex, offsetBy: byteCount)
        return String(text[..<end]) + (ellipsis ? "…" : "")
    }
}

extension TextBuffer {
    /// Appends the cell's text.
    mutating func append(_ cell: FittedCell) {
        ByteScan.withUTF8(cell.text) { append(contentsOf: UnsafeBufferPointer(rebasing: $0.prefix(cell.byteCount))) }
        if cell.ellipsis { append("…") }
    }
}
