import PaladinCore
import PaladinHerald
import PaladinWire

/// Converts recorded runs, their steps and a running battalion's events to the wire.
enum RunMapping {
    /// The first event of a streamed run: the run as it starts.
    static func startedEvent(_ record: RunRecord) -> Paladin_V1_RunEvent {
        var message = Paladin_V1_RunEvent()
        message.event = .started(run(record))
        return message
    }

    /// The wire event of what a running battalion reported.
    static func event(_ event: RunRecorder.Event) -> Paladin_V1_RunEvent {
        var message = Paladin_V1_RunEvent()
        switch event {
        case .memberStarted(let member):
            var started = Paladin_V1_MemberStarted()
            started.member = member
            message.event = .memberStarted(started)
        case .memberDelta(let member, let text):
            var delta = Paladin_V1_MemberDelta()
            delta.member = member
            delta.text = text
            message.event = .memberDelta(delta)
        case .memberFinished(let step):
            var finished = Paladin_V1_MemberFinished()
            finished.step = self.step(step)
            message.event = .memberFinished(finished)
        }
        return message
    }

    /// The last event of a streamed run: the run as recorded at its end.
    static func resultEvent(_ record: RunRecord, format: HeraldFormat?) -> Paladin_V1_RunEvent {
        var message = Paladin_V1_RunEvent()
        message.event = .result(run(record, format: format))
        return message
    }

    /// The wire run of a record, with `rendered` filled when a format is given.
    static func run(_ record: RunRecord, format: HeraldFormat? = nil) -> Paladin_V1_BattalionRun {
        var message = Paladin_V1_BattalionRun()
        message.id = record.id
        message.battalion = record.battalion
        message.pattern = record.pattern
        message.input = record.input
        message.status = status(record.status)
        message.steps = record.steps.map(step)
        message.finalOutput = record.finalOutput
        message.error = record.error ?? ""
        message.usage = ExecuteMapping.usage(record.usage)
        message.startedAtUs = record.startedAtMicros
        message.finishedAtUs = record.finishedAtMicros ?? 0
        message.reasoning = record.reasoning ?? ""
        message.battalionVersion = record.versions.battalion
        message.memberVersions = record.versions.members
        message.attempt = UInt32(clamping: record.attempt)
        message.approvals = record.approvals.map(approval)
        if let format { message.rendered = Herald.render(result(of: record), as: format) }
        return message
    }

    /// The record as a core result, for Herald.
    static func result(of record: RunRecord) -> BattalionResult {
        let outcome: RunOutcome = switch record.status {
        case .completed: .completed
        case .cancelled: .cancelled
        case .timedOut: .timedOut
        case .failed, .running, .interrupted, .waitingApproval: .failed
        }
        let duration = Duration.microseconds((record.finishedAtMicros ?? record.startedAtMicros) - record.startedAtMicros)
        return BattalionResult(pattern: record.pattern, status: outcome, finalOutput: record.finalOutput, steps: record.steps,
                               error: record.error, duration: duration, reasoning: record.reasoning)
    }

    static func step(_ step: MemberStep) -> Paladin_V1_MemberStep {
        var message = Paladin_V1_MemberStep()
        message.member = step.member
        message.status = switch step.status {
        case .succeeded: .succeeded
        case .failed: .failed
        case .skipped: .skipped
        case .cancelled: .cancelled
        }
        message.output = step.output
        message.error = step.error ?? ""
        message.durationUs = PaladinMapping.microseconds(step.duration)
        message.usage = ExecuteMapping.usage(step.usage)
        message.attempts = UInt32(clamping: step.attempts)
        return message
    }

    static func status(_ status: RunStatus) -> Paladin_V1_RunStatus {
        switch status {
        case .running: .running
        case .completed: .completed
        case .failed: .failed
        case .cancelled: .cancelled
        case .timedOut: .timedOut
        case .interrupted: .interrupted
        case .waitingApproval: .waitingApproval
        }
    }

    static func approval(_ record: ApprovalRecord) -> Paladin_V1_Approval {
        var message = Paladin_V1_Approval()
        message.step = record.step
        message.member = record.member
        message.input = record.input
        message.reason = record.reason
        message.requestedAtUs = record.requestedAtMicros
        message.deadlineUs = record.deadlineMicros ?? 0
        message.decision = switch record.decision {
        case .pending: .pending
        case .approved: .approved
        case .rejected: .rejected
        case .expired: .expired
        }
        message.comment = record.comment
        message.editedInput = record.editedInput ?? ""
        message.decidedAtUs = record.decidedAtMicros ?? 0
        return message
    }

    /// The event of a run pausing for `record`.
    static func approvalRequested(_ record: ApprovalRecord) -> Paladin_V1_RunEvent {
        var requested = Paladin_V1_ApprovalRequested()
        requested.approval = approval(record)
        var event = Paladin_V1_RunEvent()
        event.event = .approvalRequested(requested)
        return event
    }

    /// The core status of a wire filter value; `nil` for "any".
    static func status(_ status: Paladin_V1_RunStatus) throws(RPCError) -> RunStatus? {
        switch status {
        case .unspecified: nil
        case .running: .running
        case .completed: .completed
        case .failed: .failed
        case .cancelled: .cancelled
        case .timedOut: .timedOut
        case .interrupted: .interrupted
        case .waitingApproval: .waitingApproval
        case .unrecognized(let value): throw BattalionMapping.invalid("status", "\(value) is not a known run status")
        }
    }
}
