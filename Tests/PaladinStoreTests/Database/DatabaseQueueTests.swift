import Foundation
import PaladinCore
@testable import PaladinStore
import Synchronization
import Testing

/// The database worker's queue: bounded (a job past the bound fails at once with
/// `StoreError.busy`), and a job whose caller was cancelled while it waited is skipped.
@Suite("Database job queue", .timeLimit(.minutes(1)))
struct DatabaseQueueTests {
    /// A job that holds the worker's only thread until `release` is set.
    private final class Gate: Sendable {
        let entered = Atomic<Bool>(false)
        let released = Atomic<Bool>(false)

        func hold() {
            entered.store(true, ordering: .sequentiallyConsistent)
            while !released.load(ordering: .sequentiallyConsistent) { usleep(1000) }
        }
    }

    /// Which jobs ran, in order.
    private final class Ran: Sendable {
        private let ids = Mutex<[Int]>([])
        func append(_ id: Int) { ids.withLock { $0.append(id) } }
        var all: [Int] { ids.withLock { $0 } }
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        let until = ContinuousClock.now + .seconds(5)
        while !condition() {
            try #require(ContinuousClock.now < until, "condition not reached within 5 s")
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test(arguments: [true, false])
    func pastTheBoundAJobFailsAtOnceAndACancelledJobIsSkipped(grouped: Bool) async throws {
        let worker = DatabaseWorker(connections: [try SQLiteConnection(path: ":memory:")], grouped: grouped,
                                    name: "queue-test", maxQueued: 2)
        defer { worker.close() }
        let gate = Gate()
        let ran = Ran()
        let holder = Task { try await worker.run { _ in gate.hold() } }
        try await waitUntil { gate.entered.load(ordering: .sequentiallyConsistent) }

        let first = Task { try await worker.run { _ in ran.append(1) } }
        try await waitUntil { worker.queuedCount == 1 }
        let second = Task { try await worker.run { _ in ran.append(2) } }
        try await waitUntil { worker.queuedCount == 2 }

        await #expect(throws: StoreError.busy(limit: 2), "a third waiting job is refused, not queued") {
            try await worker.run { _ in ran.append(3) }
        }
        second.cancel()
        gate.released.store(true, ordering: .sequentiallyConsistent)
        try await holder.value
        try await first.value
        await #expect(throws: CancellationError.self) { try await second.value }
        #expect(ran.all == [1], "the cancelled job did not run")
        // The queue is free again.
        #expect(try await worker.run { _ in 42 } == 42)
    }

    @Test func aJobOfAnAlreadyCancelledTaskIsNotQueued() async throws {
        let worker = DatabaseWorker(connections: [try SQLiteConnection(path: ":memory:")], grouped: true, name: "queue-test")
        defer { worker.close() }
        let ran = Ran()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await worker.run { _ in ran.append(1) }
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ran.all.isEmpty)
    }

    @Test func aWriteMarkedEvenIfCancelledRunsForACancelledTask() async throws {
        let worker = DatabaseWorker(connections: [try SQLiteConnection(path: ":memory:")], grouped: true, name: "queue-test")
        defer { worker.close() }
        let ran = Ran()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await worker.run(skipIfCancelled: false) { _ in ran.append(1) }
        }
        try await task.value
        #expect(ran.all == [1])
    }

    @Test("a run's steps are stored when the task recording them is cancelled (resume relies on them)")
    func runRecordsSurviveACancelledCaller() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try SQLiteDatabase(StoreConfiguration(path: directory.path(), sessionTTL: nil, readers: 1))
        defer { database.close() }
        let runs = SQLiteRunStore(database: database)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await runs.begin(RunRecord(id: "r", battalion: "b", pattern: "formation", input: "in", startedAtMicros: 1))
            try await runs.record(MemberStep(member: "a", status: .succeeded, output: "x"), runID: "r")
        }
        try await task.value
        #expect(try await runs.get("r")?.steps.map(\.member) == ["a"])
    }
}
