extension JSONByteReader {
    /// A string value, unescaped (`\n`, `\"`, `\uXXXX` with surrogate pairs, ...). A string
    /// without escapes is one copy of its bytes.
    mutating func string() throws(JSONScanFailure) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw JSONScanFailure() }
            index += 1
        }
        throw JSONScanFailure()
    }

    private mutating func escapedString(from start: Int) throws(JSONScanFailure) -> String {
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if byte < 0x20 { throw JSONScanFailure() }
            guard byte == UInt8(ascii: "\\") else { out.append(byte); continue }
            guard index < bytes.count else { throw JSONScanFailure() }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"): UTF8.encode(try escapedScalar()) { out.append($0) }
            default: throw JSONScanFailure()
            }
        }
        throw JSONScanFailure()
    }

    /// After `\u`: four hex digits, and for a high surrogate the `\uXXXX` low one after it.
    /// A lone surrogate is refused (the general decoder decides what it means).
    private mutating func escapedScalar() throws(JSONScanFailure) -> Unicode.Scalar {
        let unit = try hex4()
        var value = UInt32(unit)
        if (0xD800..<0xDC00).contains(unit) {
            try literal("\\u")
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw JSONScanFailure() }
            value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw JSONScanFailure() }
        return scalar
    }

    private mutating func hex4() throws(JSONScanFailure) -> UInt16 {
        guard index + 4 <= bytes.count else { throw JSONScanFailure() }
        var value: UInt16 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONScanFailure()
            }
            value = value << 4 | UInt16(digit)
        }
        index += 4
        return value
    }

    /// An integer value; a fraction, an exponent or overflow is refused.
    mutating func int() throws(JSONScanFailure) -> Int {
        let start = try number()
        var text = bytes[start..<index]
        let negative = text.first == UInt8(ascii: "-")
        if negative { text = text.dropFirst() }
        var value = 0
        for byte in text {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { throw JSONScanFailure() }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw JSONScanFailure() }
            value = sum
        }
        return negative ? -value : value
    }
}
