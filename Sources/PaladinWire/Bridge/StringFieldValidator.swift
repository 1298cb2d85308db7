import CPaladinProto

/// Checks, before protobuf-c decodes a message, that every string field (at any depth) is valid
/// UTF-8 without NUL bytes.
///
/// protobuf-c stores strings NUL-terminated and without a length, so a string with an embedded
/// NUL would silently lose its tail ("s3cret\0x" would read as "s3cret"), and invalid UTF-8
/// would be repaired on its way into Swift. Proto3 requires valid UTF-8 anyway; refusing both
/// keeps what the server checks identical to what the peer sent.
enum StringFieldValidator {
    /// Deepest nesting followed; deeper input is refused (protects the stack).
    static let maxDepth = 64

    /// Whether `bytes` is a well-formed encoding whose string fields are all acceptable.
    static func isAcceptable(_ bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>) -> Bool {
        var reader = Reader(bytes: bytes)
        return validate(&reader, end: bytes.count, descriptor: descriptor, depth: 0)
    }

    private static func validate(_ reader: inout Reader, end: Int, descriptor: UnsafePointer<ProtobufCMessageDescriptor>, depth: Int) -> Bool {
        guard depth < maxDepth else { return false }
        while reader.offset < end {
            guard let key = reader.varint(end: end), key >> 3 > 0 else { return false }
            let number = UInt32(truncatingIfNeeded: key >> 3)
            switch key & 7 {
            case 0:
                guard reader.varint(end: end) != nil else { return false }
            case 1:
                guard reader.skip(8, end: end) else { return false }
            case 5:
                guard reader.skip(4, end: end) else { return false }
            case 2:
                guard let length = reader.varint(end: end), length <= UInt64(end - reader.offset) else { return false }
                let start = reader.offset
                let stop = start + Int(length)
                if let field = protobuf_c_message_descriptor_get_field(descriptor, UInt32(number)) {
                    switch field.pointee.type {
                    case PROTOBUF_C_TYPE_STRING:
                        guard isValidText(reader.bytes, start, stop) else { return false }
                    case PROTOBUF_C_TYPE_MESSAGE:
                        let sub = field.pointee.descriptor.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
                        guard validate(&reader, end: stop, descriptor: sub, depth: depth + 1) else { return false }
                    default:
                        break
                    }
                }
                reader.offset = stop
            default:
                return false  // groups (3, 4) and unknown wire types
            }
        }
        return reader.offset == end
    }

    /// UTF-8 without NUL (the decoder's rules: no overlong forms, no surrogates, at most U+10FFFF).
    private static func isValidText(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ stop: Int) -> Bool {
        var i = start
        while i < stop {
            let b = bytes[i]
            if b == 0 { return false }
            if b < 0x80 { i += 1; continue }
            let count: Int
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: count = 1; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: count = 2; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: count = 3; scalar = UInt32(b & 0x07)
            default: return false
            }
            guard i + count < stop else { return false }
            for k in 1...count {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            let minimum: UInt32 = count == 2 ? 0x800 : count == 3 ? 0x10000 : 0x80
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
            i += count + 1
        }
        return true
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        /// A varint that ends before `end` (the end of the enclosing message), else `nil`.
        mutating func varint(end: Int) -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while offset < end && shift < 64 {
                let byte = bytes[offset]
                offset += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
            return nil
        }

        mutating func skip(_ count: Int, end: Int) -> Bool {
            guard end - offset >= count else { return false }
            offset += count
            return true
        }
    }
}
