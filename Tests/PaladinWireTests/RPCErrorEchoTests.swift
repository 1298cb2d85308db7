import PaladinWire
import Testing

/// Caller input repeated in error messages is cut short, on a UTF-8 boundary.
@Suite("RPCError echo")
struct RPCErrorEchoTests {
    @Test func shortInputIsQuotedWhole() {
        #expect(RPCError.echo("scout") == "\"scout\"")
        #expect(RPCError.echo(String(repeating: "a", count: 256)) == "\"" + String(repeating: "a", count: 256) + "\"")
    }

    @Test func longInputIsCutOnAScalarBoundary() {
        // "é" is 2 bytes: 256 bytes end inside no scalar; 255 would, so it backs up to 254.
        let cut = RPCError.truncated(String(repeating: "é", count: 1000), toBytes: 255)
        #expect(cut == String(repeating: "é", count: 127) + "…(2000 bytes)")
        let echoed = RPCError.echo(String(repeating: "😀", count: 300_000))
        #expect(echoed.utf8.count < 300)
        #expect(echoed.hasSuffix("…(1200000 bytes)\""))
        #expect(!echoed.unicodeScalars.contains("\u{FFFD}"), "no scalar was split")
    }

    @Test func boundedCutsTheMessageAndDetails() {
        let error = RPCError(.invalidArgument, String(repeating: "x", count: 100_000),
                             details: ["field": String(repeating: "y", count: 5000), "ok": "fine"])
        let bounded = error.bounded
        #expect(bounded.code == .invalidArgument)
        #expect(bounded.message.utf8.count < RPCError.maxMessageBytes + 32)
        #expect(bounded.details["field"]!.utf8.count < RPCError.maxDetailBytes + 32)
        #expect(bounded.details["ok"] == "fine")
        let small = RPCError(.notFound, "paladin \"a\" not found", details: ["field": "name"])
        #expect(small.bounded == small)
    }
}
