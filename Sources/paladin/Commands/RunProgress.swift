import Foundation
import PaladinWire

/// Shows a streamed battalion run as it happens: on a terminal, a block of one line per member
/// redrawn in place; through a pipe, one plain line per event.
struct RunProgress {
    private struct Member {
        var name: String
        var startedAt: Date
        var step: Paladin_V1_MemberStep?
        var runs = 1
    }

    private let interactive: Bool
    private var title = ""
    private var members: [Member] = []
    private var drawnLines = 0
    private var approvalLines: [String] = []
    private var lastDraw = Date.distantPast
    private let start = Date()

    init(interactive: Bool) {
        self.interactive = interactive
    }

    /// Takes one event; returns the final run when the event is the result.
    mutating func handle(_ event: Paladin_V1_RunEvent) -> Paladin_V1_BattalionRun? {
        switch event.event {
        case .started(let run)?:
            title = "\(run.battalion) (\(run.pattern)) \(run.id)"
            emit("run \(run.id) started: battalion \(run.battalion), pattern \(run.pattern)")
        case .memberStarted(let started)?:
            if let index = members.lastIndex(where: { $0.name == started.member }), members[index].step != nil {
                members[index].step = nil
                members[index].startedAt = Date()
                members[index].runs += 1
            } else if !members.contains(where: { $0.name == started.member }) {
                members.append(Member(name: started.member, startedAt: Date()))
            }
            emit("\(started.member) started")
        case .memberDelta?:
            if interactive, Date().timeIntervalSince(lastDraw) > 0.2 { draw() }
        case .memberFinished(let finished)?:
            let step = finished.step ?? .init()
            if let index = members.lastIndex(where: { $0.name == step.member }) {
                members[index].step = step
            } else {
                members.append(Member(name: step.member, startedAt: Date(), step: step))
            }
            emit("\(step.member) \(Self.status(step.status)) in \(Terminal.seconds(step.durationUs)), "
                 + "\(step.usage?.totalTokens ?? 0) tokens" + (step.error.isEmpty ? "" : ": \(step.error)"))
        case .approvalRequested(let requested)?:
            let approval = requested.approval ?? .init()
            approvalLines.append("waiting for approval: step \(approval.step): \(approval.reason)")
            emit("step \(approval.step) waits for approval: \(approval.reason)")
        case .result(let run)?:
            if interactive { draw(final: run) }
            return run
        case nil:
            break
        }
        return nil
    }

    private mutating func emit(_ line: String) {
        if interactive { draw() } else { print(line); fflush(nil) }
    }

    private mutating func draw(final: Paladin_V1_BattalionRun? = nil) {
        var lines = ["\(title)   \(String(format: "%.1f s", Date().timeIntervalSince(start)))"
                     + (final.map { "   \(Self.status($0.status))" } ?? "")]
        let width = members.map(\.name.count).max() ?? 0
        for member in members {
            let name = member.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let again = member.runs > 1 ? " ×\(member.runs)" : ""
            if let step = member.step {
                let mark = step.status == .succeeded ? "✓" : (step.status == .skipped ? "-" : "✗")
                lines.append("  \(mark) \(name)  \(Self.status(step.status)) \(Terminal.seconds(step.durationUs)), "
                             + "\(step.usage?.totalTokens ?? 0) tokens\(again)")
            } else {
                lines.append("  … \(name)  running \(String(format: "%.1f s", Date().timeIntervalSince(member.startedAt)))\(again)")
            }
        }
        lines += approvalLines
        var text = drawnLines > 0 ? "\u{1B}[\(drawnLines)A\u{1B}[J" : ""
        text += lines.joined(separator: "\n") + "\n"
        FileHandle.standardOutput.write(Data(text.utf8))
        drawnLines = lines.count
        lastDraw = Date()
    }

    static func status(_ status: Paladin_V1_StepStatus) -> String {
        switch status {
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .skipped: "skipped"
        case .cancelled: "cancelled"
        case .pending: "pending"
        case .running: "running"
        default: "unknown"
        }
    }

    static func status(_ status: Paladin_V1_RunStatus) -> String {
        switch status {
        case .running: "running"
        case .completed: "completed"
        case .failed: "failed"
        case .cancelled: "cancelled"
        case .timedOut: "timed out"
        case .interrupted: "interrupted"
        case .waitingApproval: "waiting for approval"
        default: "unknown"
        }
    }
}
