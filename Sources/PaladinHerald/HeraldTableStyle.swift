/// The border characters of a `.table` rendering.
public enum HeraldTableStyle: String, Sendable, Hashable, CaseIterable {
    /// Box-drawing characters (`┌─┬─┐`, `│`).
    case unicode
    /// Plain ASCII (`+-+`, `|`), for terminals and logs without Unicode.
    case ascii
}
