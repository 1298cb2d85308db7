/// Why a fast scan gave up; the caller then uses its general decoder.
struct JSONScanFailure: Error {}

/// A forward-only reader over the UTF-8 bytes of one JSON text: just enough to pull a few known
/// fields out of a small object and skip the rest without building any Foundation value. Every
/// method throws `JSONScanFailure` on anything it does not expect (bad syntax, another type, an
/// escaped key, deep nesting), so a caller falls back to a general decoder and never guesses.
struct JSONByteReader {
    /// A member's key: its raw bytes between the quotes (keys with escapes are refused).
    typealias Key = Slice<UnsafeBufferPointer<UInt8>>

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// Nesting left for `skipValue`; deeper JSON goes to the general decoder.
    var depthLeft = 32

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The next byte after whitespace, not consumed; `nil` at the end.
    mutating func peek() -> UInt8? {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return bytes[index]
            }
        }
        return nil
    }

    /// Consumes `byte` (after whitespace) or throws.
    mutating func expect(_ byte: UInt8) throws(JSONScanFailure) {
        guard peek() == byte else { throw JSONScanFailure() }
        index += 1
    }

    /// Throws unless only whitespace is left.
    mutating func end() throws(JSONScanFailure) {
        guard peek() == nil else { throw JSONScanFailure() }
    }

    /// Consumes `null` and returns `true` when it is next; otherwise consumes nothing.
    mutating func null() throws(JSONScanFailure) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// `nil` for `null`, else what `read` reads: JSON's optional field.
    mutating func nullOr<T>(_ read: (inout JSONByteReader) throws(JSONScanFailure) -> T) throws(JSONScanFailure) -> T? {
        try null() ? nil : read(&self)
    }

    /// Walks an object: `member` gets each key with the reader at its value, and must consume it.
    mutating func members(_ member: (inout JSONByteReader, Key) throws(JSONScanFailure) -> Void) throws(JSONScanFailure) {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") { index += 1; return }
        while true {
            let key = try rawKey()
            try expect(UInt8(ascii: ":"))
            try member(&self, key)
            guard let next = peek() else { throw JSONScanFailure() }
            index += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw JSONScanFailure() }
        }
    }

    /// Walks an array: `element` must consume each element.
    mutating func elements(_ element: (inout JSONByteReader) throws(JSONScanFailure) -> Void) throws(JSONScanFailure) {
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") { index += 1; return }
        while true {
            try element(&self)
            guard let next = peek() else { throw JSONScanFailure() }
            index += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw JSONScanFailure() }
        }
    }

    private mutating func rawKey() throws(JSONScanFailure) -> Key {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { index += 1; return bytes[start..<index - 1] }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { throw JSONScanFailure() }
            index += 1
        }
        throw JSONScanFailure()
    }

    mutating func literal(_ word: StaticString) throws(JSONScanFailure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw JSONScanFailure() }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard bytes[index..<index + count].elementsEqual(expected) else { throw JSONScanFailure() }
        index += count
    }
}
