/// A position in the text as assertions see it: the scalars on either side (`nil` at an end).
struct RegexPosition {
    var before: Unicode.Scalar?
    var after: Unicode.Scalar?
    /// Whether `after` is the last scalar of the text (for `\Z`).
    var afterIsLast: Bool

    func satisfies(_ assertion: RegexAssertion) -> Bool {
        assertion.holds(before: before, after: after, afterIsLast: afterIsLast)
    }
}
