/// A growable UTF-8 byte buffer that the Markdown and table formats write into; it becomes a
/// `String` once, at the end. Everything appended is valid UTF-8, so that final conversion never repairs anything.
/// It owns its memory (hence noncopyable), so an append is a capacity check and a copy.
struct TextBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The text written so far. Every writer copies whole UTF-8 sequences (runs of a valid string
    /// cut only before or after an ASCII byte, literals, digits), so the bytes are valid by
    /// construction and are not validated again where the runtime allows it: validation costs more
    /// than formatting for non-ASCII output such as box-drawing borders. Debug builds check anyway.
    var string: String {
        let bytes = UnsafeBufferPointer(start: base, count: count)
        assert(String(validating: bytes, as: UTF8.self) != nil, "Herald produced invalid UTF-8")
        if #available(macOS 26, iOS 26, tvOS 26, watchOS 26, visionOS 26, *) {
            return String(copying: unsafe UTF8Span(unchecked: bytes.span))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `text` through `transform`, a resumable writer: given the whole input, where to
    /// start, where to write and how much room there is, it writes what fits (always at least one
    /// item when the room is the rest of the input plus 16 bytes) and returns where it stopped and
    /// how many bytes it wrote.
    mutating func append(_ text: String,
                         through transform: (UnsafeBufferPointer<UInt8>, Int, UnsafeMutablePointer<UInt8>, Int) -> (end: Int, written: Int)) {
        ByteScan.withUTF8(text) { utf8 in
            var start = 0
            while start < utf8.count {
                let rest = utf8.count - start
                reserve(rest + rest / 8 + 16)
                let (end, written) = transform(utf8, start, base + count, capacity - count)
                count += written
                start = end
            }
        }
    }

    mutating func append(_ text: StaticString) { append(bytes: text.utf8Start, count: text.utf8CodeUnitCount) }

    mutating func append(string text: String) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            if let start = utf8.baseAddress { append(bytes: start, count: utf8.count) }
        }
        if done == nil { ByteScan.withUTF8(text) { append(contentsOf: $0) } }
    }

    mutating func append(contentsOf utf8: UnsafeBufferPointer<UInt8>) {
        guard let source = utf8.baseAddress else { return }
        append(bytes: source, count: utf8.count)
    }

    mutating func append(bytes source: UnsafePointer<UInt8>, count length: Int) {
        reserve(length)
        (base + count).update(from: source, count: length)
        count += length
    }

    mutating func append(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(byte: UInt8, count repeats: Int) {
        guard repeats > 0 else { return }
        reserve(repeats)
        (base + count).update(repeating: byte, count: repeats)
        count += repeats
    }

    mutating func append(_ text: StaticString, count repeats: Int) {
        guard repeats > 0 else { return }
        let length = text.utf8CodeUnitCount
        reserve(length * repeats)
        // One copy of `text`, then the filled part doubles until it covers every repeat.
        let start = base + count
        let total = length * repeats
        start.update(from: text.utf8Start, count: length)
        var filled = length
        while filled < total {
            let chunk = min(filled, total - filled)
            (start + filled).update(from: start, count: chunk)
            filled += chunk
        }
        count += total
    }

    /// Appends `value` in decimal.
    mutating func append(decimal value: Int) {
        write(upTo: Digits.maxBytes + 1) { out in
            guard value < 0 else { return Digits.write(value.magnitude, into: out) }
            out[0] = UInt8(ascii: "-")
            return 1 + Digits.write(value.magnitude, into: out + 1)
        }
    }

    /// Lets `body` write at most `maxBytes` bytes at the end; it returns how many it wrote.
    mutating func write(upTo maxBytes: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(maxBytes)
        count += body(base + count)
    }

    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        capacity = max(needed, capacity * 2)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
    }
}
