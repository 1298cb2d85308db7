import PaladinCore
import PaladinWire

extension RunManager {
    /// Attempts a run may reach by automatic resumes; past it the run stays interrupted, so a
    /// run that brings the server down cannot do it at every start.
    public static let maxAutomaticAttempts = 5

    /// What `resumeInterrupted` did with the interrupted runs it found.
    public struct Recovery: Sendable {
        /// Runs resumed, under their ids.
        public var resumed: [String] = []
        /// Runs left interrupted, with why ("run-…: battalion x says on_interrupt: mark").
        public var left: [String] = []
    }

    /// At start, before serving: resumes, as runs of their own (as StartRun starts them), the
    /// interrupted runs whose battalion asks for it (`on_interrupt: resume`, the default),
    /// oldest first, while run permits are free. A run stays interrupted when its battalion says
    /// `mark`, is gone or cannot run, or it reached `maxAutomaticAttempts`.
    public func resumeInterrupted(catalog: Catalog) async -> Recovery {
        var recovery = Recovery()
        let interrupted: [RunRecord]
        do {
            interrupted = try await all(.interrupted)
            // Decided while the server was down, or before it could resume them.
            for waiting in try await all(.waitingApproval) where await resumeIfDecided(waiting, catalog: catalog).status == .running {
                recovery.resumed.append(waiting.id)
            }
        } catch {
            recovery.left.append("cannot list the interrupted runs: \(error)")
            return recovery
        }
        for run in interrupted {
            do {
                let battalion = try catalog.runnable(run.battalion)
                if battalion.plan.message.onInterrupt == .mark {
                    recovery.left.append("\(run.id): battalion \(run.battalion) says on_interrupt: mark")
                } else if run.attempt >= Self.maxAutomaticAttempts {
                    recovery.left.append("\(run.id): attempt \(run.attempt) reached the automatic limit of \(Self.maxAutomaticAttempts)")
                } else {
                    _ = try await start(battalion, .resume(runID: run.id))
                    recovery.resumed.append(run.id)
                }
            } catch let error as RPCError {
                recovery.left.append("\(run.id): \(error.message)")
            } catch {
                recovery.left.append("\(run.id): \(error)")
            }
        }
        return recovery
    }

    /// Every run with `status`, oldest first, read page by page.
    private func all(_ status: RunStatus) async throws -> [RunRecord] {
        var runs: [RunRecord] = []
        var filter = RunFilter(status: status, limit: 500)
        while true {
            let page = try await store.listed(filter)
            runs += page.map(\.record)
            guard page.count == filter.limit, let last = page.last else { break }
            filter.beforeSequence = last.sequence
        }
        return runs.reversed()
    }
}
