import PaladinCore
import Testing

/// Patterns that make a backtracking matcher take exponential time finish on a 100 KB text:
/// the matcher's work is linear in the text.
@Suite("LinearRegex catastrophic patterns")
struct LinearRegexCatastrophicTests {
    static let patterns = ["(a+)+$", "(a|a)*b", "(a*)*c", "(a|aa)+$", "^(a+)+b", "(?:a+){10}b", "(.*a){20}x", #"(\w+\s?)*!"#]

    @Test("Finishes on 100 KB", arguments: patterns)
    func finishesOnALongText(_ pattern: String) async throws {
        let text = String(repeating: "a", count: 100_000) + "!"
        let regex = try LinearRegex(pattern)
        try await offThePool {
            _ = regex.matches(in: text)
            _ = regex.matches(in: String(text.dropLast()))
        }
    }

    @Test func theLargestAcceptedProgramFinishes() async throws {
        let regex = try LinearRegex("a{1000}b{24}")  // 1,024 instructions before the match: the cap
        #expect(throws: LinearRegexError.self) { try LinearRegex("a{1000}b{25}") }
        #expect(try await offThePool { regex.matches(in: String(repeating: "a", count: 5_000)) } == false)
    }
}
