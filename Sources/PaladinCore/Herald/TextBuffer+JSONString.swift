extension TextBuffer {
    /// Appends `text` as a JSON string literal (see `JSONEscaping.escape`).
    mutating func append(jsonString text: String) {
        append(byte: UInt8(ascii: "\""))
        append(text, through: JSONEscaping.escape)
        append(byte: UInt8(ascii: "\""))
    }
}
