/// Whole-word, case-insensitive matching of keywords and phrases in free text.
///
/// Text is split into words: maximal runs of letters and digits, lowercased; everything else
/// (spaces, punctuation, hyphens, apostrophes) separates words. A phrase matches when its words
/// appear consecutively in the text's words. So "after" does not match "afternoon", "agree" does
/// not match "disagree", and "step by step" matches "Step-by-step".
enum WordMatching {
    /// The lowercased words of `text`.
    static func words(_ text: String) -> [Substring] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }
    }

    /// Whether `phrase` occurs as whole words in `text`. A phrase without words never matches.
    static func contains(_ phrase: String, in text: String) -> Bool {
        contains(phrase, inWords: words(text))
    }

    /// Whether `phrase` occurs as whole words in the already-split `words`.
    static func contains(_ phrase: String, inWords words: [Substring]) -> Bool {
        let needle = self.words(phrase)
        guard !needle.isEmpty, needle.count <= words.count else { return false }
        for start in 0...(words.count - needle.count) where words[start] == needle[0] {
            if zip(words[start...], needle).allSatisfy({ $0 == $1 }) { return true }
        }
        return false
    }

    /// The first of `phrases` (in the given order) that occurs in `words`.
    static func firstMatch(of phrases: [String], inWords words: [Substring]) -> String? {
        phrases.first { contains($0, inWords: words) }
    }
}
