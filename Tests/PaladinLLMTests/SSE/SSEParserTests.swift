import Testing
@testable import PaladinLLM

@Suite struct SSEParserTests {
    let stream = "event: a\r\ndata: {\"t\":\"é✓\"}\r\n\r\n: comment\n\ndata: line1\ndata: line2\n\nid: 7\nretry: 5\ndata:no-space\r\rdata: [DONE]\n\n"
    let expected = [SSEEvent(event: "a", data: #"{"t":"é✓"}"#), SSEEvent(data: "line1\nline2"),
                    SSEEvent(data: "no-space"), SSEEvent(data: "[DONE]")]

    @Test func parsesAWholeStream() {
        var parser = SSEParser()
        #expect(parser.feed(Array(stream.utf8)) == expected)
        #expect(parser.finish() == nil)
    }

    @Test func anySplitGivesTheSameEvents() {
        let bytes = Array(stream.utf8)
        for cut in 1..<bytes.count {
            var parser = SSEParser()
            let events = parser.feed(bytes[..<cut]) + parser.feed(bytes[cut...])
            #expect(events == expected, "split at \(cut)")
        }
    }

    @Test func byteByByte() {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for byte in stream.utf8 { events += parser.feed([byte]) }
        #expect(events == expected)
    }

    @Test func eventWithoutDataIsDroppedAndUnterminatedLastEventIsKept() {
        var parser = SSEParser()
        #expect(parser.feed(Array("event: ping\n\ndata: tail".utf8)).isEmpty)
        #expect(parser.finish() == SSEEvent(data: "tail"))
    }

    /// The three entry points (raw buffer from libcurl, contiguous array, any other sequence)
    /// give the same events at every split point.
    @Test func rawBuffersAndNonContiguousSequencesMatch() {
        let bytes = Array(stream.utf8)
        for split in 0...bytes.count {
            var raw = SSEParser(), lazy = SSEParser()
            var fromRaw: [SSEEvent] = [], fromLazy: [SSEEvent] = []
            for part in [bytes[..<split], bytes[split...]] {
                fromRaw += Array(part).withUnsafeBytes { raw.feed($0) }
                fromLazy += lazy.feed(part.lazy.map { $0 })
            }
            #expect(fromRaw == expected, "split \(split)")
            #expect(fromLazy == expected, "split \(split)")
        }
    }
}
