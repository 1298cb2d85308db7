/// Simple case mapping for case-insensitive matching: a scalar and its one-scalar lower and
/// upper case forms (`(?i)k` matches `K` and KELVIN SIGN; `ß` does not match `SS`).
enum RegexCase {
    /// The other-case forms of `scalar` that are single scalars, not including `scalar`.
    static func variants(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if scalar.isASCII {
            let v = scalar.value
            if (0x41...0x5A).contains(v) { return [Unicode.Scalar(v + 32)!] }
            if (0x61...0x7A).contains(v) { return [Unicode.Scalar(v - 32)!] }
            return []
        }
        var found: [Unicode.Scalar] = []
        for mapping in [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping] {
            let scalars = mapping.unicodeScalars
            if scalars.count == 1, let other = scalars.first, other != scalar, !found.contains(other) {
                found.append(other)
            }
        }
        return found
    }
}
