import NIOCore
import PaladinWire
import Testing

/// The parser cuts frames correctly whatever the chunking, and refuses hostile headers before
/// buffering their payload.
@Suite("Frame parser")
struct FrameParserTests {
    private func frames(_ bytes: [UInt8], chunk: Int, preface: Bool = false, limit: Int = 1 << 22) throws -> [FrameParser.Item] {
        var parser = FrameParser(expectPreface: preface, maxFrameSize: limit)
        var items: [FrameParser.Item] = []
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + chunk)
            parser.append(ByteBuffer(bytes: bytes[index..<end]))
            while let item = try parser.next() { items.append(item) }
            index = end
        }
        #expect(!parser.hasPartialFrame)
        return items
    }

    @Test(arguments: [1, 2, 5, 11, 12, 13, 64, 4096])
    func anyChunkingYieldsTheSameFrames(chunk: Int) throws {
        let stream = GoldenFrames["preface"] + GoldenFrames["hello_client"] + GoldenFrames["request_health_check"]
            + GoldenFrames["ping"] + GoldenFrames["end_ok"] + GoldenFrames["request_garrison_append"]
        let items = try frames(stream, chunk: chunk, preface: true)
        #expect(items.count == 6)
        #expect(items.first == .preface(Preface()))
        let types = items.dropFirst().compactMap { item -> FrameType? in
            if case .frame(let frame) = item { return frame.type }
            return nil
        }
        #expect(types == [.hello, .request, .ping, .end, .request])
    }

    @Test func oversizeLengthIsRejectedFromTheHeaderAlone() throws {
        var parser = FrameParser(expectPreface: false, maxFrameSize: 16_384)
        var header = ByteBuffer()
        FrameHeader(length: 16_385, type: .request, flags: .endStream, streamID: 1).write(to: &header)
        parser.append(header)
        #expect(throws: FrameParser.Failure.oversize(length: 16_385, limit: 16_384)) { try parser.next() }
    }

    @Test func firstFrameLimitAppliesToTheFirstFrameOnly() throws {
        var parser = FrameParser(expectPreface: false, maxFrameSize: 4 * 1024 * 1024, maxFirstFrameSize: 16_384)
        var frames = ByteBuffer()
        FrameWriter.write(.hello, streamID: 0, bytes: [UInt8](repeating: 0, count: 16_384), to: &frames)
        FrameWriter.write(.request, flags: .endStream, streamID: 1, bytes: [UInt8](repeating: 0, count: 16_385), to: &frames)
        parser.append(frames)
        guard case .frame(let hello)? = try parser.next() else { Issue.record("no HELLO"); return }
        #expect(hello.payload.readableBytes == 16_384)
        guard case .frame(let request)? = try parser.next() else { Issue.record("no REQUEST"); return }
        #expect(request.payload.readableBytes == 16_385)

        var refusing = FrameParser(expectPreface: false, maxFrameSize: 4 * 1024 * 1024, maxFirstFrameSize: 16_384)
        var header = ByteBuffer()
        FrameHeader(length: 16_385, type: .hello, flags: [], streamID: 0).write(to: &header)
        refusing.append(header)
        #expect(throws: FrameParser.Failure.oversizeFirstFrame(type: .hello, length: 16_385, limit: 16_384)) { try refusing.next() }
    }

    @Test func maximumLengthHeaderIsRejectedWithoutAllocating() throws {
        var parser = FrameParser(expectPreface: false, maxFrameSize: 4 * 1024 * 1024)
        parser.append(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0, 0, 0, 0, 0, 1]))
        #expect(throws: FrameParser.Failure.oversize(length: UInt32.max, limit: 4 * 1024 * 1024)) { try parser.next() }
        #expect(parser.bufferedBytes == 12)
    }

    @Test func frameAtExactlyTheLimitIsAccepted() throws {
        var bytes = ByteBuffer()
        FrameWriter.write(.message, streamID: 1, bytes: [UInt8](repeating: 7, count: 16_384), to: &bytes)
        let items = try frames(Array(bytes.readableBytesView), chunk: 1000, limit: 16_384)
        #expect(items.count == 1)
    }

    @Test func truncatedFrameStaysPartial() throws {
        var parser = FrameParser(expectPreface: false, maxFrameSize: 1024)
        let bytes = GoldenFrames["request_health_check"]
        parser.append(ByteBuffer(bytes: bytes.dropLast(3)))
        #expect(try parser.next() == nil)
        #expect(parser.hasPartialFrame)
    }

    @Test(arguments: [
        ([UInt8]("GET / HT".utf8), Preface.Failure.badMagic),
        ([0x50, 0x4C, 0x44, 0x4E, 1, 0, 0, 1], Preface.Failure.badMagic),
        ([0x50, 0x4C, 0x44, 0x4E, 2, 3, 0, 0], Preface.Failure.unsupportedVersion(major: 2, minor: 3)),
    ])
    func badPrefacesAreRefused(bytes: [UInt8], failure: Preface.Failure) throws {
        var parser = FrameParser(expectPreface: true, maxFrameSize: 1024)
        parser.append(ByteBuffer(bytes: bytes))
        #expect(throws: FrameParser.Failure.preface(failure)) { try parser.next() }
    }

    @Test func newerMinorVersionIsAccepted() throws {
        #expect(try Preface.parse([0x50, 0x4C, 0x44, 0x4E, 1, 9, 0, 0]) == Preface(major: 1, minor: 9))
    }

    @Test func randomGarbageNeverCrashesOrOverBuffers() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<200 {
            var parser = FrameParser(expectPreface: true, maxFrameSize: 65_536)
            let count = Int(generator.next() % 2048)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            parser.append(ByteBuffer(bytes: bytes))
            do {
                while try parser.next() != nil {}
            } catch {
                continue
            }
            #expect(parser.bufferedBytes <= 65_536 + FrameHeader.size)
        }
    }
}

/// A small deterministic generator so garbage tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
