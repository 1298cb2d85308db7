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
    /// Matching runs, newest first.
    func list(_ filter: RunFilter) async throws -> [RunRecord]
    /// Marks every run still `running` as `interrupted` (call once at start-up); returns their ids.
    func markInterrupted() async throws -> [String]
}

/// Why a run-store operation was refused.
public enum RunStoreError: Error, Hashable, Sendable {
    case runNotFound(String)
    case duplicateRun(String)
}
