import ArgumentParser
import PaladinClient
import PaladinWire

extension RunsCommand {
    /// `paladin runs watch RUN`: attaches to a run by id (RunStream attach_run_id).
    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Watch a run by id: its progress from the start, then live, then its result.",
            discussion: """
            Attaches to a run in progress (for example one started with `battalion run --detach`)
            or one that has ended: the steps recorded so far are shown first, then the live
            events, then the result. Leaving (Ctrl-C) ends the watch only, never the run. Exits 1
            when the run does not complete.
            """
        )
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The run id.") var id: String
        @Option(help: "Print the result rendered as json, markdown or table.") var format: OutputFormatOption?
        @Flag(help: "No progress, only the result.") var quiet = false

        func run() async throws {
            var request = Paladin_V1_RunRequest()
            request.attachRunID = id
            try await BattalionText.stream(request, format: format, quiet: quiet, connection: connection)
        }
    }
}
