import Foundation

/// This process's threads, memory and CPU time, from /proc/self/status and getrusage.
struct ProcessStats {
    var threads: Int
    /// Resident set now and at its peak (VmHWM), in KiB.
    var rssKiB: Int
    var peakRSSKiB: Int
    /// User + system CPU time so far, in microseconds.
    var cpuMicros: Int

    static func now() -> ProcessStats {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return -1 }
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1]) ?? -1
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = (Int(usage.ru_utime.tv_sec) + Int(usage.ru_stime.tv_sec)) * 1_000_000
            + Int(usage.ru_utime.tv_usec) + Int(usage.ru_stime.tv_usec)
        return ProcessStats(threads: field("Threads"), rssKiB: field("VmRSS"), peakRSSKiB: field("VmHWM"), cpuMicros: cpu)
    }
}
