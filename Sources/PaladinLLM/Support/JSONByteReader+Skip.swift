extension JSONByteReader {
    /// Skips any value, checking its syntax as strictly as a full parse would.
    mutating func skipValue() throws(JSONScanFailure) {
        guard let byte = peek() else { throw JSONScanFailure() }
        switch byte {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depthLeft > 0 else { throw JSONScanFailure() }
            depthLeft -= 1
            defer { depthLeft += 1 }
            if byte == UInt8(ascii: "{") {
                try members { reader, _ throws(JSONScanFailure) in try reader.skipValue() }
            } else {
                try elements { reader throws(JSONScanFailure) in try reader.skipValue() }
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    private mutating func skipString() throws(JSONScanFailure) {
        try expect(UInt8(ascii: "\""))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") { return }
            if byte < 0x20 { throw JSONScanFailure() }
            guard byte == UInt8(ascii: "\\") else { continue }
            guard index < bytes.count else { throw JSONScanFailure() }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                 UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"): continue
            case UInt8(ascii: "u"):
                guard index + 4 <= bytes.count, bytes[index..<index + 4].allSatisfy(\.isHexDigit) else { throw JSONScanFailure() }
                index += 4
            default: throw JSONScanFailure()
            }
        }
        throw JSONScanFailure()
    }

    /// Consumes a number (JSON's grammar: `-? (0|[1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`)
    /// and returns where it started.
    mutating func number() throws(JSONScanFailure) -> Int {
        guard peek() != nil else { throw JSONScanFailure() }
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, bytes[index].isDigit else { throw JSONScanFailure() }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, bytes[index].isDigit else { throw JSONScanFailure() }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, bytes[index].isDigit else { throw JSONScanFailure() }
            skipDigits()
        }
        return start
    }

    private mutating func skipDigits() {
        while index < bytes.count, bytes[index].isDigit { index += 1 }
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) }
    fileprivate var isHexDigit: Bool { isDigit || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self | 0x20) }
}
