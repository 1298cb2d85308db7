/// When a Campaign edge lets its source's output through to its target.
public enum EdgeCondition: Sendable, Hashable {
    /// Always satisfied (once the source succeeded).
    case always
    /// Satisfied when the source's output contains this text (case-sensitive).
    case contains(String)
    /// Satisfied when this regular expression matches somewhere in the source's output. It is
    /// a `LinearRegex` (no backtracking; see there for the syntax): a pattern that does not
    /// compile, or uses a construct it refuses, is reported by `Campaign.validate()`.
    case regex(String)

    /// Whether `output` (of a source that succeeded) satisfies the condition. A `.regex` is
    /// compiled on each call; `CampaignEdge` keeps its compiled pattern instead.
    public func isSatisfied(by output: String) -> Bool {
        switch self {
        case .always:
            return true
        case .contains(let text):
            return output.contains(text)
        case .regex(let pattern):
            guard let regex = try? LinearRegex(pattern) else { return false }
            return regex.matches(in: output)
        }
    }

    /// Why the pattern of a `.regex` condition is refused; `nil` when it compiles (or for
    /// other conditions). A long pattern is quoted only in part.
    public var problem: String? {
        guard case .regex(let pattern) = self else { return nil }
        do {
            _ = try LinearRegex(pattern)
            return nil
        } catch {
            return "invalid regex \"\(Self.quoted(pattern))\": \(error)"
        }
    }

    /// The pattern as error messages quote it: at most 64 scalars, then "...".
    private static func quoted(_ pattern: String) -> String {
        let scalars = pattern.unicodeScalars
        guard scalars.count > 64 else { return pattern }
        return String(String.UnicodeScalarView(scalars.prefix(64))) + "..."
    }
}

extension EdgeCondition: CustomStringConvertible {
    /// "always", "contains \"x\"", "regex \"p\"".
    public var description: String {
        switch self {
        case .always: "always"
        case .contains(let text): "contains \"\(text)\""
        case .regex(let pattern): "regex \"\(pattern)\""
        }
    }
}
