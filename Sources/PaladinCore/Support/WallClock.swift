import Foundation  // clock_gettime (Glibc or Darwin, re-exported)

/// Wall-clock timestamps for the wire and the stores (durations use `ContinuousClock`).
public enum WallClock {
    /// Microseconds since the Unix epoch, read with `clock_gettime(CLOCK_REALTIME)` as whole
    /// numbers (no `Double` in between, so no rounding).
    public static func nowMicros() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
    }
}
