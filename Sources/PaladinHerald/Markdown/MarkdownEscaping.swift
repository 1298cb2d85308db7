/// Text made safe to place in Markdown without breaking its structure.
enum MarkdownEscaping {
    /// `text` for a pipe-table cell: `|` becomes `\|`, and each line break (`\n`, `\r\n`, `\r`)
    /// becomes `<br>`, so the text stays in its cell.
    static func cell(_ text: String) -> String {
        replacingLineBreaks(in: text, with: "<br>", escapingPipes: true)
    }

    /// `text` on one line: each line break (`\n`, `\r\n`, `\r`) becomes a space, for headings and fields.
    static func line(_ text: String) -> String {
        replacingLineBreaks(in: text, with: " ", escapingPipes: false)
    }

    /// `text` as a fenced code block whose backtick fence is longer than any run of backticks
    /// inside it (and at least three), so nothing in `text` can close it early.
    static func fenced(_ text: String) -> String {
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(in: text) + 1))
        // Compared as bytes: a trailing `\r\n` is one `Character`, which `hasSuffix("\n")` would miss.
        let needsNewline = !text.isEmpty && text.utf8.last != UInt8(ascii: "\n")
        return fence + "\n" + text + (needsNewline ? "\n" : "") + fence + "\n"
    }

    /// The longest run of consecutive backticks in `text`.
    static func longestBacktickRun(in text: String) -> Int {
        var contiguous = text
        return contiguous.withUTF8 { utf8 in
            var longest = 0
            var run = 0
            for byte in utf8 {
                run = byte == UInt8(ascii: "`") ? run + 1 : 0
                longest = max(longest, run)
            }
            return longest
        }
    }

    /// `text` with each line break replaced by `lineBreak` (a `\r\n` pair counts once) and, when
    /// asked, each `|` escaped.
    private static func replacingLineBreaks(in text: String, with lineBreak: String, escapingPipes: Bool) -> String {
        var contiguous = text
        let special = contiguous.withUTF8 { utf8 in
            utf8.contains { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") || ($0 == UInt8(ascii: "|") && escapingPipes) }
        }
        guard special else { return text }  // nothing to replace: the text as it is, not copied
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var previous: Unicode.Scalar = "\0"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where previous == "\r": break
            case "\n", "\r": result += lineBreak
            case "|" where escapingPipes: result += "\\|"
            default: result.unicodeScalars.append(scalar)
            }
            previous = scalar
        }
        return result
    }
}
