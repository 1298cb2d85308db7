import CPaladinProto
import NIOCore
import Testing

@testable import PaladinWire

/// Decoding runs within a memory budget (`DecodeBudget`): payloads of very many empty fields or
/// elements are refused with `decodeBudgetExceeded` after at most the budget was allocated, and
/// messages with real content, up to the largest frame, still decode.
@Suite("Decode budget")
struct DecodeBudgetTests {
    static let maxFrame = 4 * 1024 * 1024

    /// `count` copies of the 2-byte field `key, 0`: an empty length-delimited entry when
    /// `key` has wire type 2, a varint 0 when it has wire type 0.
    static func repeated(_ key: UInt8, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count * 2)
        for index in stride(from: 0, to: bytes.count, by: 2) { bytes[index] = key }
        return bytes
    }

    /// A length-delimited field `number` holding `body`.
    static func field(_ number: UInt8, _ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [number << 3 | 2]
        var length = body.count
        repeat {
            out.append(UInt8(length & 0x7F) | (length > 0x7F ? 0x80 : 0))
            length >>= 7
        } while length > 0
        return out + body
    }

    /// How one budgeted unpack went.
    struct Outcome {
        var decoded: Bool
        var exceeded: Bool
        var allocated: Int
    }

    /// Unpacks `bytes` as `M` the way `init(decoding:)` does (or with `limit`) and reports what
    /// protobuf-c allocated.
    static func measure<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8], limit: Int? = nil) -> Outcome {
        var account = DecodeBudget.Account(payloadSize: bytes.count, limit: limit)
        let message = bytes.withUnsafeBytes { raw in
            DecodeBudget.unpack(raw, descriptor: M.protobufCDescriptor, account: &account)
        }
        if let message { protobuf_c_message_free_unpacked(message, nil) }
        return Outcome(decoded: message != nil, exceeded: account.exceeded, allocated: account.allocated)
    }

    /// Checks `bytes` is refused as over budget, having allocated no more than its budget.
    static func expectRefused<M: ProtoMessage>(_ type: M.Type, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let name = String(cString: M.protobufCDescriptor.pointee.name)
        #expect(throws: WireError.decodeBudgetExceeded(name), sourceLocation: sourceLocation) { try M(decoding: bytes) }
        let outcome = measure(type, bytes)
        #expect(outcome.exceeded, sourceLocation: sourceLocation)
        #expect(outcome.allocated <= DecodeBudget.limit(forPayloadSize: bytes.count), sourceLocation: sourceLocation)
    }

    @Test("2M empty repeated entries (AppendRequest.entries, Request.metadata) are refused within the budget")
    func emptyRepeatedEntries() {
        let entries = Self.repeated(2 << 3 | 2, count: 2_000_000)  // field 2, LEN 0
        Self.expectRefused(Paladin_V1_AppendRequest.self, entries)
        Self.expectRefused(Paladin_V1_Request.self, entries)
        // CreateBattalionRequest{definition{formation{members: 2M × ""}}}.
        let members = Self.repeated(1 << 3 | 2, count: 2_000_000)
        Self.expectRefused(Paladin_V1_CreateBattalionRequest.self, Self.field(1, Self.field(10, members)))
    }

    @Test("4 MiB of unknown varint fields are refused within the budget (Request, Hello, GoAway)")
    func unknownVarints() {
        let unknown = Self.repeated(15 << 3 | 0, count: Self.maxFrame / 2)  // field 15, varint 0
        Self.expectRefused(Paladin_V1_Request.self, unknown)
        Self.expectRefused(Paladin_V1_Hello.self, unknown)
        Self.expectRefused(Paladin_V1_GoAway.self, unknown)
        // A HELLO of the largest size a server accepts before authentication, all unknown fields,
        // decodes within the budget's base: the 16 KiB cap is what bounds it.
        let hello = Self.measure(Paladin_V1_Hello.self, Self.repeated(15 << 3 | 0, count: HandshakeLimits.maxHelloSize / 2))
        #expect(hello.decoded && !hello.exceeded)
        #expect(hello.allocated <= DecodeBudget.baseBytes + DecodeBudget.bytesPerPayloadByte * HandshakeLimits.maxHelloSize)
    }

    @Test("without the budget, the same payloads make protobuf-c allocate many times their size")
    func unbudgetedCostIsLarge() {
        let entries = Self.repeated(2 << 3 | 2, count: 2_000_000)
        let unlimited = Self.measure(Paladin_V1_AppendRequest.self, entries, limit: .max / 2)
        #expect(unlimited.decoded)
        #expect(unlimited.allocated > 20 * entries.count, "protobuf-c allocated \(unlimited.allocated) bytes")
    }

    @Test("messages with content, up to the largest frame, decode within the budget")
    func normalMessagesDecode() throws {
        // 1000 entries of 4000 bytes: about 4 MB, the largest AppendRequest a frame holds.
        var entry = Paladin_V1_GarrisonEntry()
        entry.role = .user
        entry.content = String(repeating: "x", count: 4000)
        entry.metadata = ["lang": "fr"]
        var append = Paladin_V1_AppendRequest()
        append.sessionID = "s1"
        append.entries = Array(repeating: entry, count: 1000)
        let big = append.serializedBytes()
        #expect(big.count > 4_000_000 && big.count <= Self.maxFrame)
        #expect(try Paladin_V1_AppendRequest(decoding: big) == append)

        // 1000 one-byte entries: the per-append maximum of the smallest entries.
        entry.content = "x"
        entry.metadata = [:]
        append.entries = Array(repeating: entry, count: 1000)
        #expect(try Paladin_V1_AppendRequest(decoding: append.serializedBytes()) == append)

        // One string of 4 MiB minus the envelope.
        var request = Paladin_V1_Request()
        request.method = "paladin.v1.GarrisonService/Append"
        request.message = [UInt8](repeating: 7, count: Self.maxFrame - 64)
        request.metadata = (0..<64).map {
            var pair = Paladin_V1_MetadataEntry()
            pair.key = "key-\($0)"
            pair.value = String(repeating: "v", count: 64)
            return pair
        }
        let envelope = request.serializedBytes()
        #expect(try Paladin_V1_Request(decoding: envelope) == request)

        // 100k packed one-byte ids.
        var ids = Paladin_V1_AppendResponse()
        ids.ids = Array(repeating: 5, count: 100_000)
        #expect(try Paladin_V1_AppendResponse(decoding: ids.serializedBytes()) == ids)
    }

    @Test("malformed bytes are still malformed, not over budget")
    func malformedStaysMalformed() {
        #expect(throws: WireError.malformedMessage("paladin.v1.Request")) { try Paladin_V1_Request(decoding: [0xFF, 0xFF]) }
    }
}
