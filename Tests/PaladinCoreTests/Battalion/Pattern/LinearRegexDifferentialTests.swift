import PaladinCore
import Testing

/// Random patterns of the supported subset over a small alphabet, checked against Swift `Regex`
/// on random short texts. Seeded, so a failure repeats.
@Suite("LinearRegex differential")
struct LinearRegexDifferentialTests {
    @Test func agreesWithSwiftRegexOnRandomPatterns() async throws {
        let disagreements = try await offThePool(Self.disagreements)
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    /// "pattern on text" for each pair where the two disagree.
    @Sendable private static func disagreements() throws -> [String] {
        var disagreements: [String] = []
        var random = SeededRandom(seed: 0x5EED_1717)
        for _ in 0..<400 {
            let pattern = RandomPattern.make(&random, depth: 3)
            let ours = try LinearRegex(pattern)
            let swift = try Regex(pattern).wordBoundaryKind(.simple)
            for _ in 0..<12 {
                let text = String((0..<Int.random(in: 0...10, using: &random)).map { _ in
                    RandomPattern.textAlphabet.randomElement(using: &random)!
                })
                let expected = text.contains(swift)
                if ours.matches(in: text) != expected {
                    disagreements.append("\(pattern.debugDescription) on \(text.debugDescription)")
                }
            }
        }
        return disagreements
    }
}

/// Generates random patterns of the supported subset.
enum RandomPattern {
    static let textAlphabet: [Character] = ["a", "b", "c", "A", "1", " ", "\n", "_", "."]
    private static let atoms = ["a", "b", "c", "A", ".", "[ab]", "[^a]", "[a-c1]", #"\d"#, #"\w"#, #"\s"#, #"\W"#,
                                "^", "$", #"\b"#, #"\B"#, #"\."#, " ", "1", #"\n"#]
    private static let quantifiers = ["", "", "", "*", "+", "?", "{2}", "{1,2}", "{0,3}", "{2,}", "*?", "+?"]

    static func make(_ random: inout SeededRandom, depth: Int) -> String {
        let prefix = Int.random(in: 0..<8, using: &random) == 0 ? "(?i)" : ""
        return prefix + alternation(&random, depth: depth)
    }

    private static func alternation(_ random: inout SeededRandom, depth: Int) -> String {
        (0..<Int.random(in: 1...2, using: &random)).map { _ in concatenation(&random, depth: depth) }.joined(separator: "|")
    }

    private static func concatenation(_ random: inout SeededRandom, depth: Int) -> String {
        (0..<Int.random(in: 1...4, using: &random)).map { _ in
            let atom: String
            if depth > 0 && Int.random(in: 0..<4, using: &random) == 0 {
                atom = (Bool.random(using: &random) ? "(" : "(?:") + alternation(&random, depth: depth - 1) + ")"
            } else {
                atom = atoms.randomElement(using: &random)!
            }
            let anchor = ["^", "$", #"\b"#, #"\B"#].contains(atom)
            return atom + (anchor ? "" : quantifiers.randomElement(using: &random)!)
        }.joined()
    }
}
