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

    /// A NUL-terminated copy of `string` (its UTF-8 bytes).
    public func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        var string = string
        return string.withUTF8 { utf8 in
            let out = allocate(byteCount: utf8.count + 1).bindMemory(to: CChar.self, capacity: utf8.count + 1)
            if let base = utf8.baseAddress { memcpy(out, base, utf8.count) }
            out[utf8.count] = 0
            return out
        }
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
