import PaladinCore

/// Writes JSON text straight into bytes: request bodies built once per call without
/// `JSONSerialization`'s Foundation boxing (it was ~10 % of a streamed completion's CPU).
/// The caller writes the structure; this type gets escaping and number forms right.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// Appends literal JSON syntax or an already valid JSON text.
    mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Appends `"key":`, preceded by a comma unless it opens its object.
    mutating func key(_ key: String) {
        if let last = bytes.last, last != UInt8(ascii: "{") { bytes.append(UInt8(ascii: ",")) }
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends a comma unless it opens its array.
    mutating func separator() {
        if let last = bytes.last, last != UInt8(ascii: "[") { bytes.append(UInt8(ascii: ",")) }
    }

    /// Appends a string literal: quotes, backslashes and control characters escaped, `/` and
    /// non-ASCII left as they are (valid JSON, as `.withoutEscapingSlashes` wrote before).
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int(_ value: Int) { raw(String(value)) }

    /// A finite number (Swift's shortest round-trip form is valid JSON); NaN and infinities are
    /// not JSON and are refused.
    mutating func number(_ value: Double) throws(ProviderError) {
        guard value.isFinite else { throw ProviderError(.invalidRequest, "could not encode the request as JSON: \(value) is not a JSON number") }
        if value == value.rounded(), abs(value) < 1e15 { return int(Int(value)) }
        raw(String(value))
    }
}
