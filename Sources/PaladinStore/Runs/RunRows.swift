import PaladinCore

/// Rows of `runs` and `run_steps` to and from `RunRecord` and `MemberStep`.
enum RunRows {
    static let columns = """
        seq, id, battalion, pattern, input, status, final_output, error, reasoning, started_at, finished_at,
        battalion_version, member_versions, attempt
        """

    /// The run on the statement's row (selected with `columns`), without its steps.
    /// - Throws: `StoreError.corruptRow` for a value no write produces.
    static func run(_ row: SQLiteStatement) throws -> (seq: Int64, run: RunRecord) {
        let id = row.string(1)
        let check = StoredValue(table: "runs", row: .run(id))
        return (row.int64(0), RunRecord(id: id, battalion: try check.text(row, 2, "battalion"), pattern: try check.text(row, 3, "pattern"),
                                        input: try check.text(row, 4, "input"),
                                        status: try check.value(RunStatus.self, row.string(5), "status"),
                                        finalOutput: try check.text(row, 6, "final_output"),
                                        error: try check.optionalText(row, 7, "error"), reasoning: try check.optionalText(row, 8, "reasoning"),
                                        startedAtMicros: row.int64(9), finishedAtMicros: row.optionalInt64(10),
                                        versions: try versions(row, check),
                                        attempt: Int(try check.count(row.int64(13), "attempt"))))
    }

    /// The `member_versions` text of `versions`: "name=version" pairs, by name, space-separated.
    static func memberVersionsText(_ versions: DefinitionVersions) -> String {
        versions.members.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    private static func versions(_ row: SQLiteStatement, _ check: StoredValue) throws -> DefinitionVersions {
        var versions = DefinitionVersions(battalion: UInt64(try check.count(row.int64(11), "battalion_version")))
        for pair in try check.text(row, 12, "member_versions").split(separator: " ") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let version = UInt64(parts[1]) else {
                throw check.corrupt("member_versions", "\"\(pair.prefix(64))\" is not name=version")
            }
            versions.members[String(parts[0])] = version
        }
        return versions
    }

    /// The whole run at `seq`: its row, steps and approvals.
    /// - Throws: `StoreError.corruptRow`; `RunStoreError.runNotFound` when the row is gone.
    static func record(seq: Int64, in db: SQLiteConnection) throws -> RunRecord {
        let select = try db.statement("SELECT \(columns) FROM runs WHERE seq = ?1")
        select.bind(seq, at: 1)
        guard try select.step() else {
            select.reset()
            throw RunStoreError.runNotFound("seq \(seq)")
        }
        var run = try run(select).run
        select.reset()
        run.steps = try steps(of: seq, in: db)
        run.approvals = try ApprovalRows.approvals(of: seq, in: db)
        return run
    }

    /// The run's internal key.
    /// - Throws: `RunStoreError.runNotFound`.
    static func seq(of runID: String, in db: SQLiteConnection) throws -> Int64 {
        let select = try db.statement("SELECT seq FROM runs WHERE id = ?1")
        defer { select.reset() }
        select.bind(runID, at: 1)
        guard try select.step() else { throw RunStoreError.runNotFound(runID) }
        return select.int64(0)
    }

    static func insertSteps(_ steps: [MemberStep], runSeq: Int64, from first: Int, in db: SQLiteConnection) throws {
        guard !steps.isEmpty else { return }
        let insert = try db.statement("""
            INSERT INTO run_steps (run_seq, position, member, status, output, error, started_at_ns, duration_ns,
                                   prompt_tokens, completion_tokens, attempts)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
            """)
        for (offset, step) in steps.enumerated() {
            insert.reset()
            insert.bind(runSeq, at: 1)
            insert.bind(first + offset, at: 2)
            insert.bind(step.member, at: 3)
            insert.bind(step.status.rawValue, at: 4)
            insert.bind(step.output, at: 5)
            insert.bind(step.error, at: 6)
            insert.bind(nanoseconds(step.startedAt), at: 7)
            insert.bind(nanoseconds(step.duration), at: 8)
            insert.bind(step.usage.promptTokens, at: 9)
            insert.bind(step.usage.completionTokens, at: 10)
            insert.bind(step.attempts, at: 11)
            try insert.run()
        }
    }

    static func steps(of runSeq: Int64, in db: SQLiteConnection) throws -> [MemberStep] {
        let select = try db.statement("""
            SELECT member, status, output, error, started_at_ns, duration_ns, prompt_tokens, completion_tokens, attempts
            FROM run_steps WHERE run_seq = ?1 ORDER BY position
            """)
        defer { select.reset() }
        select.bind(runSeq, at: 1)
        var steps: [MemberStep] = []
        while try select.step() {
            let check = StoredValue(table: "run_steps", row: .runStep(runSeq: runSeq, step: steps.count))
            steps.append(MemberStep(member: try check.text(select, 0, "member"),
                                    status: try check.value(StepStatus.self, select.string(1), "status"),
                                    output: try check.text(select, 2, "output"), error: try check.optionalText(select, 3, "error"),
                                    startedAt: .nanoseconds(select.int64(4)), duration: .nanoseconds(select.int64(5)),
                                    usage: TokenUsage(promptTokens: try check.count(select.int64(6), "prompt_tokens"),
                                                      completionTokens: try check.count(select.int64(7), "completion_tokens")),
                                    attempts: try check.count(select.int64(8), "attempts")))
        }
        return steps
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue &+ attoseconds / 1_000_000_000
    }
}
