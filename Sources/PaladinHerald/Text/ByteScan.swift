/// Word-at-a-time (SWAR) byte search, so the Markdown writers skip plain text sixteen bytes per step.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `pointer`, in memory order regardless of alignment.
    static func word(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self)
    }

    /// High bit set in each byte of the result where `word`'s byte equals `byte` (other bits are
    /// noise; a zero result after `& highs` means no byte matched).
    static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let matched = word ^ (ones &* UInt64(byte))
        return (matched &- ones) & ~matched
    }

    /// Like `equal`, for bytes below `limit` (at most 0x80).
    static func less(_ word: UInt64, than limit: UInt8) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word
    }

    /// The index of the first byte in `source[start..<count]` for which `isSpecial` holds, or
    /// `count`. `wordMask` (built from `equal` and `less`) must flag every special byte of a word;
    /// it may flag others too, which `isSpecial` then rules out.
    static func firstSpecial(_ source: UnsafePointer<UInt8>, from start: Int, count: Int,
                             wordMask: (UInt64) -> UInt64, isSpecial: (UInt8) -> Bool) -> Int {
        var index = start
        while true {
            while index + 16 <= count,
                  (wordMask(word(source + index)) | wordMask(word(source + index + 8))) & highs == 0 {
                index += 16
            }
            let blockEnd = min(index + 16, count)
            while index < blockEnd {
                if isSpecial(source[index]) { return index }
                index += 1
            }
            if index == count { return count }
        }
    }

    /// Runs `body` over the UTF-8 bytes of `text`, copying them only if they are not contiguous.
    static func withUTF8<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }
}
