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
    /// Decodes the protobuf encoding in `bytes`, within the memory budget of `DecodeBudget`.
    /// - Throws: `WireError.malformedMessage` when protobuf-c rejects the bytes, or a string
    ///   field is not valid UTF-8 or holds a NUL (see `StringFieldValidator`);
    ///   `WireError.decodeBudgetExceeded` when decoding would allocate more than the budget.
    public init(decoding bytes: UnsafeRawBufferPointer) throws(WireError) {
        guard StringFieldValidator.isAcceptable(bytes, descriptor: Self.protobufCDescriptor) else {
            throw WireError.malformedMessage(String(cString: Self.protobufCDescriptor.pointee.name))
        }
        var account = DecodeBudget.Account(payloadSize: bytes.count)
        guard let decoded = DecodeBudget.unpack(bytes, descriptor: Self.protobufCDescriptor, account: &account) else {
            let name = String(cString: Self.protobufCDescriptor.pointee.name)
            throw account.exceeded ? WireError.decodeBudgetExceeded(name) : WireError.malformedMessage(name)
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
    /// A string holding U+0000 is encoded with U+FFFD in its place; `encodeChecked(into:)`
    /// refuses it instead.
    @discardableResult
    public func encode(into buffer: inout ByteBuffer) -> Int {
        withCMessage { message, _ in Self.pack(message, into: &buffer) }
    }

    /// Appends the protobuf encoding of `self` to `buffer`, or throws, appending nothing, when
    /// a string field holds U+0000 (which protobuf-c strings cannot carry whole). Replies and
    /// requests go through this one, so such a string fails its call loudly.
    /// - Returns: the number of bytes written.
    /// - Throws: `WireError.stringHoldsNUL` naming the first such field.
    @discardableResult
    public func encodeChecked(into buffer: inout ByteBuffer) throws(WireError) -> Int {
        try withCMessage { message, arena throws(WireError) in
            try Self.refuseNULs(message, arena)
            return Self.pack(message, into: &buffer)
        }
    }

    /// The protobuf encoding of `self`, or an error when a string field holds U+0000 (see
    /// `encodeChecked(into:)`).
    public func checkedSerializedBytes() throws(WireError) -> [UInt8] {
        try withCMessage { message, arena throws(WireError) in
            try Self.refuseNULs(message, arena)
            return Self.pack(message)
        }
    }

    /// The protobuf encoding of `self`. A string holding U+0000 is encoded with U+FFFD in its
    /// place; `checkedSerializedBytes()` refuses it instead.
    public func serializedBytes() -> [UInt8] {
        withCMessage { message, _ in Self.pack(message) }
    }

    /// The encoded size of `self` in bytes.
    public var serializedSize: Int {
        withCMessage { message, _ in protobuf_c_message_get_packed_size(message) }
    }

    /// Builds the C form of `self` and runs `body` on it while its arena lives.
    private func withCMessage<Result, Failure: Error>(
        _ body: (UnsafeMutablePointer<ProtobufCMessage>, CArena) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let arena = CArena()
        let message = UnsafeMutableRawPointer(buildCMessage(in: arena)).assumingMemoryBound(to: ProtobufCMessage.self)
        return try withExtendedLifetime(arena) { () throws(Failure) -> Result in try body(message, arena) }
    }

    /// Throws `stringHoldsNUL` if `arena` made a C string from a string holding U+0000.
    private static func refuseNULs(_ message: UnsafeMutablePointer<ProtobufCMessage>, _ arena: CArena) throws(WireError) {
        guard !arena.stringsHoldingNUL.isEmpty else { return }
        let field = NULFieldLocator.path(in: message, descriptor: protobufCDescriptor, targets: Set(arena.stringsHoldingNUL))
        throw WireError.stringHoldsNUL(message: String(cString: protobufCDescriptor.pointee.name), field: field ?? "?")
    }

    private static func pack(_ message: UnsafeMutablePointer<ProtobufCMessage>) -> [UInt8] {
        let size = protobuf_c_message_get_packed_size(message)
        return [UInt8](unsafeUninitializedCapacity: size) { out, count in
            count = size == 0 ? 0 : protobuf_c_message_pack(message, out.baseAddress!)
        }
    }

    private static func pack(_ message: UnsafeMutablePointer<ProtobufCMessage>, into buffer: inout ByteBuffer) -> Int {
        let size = protobuf_c_message_get_packed_size(message)
        return buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
            protobuf_c_message_pack(message, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }
}
