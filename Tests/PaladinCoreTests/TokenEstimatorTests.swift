import PaladinCore
import Testing

@Suite("Token estimator")
struct TokenEstimatorTests {
    @Test(arguments: [
        ("", 0), ("a", 1), ("abcd", 1), ("abcde", 2),
        ("a b c d e f", 6),            // at least one token per word
        ("⚔⚔⚔⚔", 3),                   // 12 UTF-8 bytes
        ("hello world, this is a test of the estimator", 11)  // 44 bytes,
    ])
    func estimates(text: String, tokens: Int) {
        #expect(TokenEstimator.estimate(text) == tokens)
    }
}
