import Foundation
import PaladinCore
import PaladinHerald

/// Small fixed results whose renderings the golden tests pin down.
enum HeraldFixtures {
    static let battalion = BattalionResult(
        pattern: "formation", status: .failed, finalOutput: "Plan: run `swift build`.\nDone.",
        steps: [
            MemberStep(member: "scout", status: .succeeded, output: "Found 2 leads | both \"good\"", startedAt: .zero,
                       duration: .microseconds(12_345), usage: TokenUsage(promptTokens: 10, completionTokens: 20), attempts: 1),
            MemberStep(member: "writer", status: .failed, error: "timed out", startedAt: .microseconds(12_345),
                       duration: .milliseconds(3), usage: TokenUsage(promptTokens: 5), attempts: 2),
        ],
        error: "writer failed", duration: .microseconds(15_500), reasoning: "fixed order")

    static let paladin = PaladinResult(
        paladin: "scout", output: "The answer is 42.", usage: TokenUsage(promptTokens: 7, completionTokens: 9), turns: 2,
        toolCalls: [ToolCall(id: "c1", name: "search", arguments: #"{"q":"x|y"}"#)],
        toolResults: [ToolResult(callID: "c1", name: "search", output: "3 hits")], duration: .milliseconds(1500))

    /// Strings that break naive formatters: quotes, backslashes, every C0 control, DEL, emoji
    /// sequences, RTL text and bidi controls, lone combining marks, CJK, line separators.
    static let nasty: [String] = [
        "",
        #"say "hi" \ back\slash \\ \" \n literal"#,
        String((0..<0x20).map { Character(Unicode.Scalar($0)!) }),
        "\u{7F}\u{80}\u{85}\u{9F}",
        "👩‍👩‍👧‍👦 🇺🇳 👍🏽 1️⃣ ❤️‍🔥 🏳️‍🌈",
        "مرحبا بالعالم \u{202E}override\u{202C} שלום",
        "\u{301}\u{302} lone marks, e\u{301}",
        "漢字テスト ｶﾞ ﾞ",
        "line\u{2028}sep\u{2029}para\r\nwin\rmac",
        "\u{200D}\u{FE0F}\u{200B}\u{0600}",
        "</script><!-- ]]> {\"json\": [1, 2]}",
    ]

    /// Parses `text` with Foundation (tests only) into a dictionary.
    static func parseObject(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        guard let object = value as? [String: Any] else { throw ParseError(text: text) }
        return object
    }

    struct ParseError: Error { var text: String }
}

/// Herald's random tests use the shared seeded generator.
typealias SeededGenerator = SeededRandom

extension SeededRandom {
    /// A string of 0–`maxPieces` pieces drawn from hard cases: ASCII words, CJK, emoji sequences,
    /// combining and spacing marks, joiners, controls, bidi controls, RTL, prepend marks, jamo.
    mutating func nastyString(maxPieces: Int = 24) -> String {
        let pieces: [String] = [
            "a", "Hello", " ", "x|y", "`", "\"", "\\", "漢", "字", "テスト", "ｶ", "ﾞ", "한", "\u{1100}\u{1161}\u{11A8}",
            "👩‍👩‍👧‍👦", "🇺🇳", "🇺", "👍🏽", "🏽", "1️⃣", "❤️", "❤", "⌚", "⌚\u{FE0E}", "\u{FE0F}", "\u{200D}", "\u{200B}",
            "e\u{301}", "\u{301}", "\u{20DD}", "\u{93E}", "क्षि", "\u{0600}", "\u{0D4E}", "مرحبا", "שלום", "\u{202E}",
            "\u{2067}", "\u{200F}", "\n", "\r\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{7F}", "\u{85}", "\u{2028}", "é", "ß",
            "─", "…", "\u{E0067}", "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}", "\u{FFFD}", "\u{10FFFF}",
        ]
        let count = Int.random(in: 0...maxPieces, using: &self)
        var text = ""
        for _ in 0..<count { text += pieces.randomElement(using: &self)! }
        return text
    }
}
