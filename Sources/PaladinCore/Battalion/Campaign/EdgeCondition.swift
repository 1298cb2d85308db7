/// When a Campaign edge lets its source's output through to its target.
public enum EdgeCondition: Sendable, Hashable {
    /// Always satisfied (once the source succeeded).
    case always
    /// Satisfied when the source's output contains this text (case-sensitive).
    case contains(String)
    /// Satisfied when this Swift `Regex` matches somewhere in the source's output. A pattern
    /// that does not compile is reported by `Campaign.validate()`.
    case regex(String)

    /// Whether `output` (of a source that succeeded) satisfies the condition.
    public func isSatisfied(by output: String) -> Bool {
        switch self {
        case .always:
            return true
        case .contains(let text):
            return output.contains(text)
        case .regex(let pattern):
            guard let regex = try? Regex(pattern) else { return false }
            return output.contains(regex)
        }
    }

    /// Why the pattern of a `.regex` condition does not compile; `nil` when it does (or for
    /// other conditions).
    public var problem: String? {
        guard case .regex(let pattern) = self else { return nil }
        do {
            _ = try Regex(pattern)
            return nil
        } catch {
            return "invalid regex \"\(pattern)\": \(error)"
        }
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
