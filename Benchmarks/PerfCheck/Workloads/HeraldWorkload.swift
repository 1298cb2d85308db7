import PaladinCore
import PaladinHerald

/// A paladin's 1 KB result rendered as Markdown and as a bordered table, as a call asking for a
/// format gets it.
struct HeraldWorkload: PerfWorkload {
    static let name = "herald"
    static let summary = "Herald.render of a 1 KB PaladinResult as Markdown and as a table"

    private let result: PaladinResult

    init() throws {
        let sentence = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "
        let output = String(String(repeating: sentence, count: 1024 / sentence.utf8.count + 1).prefix(1024))
        result = PaladinResult(paladin: "scribe", output: output, usage: TokenUsage(promptTokens: 40, completionTokens: 100),
                               duration: .milliseconds(1000))
    }

    mutating func iterate() async throws {
        let markdown = Herald.render(result, as: .markdown)
        let table = Herald.render(result, as: .table)
        guard markdown.utf8.count > 1024, table.utf8.count > 100 else {
            throw WorkloadFailure("herald: \(markdown.utf8.count) / \(table.utf8.count) bytes")
        }
    }
}
