import NIOCore
import PaladinWire
import Testing

/// Our encoder produces, byte for byte, the vectors docs/protocol.md shows; our parser reads
/// them back to the same values.
@Suite("Golden frames")
struct GoldenFrameTests {
    private func encode(_ build: (inout ByteBuffer) -> Void) -> [UInt8] {
        var buffer = ByteBuffer()
        build(&buffer)
        return Array(buffer.readableBytesView)
    }

    private func parseOne(_ bytes: [UInt8]) throws -> Frame {
        var parser = FrameParser(expectPreface: false, maxFrameSize: 4 * 1024 * 1024)
        parser.append(ByteBuffer(bytes: bytes))
        guard case .frame(let frame) = try #require(try parser.next()) else {
            Issue.record("expected a frame")
            throw CancellationError()
        }
        #expect(try parser.next() == nil)
        return frame
    }

    @Test func preface() throws {
        #expect(Preface().bytes == GoldenFrames["preface"])
        #expect(try Preface.parse(GoldenFrames["preface"]) == Preface(major: 1, minor: 0))
    }

    @Test func helloClient() throws {
        var hello = Paladin_V1_Hello()
        hello.agent = "example-client/1.0"
        #expect(encode { FrameWriter.write(.hello, streamID: 0, message: hello, to: &$0) } == GoldenFrames["hello_client"])
        let frame = try parseOne(GoldenFrames["hello_client"])
        #expect(frame.type == .hello && frame.streamID == 0 && frame.flags.isEmpty)
        #expect(try Paladin_V1_Hello(decoding: frame.payload) == hello)
    }

    @Test func helloAck() throws {
        var hello = Paladin_V1_Hello()
        hello.agent = "paladin/0.1.0"
        hello.maxFrameSize = 4_194_304
        hello.maxConcurrentStreams = 100
        hello.maxMetadataSize = 8192
        #expect(encode { FrameWriter.write(.hello, flags: .ack, streamID: 0, message: hello, to: &$0) } == GoldenFrames["hello_ack"])
        let frame = try parseOne(GoldenFrames["hello_ack"])
        #expect(frame.flags == .ack)
        #expect(try Paladin_V1_Hello(decoding: frame.payload) == hello)
    }

    @Test func requestHealthCheck() throws {
        var request = Paladin_V1_Request()
        request.method = "paladin.v1.Health/Check"
        var entry = Paladin_V1_MetadataEntry()
        entry.key = "x-request-id"
        entry.value = "42"
        request.metadata = [entry]
        request.timeoutUs = 5_000_000
        request.message = Paladin_V1_HealthCheckRequest().serializedBytes()
        #expect(request.message.isEmpty)
        #expect(encode { FrameWriter.write(.request, flags: .endStream, streamID: 1, message: request, to: &$0) } == GoldenFrames["request_health_check"])
        let frame = try parseOne(GoldenFrames["request_health_check"])
        #expect(frame.type == .request && frame.flags == .endStream && frame.streamID == 1)
        #expect(try Paladin_V1_Request(decoding: frame.payload) == request)
    }

    @Test func messageAndEnd() throws {
        var response = Paladin_V1_HealthCheckResponse()
        response.status = .serving
        #expect(encode { FrameWriter.write(.message, streamID: 1, message: response, to: &$0) } == GoldenFrames["message_health_serving"])
        #expect(encode { FrameWriter.write(.end, streamID: 1, message: Paladin_V1_Status(), to: &$0) } == GoldenFrames["end_ok"])
        var status = Paladin_V1_Status()
        status.code = StatusCode.unimplemented.rawValue
        status.message = "unknown method paladin.v1.Nope/Nope"
        #expect(encode { FrameWriter.write(.end, streamID: 3, message: status, to: &$0) } == GoldenFrames["end_unimplemented"])
    }

    @Test func garrisonAppendWithUnicodeAndMap() throws {
        var entry = Paladin_V1_GarrisonEntry()
        entry.role = .user
        entry.content = "héllo ⚔"
        entry.importance = 50
        entry.metadata = ["lang": "fr"]
        var append = Paladin_V1_AppendRequest()
        append.sessionID = "s1"
        append.entries = [entry]
        var request = Paladin_V1_Request()
        request.method = "paladin.v1.GarrisonService/Append"
        request.message = append.serializedBytes()
        #expect(encode { FrameWriter.write(.request, flags: .endStream, streamID: 5, message: request, to: &$0) } == GoldenFrames["request_garrison_append"])
        let frame = try parseOne(GoldenFrames["request_garrison_append"])
        let decoded = try Paladin_V1_Request(decoding: frame.payload)
        #expect(try Paladin_V1_AppendRequest(decoding: decoded.message) == append)
    }

    @Test func connectionFrames() throws {
        #expect(encode { FrameHeader(length: 0, type: .cancel, streamID: 5).write(to: &$0) } == GoldenFrames["cancel"])
        let ping: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        #expect(encode { FrameWriter.write(.ping, streamID: 0, bytes: ping, to: &$0) } == GoldenFrames["ping"])
        #expect(encode { FrameWriter.write(.ping, flags: .ack, streamID: 0, bytes: ping, to: &$0) } == GoldenFrames["ping_ack"])
        var goAway = Paladin_V1_GoAway()
        goAway.lastStreamID = 7
        goAway.message = "server shutting down"
        #expect(encode { FrameWriter.write(.goAway, streamID: 0, message: goAway, to: &$0) } == GoldenFrames["goaway_shutdown"])
        goAway = Paladin_V1_GoAway()
        goAway.code = StatusCode.resourceExhausted.rawValue
        goAway.message = "frame of 4194305 bytes exceeds the limit of 4194304"
        #expect(encode { FrameWriter.write(.goAway, streamID: 0, message: goAway, to: &$0) } == GoldenFrames["goaway_oversize"])
    }

    @Test func unknownIgnorableFrameParses() throws {
        let frame = try parseOne(GoldenFrames["unknown_ignorable"])
        #expect(frame.type == FrameType(rawValue: 0x40))
        #expect(!frame.type.isKnown)
        #expect(frame.flags.contains(.ignorable))
        #expect(Array(frame.payload.readableBytesView) == Array("hi".utf8))
    }

    @Test func everyVectorRoundTripsThroughTheParser() throws {
        for (name, bytes) in GoldenFrames.all where name != "preface" {
            let frame = try parseOne(bytes)
            var out = ByteBuffer()
            frame.write(to: &out)
            #expect(Array(out.readableBytesView) == bytes, "vector \(name)")
        }
    }
}
