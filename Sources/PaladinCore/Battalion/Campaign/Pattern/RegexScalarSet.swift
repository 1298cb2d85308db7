/// A set of Unicode scalars a regular expression step may consume: ranges and class escapes
/// (`[a-z\d]`, `\w`, `.`), possibly negated and case-insensitive.
///
/// ASCII membership is precomputed into a 128-bit map, so the common case is two shifts; other
/// scalars test the ranges and the classes' Unicode properties.
struct RegexScalarSet: Sendable, Hashable {
    /// The scalar ranges in the set (before negation).
    private(set) var ranges: [ClosedRange<UInt32>] = []
    /// The class escapes in the set (before negation).
    private(set) var classes: [RegexScalarClass] = []
    /// Whether the set is the complement of its ranges and classes.
    private(set) var negated = false
    /// Whether a scalar is also tested in its other case (simple one-scalar case mappings).
    private(set) var caseInsensitive = false
    private(set) var asciiLow: UInt64 = 0
    private(set) var asciiHigh: UInt64 = 0

    init(ranges: [ClosedRange<UInt32>] = [], classes: [RegexScalarClass] = [], negated: Bool = false,
         caseInsensitive: Bool = false) {
        self.ranges = ranges
        self.classes = classes
        self.negated = negated
        self.caseInsensitive = caseInsensitive
        for value in UInt32(0)..<128 where slowContains(Unicode.Scalar(UInt8(value))) {
            if value < 64 { asciiLow |= 1 << UInt64(value) } else { asciiHigh |= 1 << UInt64(value - 64) }
        }
    }

    /// Every scalar but the newlines: what `.` matches without `(?s)`.
    static let anyButNewline = RegexScalarSet(classes: [.newline], negated: true)
    /// Every scalar: what `.` matches with `(?s)`.
    static let anyScalar = RegexScalarSet(negated: true)

    /// Whether `scalar` is in the set.
    @inline(__always)
    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 64 { return asciiLow & (1 << UInt64(value)) != 0 }
        if value < 128 { return asciiHigh & (1 << UInt64(value - 64)) != 0 }
        return slowContains(scalar)
    }

    private func slowContains(_ scalar: Unicode.Scalar) -> Bool {
        var found = includes(scalar)
        if !found && caseInsensitive {
            found = RegexCase.variants(of: scalar).contains(where: includes)
        }
        return found != negated
    }

    private func includes(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return ranges.contains { $0.contains(value) } || classes.contains { $0.contains(scalar) }
    }
}
