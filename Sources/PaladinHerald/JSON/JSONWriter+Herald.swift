import PaladinCore

extension JSONWriter {
    /// `duration` as a number of milliseconds with exactly three decimals (`1234.567`), so every
    /// `*_ms` field has the same form and whole microseconds survive the round trip.
    mutating func milliseconds(_ duration: Duration) { raw(DurationText.milliseconds(duration)) }
}
