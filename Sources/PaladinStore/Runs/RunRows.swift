import PaladinCore

/// Rows of `runs` and `run_steps` to and from `RunRecord` and `MemberStep`.
enum RunRows {
    static let columns = """
        seq, id, battalion, pattern, input, status, final_output, error, reasoning, started_at, finished_at
        """

    /// The run on the statement's row (selected with `columns`), without its steps.
    static func run(_ row: SQLiteStatement) -> (seq: Int64, run: RunRecord) {
        (row.int64(0), RunRecord(id: row.string(1), battalion: row.string(2), pattern: row.string(3), input: row.string(4),
                                 status: RunStatus(rawValue: row.string(5)) ?? .failed, finalOutput: row.string(6),
                                 error: row.optionalString(7), reasoning: row.optionalString(8),
                                 startedAtMicros: row.int64(9), finishedAtMicros: row.optionalInt64(10)))
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
            steps.append(MemberStep(member: select.string(0), status: StepStatus(rawValue: select.string(1)) ?? .failed,
                                    output: select.string(2), error: select.optionalString(3),
                                    startedAt: .nanoseconds(select.int64(4)), duration: .nanoseconds(select.int64(5)),
                                    usage: TokenUsage(promptTokens: select.int(6), completionTokens: select.int(7)),
                                    attempts: select.int(8)))
        }
        return steps
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue &+ attoseconds / 1_000_000_000
    }
}
