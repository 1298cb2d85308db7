/// The port for run history: one implementation in memory (`InMemoryRunStore`), one on SQLite
/// (PaladinStore). Steps are recorded as they finish so an interrupted run can be resumed
/// without calling finished members again.
public protocol RunStore: Sendable {
    /// Records a new run (status running).
    func begin(_ run: RunRecord) async throws
    /// Adds a finished step to a running run.
    func record(_ step: MemberStep, runID: String) async throws
    /// Ends a run with its result.
    func finish(runID: String, with result: BattalionResult, atMicros: Int64) async throws
    func get(_ id: String) async throws -> RunRecord?
    /// Matching runs, newest first (in the order they were begun), each with its position in
    /// that order; `RunFilter.beforeSequence` and `RunFilter.maxBytes` page through them.
    func listed(_ filter: RunFilter) async throws -> [ListedRun]
    /// Matching runs, newest first: `listed(_:)` without the positions.
    func list(_ filter: RunFilter) async throws -> [RunRecord]
    /// Marks every run still `running` as `interrupted` (call once at start-up); returns their ids.
    func markInterrupted() async throws -> [String]
    /// Reopens an interrupted run, or one whose approvals are all decided, for a resume, in one
    /// step (`RunRecord.reopened(versions:)`): of two resumes of one run, one wins.
    /// - Returns: the run as reopened, with the successful steps it keeps.
    /// - Throws: `RunStoreError.runNotFound`, or `.notInterrupted` when it is neither.
    func reopen(_ id: String, versions: DefinitionVersions) async throws -> RunRecord
    /// Pauses a running run for approval: status waiting_approval, its steps replaced by
    /// `steps`, and `approvals` (new, pending) added.
    /// - Throws: `RunStoreError.runNotFound`.
    func pause(runID: String, steps: [MemberStep], approvals: [ApprovalRecord]) async throws
    /// Records a decision on a pending approval.
    /// - Returns: the run after it.
    /// - Throws: `RunStoreError.runNotFound`, `.approvalNotFound`, `.alreadyDecided`.
    func decide(runID: String, step: String, _ decision: ApprovalRecord.Decision, comment: String,
                editedInput: String?, atMicros: Int64) async throws -> RunRecord
    /// Pending approvals whose deadline is at or before `atMicros`: (run id, step).
    func expiredApprovals(atMicros: Int64) async throws -> [(runID: String, step: String)]
}

/// A run as listed, with its position in the order runs were begun (larger is newer): the key
/// ListRuns pages on, since start times can repeat or go back with the wall clock.
public struct ListedRun: Sendable, Hashable {
    public var sequence: Int64
    public var record: RunRecord

    public init(sequence: Int64, record: RunRecord) {
        self.sequence = sequence
        self.record = record
    }
}

/// Why a run-store operation was refused.
public enum RunStoreError: Error, Hashable, Sendable {
    case runNotFound(String)
    case duplicateRun(String)
    /// Only an interrupted run (or one whose approvals are decided) can be resumed; this one has
    /// this status.
    case notInterrupted(String, RunStatus)
    /// The run has no approval for this step.
    case approvalNotFound(runID: String, step: String)
    /// The step's approval is not pending any more.
    case alreadyDecided(runID: String, step: String, ApprovalRecord.Decision)
}
