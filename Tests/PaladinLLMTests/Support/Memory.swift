import Foundation

/// This process's resident set, from /proc/self/statm (the fake provider runs in it too, so a
/// growth bound covers both ends).
func residentBytes() throws -> Int {
    let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
    let fields = statm.split(separator: " ")
    return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// `count` bytes of `a`.
func filler(_ count: Int) -> [UInt8] { Array(repeating: UInt8(ascii: "a"), count: count) }
