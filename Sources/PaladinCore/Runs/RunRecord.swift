/// Where a recorded run stands.
public enum RunStatus: String, Sendable, Hashable, CaseIterable {
    case running, completed, failed, cancelled
    case timedOut = "timed_out"
    /// The server stopped while it ran; it can be resumed.
    case interrupted
    /// Paused until a person decides on a step; no task runs meanwhile.
    case waitingApproval = "waiting_approval"

    /// The status a finished result maps to.
    public init(_ outcome: RunOutcome) {
        switch outcome {
        case .completed: self = .completed
        case .failed: self = .failed
        case .cancelled: self = .cancelled
        case .timedOut: self = .timedOut
        }
    }

    /// Whether the run has stopped running (anything but running; an interrupted or waiting run
    /// may run again).
    public var isFinished: Bool { self != .running }
}

/// A battalion run as stored: what was asked, every step so far, and how it ended.
public struct RunRecord: Sendable, Hashable {
    public var id: String
    public var battalion: String
    public var pattern: String
    public var input: String
    public var status: RunStatus
    public var steps: [MemberStep]
    public var finalOutput: String
    public var error: String?
    public var reasoning: String?
    /// Microseconds since the Unix epoch.
    public var startedAtMicros: Int64
    public var finishedAtMicros: Int64?
    /// The versions of the battalion and members it started with (its latest attempt's).
    public var versions: DefinitionVersions
    /// 1 for the first attempt; each resume of the interrupted run adds one.
    public var attempt: Int
    /// Steps that wait or waited for a person, in the order they were asked.
    public var approvals: [ApprovalRecord] = []

    public init(id: String, battalion: String, pattern: String, input: String, status: RunStatus = .running,
                steps: [MemberStep] = [], finalOutput: String = "", error: String? = nil, reasoning: String? = nil,
                startedAtMicros: Int64, finishedAtMicros: Int64? = nil, versions: DefinitionVersions = DefinitionVersions(),
                attempt: Int = 1) {
        self.id = id
        self.battalion = battalion
        self.pattern = pattern
        self.input = input
        self.status = status
        self.steps = steps
        self.finalOutput = finalOutput
        self.error = error
        self.reasoning = reasoning
        self.startedAtMicros = startedAtMicros
        self.finishedAtMicros = finishedAtMicros
        self.versions = versions
        self.attempt = attempt
    }

    /// The run as a resume reopens it: running again, one attempt more, with the definitions'
    /// `versions` now, keeping only its successful steps (which the resume replays).
    /// A run that waited for approval keeps its attempt number.
    public func reopened(versions: DefinitionVersions) -> RunRecord {
        var run = self
        if status == .interrupted { run.attempt += 1 }
        run.status = .running
        run.versions = versions
        run.steps = steps.filter { $0.status == .succeeded }
        run.finalOutput = ""
        run.error = nil
        run.reasoning = nil
        run.finishedAtMicros = nil
        return run
    }

    /// Takes how `result` ended the run: status, pattern, steps, outputs, and the end time.
    public mutating func finish(with result: BattalionResult, atMicros finishedAt: Int64) {
        status = RunStatus(result.status)
        pattern = result.pattern
        steps = result.steps
        finalOutput = result.finalOutput
        error = result.error
        reasoning = result.reasoning
        finishedAtMicros = finishedAt
    }

    /// Token usage summed over the steps.
    public var usage: TokenUsage { steps.reduce(.zero) { $0 + $1.usage } }

    /// Bytes of the run's texts and its steps' outputs and errors: a lower bound of its encoded
    /// size, which paged listings use to stop reading once a response frame is full.
    public var approximateBytes: Int {
        let own = input.utf8.count + finalOutput.utf8.count + (error?.utf8.count ?? 0) + (reasoning?.utf8.count ?? 0)
        return steps.reduce(own) { $0 + $1.output.utf8.count + ($1.error?.utf8.count ?? 0) }
    }
}

/// Which runs `RunStore.list` returns; `nil` fields match anything.
public struct RunFilter: Sendable, Hashable {
    public var battalion: String?
    public var status: RunStatus?
    public var startedAfterMicros: Int64?
    public var startedBeforeMicros: Int64?
    /// At most this many, newest first.
    public var limit: Int
    /// Only runs begun before the one at this position (`ListedRun.sequence`); nil for the newest.
    public var beforeSequence: Int64?
    /// Listing stops once the runs taken hold this many bytes (`RunRecord.approximateBytes`);
    /// the first is always taken.
    public var maxBytes: Int

    public init(battalion: String? = nil, status: RunStatus? = nil, startedAfterMicros: Int64? = nil,
                startedBeforeMicros: Int64? = nil, limit: Int = 50, beforeSequence: Int64? = nil, maxBytes: Int = .max) {
        self.battalion = battalion
        self.status = status
        self.startedAfterMicros = startedAfterMicros
        self.startedBeforeMicros = startedBeforeMicros
        self.limit = limit
        self.beforeSequence = beforeSequence
        self.maxBytes = maxBytes
    }

    /// Whether `record` passes every set field.
    public func matches(_ record: RunRecord) -> Bool {
        (battalion == nil || record.battalion == battalion)
            && (status == nil || record.status == status)
            && (startedAfterMicros.map { record.startedAtMicros > $0 } ?? true)
            && (startedBeforeMicros.map { record.startedAtMicros < $0 } ?? true)
    }
}
