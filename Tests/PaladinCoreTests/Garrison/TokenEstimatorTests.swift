import PaladinCore
import Testing

@Suite("Token estimator")
struct TokenEstimatorTests {
    @Test(arguments: [
        ("", 0), ("a", 1), ("abcd", 1), ("abcde", 2),
        ("a b c d e f", 6),            // at least one token per word
        ("⚔⚔⚔⚔", 3),                   // 12 UTF-8 bytes
        ("hello world, this is a test of the estimator", 11),  // 44 bytes,
        ("a\tb\nc\rd e", 5),           // tab, line feed, carriage return and space separate words
        ("  leading and trailing  ", 6),
        (String(repeating: "x", count: 100), 25),
        (String(repeating: "a ", count: 40), 40),  // 80 bytes, 40 words
    ])
    func estimates(text: String, tokens: Int) {
        #expect(TokenEstimator.estimate(text) == tokens)
    }

    /// The estimator against the definition, on random texts mixing separators, multi-byte
    /// characters and NUL bytes.
    @Test func matchesTheDefinitionOnRandomTexts() {
        var random = GarrisonSeededRandom(seed: 99)
        let pieces = ["a", "b", " ", "\n", "\t", "\r", "⚔", "é", "\u{0}", "!", "  "]
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0..<40, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            #expect(TokenEstimator.estimate(text) == Self.definition(text), "\(Array(text.utf8))")
        }
    }

    /// Long texts whose word count beats bytes / 4.
    @Test func countsWordsInLongTexts() {
        #expect(TokenEstimator.estimate(String(repeating: "a ", count: 3_000)) == 3_000)
        var random = GarrisonSeededRandom(seed: 7)
        let pieces = ["a", " ", "\n", "b "]
        for _ in 0..<20 {
            let text = (0..<Int.random(in: 1_500..<6_000, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            #expect(TokenEstimator.estimate(text) == Self.definition(text))
        }
    }

    private static func definition(_ text: String) -> Int {
        let bytes = Array(text.utf8)
        let isSpace: (UInt8) -> Bool = { [0x20, 0x0A, 0x09, 0x0D].contains($0) }
        var words = 0
        for index in bytes.indices where !isSpace(bytes[index]) && (index == 0 || isSpace(bytes[index - 1])) {
            words += 1
        }
        return max((bytes.count + 3) / 4, words)
    }
}
