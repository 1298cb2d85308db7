extension JSONWriter {
    /// Appends `text` as a JSON string literal: `"` and `\` get a backslash, U+0000–U+001F become
    /// `\b \f \n \r \t` or `\u00XX`, and everything else (`/`, DEL, all of non-ASCII) is copied as
    /// is, so the literal reads back byte for byte. The runs between escapes are copied whole.
    mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: utf8.extracting(runStart..<index))
                appendEscape(byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: utf8.extracting(runStart...))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The escape sequence for one byte that may not appear raw in a string literal.
    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(contentsOf: "u00".utf8)
            bytes.append(hexDigit(byte >> 4))
            bytes.append(hexDigit(byte & 0x0F))
        }
    }

    /// The lowercase hexadecimal digit for `value` (0–15).
    private func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
