import Yams

/// Walks a YAML mapping by key, collecting problems with their paths instead of stopping at
/// the first, and reporting every key it was never asked about as unknown.
struct ConfigReader {
    private(set) var problems: [ConfigError.Problem] = []

    /// The mapping at `path`, or nil (with a problem) when the node is something else.
    mutating func mapping(_ node: Node?, at path: String) -> Node.Mapping? {
        guard let node else { return nil }
        guard let mapping = node.mapping else {
            problems.append(.init(path: path, message: "expected a mapping of keys to values"))
            return nil
        }
        return mapping
    }

    /// Reports keys of `mapping` not in `known`.
    mutating func rejectUnknownKeys(_ mapping: Node.Mapping, known: Set<String>, at path: String) {
        for key in mapping.keys {
            let name = key.string ?? "\(key)"
            if !known.contains(name) {
                let suggestion = known.sorted().first { editDistance($0, name) <= 2 }
                problems.append(.init(path: join(path, name),
                                      message: "unknown key" + (suggestion.map { " (did you mean \($0)?)" } ?? "")))
            }
        }
    }

    mutating func string(_ mapping: Node.Mapping, _ key: String, at path: String, into value: inout String) {
        guard let node = mapping[key] else { return }
        guard let string = node.string, node.scalar != nil else {
            problems.append(.init(path: join(path, key), message: "expected a string"))
            return
        }
        value = string
    }

    mutating func integer<T: FixedWidthInteger>(_ mapping: Node.Mapping, _ key: String, at path: String,
                                                range: ClosedRange<T>, into value: inout T) {
        guard let node = mapping[key] else { return }
        guard let text = node.scalar?.string, let number = T(text) else {
            problems.append(.init(path: join(path, key), message: "expected a whole number from \(range.lowerBound) to \(range.upperBound)"))
            return
        }
        guard range.contains(number) else {
            problems.append(.init(path: join(path, key), message: "\(number) is out of range \(range.lowerBound)...\(range.upperBound)"))
            return
        }
        value = number
    }

    mutating func fail(_ path: String, _ message: String) {
        problems.append(.init(path: path, message: message))
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

/// Levenshtein distance, for "did you mean" hints on short keys.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return a.isEmpty ? b.count : row[b.count]
}
