import PaladinCore

/// Runs that wait for a person: pausing, decisions, deadlines.
extension SQLiteRunStore {
    public func pause(runID: String, steps: [MemberStep], approvals: [ApprovalRecord]) async throws {
        try await database.write(evenIfCancelled: true) { db in
            let seq = try RunRows.seq(of: runID, in: db)
            let update = try db.statement("UPDATE runs SET status = 'waiting_approval' WHERE seq = ?1")
            update.bind(seq, at: 1)
            try update.run()
            let clear = try db.statement("DELETE FROM run_steps WHERE run_seq = ?1")
            clear.bind(seq, at: 1)
            try clear.run()
            try RunRows.insertSteps(steps, runSeq: seq, from: 0, in: db)
            try ApprovalRows.insert(approvals, runSeq: seq, in: db)
        }
    }

    public func decide(runID: String, step: String, _ decision: ApprovalRecord.Decision, comment: String,
                       editedInput: String?, atMicros: Int64) async throws -> RunRecord {
        try await database.write { db in
            let seq = try RunRows.seq(of: runID, in: db)
            let current = try db.statement("SELECT decision FROM run_approvals WHERE run_seq = ?1 AND step = ?2")
            current.bind(seq, at: 1)
            current.bind(step, at: 2)
            guard try current.step() else {
                current.reset()
                throw RunStoreError.approvalNotFound(runID: runID, step: step)
            }
            let was = ApprovalRecord.Decision(rawValue: current.string(0))
            current.reset()
            guard was == .pending else { throw RunStoreError.alreadyDecided(runID: runID, step: step, was ?? .expired) }
            let update = try db.statement("""
                UPDATE run_approvals SET decision = ?3, comment = ?4, edited_input = ?5, decided_at = ?6
                WHERE run_seq = ?1 AND step = ?2
                """)
            update.bind(seq, at: 1)
            update.bind(step, at: 2)
            update.bind(decision.rawValue, at: 3)
            update.bind(comment, at: 4)
            update.bind(editedInput, at: 5)
            update.bind(atMicros, at: 6)
            try update.run()
            return try RunRows.record(seq: seq, in: db)
        }
    }

    public func expiredApprovals(atMicros: Int64) async throws -> [(runID: String, step: String)] {
        try await database.read { db in
            let select = try db.statement("""
                SELECT runs.id, run_approvals.step FROM run_approvals JOIN runs ON runs.seq = run_approvals.run_seq
                WHERE run_approvals.decision = 'pending' AND run_approvals.deadline IS NOT NULL AND run_approvals.deadline <= ?1
                ORDER BY run_approvals.deadline
                """)
            defer { select.reset() }
            select.bind(atMicros, at: 1)
            var found: [(runID: String, step: String)] = []
            while try select.step() { found.append((select.string(0), select.string(1))) }
            return found
        }
    }
}
