#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A bump allocator that owns every C allocation made while building one protobuf-c message.
///
/// Encoding builds a temporary C struct tree (strings, arrays, sub-messages) whose lifetime is
/// exactly one `protobuf_c_message_pack` call. Allocating it all from a few chunks and freeing
/// them together in `deinit` makes ownership trivial (nothing escapes the arena) and costs a
/// `malloc` per chunk instead of one per field.
public final class CArena {
    private var chunks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer?
    private var remaining = 0
    private let chunkSize: Int

    /// Creates an empty arena; the first chunk is allocated on first use.
    public init(chunkSize: Int = 2048) {
        self.chunkSize = chunkSize
    }

    deinit {
        for chunk in chunks { free(chunk) }
    }

    /// Raw, 16-byte aligned, uninitialised memory that lives as long as the arena.
    public func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = (max(byteCount, 1) + 15) & ~15
        if size > remaining {
            if size > chunkSize / 2 {
                let block = malloc(size)!
                chunks.append(block)
                return block
            }
            let chunk = malloc(chunkSize)!
            chunks.append(chunk)
            cursor = chunk
            remaining = chunkSize
        }
        let result = cursor!
        cursor = result + size
        remaining -= size
        return result
    }

    /// Zeroed memory for `count` values of `T`.
    public func allocate<T>(_ type: T.Type, count: Int = 1) -> UnsafeMutablePointer<T> {
        let bytes = MemoryLayout<T>.stride * count
        let raw = allocate(byteCount: bytes)
        memset(raw, 0, bytes)
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// The C strings made from Swift strings that held U+0000, in the order they were made.
    /// protobuf-c strings end at the first NUL, so such a string cannot be encoded whole.
    public private(set) var stringsHoldingNUL: [UnsafeRawPointer] = []

    /// A NUL-terminated copy of `string` (its UTF-8 bytes).
    ///
    /// A string holding U+0000 is recorded in `stringsHoldingNUL` (for the checked encoders to
    /// refuse) and copied with each U+0000 replaced by U+FFFD, so an unchecked encoding shows
    /// the replacement instead of silently losing the tail.
    public func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        var string = string
        return string.withUTF8 { utf8 in
            if let base = utf8.baseAddress, memchr(base, 0, utf8.count) != nil {
                return replacingNULs(utf8)
            }
            let out = allocate(byteCount: utf8.count + 1).bindMemory(to: CChar.self, capacity: utf8.count + 1)
            if let base = utf8.baseAddress { memcpy(out, base, utf8.count) }
            out[utf8.count] = 0
            return out
        }
    }

    /// The slow path of `cString`: a copy with U+FFFD for each NUL, recorded.
    private func replacingNULs(_ utf8: UnsafeBufferPointer<UInt8>) -> UnsafeMutablePointer<CChar> {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 8)
        for byte in utf8 {
            if byte == 0 { bytes += [0xEF, 0xBF, 0xBD] } else { bytes.append(byte) }
        }
        let out = allocate(byteCount: bytes.count + 1).bindMemory(to: CChar.self, capacity: bytes.count + 1)
        bytes.withUnsafeBytes { _ = memcpy(out, $0.baseAddress!, bytes.count) }
        out[bytes.count] = 0
        stringsHoldingNUL.append(UnsafeRawPointer(out))
        return out
    }

    /// A copy of `bytes`; `nil` for an empty array (protobuf-c accepts a NULL data pointer with len 0).
    public func bytes(_ bytes: [UInt8]) -> UnsafeMutablePointer<UInt8>? {
        if bytes.isEmpty { return nil }
        let out = allocate(UInt8.self, count: bytes.count)
        bytes.withUnsafeBufferPointer { src in out.update(from: src.baseAddress!, count: src.count) }
        return out
    }

    /// A C array holding `values`; `nil` when empty.
    public func array<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        if values.isEmpty { return nil }
        let out = allocate(T.self, count: values.count)
        out.initialize(from: values, count: values.count)
        return out
    }
}
