/// Decimal digits written straight into a byte buffer.
enum Digits {
    /// The most bytes `write` produces for any value and `minimumDigits` ≤ 20.
    static let maxBytes = 20

    /// Writes `value` in decimal, left-padded with zeros to `minimumDigits` (at most 20); returns
    /// the bytes written.
    static func write(_ value: UInt, minimumDigits: Int = 1, into out: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 10 && minimumDigits <= 1 {
            out[0] = UInt8(truncatingIfNeeded: value) &+ UInt8(ascii: "0")
            return 1
        }
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        let width = min(max(digits, minimumDigits), maxBytes)
        rest = value
        var offset = width - 1
        while offset >= 0 {
            out[offset] = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
            rest /= 10
            offset -= 1
        }
        return width
    }
}
