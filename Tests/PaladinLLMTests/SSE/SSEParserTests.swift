import Testing
@testable import PaladinLLM

@Suite struct SSEParserTests {
    let stream = "event: a\r\ndata: {\"t\":\"é✓\"}\r\n\r\n: comment\n\ndata: line1\ndata: line2\n\nid: 7\nretry: 5\ndata:no-space\r\rdata: [DONE]\n\n"
    let expected = [SSEEvent(event: "a", data: #"{"t":"é✓"}"#), SSEEvent(data: "line1\nline2"),
                    SSEEvent(data: "no-space"), SSEEvent(data: "[DONE]")]

    @Test func parsesAWholeStream() throws {
        var parser = SSEParser()
        #expect(try parser.feed(Array(stream.utf8)) == expected)
        #expect(try parser.finish() == nil)
    }

    @Test func anySplitGivesTheSameEvents() throws {
        let bytes = Array(stream.utf8)
        for cut in 1..<bytes.count {
            var parser = SSEParser()
            let events = try parser.feed(bytes[..<cut]) + parser.feed(bytes[cut...])
            #expect(events == expected, "split at \(cut)")
        }
    }

    @Test func byteByByte() throws {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for byte in stream.utf8 { events += try parser.feed([byte]) }
        #expect(events == expected)
    }

    @Test func eventWithoutDataIsDroppedAndUnterminatedLastEventIsKept() throws {
        var parser = SSEParser()
        #expect(try parser.feed(Array("event: ping\n\ndata: tail".utf8)).isEmpty)
        #expect(try parser.finish() == SSEEvent(data: "tail"))
    }

    /// The three entry points (raw buffer from libcurl, contiguous array, any other sequence)
    /// give the same events at every split point.
    @Test func rawBuffersAndNonContiguousSequencesMatch() throws {
        let bytes = Array(stream.utf8)
        for split in 0...bytes.count {
            var raw = SSEParser(), lazy = SSEParser()
            var fromRaw: [SSEEvent] = [], fromLazy: [SSEEvent] = []
            for part in [bytes[..<split], bytes[split...]] {
                fromRaw += try Array(part).withUnsafeBytes { try raw.feed($0) }
                fromLazy += try lazy.feed(part.lazy.map { $0 })
            }
            #expect(fromRaw == expected, "split \(split)")
            #expect(fromLazy == expected, "split \(split)")
        }
    }

    /// A line or an event past the cap fails as soon as it passes, however it is split; one
    /// at the cap is accepted.
    @Test func linesAndEventsPastTheCapFail() throws {
        for chunk in [1, 7, 4096] {
            var parser = SSEParser(maxLineBytes: 64)
            let endless = Array(("data: " + String(repeating: "a", count: 200)).utf8)
            var failure: SSEParser.Overflow?
            var fed = 0
            while fed < endless.count, failure == nil {
                let end = min(endless.count, fed + chunk)
                do { _ = try parser.feed(endless[fed..<end]) } catch { failure = error }
                fed = end
            }
            #expect(failure == SSEParser.Overflow(limit: 64), "chunk \(chunk)")
            #expect(fed <= 64 + chunk, "chunk \(chunk)")
        }
        var atCap = SSEParser(maxLineBytes: 16)
        #expect(try atCap.feed(Array("data: 0123456789\n\n".utf8)) == [SSEEvent(data: "0123456789")])
        var manyLines = SSEParser(maxLineBytes: 16)
        #expect(throws: SSEParser.Overflow(limit: 16)) { try manyLines.feed(Array("data: 0123456789\ndata: 0123456789\n".utf8)) }
        var comment = SSEParser(maxLineBytes: 16)
        #expect(throws: SSEParser.Overflow(limit: 16)) { try comment.feed(Array((":" + String(repeating: "x", count: 40)).utf8)) }
    }
}
