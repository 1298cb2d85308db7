/// Writes one JSON text as UTF-8 bytes, compact or pretty-printed, members in the order the
/// caller writes them. Herald's JSON and NDJSON formats and the model providers' request bodies
/// share it, so strings are escaped and numbers formed one way across the package.
///
/// The caller gives the structure: `beginObject()`, then `key(_:)` and one value per member, then
/// `endObject()`; `beginArray()`, then `element()` and one value per element, then `endArray()`.
/// Commas (and, when pretty, line breaks with two spaces of indent per level) come from the writer.
public struct JSONWriter: Sendable {
    /// The UTF-8 bytes written so far.
    public internal(set) var bytes: [UInt8] = []
    /// Whether each member and element goes on a line of its own, written `"key": value`.
    public let pretty: Bool
    /// How many objects and arrays are open.
    private var depth = 0
    /// Whether the innermost open object or array has no member or element yet.
    private var isEmpty = true

    /// A writer with room for `capacity` bytes before its storage grows.
    public init(pretty: Bool = false, capacity: Int = 512) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    /// The JSON written so far, as a string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Opens an object (`{`).
    public mutating func beginObject() { open(UInt8(ascii: "{")) }

    /// Closes the innermost open object (`}`).
    public mutating func endObject() { close(UInt8(ascii: "}")) }

    /// Opens an array (`[`).
    public mutating func beginArray() { open(UInt8(ascii: "[")) }

    /// Closes the innermost open array (`]`).
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the open object, `"name":`; its value must follow.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(UInt8(ascii: " ")) }
    }

    /// Starts an element of the open array; its value must follow.
    public mutating func element() { separate() }

    /// An array of `elements`, each written by `write` (exactly one value per element).
    public mutating func array<Elements: Sequence, Failure: Error>(
        _ elements: Elements, _ write: (inout JSONWriter, Elements.Element) throws(Failure) -> Void
    ) throws(Failure) {
        beginArray()
        for value in elements {
            element()
            try write(&self, value)
        }
        endArray()
    }

    /// A string value (see `appendQuoted(_:)` for the escapes).
    public mutating func string(_ value: String) { appendQuoted(value) }

    /// A string value, or `null` when there is none.
    public mutating func string(_ value: String?) {
        if let value { appendQuoted(value) } else { null() }
    }

    /// An integer value in decimal.
    public mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// A floating-point value: whole numbers below 10^15 without a fraction (`3`, not `3.0`),
    /// others in Swift's shortest round-trip form, which is valid JSON. NaN and the infinities are
    /// not JSON numbers and are written as `null`, as JavaScript's `JSON.stringify` does; a caller
    /// that must refuse them checks `isFinite` first.
    public mutating func number(_ value: Double) {
        guard value.isFinite else { return null() }
        if value == value.rounded(), abs(value) < 1e15 { return int(Int(value)) }
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A boolean value.
    public mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    /// The `null` value.
    public mutating func null() { bytes.append(contentsOf: "null".utf8) }

    /// Appends `text` unchanged: an already valid JSON value where a value is due (a tool's
    /// parameter schema, a number formatted by the caller), or whitespace after the last value
    /// (the newline that ends an NDJSON line).
    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        depth += 1
        isEmpty = true
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if pretty && !isEmpty { newline() }
        bytes.append(bracket)
        isEmpty = false
    }

    /// The comma before every member or element but the first, then its line when pretty.
    private mutating func separate() {
        if !isEmpty { bytes.append(UInt8(ascii: ",")) }
        isEmpty = false
        if pretty { newline() }
    }

    private mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }
}
