/// Writes one JSON value into a `TextBuffer`, compact or pretty (two-space indent, `"key": value`).
/// Keys are written in the order the caller writes them, so output is stable.
struct JSONWriter: ~Copyable {
    var buffer: TextBuffer
    let pretty: Bool
    private var depth = 0
    /// Whether the innermost open object or array has no members yet.
    private var isEmpty = true

    init(pretty: Bool, capacity: Int) {
        self.pretty = pretty
        buffer = TextBuffer(capacity: capacity)
    }

    /// The JSON written so far.
    var string: String { buffer.string }

    mutating func beginObject() { begin(UInt8(ascii: "{")) }
    mutating func endObject() { end(UInt8(ascii: "}")) }
    mutating func beginArray() { begin(UInt8(ascii: "[")) }
    mutating func endArray() { end(UInt8(ascii: "]")) }

    /// Starts a member of the current object: the value must follow.
    mutating func key(_ name: StaticString) {
        let length = name.utf8CodeUnitCount
        let pretty = pretty
        let first = isEmpty
        let depth = depth
        isEmpty = false
        buffer.write(upTo: length + 6 + 2 * depth) { out in
            var written = 0
            if !first {
                out[0] = UInt8(ascii: ",")
                written = 1
            }
            if pretty {
                out[written] = 0x0A
                (out + written + 1).update(repeating: UInt8(ascii: " "), count: 2 * depth)
                written += 1 + 2 * depth
            }
            out[written] = UInt8(ascii: "\"")
            (out + written + 1).update(from: name.utf8Start, count: length)
            written += 1 + length
            out[written] = UInt8(ascii: "\"")
            out[written + 1] = UInt8(ascii: ":")
            written += 2
            if pretty {
                out[written] = UInt8(ascii: " ")
                written += 1
            }
            return written
        }
    }

    /// Starts an element of the current array: the value must follow.
    mutating func element() { separate() }

    mutating func string(_ value: String) { buffer.append(jsonString: value) }

    mutating func string(_ value: String?) {
        if let value { buffer.append(jsonString: value) } else { buffer.append("null") }
    }

    mutating func int(_ value: Int) { buffer.append(decimal: value) }

    mutating func bool(_ value: Bool) { buffer.append(value ? "true" : "false") }

    /// Milliseconds with three decimals.
    mutating func milliseconds(_ value: Duration) {
        buffer.write(upTo: DurationText.maxBytes) { DurationText.writeMilliseconds(value, into: $0) }
    }

    private mutating func begin(_ bracket: UInt8) {
        buffer.append(byte: bracket)
        depth += 1
        isEmpty = true
    }

    private mutating func end(_ bracket: UInt8) {
        depth -= 1
        if pretty && !isEmpty { newline() }
        buffer.append(byte: bracket)
        isEmpty = false
    }

    private mutating func separate() {
        if !isEmpty { buffer.append(byte: UInt8(ascii: ",")) }
        isEmpty = false
        if pretty { newline() }
    }

    private mutating func newline() {
        buffer.append(byte: UInt8(ascii: "\n"))
        buffer.append(byte: UInt8(ascii: " "), count: 2 * depth)
    }
}
