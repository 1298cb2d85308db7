extension TextBuffer {
    /// Appends `text` inside a Markdown pipe-table cell (see `MarkdownEscaping.cell`).
    mutating func append(markdownCell text: String) { append(text, through: MarkdownEscaping.cell) }

    /// Appends `text` on one line (each line break becomes a space), for headings and fields.
    mutating func append(markdownLine text: String) { append(text, through: MarkdownEscaping.line) }

    /// Appends `text` as a fenced code block whose backtick fence is longer than any run of
    /// backticks inside it (and at least three), so nothing in `text` can close it early.
    mutating func append(markdownFenced text: String) {
        let fence = max(3, ByteScan.withUTF8(text) { MarkdownEscaping.longestBacktickRun($0) } + 1)
        append(byte: UInt8(ascii: "`"), count: fence)
        append(byte: 0x0A)
        append(string: text)
        if let last = text.utf8.last, last != 0x0A { append(byte: 0x0A) }
        append(byte: UInt8(ascii: "`"), count: fence)
        append(byte: 0x0A)
    }

    /// Appends `duration` as short human text (see `DurationText.writeHuman`).
    mutating func append(humanDuration duration: Duration) {
        write(upTo: DurationText.maxBytes) { DurationText.writeHuman(duration, into: $0) }
    }
}
