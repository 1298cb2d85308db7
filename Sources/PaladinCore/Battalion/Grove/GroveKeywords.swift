import Foundation

/// Keyword matching for Grove: the input and each keyword are split into lowercased words
/// (on whitespace, with punctuation trimmed from each word's ends), and a keyword is present
/// when its words appear consecutively in the input's words (so "refund" does not match
/// "refunded", and the phrase "credit card" matches "my Credit  card,").
enum GroveKeywords {
    /// Lowercased words of `text`.
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: \.isWhitespace)
            .map { $0.trimmingCharacters(in: .punctuationCharacters) }
            .filter { !$0.isEmpty }
    }

    /// The keywords of `keywords` present in `input`, once each, in keyword order.
    static func matches(_ keywords: [String], in input: String) -> [String] {
        let text = " " + words(input).joined(separator: " ") + " "
        var seen: Set<String> = []
        return keywords.filter { keyword in
            let phrase = words(keyword).joined(separator: " ")
            guard !phrase.isEmpty, seen.insert(phrase).inserted else { return false }
            return text.contains(" " + phrase + " ")
        }
    }
}
