import PaladinCore

/// Rows of `run_approvals` to and from `ApprovalRecord`.
enum ApprovalRows {
    static func insert(_ approvals: [ApprovalRecord], runSeq: Int64, in db: SQLiteConnection) throws {
        guard !approvals.isEmpty else { return }
        let first = try db.integer("SELECT count(*) FROM run_approvals WHERE run_seq = \(runSeq)")
        let insert = try db.statement("""
            INSERT INTO run_approvals (run_seq, step, position, member, input, reason, requested_at, deadline, decision,
                                       comment, edited_input, decided_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            """)
        for (offset, approval) in approvals.enumerated() {
            insert.reset()
            insert.bind(runSeq, at: 1)
            insert.bind(approval.step, at: 2)
            insert.bind(Int(first) + offset, at: 3)
            insert.bind(approval.member, at: 4)
            insert.bind(approval.input, at: 5)
            insert.bind(approval.reason, at: 6)
            insert.bind(approval.requestedAtMicros, at: 7)
            insert.bind(approval.deadlineMicros, at: 8)
            insert.bind(approval.decision.rawValue, at: 9)
            insert.bind(approval.comment, at: 10)
            insert.bind(approval.editedInput, at: 11)
            insert.bind(approval.decidedAtMicros, at: 12)
            try insert.run()
        }
    }

    static func approvals(of runSeq: Int64, in db: SQLiteConnection) throws -> [ApprovalRecord] {
        let select = try db.statement("""
            SELECT step, member, input, reason, requested_at, deadline, decision, comment, edited_input, decided_at
            FROM run_approvals WHERE run_seq = ?1 ORDER BY position
            """)
        defer { select.reset() }
        select.bind(runSeq, at: 1)
        var approvals: [ApprovalRecord] = []
        while try select.step() {
            let step = select.string(0)
            let check = StoredValue(table: "run_approvals", row: .approval(runSeq: runSeq, step: step))
            approvals.append(ApprovalRecord(
                step: step, member: try check.text(select, 1, "member"), input: try check.text(select, 2, "input"),
                reason: try check.text(select, 3, "reason"), requestedAtMicros: select.int64(4),
                deadlineMicros: select.optionalInt64(5),
                decision: try check.value(ApprovalRecord.Decision.self, select.string(6), "decision"),
                comment: try check.text(select, 7, "comment"), editedInput: try check.optionalText(select, 8, "edited_input"),
                decidedAtMicros: select.optionalInt64(9)))
        }
        return approvals
    }
}
