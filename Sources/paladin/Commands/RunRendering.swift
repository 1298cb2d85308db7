import PaladinCore
import PaladinHerald
import PaladinWire

/// Renders a run fetched from the server with Herald, the same renderer the server uses.
enum RunRendering {
    static func render(_ run: Paladin_V1_BattalionRun, format: OutputFormatOption) -> String {
        let herald: HeraldFormat = switch format {
        case .json: .json
        case .markdown: .markdown
        case .table: .table
        }
        return Herald.render(result(of: run), as: herald)
    }

    /// "definitions: review v3; members intake v1, style v2", or nil for a run recorded before
    /// versions were.
    static func versions(of run: Paladin_V1_BattalionRun) -> String? {
        guard run.battalionVersion > 0 else { return nil }
        let members = run.memberVersions.sorted { $0.key < $1.key }.map { "\($0.key) v\($0.value)" }
        return "definitions: \(run.battalion) v\(run.battalionVersion); members \(members.joined(separator: ", "))"
            + (run.attempt > 1 ? "\nattempt: \(run.attempt) (resumed \(run.attempt - 1) time\(run.attempt > 2 ? "s" : ""))" : "")
    }

    static func result(of run: Paladin_V1_BattalionRun) -> BattalionResult {
        let status: RunOutcome = switch run.status {
        case .completed: .completed
        case .cancelled: .cancelled
        case .timedOut: .timedOut
        default: .failed
        }
        let steps = run.steps.map { step in
            MemberStep(member: step.member, status: stepStatus(step.status), output: step.output,
                       error: step.error.isEmpty ? nil : step.error, duration: .microseconds(Int64(step.durationUs)),
                       usage: TokenUsage(promptTokens: Int(step.usage?.promptTokens ?? 0),
                                         completionTokens: Int(step.usage?.completionTokens ?? 0)),
                       attempts: Int(step.attempts))
        }
        let end = run.finishedAtUs > 0 ? run.finishedAtUs : run.startedAtUs
        return BattalionResult(pattern: run.pattern, status: status, finalOutput: run.finalOutput, steps: steps,
                               error: run.error.isEmpty ? (run.status == .interrupted ? "interrupted" : nil) : run.error,
                               duration: .microseconds(end - run.startedAtUs),
                               reasoning: run.reasoning.isEmpty ? nil : run.reasoning)
    }

    private static func stepStatus(_ status: Paladin_V1_StepStatus) -> StepStatus {
        switch status {
        case .succeeded: .succeeded
        case .skipped: .skipped
        case .cancelled: .cancelled
        default: .failed
        }
    }
}
