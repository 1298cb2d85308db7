/// How many terminal columns text occupies, per grapheme cluster (what a reader sees as one
/// character):
///
/// - East Asian Wide and Fullwidth characters (CJK, kana, Hangul syllables, fullwidth forms) and
///   emoji shown as emoji (emoji presentation, or text-default emoji followed by U+FE0F, keycaps,
///   flags, ZWJ sequences, skin tones, tag sequences) count 2 as a whole cluster;
/// - combining marks, format characters (zero-width joiners and spaces, bidi marks), variation
///   selectors and Hangul medial/final jamo count 0, and other clusters add up their scalars
///   (`e` + U+0301 is 1, halfwidth `ｶ` + `ﾞ` is 2);
/// - control characters count 0 (`DisplayWidth.cell(_:maxWidth:)` replaces them with visible ones);
/// - everything else, including ambiguous-width characters such as box drawing, counts 1.
public enum DisplayWidth {
    /// The columns `text` occupies.
    public static func of(_ text: String) -> Int {
        var width = 0
        for character in text { width += of(character) }
        return width
    }

    /// The columns one grapheme cluster occupies: an emoji cluster 2 (or 1 when U+FE0E asks for
    /// text style), anything else the sum of its scalars' widths, as terminals add them up.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F && scalars.count == 1 { return first.value >= 0x20 ? 1 : 0 }
        if first.value >= 0x231A && first.properties.isEmojiPresentation {
            return scalars.count == 2 && scalars.last == "\u{FE0E}" ? 1 : 2
        }
        if first.properties.isEmoji,
           scalars.contains(where: { $0 == "\u{FE0F}" || ($0 == "\u{200D}" && first.value > 0x7F) }) { return 2 }
        var width = 0
        for scalar in scalars { width += of(scalar) }
        return width
    }

    /// The columns one Unicode scalar occupies on its own: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        if value < 0xA0 { return 0 }
        if value < 0x300 { return 1 }
        if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if WideCharacters.contains(value) { return 2 }
        if value >= 0x231A && scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }
}
