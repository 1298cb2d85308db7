extension Phalanx {
    /// Whether no name repeats. Checked on every run: a pairwise scan for small phalanxes (no
    /// hashing, no set to allocate), a set beyond.
    static func areDistinct(_ names: [String]) -> Bool {
        guard names.count > 16 else {
            for index in names.indices.dropFirst() where names[..<index].contains(names[index]) { return false }
            return true
        }
        return Set(names).count == names.count
    }

    /// `text` without leading and trailing Unicode white space (newlines included): the same
    /// scalars as Foundation's `.whitespacesAndNewlines`, without Foundation's bridging.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex { !$0.properties.isWhitespace }!
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[first...last])
    }
}
