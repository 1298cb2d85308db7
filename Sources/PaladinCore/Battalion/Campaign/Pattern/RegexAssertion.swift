/// A zero-width test of a position in the text, decided from the scalars on either side of it.
enum RegexAssertion: Sendable, Hashable, CaseIterable {
    /// `^` (without `(?m)`) and `\A`: the start of the text.
    case startOfText
    /// `$` (without `(?m)`) and `\z`: the end of the text.
    case endOfText
    /// `\Z`: the end of the text, or just before a newline that ends it.
    case endOfTextOrFinalNewline
    /// `^` with `(?m)`: the start of the text or just after a newline (not between CR and LF).
    case startOfLine
    /// `$` with `(?m)`: the end of the text or just before a newline (not between CR and LF).
    case endOfLine
    /// `\b`: one side is a word scalar (`\w`) and the other is not (or is an end of the text).
    case wordBoundary
    /// `\B`: not a word boundary.
    case notWordBoundary

    /// Whether the assertion holds between `before` and `after` (`nil` at an end of the text);
    /// `afterIsLast` says whether `after` is the text's last scalar, which only `\Z` asks.
    func holds(before: Unicode.Scalar?, after: Unicode.Scalar?, afterIsLast: Bool) -> Bool {
        switch self {
        case .startOfText:
            return before == nil
        case .endOfText:
            return after == nil
        case .endOfTextOrFinalNewline:
            return after == nil || (after == "\n" && afterIsLast)
        case .startOfLine:
            guard let before else { return true }
            return RegexScalarClass.isNewline(before) && !(before == "\r" && after == "\n")
        case .endOfLine:
            guard let after else { return true }
            return RegexScalarClass.isNewline(after) && !(before == "\r" && after == "\n")
        case .wordBoundary, .notWordBoundary:
            let left = before.map(RegexScalarClass.isWord) ?? false
            let right = after.map(RegexScalarClass.isWord) ?? false
            return (left != right) == (self == .wordBoundary)
        }
    }
}
