import NIOCore
@testable import PaladinWire

/// Differential check of the string-field validator: a frame payload placed in a string field
/// is accepted exactly when the standard library finds it valid UTF-8 without NUL, and when it
/// is accepted protobuf-c hands back exactly those bytes (nothing cut at a NUL, nothing repaired).
enum TextValidatorCheck {
    static func run(_ payload: ByteBuffer) {
        // Copied through the raw bytes: ByteBufferView reads one byte per call, slow in a debug build.
        let text = payload.withUnsafeReadableBytes { Array($0) }
        let expected = !text.contains(0) && String(validating: text, as: UTF8.self) != nil

        // MetadataEntry{key: text}: field 1, wire type 2, varint length.
        var message: [UInt8] = [0x0A]
        var length = UInt64(text.count)
        while length >= 0x80 {
            message.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        message.append(UInt8(length))
        message += text

        let accepted = message.withUnsafeBytes { bytes in
            StringFieldValidator.isAcceptable(bytes, descriptor: Paladin_V1_MetadataEntry.protobufCDescriptor)
        }
        Invariant.check(accepted == expected, "validator says \(accepted) for \(text), the standard library \(expected)")

        let decoded = try? Paladin_V1_MetadataEntry(decoding: message)
        Invariant.check((decoded != nil) == expected, "MetadataEntry decode \(decoded != nil) for \(text), expected \(expected)")
        if let decoded {
            Invariant.check(Array(decoded.key.utf8) == text, "decoded key \(Array(decoded.key.utf8)) is not the \(text) sent")
        }
    }
}
