/// Writes text into Markdown without breaking its structure. The writers are resumable (see
/// `TextBuffer.append(_:through:)`).
enum MarkdownEscaping {
    /// Copies `utf8[start...]` for a pipe-table cell: `|` becomes `\|`, and each line break (`\n`,
    /// `\r\n`, `\r`) becomes `<br>`, so the text stays in its cell.
    static func cell(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int, into destination: UnsafeMutablePointer<UInt8>,
                     room: Int) -> (end: Int, written: Int) {
        copy(utf8, from: start, into: destination, room: room,
             special: { $0 == UInt8(ascii: "|") || $0 == 0x0A || $0 == 0x0D },
             wordMask: { ByteScan.equal($0, UInt8(ascii: "|")) | ByteScan.less($0, than: 0x0E) }) { byte, previous, out in
            if byte == UInt8(ascii: "|") {
                out[0] = UInt8(ascii: "\\")
                out[1] = byte
                return 2
            }
            if byte == 0x0A && previous == 0x0D { return 0 }
            out.update(from: ("<br>" as StaticString).utf8Start, count: 4)
            return 4
        }
    }

    /// Copies `utf8[start...]` onto one line: each line break (`\n`, `\r\n`, `\r`) becomes a space.
    static func line(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int, into destination: UnsafeMutablePointer<UInt8>,
                     room: Int) -> (end: Int, written: Int) {
        copy(utf8, from: start, into: destination, room: room, special: { $0 == 0x0A || $0 == 0x0D },
             wordMask: { ByteScan.less($0, than: 0x0E) }) { byte, previous, out in
            if byte == 0x0A && previous == 0x0D { return 0 }
            out[0] = UInt8(ascii: " ")
            return 1
        }
    }

    /// The longest run of consecutive backticks in `utf8`.
    static func longestBacktickRun(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        guard let source = utf8.baseAddress else { return 0 }
        var longest = 0
        var index = 0
        while true {
            index = ByteScan.firstSpecial(source, from: index, count: utf8.count,
                                          wordMask: { ByteScan.equal($0, UInt8(ascii: "`")) }, isSpecial: { $0 == UInt8(ascii: "`") })
            guard index < utf8.count else { return longest }
            let runStart = index
            while index < utf8.count && source[index] == UInt8(ascii: "`") { index += 1 }
            longest = max(longest, index - runStart)
        }
    }

    /// Copies plain runs (skipped sixteen bytes at a time) and lets `replace` write each special
    /// byte (at most 4 bytes), given the byte before it (0 at the start).
    private static func copy(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int, into destination: UnsafeMutablePointer<UInt8>,
                             room: Int, special: (UInt8) -> Bool, wordMask: (UInt64) -> UInt64,
                             replace: (UInt8, UInt8, UnsafeMutablePointer<UInt8>) -> Int) -> (end: Int, written: Int) {
        guard let source = utf8.baseAddress else { return (start, 0) }
        let count = utf8.count
        var written = 0
        var index = start
        while true {
            let next = ByteScan.firstSpecial(source, from: index, count: count, wordMask: wordMask, isSpecial: special)
            (destination + written).update(from: source + index, count: next - index)
            written += next - index
            index = next
            guard index < count, written + 4 + (count - index - 1) <= room else { break }
            written += replace(source[index], index == 0 ? 0 : source[index - 1], destination + written)
            index += 1
        }
        return (index, written)
    }
}
