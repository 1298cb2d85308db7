import NIOCore
import PaladinWire
import Testing

/// Decoding never crashes or accepts garbage, whatever the bytes: truncations, bit flips and
/// the nested-length case that once crashed the string validator.
@Suite("Hostile message bytes")
struct HostileMessageTests {
    private static func samples() -> [[UInt8]] {
        var entry = Paladin_V1_GarrisonEntry()
        entry.role = .user
        entry.content = "héllo ⚔ with some length to it"
        entry.metadata = ["lang": "fr", "k": "v"]
        var append = Paladin_V1_AppendRequest()
        append.sessionID = "s1"
        append.entries = [entry, entry]
        var request = Paladin_V1_Request()
        request.method = "paladin.v1.GarrisonService/Append"
        var pair = Paladin_V1_MetadataEntry()
        pair.key = "x-request-id"
        pair.value = "42"
        request.metadata = [pair, pair]
        request.timeoutUs = 5_000_000
        request.message = append.serializedBytes()
        return [request.serializedBytes(), append.serializedBytes()]
    }

    @Test("A length inside a nested message that runs past it is malformed, not a crash")
    func nestedLengthPastItsMessage() {
        // Request.metadata (field 2) of length 1 holding the start of a 2-byte varint key.
        #expect(throws: WireError.self) { try Paladin_V1_Request(decoding: [0x12, 0x01, 0x8a, 0x01, 0x00]) }
        #expect(throws: WireError.self) { try Paladin_V1_Request(decoding: [0x12, 0x02, 0x0a, 0x05, 0x61]) }
        #expect(throws: WireError.self) { try Paladin_V1_Request(decoding: [0x12, 0x01, 0xff]) }
    }

    @Test func everyTruncationIsRefusedOrDecodedWithoutCrashing() {
        for bytes in Self.samples() {
            for cut in 0..<bytes.count {
                _ = try? Paladin_V1_Request(decoding: Array(bytes[..<cut]))
                _ = try? Paladin_V1_AppendRequest(decoding: Array(bytes[..<cut]))
            }
        }
    }

    @Test func bitFlipsAndRandomBytesNeverCrash() {
        var generator = SplitMix64(seed: 7)
        for bytes in Self.samples() {
            for _ in 0..<2000 {
                var mutated = bytes
                let flips = Int(generator.next() % 4) + 1
                for _ in 0..<flips {
                    let index = Int(generator.next() % UInt64(mutated.count))
                    mutated[index] ^= UInt8(truncatingIfNeeded: generator.next())
                }
                _ = try? Paladin_V1_Request(decoding: mutated)
                _ = try? Paladin_V1_AppendRequest(decoding: mutated)
            }
        }
        for _ in 0..<2000 {
            let random = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try? Paladin_V1_Request(decoding: random)
        }
    }

    @Test func stringsWithNULOrInvalidUTF8AreMalformed() {
        // Request.method = "ab\0c"
        #expect(throws: WireError.self) { try Paladin_V1_Request(decoding: [0x0a, 0x04, 0x61, 0x62, 0x00, 0x63]) }
        // Request.method = 0xC3 (a lone lead byte)
        #expect(throws: WireError.self) { try Paladin_V1_Request(decoding: [0x0a, 0x01, 0xc3]) }
        // An overlong encoding of "/" and a UTF-16 surrogate
        #expect(throws: WireError.self) { try Paladin_V1_Request(decoding: [0x0a, 0x02, 0xc0, 0xaf]) }
        #expect(throws: WireError.self) { try Paladin_V1_Request(decoding: [0x0a, 0x03, 0xed, 0xa0, 0x80]) }
        // bytes fields may hold anything, NUL included
        #expect((try? Paladin_V1_Request(decoding: [0x22, 0x02, 0x00, 0xff]))?.message == [0x00, 0xff])
    }
}
