import Foundation
import PaladinCore

/// Threads that own SQLite connections and run jobs on them, off the Swift cooperative pool
/// and off any NIO event loop: callers suspend on a continuation while a worker runs the job.
///
/// A worker has one thread per connection, all taking jobs from one queue. In `grouped` mode
/// (the writer: one connection) a thread takes every queued job at once and runs them in one
/// transaction, each in its own savepoint, then commits once and only then resumes the callers:
/// group commit, so concurrent appends share one WAL commit and every acknowledged job is
/// committed.
///
/// The queue is bounded (`maxQueued`): past it a job fails at once with `StoreError.busy`
/// instead of waiting. A job whose caller was cancelled while it waited is skipped, not run.
final class DatabaseWorker: @unchecked Sendable {
    // @unchecked: `jobs` and `closed` are only touched with `condition` locked; connections are
    // handed to exactly one thread each and never touched elsewhere after `init`.

    /// A job: runs on a worker thread; returns what to do once its transaction is committed
    /// (grouped mode) or at once.
    typealias Job = (SQLiteConnection) -> Completion

    /// Resumes a caller after the commit (`succeed`) or with the commit's error (`fail`).
    struct Completion {
        var succeed: () -> Void
        var fail: (any Error) -> Void
        static var done: Completion { Completion(succeed: {}, fail: { _ in }) }
    }

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var closed = false
    private var running = 0
    private var threads: [Thread] = []
    private let grouped: Bool
    /// Largest group committed at once (bounds latency of the first job of a group).
    private let maxGroup: Int
    /// Background work (search indexing) run in its own transaction when the queue is empty,
    /// and after every `backgroundEvery` groups so it cannot starve; returns whether it did any.
    private let background: ((SQLiteConnection) throws -> Bool)?
    private let backgroundEvery = 16
    /// Most jobs waiting at once; more fail with `StoreError.busy`.
    let maxQueued: Int

    init(connections: [SQLiteConnection], grouped: Bool, name: String, maxGroup: Int = 512,
         maxQueued: Int = StoreConfiguration.defaultMaxQueuedJobs, background: ((SQLiteConnection) throws -> Bool)? = nil) {
        self.grouped = grouped
        self.maxGroup = maxGroup
        self.maxQueued = max(1, maxQueued)
        self.background = background
        running = connections.count
        for (index, connection) in connections.enumerated() {
            let thread = Thread { [self] in self.loop(connection) }
            thread.name = "\(name)-\(index)"
            threads.append(thread)
            thread.start()
        }
    }

    /// Runs `body` on a worker thread and returns its value (after the commit, when grouped).
    /// - Parameter skipIfCancelled: when the calling task is (or gets) cancelled before the job
    ///   runs, the job is not run and `CancellationError` is thrown.
    /// - Throws: what `body` throws, the commit's error, `StoreError.closed`,
    ///   `StoreError.busy` when `maxQueued` jobs already wait, or `CancellationError` (above).
    func run<T: Sendable>(skipIfCancelled: Bool = true,
                          _ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        if skipIfCancelled { try Task.checkCancellation() }
        let cancelled = StopFlag()  // raised when the waiting task is cancelled: the job is skipped
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let grouped = self.grouped
                let job: Job = { connection in
                    if cancelled.isRaised {
                        continuation.resume(throwing: CancellationError())
                        return .done
                    }
                    do {
                        let value = grouped ? try connection.savepoint { try body(connection) } : try body(connection)
                        return Completion(succeed: { continuation.resume(returning: value) },
                                          fail: { continuation.resume(throwing: $0) })
                    } catch {
                        continuation.resume(throwing: error)
                        return .done
                    }
                }
                if let refusal = enqueue(job) { continuation.resume(throwing: refusal) }
            }
        } onCancel: {
            if skipIfCancelled { cancelled.raise() }
        }
    }

    /// Queues a job; the error that refuses it instead (closed, or the queue is full).
    private func enqueue(_ job: @escaping Job) -> StoreError? {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return .closed }
        guard jobs.count < maxQueued else { return .busy(limit: maxQueued) }
        jobs.append(job)
        condition.signal()
        return nil
    }

    /// Jobs waiting now (not those running).
    var queuedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return jobs.count
    }

    /// Stops taking jobs, lets queued ones finish, and waits for the threads to end (their
    /// connections close with them).
    /// Called from one of its own threads (the last reference dropped inside a job), it does
    /// not wait, which would deadlock: the threads end after the jobs already queued.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        let own = threads.contains { $0 === Thread.current }
        while running > 0 && !own { condition.wait() }
        condition.unlock()
    }

    private func loop(_ connection: SQLiteConnection) {
        var connection: SQLiteConnection? = connection
        var groups = 0
        var pending = background != nil
        while let current = connection {
            condition.lock()
            if pending && (jobs.isEmpty || groups % backgroundEvery == 0) {
                condition.unlock()
                pending = runBackground(on: current)
                groups += 1
                continue
            }
            while jobs.isEmpty && !closed { condition.wait() }
            if jobs.isEmpty && closed {
                running -= 1
                connection = nil
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch: [Job]
            if grouped {
                let count = min(jobs.count, maxGroup)
                batch = Array(jobs.prefix(count))
                jobs.removeFirst(count)
            } else {
                batch = [jobs.removeFirst()]
            }
            condition.unlock()
            if grouped { runGroup(batch, on: current) } else { batch[0](current).succeed() }
            groups += 1
            pending = background != nil
        }
    }

    /// One pass of background work in its own transaction; false when there was none (or it
    /// failed: it is retried after the next group).
    private func runBackground(on connection: SQLiteConnection) -> Bool {
        guard let background else { return false }
        return (try? connection.transaction { try background(connection) }) ?? false
    }

    private func runGroup(_ batch: [Job], on connection: SQLiteConnection) {
        do {
            try connection.statement("BEGIN IMMEDIATE").run()
        } catch {
            for job in batch { job(connection).succeed() }  // autocommit: each job commits alone
            return
        }
        let completions = batch.map { $0(connection) }
        do {
            try connection.statement("COMMIT").run()
            for completion in completions { completion.succeed() }
        } catch {
            try? connection.execute("ROLLBACK")
            for completion in completions { completion.fail(error) }
        }
    }
}
