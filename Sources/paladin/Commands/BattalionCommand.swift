import ArgumentParser
import Foundation
import PaladinClient
import PaladinHerald
import PaladinWire

/// `paladin battalion list|show|run|resume` (also `paladin battalions ...`).
struct BattalionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "battalion",
        abstract: "List, show and run battalions.",
        subcommands: [List.self, Show.self, Run.self, Resume.self],
        aliases: ["battalions"]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the server's battalions.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "At most this many (per page with --all); 0 for as many as a page holds.") var limit: UInt32 = 0
        @OptionGroup var page: PageOptions

        func run() async throws {
            var request = Paladin_V1_ListBattalionsRequest()
            request.limit = limit
            let pages = try await connection.withConnection { conn in
                try await page.pages(request) {
                    try await Paladin_V1_BattalionServiceClient(conn).listBattalions($0, options: connection.callOptions)
                }
            }
            defer { page.noteNextPage(pages) }
            let rows = pages.flatMap(\.battalions).map { battalion in
                let d = battalion.definition ?? .init()
                return [d.name, "\(battalion.version)", DefinitionSourceText.short(battalion.source), BattalionText.pattern(d), d.description]
            }
            print(TextTable.list(header: ["NAME", "VERSION", "SOURCE", "PATTERN", "DESCRIPTION"], rows: rows))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one battalion's definition.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The battalion's name.") var name: String

        func run() async throws {
            var request = Paladin_V1_GetBattalionRequest()
            request.name = name
            let battalion = try await connection.withConnection { conn in
                try await Paladin_V1_BattalionServiceClient(conn).getBattalion(request, options: connection.callOptions)
            }
            print("version \(battalion.version), \(DefinitionSourceText.long(battalion.source))")
            print(BattalionText.describe(battalion.definition ?? .init()))
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a battalion, showing each member's progress live.",
            discussion: """
            On a terminal, one line per member is redrawn in place (running, finished, time,
            tokens); through a pipe, one plain line per event. The final output follows; with
            --format the server renders the whole result (json, markdown or table) instead.
            Exits 1 when the run does not complete. '-' reads the input from stdin.

            The run belongs to this command: Ctrl-C or a lost connection cancels it. With
            --detach the server owns the run instead: the command prints its id and exits at
            once, and `paladin runs watch ID` follows it.
            """
        )
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The battalion's name.") var name: String
        @Argument(help: "The input; '-' reads it from standard input.") var input: String
        @Option(help: "Print the result rendered as json, markdown or table.") var format: OutputFormatOption?
        @Flag(help: "No live progress, only the result.") var quiet = false
        @Flag(help: "Start the run on the server and print its id; it goes on after this command exits.") var detach = false

        func validate() throws {
            if detach, format != nil || quiet { throw ValidationError("--detach prints only the run id: drop --format and --quiet") }
        }

        func run() async throws {
            var request = Paladin_V1_RunRequest()
            request.battalion = name
            request.input = InputText.read(input)
            if detach { return try await BattalionText.start(request, connection: connection) }
            try await BattalionText.stream(request, format: format, quiet: quiet, connection: connection)
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a run the server marked interrupted (it stopped mid-run).",
            discussion: """
            Runs it again under its id on the same input (its attempt number grows by one);
            members whose success the interrupted run recorded are not called again (their
            recorded output is used). The server resumes by itself, at start, the runs whose
            battalion says `on_interrupt: resume` (the default); this is for the others. With
            --detach the server owns the resumed run and the command prints its id.
            """
        )
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The interrupted run's id (see `paladin runs list --status interrupted`).") var id: String
        @Option(help: "Print the result rendered as json, markdown or table.") var format: OutputFormatOption?
        @Flag(help: "No live progress, only the result.") var quiet = false
        @Flag(help: "Resume the run on the server and print its id; it goes on after this command exits.") var detach = false

        func validate() throws {
            if detach, format != nil || quiet { throw ValidationError("--detach prints only the run id: drop --format and --quiet") }
        }

        func run() async throws {
            var request = Paladin_V1_RunRequest()
            request.resumeRunID = id
            if detach { return try await BattalionText.start(request, connection: connection) }
            try await BattalionText.stream(request, format: format, quiet: quiet, connection: connection)
        }
    }
}

/// Text for battalion commands.
enum BattalionText {
    static func pattern(_ d: Paladin_V1_BattalionDefinition) -> String {
        switch d.pattern {
        case .formation?: "formation"
        case .phalanx?: "phalanx"
        case .campaign?: "campaign"
        case .chainOfCommand?: "chain_of_command"
        case .conclave?: "conclave"
        case .council?: "council"
        case .grove?: "grove"
        case .maneuver(let m)?: "maneuver: \(m.flow)"
        case .auto?: "auto"
        case nil: "-"
        }
    }

    static func describe(_ d: Paladin_V1_BattalionDefinition) -> String {
        var lines = ["name:        \(d.name)", "description: \(d.description)", "pattern:     \(pattern(d))"]
        switch d.pattern {
        case .formation(let f)?: lines.append("members:     \(f.members.joined(separator: " -> "))")
        case .phalanx(let p)?: lines.append("members:     \(p.members.joined(separator: ", "))")
        case .campaign(let c)?:
            lines.append("members:     \(c.members.joined(separator: ", "))")
            lines += c.edges.map { "edge:        \($0.from) -> \($0.to)" + ($0.pattern.isEmpty ? "" : " when \($0.pattern)") }
        case .chainOfCommand(let c)?: lines.append("commander:   \(c.commander); specialists: \(c.specialists.joined(separator: ", "))")
        case .conclave(let c)?: lines.append("experts:     \(c.experts.joined(separator: ", ")); aggregator: \(c.aggregator)")
        case .council(let c)?:
            lines.append("participants: \(c.participants.joined(separator: ", "))" + (c.moderator.isEmpty ? "" : "; moderator: \(c.moderator)"))
        case .grove(let g)?: lines.append("routes:      \(g.routes.map(\.member).joined(separator: ", "))")
        case .auto(let a)?: lines.append("members:     \(a.members.joined(separator: ", "))")
        case .maneuver?, nil: break
        }
        if d.timeoutMs > 0 { lines.append("timeout:     \(d.timeoutMs) ms") }
        return lines.joined(separator: "\n")
    }

    /// Starts a run the server owns (StartRun) and prints its id alone, for scripts.
    static func start(_ request: Paladin_V1_RunRequest, connection: ConnectionOptions) async throws {
        let run = try await connection.withConnection { conn in
            try await Paladin_V1_BattalionServiceClient(conn).startRun(request, options: connection.callOptions)
        }
        print(run.id)
        Terminal.error("started \(run.id); follow it with `paladin runs watch \(run.id)`")
    }

    /// Streams a run with live progress, then prints its result.
    static func stream(_ request: Paladin_V1_RunRequest, format: OutputFormatOption?, quiet: Bool,
                       connection: ConnectionOptions) async throws {
        var request = request
        if let format { request.format = format.wire }
        var progress = RunProgress(interactive: Terminal.isInteractive && format == nil)
        let run = try await connection.withConnection { conn -> Paladin_V1_BattalionRun? in
            var final: Paladin_V1_BattalionRun?
            for try await event in Paladin_V1_BattalionServiceClient(conn).runStream(request, options: connection.runOptions) {
                if quiet || format != nil {
                    if case .result(let run)? = event.event { final = run }
                } else if let run = progress.handle(event) {
                    final = run
                }
            }
            return final
        }
        guard let run else { throw CLIError("the server ended the run without a result") }
        try finish(run, format: format)
    }

    /// Prints a finished run's output (or rendering) and fails the command unless it completed.
    static func finish(_ run: Paladin_V1_BattalionRun, format: OutputFormatOption?) throws {
        if format != nil {
            print(run.rendered)
        } else {
            print("\n" + (run.finalOutput.isEmpty ? "(no output)" : run.finalOutput))
            if !run.reasoning.isEmpty { Terminal.error("reasoning: \(run.reasoning)") }
            Terminal.error("run \(run.id): \(RunProgress.status(run.status)), \(run.steps.count) steps, "
                           + "\(run.usage?.totalTokens ?? 0) tokens")
        }
        if run.status == .waitingApproval {
            let waiting = run.approvals.filter { $0.decision == .pending }
            for approval in waiting {
                Terminal.error("step \(approval.step) waits for approval: \(approval.reason)")
                Terminal.error("  approve: paladin runs approve \(run.id) \(approval.step)   reject: paladin runs reject \(run.id) \(approval.step)")
            }
            throw CLIError("run \(run.id) waits for approval")
        }
        guard run.status == .completed else {
            throw CLIError("run \(run.id) \(RunProgress.status(run.status))" + (run.error.isEmpty ? "" : ": \(run.error)"))
        }
    }
}
