import Foundation

/// Wall-clock timestamps for the wire and the stores (durations use `ContinuousClock`).
enum WallClock {
    /// Microseconds since the Unix epoch.
    static func nowMicros() -> Int64 { Int64((Date.now.timeIntervalSince1970 * 1_000_000).rounded()) }
}
