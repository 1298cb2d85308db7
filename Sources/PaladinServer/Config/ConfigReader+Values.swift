import Yams

extension ConfigReader {
    mutating func double(_ mapping: Node.Mapping, _ key: String, at path: String, range: ClosedRange<Double>,
                         into value: inout Double) {
        guard let node = mapping[key] else { return }
        guard let text = node.scalar?.string, let number = Double(text), number.isFinite else {
            fail(join(path, key), "expected a number from \(range.lowerBound) to \(range.upperBound)")
            return
        }
        guard range.contains(number) else {
            fail(join(path, key), "\(number) is out of range \(range.lowerBound)...\(range.upperBound)")
            return
        }
        value = number
    }

    mutating func bool(_ mapping: Node.Mapping, _ key: String, at path: String, into value: inout Bool) {
        guard let node = mapping[key] else { return }
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": value = true
        case "false", "no", "off": value = false
        default: fail(join(path, key), "expected true or false")
        }
    }

    /// A list of strings; a single string is read as a list of one.
    mutating func strings(_ mapping: Node.Mapping, _ key: String, at path: String, into value: inout [String]) {
        guard let node = mapping[key] else { return }
        if let scalar = node.scalar {
            value = [scalar.string]
            return
        }
        guard let sequence = node.sequence else {
            fail(join(path, key), "expected a list of strings")
            return
        }
        var items: [String] = []
        for (index, item) in sequence.enumerated() {
            guard let text = item.scalar?.string else {
                fail("\(join(path, key))[\(index)]", "expected a string")
                continue
            }
            items.append(text)
        }
        value = items
    }

    /// A list of mappings, each handed to `body` with its path.
    mutating func mappings(_ mapping: Node.Mapping, _ key: String, at path: String,
                           _ body: (Node.Mapping, String, inout ConfigReader) -> Void) {
        guard let node = mapping[key] else { return }
        guard let sequence = node.sequence else {
            fail(join(path, key), "expected a list")
            return
        }
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(join(path, key))[\(index)]"
            if let entry = self.mapping(item, at: itemPath) { body(entry, itemPath, &self) }
        }
    }

    /// One of `choices` (case-insensitive), or a problem listing them.
    mutating func choice<T>(_ mapping: Node.Mapping, _ key: String, at path: String, _ choices: [String: T],
                            into value: inout T) {
        guard let node = mapping[key] else { return }
        guard let text = node.scalar?.string.lowercased(), let chosen = choices[text] else {
            fail(join(path, key), "expected one of \(choices.keys.sorted().joined(separator: ", "))")
            return
        }
        value = chosen
    }

    /// The keys of a mapping with their values, in file order, each key checked as a name.
    mutating func named(_ mapping: Node.Mapping, at path: String) -> [(name: String, node: Node)] {
        var entries: [(name: String, node: Node)] = []
        for (key, value) in mapping {
            guard let name = key.string, !name.isEmpty else {
                fail(path, "expected names as keys")
                continue
            }
            entries.append((name, value))
        }
        return entries
    }
}
