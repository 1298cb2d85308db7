extension DisplayWidth {
    /// `text` made fit for one line of a table cell at most `maxWidth` columns wide (at least 1),
    /// and the columns it then occupies.
    ///
    /// Line breaks (`\n`, `\r\n`, `\r`, U+0085, U+2028, U+2029) become `⏎`, a tab becomes a space,
    /// other control characters become their Control Pictures symbol (`␀`, `␛`, `␡`; C1 controls
    /// `�`), and bidi embedding, override and isolate controls are dropped so a cell cannot reorder
    /// the rest of its line. A combining mark or joiner with nothing to attach to gets a dotted
    /// circle (`◌́`) so it cannot merge with the padding before it. Text wider than `maxWidth` is
    /// cut on a grapheme-cluster boundary (a cluster is never split) and ends with `…`.
    public static func cell(_ text: String, maxWidth: Int) -> (text: String, width: Int) {
        let limit = max(1, maxWidth)
        // Printable ASCII needs no cleaning and takes one column a byte: cut by bytes, no
        // grapheme breaking.
        var contiguous = text
        if contiguous.withUTF8({ $0.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }) {
            let count = text.utf8.count
            guard count > limit else { return (text, count) }
            return (String(decoding: text.utf8.prefix(limit - 1), as: UTF8.self) + "…", limit)
        }
        var out = ""
        var width = 0
        var keptBytes = 0
        var truncated = false
        var atStart = true
        for character in text {
            let replacement = replacement(for: character)
            if replacement?.isEmpty == true {
                atStart = true
                continue
            }
            var piece = replacement ?? String(character)
            if replacement == nil && atStart && needsBase(character) { piece = "\u{25CC}" + piece }
            let pieceWidth = replacement == nil ? of(piece) : 1
            if width + pieceWidth > limit {
                truncated = true
                break
            }
            out += piece
            width += pieceWidth
            if width < limit { keptBytes = out.utf8.count }
            atStart = replacement != nil
        }
        if truncated {
            out = String(decoding: out.utf8.prefix(keptBytes), as: UTF8.self)
            // A prepended mark (U+0600…) would fuse with the ellipsis: cut before it too.
            while let last = out.last, last.utf8.first! > 0x7E, mergesWithNext(last) { out.removeLast() }
            out += "…"
        } else if let last = out.unicodeScalars.last, last.value > 0x7E, mergesWithNext(out.last!) {
            out += "\u{200B}"
        }
        return (out, of(out))
    }

    /// `text` on one line with control characters made visible, as in `cell(_:maxWidth:)`, uncut.
    public static func sanitized(_ text: String) -> String { cell(text, maxWidth: .max).text }

    /// What to show instead of `character` in a one-line cell: `nil` keeps it, `""` drops it.
    private static func replacement(for character: Character) -> String? {
        let first = character.unicodeScalars.first!.value
        switch first {
        case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: return "⏎"
        case 0x09: return " "
        case 0x00..<0x20: return String(Unicode.Scalar(0x2400 + first)!)
        case 0x7F: return "␡"
        case 0x80..<0xA0: return "\u{FFFD}"
        case 0x202A...0x202E, 0x2066...0x2069: return ""
        default: return nil
        }
    }

    /// Whether `character` would join the cluster before it (a lone combining mark, joiner,
    /// variation selector, spacing mark or emoji modifier), asked of the standard library's own
    /// grapheme breaking.
    private static func needsBase(_ character: Character) -> Bool {
        guard character.unicodeScalars.first!.value >= 0x300 else { return false }
        var probe = " "
        probe.append(character)
        return probe.count == 1
    }

    /// Whether `character` would join the cluster after it (a prepended concatenation mark).
    private static func mergesWithNext(_ character: Character) -> Bool {
        var probe = String(character)
        probe.append(" ")
        return probe.count == 1
    }
}
