import CPaladinProto
import NIOCore

/// A Swift value type generated from a `.proto` message, convertible to and from its
/// protobuf-c struct.
///
/// The generated code (`Generated/*.pb.swift`, from `scripts/protoc-gen-paladin-swift`) supplies
/// the three requirements; encoding and decoding on top of them are written once, below, so
/// all unsafe pointer code lives in this folder and in generated files.
public protocol ProtoMessage: Sendable, Hashable {
    /// The protobuf-c struct type, e.g. `Paladin__V1__Hello`.
    associatedtype CMessage

    /// The protobuf-c descriptor of the message.
    static var protobufCDescriptor: UnsafePointer<ProtobufCMessageDescriptor> { get }

    /// Copies a decoded C message into a Swift value. The C message is not retained.
    init(cMessage: UnsafePointer<CMessage>)

    /// Builds the C form of `self` with every allocation owned by `arena`.
    func buildCMessage(in arena: CArena) -> UnsafeMutablePointer<CMessage>

    /// A value with every field at its default.
    init()
}

extension ProtoMessage {
    /// Decodes the protobuf encoding in `bytes`.
    /// - Throws: `WireError.malformedMessage` when protobuf-c rejects the bytes, or a string
    ///   field is not valid UTF-8 or holds a NUL (see `StringFieldValidator`).
    public init(decoding bytes: UnsafeRawBufferPointer) throws(WireError) {
        guard StringFieldValidator.isAcceptable(bytes, descriptor: Self.protobufCDescriptor) else {
            throw WireError.malformedMessage(String(cString: Self.protobufCDescriptor.pointee.name))
        }
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        // protobuf-c wants a non-NULL pointer even for an empty message.
        var empty: UInt8 = 0
        let decoded: UnsafeMutablePointer<ProtobufCMessage>? = withUnsafeMutablePointer(to: &empty) { emptyPointer in
            protobuf_c_message_unpack(Self.protobufCDescriptor, nil, bytes.count, base ?? UnsafePointer(emptyPointer))
        }
        guard let decoded else {
            throw WireError.malformedMessage(String(cString: Self.protobufCDescriptor.pointee.name))
        }
        defer { protobuf_c_message_free_unpacked(decoded, nil) }
        self.init(cMessage: UnsafeRawPointer(decoded).assumingMemoryBound(to: CMessage.self))
    }

    /// Decodes the protobuf encoding in the readable bytes of `buffer`.
    public init(decoding buffer: ByteBuffer) throws(WireError) {
        let result: Result<Self, WireError> = buffer.withUnsafeReadableBytes { bytes in
            do throws(WireError) { return .success(try Self(decoding: bytes)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// Decodes the protobuf encoding in `bytes`.
    public init(decoding bytes: [UInt8]) throws(WireError) {
        let result: Result<Self, WireError> = bytes.withUnsafeBytes { raw in
            do throws(WireError) { return .success(try Self(decoding: raw)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// Appends the protobuf encoding of `self` to `buffer`; returns the number of bytes written.
    @discardableResult
    public func encode(into buffer: inout ByteBuffer) -> Int {
        let arena = CArena()
        let message = UnsafeMutableRawPointer(buildCMessage(in: arena)).assumingMemoryBound(to: ProtobufCMessage.self)
        return withExtendedLifetime(arena) {
            let size = protobuf_c_message_get_packed_size(message)
            return buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
                protobuf_c_message_pack(message, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
    }

    /// The protobuf encoding of `self`.
    public func serializedBytes() -> [UInt8] {
        let arena = CArena()
        let message = UnsafeMutableRawPointer(buildCMessage(in: arena)).assumingMemoryBound(to: ProtobufCMessage.self)
        return withExtendedLifetime(arena) {
            let size = protobuf_c_message_get_packed_size(message)
            return [UInt8](unsafeUninitializedCapacity: size) { out, count in
                count = size == 0 ? 0 : protobuf_c_message_pack(message, out.baseAddress!)
            }
        }
    }

    /// The encoded size of `self` in bytes.
    public var serializedSize: Int {
        let arena = CArena()
        let message = UnsafeMutableRawPointer(buildCMessage(in: arena)).assumingMemoryBound(to: ProtobufCMessage.self)
        return withExtendedLifetime(arena) { protobuf_c_message_get_packed_size(message) }
    }
}
