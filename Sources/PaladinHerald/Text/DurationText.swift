/// How Herald writes durations: exact milliseconds for machines, short human text for people.
enum DurationText {
    /// The most bytes either writer produces.
    static let maxBytes = 32

    /// Whole microseconds in `duration` (rounded half away from zero), and whether it is negative.
    static func microseconds(_ duration: Duration) -> (negative: Bool, magnitude: UInt) {
        let (seconds, attoseconds) = duration.components
        let negative = seconds < 0 || attoseconds < 0
        let micros = (UInt(attoseconds.magnitude) + 500_000_000_000) / 1_000_000_000_000
        let (scaled, overflow) = UInt(seconds.magnitude).multipliedReportingOverflow(by: 1_000_000)
        let (total, overflow2) = scaled.addingReportingOverflow(micros)
        return (negative && total != 0, overflow || overflow2 ? UInt.max : total)
    }

    /// Writes `duration` as milliseconds with exactly three decimals (`1234.567`, a JSON number);
    /// returns the bytes written.
    static func writeMilliseconds(_ duration: Duration, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let (negative, micros) = microseconds(duration)
        var written = 0
        if negative {
            out[0] = UInt8(ascii: "-")
            written = 1
        }
        written += Digits.write(micros / 1000, into: out + written)
        out[written] = UInt8(ascii: ".")
        written += 1
        return written + Digits.write(micros % 1000, minimumDigits: 3, into: out + written)
    }

    /// Writes short text for people: `12.5ms` under a second, `3.25s` under a minute, then
    /// `2m05s`, `1h02m`; returns the bytes written.
    static func writeHuman(_ duration: Duration, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let (negative, micros) = microseconds(duration)
        var written = 0
        if negative {
            out[0] = UInt8(ascii: "-")
            written = 1
        }
        func put(_ whole: UInt, _ separator: UInt8, _ part: UInt, _ partDigits: Int, _ unit: StaticString) -> Int {
            written += Digits.write(whole, into: out + written)
            out[written] = separator
            written += 1
            written += Digits.write(part, minimumDigits: partDigits, into: out + written)
            (out + written).update(from: unit.utf8Start, count: unit.utf8CodeUnitCount)
            return written + unit.utf8CodeUnitCount
        }
        let tenthsOfMs = rounded(micros, 100)
        if tenthsOfMs < 10_000 { return put(tenthsOfMs / 10, UInt8(ascii: "."), tenthsOfMs % 10, 1, "ms") }
        let hundredthsOfS = rounded(micros, 10_000)
        if hundredthsOfS < 6000 { return put(hundredthsOfS / 100, UInt8(ascii: "."), hundredthsOfS % 100, 2, "s") }
        let seconds = rounded(micros, 1_000_000)
        if seconds < 3600 { return put(seconds / 60, UInt8(ascii: "m"), seconds % 60, 2, "s") }
        let minutes = rounded(seconds, 60)
        return put(minutes / 60, UInt8(ascii: "h"), minutes % 60, 2, "m")
    }

    /// `writeMilliseconds` as a string.
    static func milliseconds(_ duration: Duration) -> String { string { writeMilliseconds(duration, into: $0) } }

    /// `writeHuman` as a string.
    static func human(_ duration: Duration) -> String { string { writeHuman(duration, into: $0) } }

    /// What `write` puts in a scratch buffer on the stack, as a string (these are short enough
    /// to be stored inline, with no heap storage).
    private static func string(_ write: (UnsafeMutablePointer<UInt8>) -> Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxBytes) { buffer in
            let count = write(buffer.baseAddress!)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer.prefix(count)), as: UTF8.self)
        }
    }

    /// `value / unit`, rounded half up.
    private static func rounded(_ value: UInt, _ unit: UInt) -> UInt {
        value / unit + (value % unit >= unit / 2 ? 1 : 0)
    }
}
