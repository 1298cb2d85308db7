import Foundation

/// The conformance vectors of Fixtures/golden-frames.txt (made by scripts/golden-frames.py),
/// shared with the Python and C clients' tests.
enum GoldenFrames {
    /// Vector name -> bytes.
    static let all: [String: [UInt8]] = {
        let url = Bundle.module.url(forResource: "golden-frames", withExtension: "txt", subdirectory: "Fixtures")!
        let text = try! String(contentsOf: url, encoding: .utf8)
        var vectors: [String: [UInt8]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = line.split(separator: " ")
            vectors[String(parts[0])] = bytes(fromHex: String(parts[1]))
        }
        return vectors
    }()

    static subscript(_ name: String) -> [UInt8] {
        guard let bytes = all[name] else { fatalError("no golden vector named \(name)") }
        return bytes
    }

    static func bytes(fromHex hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }
}
