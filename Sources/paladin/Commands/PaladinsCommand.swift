import ArgumentParser
import PaladinClient
import PaladinHerald
import PaladinWire

/// `paladin paladins list|show`: the paladins a server knows.
struct PaladinsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paladins",
        abstract: "List paladins or show one.",
        subcommands: [List.self, Show.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the server's paladins.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "At most this many (per page with --all); 0 for as many as a page holds.") var limit: UInt32 = 0
        @OptionGroup var page: PageOptions

        func run() async throws {
            var request = Paladin_V1_ListPaladinsRequest()
            request.limit = limit
            let pages = try await connection.withConnection { conn in
                try await page.pages(request) { try await Paladin_V1_PaladinServiceClient(conn).listPaladins($0, options: connection.callOptions) }
            }
            defer { page.noteNextPage(pages) }
            let rows = pages.flatMap(\.paladins).map { paladin in
                let d = paladin.definition ?? .init()
                return [d.name, "\(paladin.version)", DefinitionSourceText.short(paladin.source), d.provider,
                        d.model.isEmpty ? "(provider default)" : d.model, d.description]
            }
            print(TextTable.list(header: ["NAME", "VERSION", "SOURCE", "PROVIDER", "MODEL", "DESCRIPTION"], rows: rows))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one paladin's definition.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The paladin's name.") var name: String

        func run() async throws {
            var request = Paladin_V1_GetPaladinRequest()
            request.name = name
            let paladin = try await connection.withConnection { conn in
                try await Paladin_V1_PaladinServiceClient(conn).getPaladin(request, options: connection.callOptions)
            }
            let d = paladin.definition ?? .init()
            var lines = [
                "name:          \(d.name)  (version \(paladin.version), \(DefinitionSourceText.long(paladin.source)))",
                "description:   \(d.description)",
                "provider:      \(d.provider)" + (d.model.isEmpty ? "" : "  model \(d.model)"),
                "temperature:   \(d.temperature == 0 ? "provider default" : String(d.temperature))",
                "max tokens:    \(d.maxTokens == 0 ? "provider default" : String(d.maxTokens))",
                "max turns:     \(d.maxTurns)",
            ]
            if !d.stop.isEmpty { lines.append("stop:          \(d.stop.joined(separator: ", "))") }
            if !d.tools.isEmpty { lines.append("tools:         \(d.tools.map(\.name).joined(separator: ", "))") }
            if d.timeoutMs > 0 { lines.append("timeout:       \(d.timeoutMs) ms") }
            lines.append("system prompt:\n  " + d.systemPrompt.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  "))
            print(lines.joined(separator: "\n"))
        }
    }
}
