import Foundation
import Yams

extension ConfigReader {
    /// A duration written as a number with a unit: `250ms`, `30s`, `10m`, `2h`, `7d`.
    /// With `allowOff`, `off` (or any zero, `0ms`) reads as `nil`: no limit.
    mutating func duration(_ mapping: Node.Mapping, _ key: String, at path: String, allowOff: Bool = false,
                           range: ClosedRange<Duration> = .milliseconds(1)...Duration.seconds(365 * 86_400),
                           into value: inout Duration?) {
        guard let node = mapping[key] else { return }
        let text = node.scalar?.string.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if allowOff, text == "off" || text == "0" {
            value = nil
            return
        }
        guard let parsed = Self.parseDuration(text) else {
            fail(join(path, key), "expected a duration such as 250ms, 30s, 10m, 2h or 7d" + (allowOff ? ", or off" : ""))
            return
        }
        if allowOff, parsed == .zero {
            value = nil
            return
        }
        guard range.contains(parsed) else {
            fail(join(path, key), "\(text) is out of range")
            return
        }
        value = parsed
    }

    /// Same, for a duration that cannot be turned off.
    mutating func duration(_ mapping: Node.Mapping, _ key: String, at path: String, into value: inout Duration) {
        var optional: Duration? = value
        duration(mapping, key, at: path, into: &optional)
        if let optional { value = optional }
    }

    static func parseDuration(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (unit, milliseconds) in units where text.hasSuffix(unit) {
            let number = text.dropLast(unit.count)
            // "ms" ends in "s" too: only accept a number before the unit.
            guard let count = Int64(number), count >= 0, count < Int64.max / milliseconds else { continue }
            return .milliseconds(count * milliseconds)
        }
        return nil
    }
}
