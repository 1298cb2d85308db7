import Foundation  // clock_gettime (Glibc or Darwin, re-exported)

/// The clock of run and step durations: the one `ContinuousClock` reads (it keeps counting
/// while the machine sleeps), read with `clock_gettime` directly. `ContinuousClock.now` goes
/// through the runtime's `swift_get_time` and an `Instant`, which costs twice as much per read
/// (64 against 32 ns here), and a battalion reads the clock once per member step (decision 43).
enum MonotonicClock {
    /// Nanoseconds since an unspecified start (boot on Linux); only differences mean anything.
    @inline(__always)
    static func nanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(clockID, &time)
        return Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
    }

    /// The time since `start`, a reading of `nanoseconds()`.
    @inline(__always)
    static func since(_ start: Int64) -> Duration { .nanoseconds(nanoseconds() &- start) }

    #if os(Linux)
    private static var clockID: clockid_t { CLOCK_BOOTTIME }
    #else
    private static var clockID: clockid_t { CLOCK_MONOTONIC_RAW }
    #endif
}
