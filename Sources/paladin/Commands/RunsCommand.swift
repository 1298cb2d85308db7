import ArgumentParser
import Foundation
import PaladinClient
import PaladinHerald
import PaladinWire

/// `paladin runs list|show|cancel`: recorded battalion runs.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show and cancel battalion runs.",
        subcommands: [List.self, Show.self, Watch.self, Approve.self, Reject.self, Cancel.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs, newest first.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only runs of this battalion.") var battalion: String?
        @Option(help: "Only runs in this state: running, completed, failed, cancelled, timed_out, interrupted.")
        var status: String?
        @Option(help: "At most this many (per page with --all); above the server's page size is clamped.")
        var limit: UInt32 = 20
        @OptionGroup var page: PageOptions

        func run() async throws {
            var request = Paladin_V1_ListRunsRequest()
            request.battalion = battalion ?? ""
            request.limit = limit
            if let status {
                let known: [String: Paladin_V1_RunStatus] = ["running": .running, "completed": .completed, "failed": .failed,
                                                              "cancelled": .cancelled, "timed_out": .timedOut, "interrupted": .interrupted,
                                                              "waiting_approval": .waitingApproval]
                guard let value = known[status] else {
                    throw ValidationError("--status must be one of \(known.keys.sorted().joined(separator: ", "))")
                }
                request.status = value
            }
            let pages = try await connection.withConnection { conn in
                try await page.pages(request) { try await Paladin_V1_BattalionServiceClient(conn).listRuns($0, options: connection.callOptions) }
            }
            defer { page.noteNextPage(pages) }
            let rows = pages.flatMap(\.runs).map { run in
                [run.id, run.battalion, RunProgress.status(run.status), Self.time(run.startedAtUs),
                 run.finishedAtUs > 0 ? Terminal.seconds(UInt64(max(0, run.finishedAtUs - run.startedAtUs))) : "-",
                 String(run.usage?.totalTokens ?? 0)]
            }
            print(TextTable.list(header: ["ID", "BATTALION", "STATUS", "STARTED", "TOOK", "TOKENS"], rows: rows))
        }

        static func time(_ micros: Int64) -> String {
            Date(timeIntervalSince1970: Double(micros) / 1e6).formatted(.iso8601)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a run: its steps and result.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The run id.") var id: String
        @Option(help: "Render as json, markdown or table (default table).") var format: OutputFormatOption = .table

        func run() async throws {
            var request = Paladin_V1_GetRunRequest()
            request.id = id
            let run = try await connection.withConnection { conn in
                try await Paladin_V1_BattalionServiceClient(conn).getRun(request, options: connection.callOptions)
            }
            print(RunRendering.render(run, format: format))
            if format != .json, let versions = RunRendering.versions(of: run) { print(versions) }
            if format != .json { ApprovalText.lines(run).forEach { print($0) } }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a running run; its members stop.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The run id.") var id: String

        func run() async throws {
            var request = Paladin_V1_CancelRunRequest()
            request.id = id
            let response = try await connection.withConnection { conn in
                try await Paladin_V1_BattalionServiceClient(conn).cancelRun(request, options: connection.callOptions)
            }
            print(response.cancelled ? "cancelled \(id)" : "\(id) had already finished")
        }
    }
}
