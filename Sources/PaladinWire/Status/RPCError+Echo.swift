extension RPCError {
    /// Most bytes of one piece of caller input (a name, an id, a pattern) an error message
    /// repeats back.
    public static let maxEchoedBytes = 256

    /// Most bytes of a message the server sends in an END frame; longer ones are cut (see
    /// `bounded(_:)`), so an END frame always fits in the frame limit whatever an error says.
    public static let maxMessageBytes = 4096

    /// Most bytes of one detail value in an END frame.
    public static let maxDetailBytes = 1024

    /// `input` for an error message: in quotes, cut to `maxEchoedBytes` on a UTF-8 boundary
    /// with `…` and the full length when cut, so a caller's megabyte-long name cannot make an
    /// error message large.
    public static func echo(_ input: some StringProtocol) -> String {
        "\"" + truncated(input, toBytes: maxEchoedBytes) + "\""
    }

    /// `input` unquoted, cut as `echo(_:)` cuts it.
    public static func truncated(_ input: some StringProtocol, toBytes limit: Int) -> String {
        let string = String(input)
        let utf8 = string.utf8
        guard utf8.count > limit else { return string }
        var end = utf8.index(utf8.startIndex, offsetBy: max(0, limit))
        // Back up to the start of a scalar: continuation bytes are 0b10xxxxxx.
        while end > utf8.startIndex, (utf8[end] & 0xC0) == 0x80 { end = utf8.index(before: end) }
        return String(decoding: utf8[utf8.startIndex..<end], as: UTF8.self) + "…(\(utf8.count) bytes)"
    }

    /// This error with its message cut to `maxMessageBytes` and each detail value to
    /// `maxDetailBytes`: what an END frame carries.
    public var bounded: RPCError {
        var copy = self
        copy.message = Self.truncated(message, toBytes: Self.maxMessageBytes)
        if details.contains(where: { $0.key.utf8.count > Self.maxEchoedBytes || $0.value.utf8.count > Self.maxDetailBytes }) {
            copy.details = Dictionary(details.map { (Self.truncated($0.key, toBytes: Self.maxEchoedBytes),
                                                     Self.truncated($0.value, toBytes: Self.maxDetailBytes)) },
                                      uniquingKeysWith: { first, _ in first })
        }
        return copy
    }
}
