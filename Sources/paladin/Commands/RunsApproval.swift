import ArgumentParser
import PaladinClient
import PaladinWire

extension RunsCommand {
    /// `paladin runs approve RUN STEP`: approves a step a run waits for (ApproveStep).
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a step a run waits for; the run resumes once no step waits.",
            discussion: """
            STEP is the approval's step as `runs show` or `runs watch` print it, e.g. review#1 (the
            first call of member review). --input gives the member this input instead of the one
            shown ('-' reads it from standard input).
            """
        )
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The run id.") var id: String
        @Argument(help: "The step, e.g. review#1.") var step: String
        @Option(help: "A note kept with the decision.") var comment: String = ""
        @Option(help: "The input the member gets instead; '-' reads it from standard input.") var input: String?

        func run() async throws {
            try await ApprovalText.decide(id, step, .approved, comment: comment, input: input.map(InputText.read) ?? "",
                                          connection: connection)
        }
    }

    /// `paladin runs reject RUN STEP`: rejects a step; the battalion's error strategy applies.
    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject a step a run waits for; the battalion's error strategy decides what follows.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The run id.") var id: String
        @Argument(help: "The step, e.g. review#1.") var step: String
        @Option(help: "Why; the step's error says it.") var comment: String = ""

        func run() async throws {
            try await ApprovalText.decide(id, step, .rejected, comment: comment, input: "", connection: connection)
        }
    }
}

/// Text for approvals in the CLI.
enum ApprovalText {
    static func decide(_ id: String, _ step: String, _ decision: Paladin_V1_ApprovalDecision, comment: String, input: String,
                       connection: ConnectionOptions) async throws {
        var request = Paladin_V1_ApproveStepRequest()
        request.runID = id
        request.step = step
        request.decision = decision
        request.comment = comment
        request.editedInput = input
        let run = try await connection.withConnection { conn in
            try await Paladin_V1_BattalionServiceClient(conn).approveStep(request, options: connection.callOptions)
        }
        let verb = decision == .approved ? "approved" : "rejected"
        if run.status == .running {
            print("\(verb) \(step); run \(id) resumed (follow it with `paladin runs watch \(id)`)")
        } else {
            let waiting = run.approvals.filter { $0.decision == .pending }.map(\.step)
            print("\(verb) \(step); run \(id) is \(RunProgress.status(run.status))"
                  + (waiting.isEmpty ? "" : ", still waiting for \(waiting.joined(separator: ", "))"))
        }
    }

    /// One line per approval: "approval review#1: pending — reason".
    static func lines(_ run: Paladin_V1_BattalionRun) -> [String] {
        run.approvals.map { approval in
            let decision = switch approval.decision {
            case .pending: "pending"
            case .approved: approval.editedInput.isEmpty ? "approved" : "approved with an edited input"
            case .rejected: "rejected"
            case .expired: "expired"
            default: "unknown"
            }
            return "approval \(approval.step): \(decision)" + (approval.comment.isEmpty ? "" : " (\(approval.comment))")
                + " — \(approval.reason)"
        }
    }
}
