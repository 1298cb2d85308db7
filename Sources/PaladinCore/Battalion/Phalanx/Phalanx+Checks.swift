import Foundation

extension Phalanx {
    /// Whether no name repeats.
    static func areDistinct(_ names: [String]) -> Bool { Set(names).count == names.count }

    /// `text` without leading and trailing white space and newlines.
    static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
}
