import ArgumentParser
import Foundation
import PaladinClient
import PaladinWire

/// `paladin run PALADIN INPUT`: runs one paladin, printing its tokens as they arrive.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a paladin on an input, streaming its answer.",
        discussion: """
        Prints the answer's text as the model produces it, then one summary line on standard
        error (turns, tokens, time). With --format the result is printed once, rendered by the
        server (json, markdown or table), instead of streamed. '-' reads the input from stdin.
        """
    )

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The paladin's name.") var paladin: String
    @Argument(help: "The input; '-' reads it from standard input.") var input: String
    @Option(help: "Garrison session that keeps the conversation between runs.") var session: String?
    @Option(help: "Print the whole result rendered as json, markdown or table.") var format: OutputFormatOption?

    func run() async throws {
        var request = Paladin_V1_ExecuteRequest()
        request.paladin = paladin
        request.input = InputText.read(input)
        request.sessionID = session ?? ""
        if let format {
            request.format = format.wire
            let response = try await connection.withConnection { conn in
                try await Paladin_V1_PaladinServiceClient(conn).execute(request, options: connection.runOptions)
            }
            print(response.rendered)
            return
        }
        let final = try await connection.withConnection { conn -> Paladin_V1_ExecuteResponse? in
            var final: Paladin_V1_ExecuteResponse?
            for try await event in Paladin_V1_PaladinServiceClient(conn).executeStream(request, options: connection.runOptions) {
                switch event.event {
                case .delta(let text)?:
                    FileHandle.standardOutput.write(Data(text.utf8))
                case .toolCall(let call)?:
                    Terminal.error("→ tool \(call.name)(\(call.arguments))")
                case .toolResult(let result)?:
                    Terminal.error("← \(result.name): \(result.output.prefix(200))")
                case .final(let response)?:
                    final = response
                case nil:
                    break
                }
            }
            return final
        }
        print("")
        if let final {
            Terminal.error("\(final.turns) turn\(final.turns == 1 ? "" : "s"), \(final.usage?.totalTokens ?? 0) tokens, "
                           + "\(Terminal.seconds(final.durationUs)), stop: \(final.stopReason)")
        }
    }
}
