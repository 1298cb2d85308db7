/// A provider-independent token estimate: one token per 4 UTF-8 bytes, rounded up, and at
/// least one per whitespace-separated word. It tracks BPE tokenizers within about 20% on
/// English prose; providers' reported usage replaces it where available.
public enum TokenEstimator {
    /// Estimated tokens of `text`; 0 for the empty string.
    public static func estimate(_ text: String) -> Int {
        var bytes = 0
        var words = 0
        var inWord = false
        for byte in text.utf8 {
            bytes += 1
            let space = byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
            if !space && !inWord { words += 1 }
            inWord = !space
        }
        return max((bytes + 3) / 4, words)
    }
}
