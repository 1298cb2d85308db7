import PaladinCore

/// A `RunStore` in SQLite: every battalion run with its steps, kept across restarts. Steps are
/// written as they finish, so a run cut short by a crash keeps its finished members: at start-up
/// `markInterrupted()` marks it, and a resumed run does not call those members again.
public final class SQLiteRunStore: RunStore {
    /// The database it writes to (shared with a `SQLiteRunStore` if wanted).
    public let database: SQLiteDatabase

    /// - Parameter database: the open database (may be shared with a `SQLiteGarrisonStore`).
    public init(database: SQLiteDatabase) {
        self.database = database
    }

    /// Records a new run.
    /// - Throws: `RunStoreError.duplicateRun` when the id is taken.
    public func begin(_ run: RunRecord) async throws {
        // Run records are written even for a cancelled call: a cancelled run ends recorded, and
        // resuming an interrupted one relies on every finished step being stored.
        try await database.write(evenIfCancelled: true) { db in
            let exists = try db.statement("SELECT 1 FROM runs WHERE id = ?1")
            exists.bind(run.id, at: 1)
            let taken = try exists.step()
            exists.reset()
            if taken { throw RunStoreError.duplicateRun(run.id) }
            let insert = try db.statement("""
                INSERT INTO runs (id, battalion, pattern, input, status, final_output, error, reasoning, started_at, finished_at,
                                  battalion_version, member_versions, attempt)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                """)
            insert.bind(run.id, at: 1)
            insert.bind(run.battalion, at: 2)
            insert.bind(run.pattern, at: 3)
            insert.bind(run.input, at: 4)
            insert.bind(run.status.rawValue, at: 5)
            insert.bind(run.finalOutput, at: 6)
            insert.bind(run.error, at: 7)
            insert.bind(run.reasoning, at: 8)
            insert.bind(run.startedAtMicros, at: 9)
            insert.bind(run.finishedAtMicros, at: 10)
            insert.bind(Int64(clamping: run.versions.battalion), at: 11)
            insert.bind(RunRows.memberVersionsText(run.versions), at: 12)
            insert.bind(run.attempt, at: 13)
            try insert.run()
            try RunRows.insertSteps(run.steps, runSeq: db.lastInsertRowID, from: 0, in: db)
        }
    }

    /// Adds a finished step to a run.
    /// - Throws: `RunStoreError.runNotFound`.
    public func record(_ step: MemberStep, runID: String) async throws {
        try await database.write(evenIfCancelled: true) { db in
            let seq = try RunRows.seq(of: runID, in: db)
            let next = try db.statement("SELECT count(*) FROM run_steps WHERE run_seq = ?1")
            next.bind(seq, at: 1)
            _ = try next.step()
            let position = next.int(0)
            next.reset()
            try RunRows.insertSteps([step], runSeq: seq, from: position, in: db)
        }
    }

    /// Ends a run with its result (its steps replace those recorded so far).
    /// - Throws: `RunStoreError.runNotFound`.
    public func finish(runID: String, with result: BattalionResult, atMicros: Int64) async throws {
        try await database.write(evenIfCancelled: true) { db in
            let seq = try RunRows.seq(of: runID, in: db)
            let update = try db.statement("""
                UPDATE runs SET status = ?2, final_output = ?3, error = ?4, reasoning = ?5, pattern = ?6, finished_at = ?7
                WHERE seq = ?1
                """)
            update.bind(seq, at: 1)
            update.bind(RunStatus(result.status).rawValue, at: 2)
            update.bind(result.finalOutput, at: 3)
            update.bind(result.error, at: 4)
            update.bind(result.reasoning, at: 5)
            update.bind(result.pattern, at: 6)
            update.bind(atMicros, at: 7)
            try update.run()
            let clear = try db.statement("DELETE FROM run_steps WHERE run_seq = ?1")
            clear.bind(seq, at: 1)
            try clear.run()
            try RunRows.insertSteps(result.steps, runSeq: seq, from: 0, in: db)
        }
    }

    public func get(_ id: String) async throws -> RunRecord? {
        try await database.read { db in
            let select = try db.statement("SELECT \(RunRows.columns) FROM runs WHERE id = ?1")
            select.bind(id, at: 1)
            defer { select.reset() }
            guard try select.step() else { return nil }
            let seq = select.int64(0)
            select.reset()
            return try RunRows.record(seq: seq, in: db)
        }
    }

    /// Matching runs, newest first (by when they were begun).
    public func list(_ filter: RunFilter) async throws -> [RunRecord] {
        try await listed(filter).map(\.record)
    }

    /// Matching runs begun before `filter.beforeSequence`, newest first (by when they were
    /// begun: a keyset on `seq`), each read with its steps until they hold `filter.maxBytes`.
    public func listed(_ filter: RunFilter) async throws -> [ListedRun] {
        guard filter.limit > 0 else { return [] }
        return try await database.read { db in
            let select = try db.statement("""
                SELECT \(RunRows.columns) FROM runs
                WHERE (?1 IS NULL OR battalion = ?1) AND (?2 IS NULL OR status = ?2)
                  AND (?3 IS NULL OR started_at > ?3) AND (?4 IS NULL OR started_at < ?4)
                  AND (?6 IS NULL OR seq < ?6)
                ORDER BY seq DESC LIMIT ?5
                """)
            defer { select.reset() }
            select.bind(filter.battalion, at: 1)
            select.bind(filter.status?.rawValue, at: 2)
            select.bind(filter.startedAfterMicros, at: 3)
            select.bind(filter.startedBeforeMicros, at: 4)
            select.bind(filter.limit, at: 5)
            select.bind(filter.beforeSequence, at: 6)
            var found = ByteBoundedCollector<ListedRun>(limit: filter.limit, maxBytes: filter.maxBytes)
            while found.wantsMore, try select.step() {
                var (seq, run) = try RunRows.run(select)
                run.steps = try RunRows.steps(of: seq, in: db)
                run.approvals = try ApprovalRows.approvals(of: seq, in: db)
                found.take(ListedRun(sequence: seq, record: run), bytes: \.record.approximateBytes)
            }
            return found.items
        }
    }

    /// Reopens an interrupted run for a resume: running, one attempt more, only its successful
    /// steps kept (renumbered from 0, so steps recorded next follow them).
    /// - Throws: `RunStoreError.runNotFound`, `.notInterrupted`.
    public func reopen(_ id: String, versions: DefinitionVersions) async throws -> RunRecord {
        try await database.write { db in
            let select = try db.statement("SELECT \(RunRows.columns) FROM runs WHERE id = ?1")
            select.bind(id, at: 1)
            guard try select.step() else {
                select.reset()
                throw RunStoreError.runNotFound(id)
            }
            let seq = select.int64(0)
            select.reset()
            let run = try RunRows.record(seq: seq, in: db)
            guard run.status == .interrupted || (run.status == .waitingApproval && !run.approvals.contains { $0.decision == .pending })
            else { throw RunStoreError.notInterrupted(id, run.status) }
            let reopened = run.reopened(versions: versions)
            let update = try db.statement("""
                UPDATE runs SET status = 'running', attempt = ?2, battalion_version = ?3, member_versions = ?4,
                                final_output = '', error = NULL, reasoning = NULL, finished_at = NULL
                WHERE seq = ?1
                """)
            update.bind(seq, at: 1)
            update.bind(reopened.attempt, at: 2)
            update.bind(Int64(clamping: versions.battalion), at: 3)
            update.bind(RunRows.memberVersionsText(versions), at: 4)
            try update.run()
            let clear = try db.statement("DELETE FROM run_steps WHERE run_seq = ?1")
            clear.bind(seq, at: 1)
            try clear.run()
            try RunRows.insertSteps(reopened.steps, runSeq: seq, from: 0, in: db)
            return reopened
        }
    }

    /// Marks every run still `running` as `interrupted`; call once at start-up, before any run
    /// begins. Returns their ids, oldest first.
    public func markInterrupted() async throws -> [String] {
        // A read first: a database file the server may only read still opens when no run was
        // left running.
        let running = try await database.read { db in try db.integer("SELECT count(*) FROM runs WHERE status = 'running'") }
        guard running > 0 else { return [] }
        return try await database.write { db in
            let update = try db.statement("UPDATE runs SET status = 'interrupted' WHERE status = 'running' RETURNING id, seq")
            var ids: [(Int64, String)] = []
            while try update.step() { ids.append((update.int64(1), update.string(0))) }
            return ids.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
