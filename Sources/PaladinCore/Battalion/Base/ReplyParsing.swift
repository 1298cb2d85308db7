import Foundation

/// Reads the small structured answers patterns ask models for ("BEST: 2", "SELECT: a, b").
enum ReplyParsing {
    /// The first run of ASCII digits in `text`, as a number.
    static func firstInteger(in text: String) -> Int? {
        var digits = ""
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else if !digits.isEmpty {
                break
            }
        }
        return digits.isEmpty ? nil : Int(digits.prefix(9))
    }

    /// Names after `label:` on the first line that has it (case-insensitive), split on commas
    /// and whitespace, e.g. "SELECT: a, b" -> ["a", "b"].
    static func list(after label: String, in text: String) -> [String]? {
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix(label.lowercased() + ":") else { continue }
            let rest = trimmed.dropFirst(label.count + 1)
            return rest.split { $0 == "," || $0 == " " }.map { $0.trimmingCharacters(in: .init(charactersIn: ".;\"'`*")) }.filter { !$0.isEmpty }
        }
        return nil
    }
}
