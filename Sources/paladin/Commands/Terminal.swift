import Foundation

/// Small terminal helpers shared by the client commands.
enum Terminal {
    /// Whether standard output is a terminal (live progress) or a pipe (plain lines).
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb" }

    /// Writes a line to standard error.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Microseconds as "1.24 s" or "830 ms".
    static func seconds(_ micros: UInt64) -> String {
        micros >= 1_000_000 ? String(format: "%.2f s", Double(micros) / 1e6) : "\(micros / 1000) ms"
    }
}
