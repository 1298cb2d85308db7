/// How Herald writes durations: exact milliseconds for machines, short human text for people.
enum DurationText {
    /// `duration` as milliseconds with exactly three decimals (`1234.567`, a JSON number).
    static func milliseconds(_ duration: Duration) -> String {
        let (negative, micros) = microseconds(duration)
        return sign(negative) + "\(micros / 1000)." + zeroPadded(micros % 1000, digits: 3)
    }

    /// Short text for people: `12.5ms` under a second, `3.25s` under a minute, then `2m05s`, `1h02m`.
    static func human(_ duration: Duration) -> String {
        let (negative, micros) = microseconds(duration)
        let tenthsOfMs = rounded(micros, 100)
        if tenthsOfMs < 10_000 { return sign(negative) + "\(tenthsOfMs / 10).\(tenthsOfMs % 10)ms" }
        let hundredthsOfS = rounded(micros, 10_000)
        if hundredthsOfS < 6000 {
            return sign(negative) + "\(hundredthsOfS / 100)." + zeroPadded(hundredthsOfS % 100, digits: 2) + "s"
        }
        let seconds = rounded(micros, 1_000_000)
        if seconds < 3600 { return sign(negative) + "\(seconds / 60)m" + zeroPadded(seconds % 60, digits: 2) + "s" }
        let minutes = rounded(seconds, 60)
        return sign(negative) + "\(minutes / 60)h" + zeroPadded(minutes % 60, digits: 2) + "m"
    }

    /// Whole microseconds in `duration` (rounded half away from zero, `UInt.max` when they do not
    /// fit), and whether it is negative.
    static func microseconds(_ duration: Duration) -> (negative: Bool, magnitude: UInt) {
        let (seconds, attoseconds) = duration.components
        let negative = seconds < 0 || attoseconds < 0
        let micros = (UInt(attoseconds.magnitude) + 500_000_000_000) / 1_000_000_000_000
        let (scaled, overflow) = UInt(seconds.magnitude).multipliedReportingOverflow(by: 1_000_000)
        let (total, overflow2) = scaled.addingReportingOverflow(micros)
        return (negative && total != 0, overflow || overflow2 ? UInt.max : total)
    }

    private static func sign(_ negative: Bool) -> String { negative ? "-" : "" }

    /// `value` in decimal, with leading zeros up to `digits` digits.
    private static func zeroPadded(_ value: UInt, digits: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// `value / unit`, rounded half up.
    private static func rounded(_ value: UInt, _ unit: UInt) -> UInt {
        value / unit + (value % unit >= unit / 2 ? 1 : 0)
    }
}
