import PaladinCore
@testable import PaladinServer
import PaladinWire
import Synchronization
import Testing

/// `SessionTurns` alone: who holds a session, who waits, who is refused or stopped.
@Suite("Session turns", .timeLimit(.minutes(1)))
struct SessionTurnsTests {
    /// A gate a test opens to let a body finish.
    final class Gate: Sendable {
        private let opened = Atomic<Bool>(false)
        func open() { opened.store(true, ordering: .releasing) }
        func wait() async throws {
            while !opened.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(1)) }
        }
    }

    /// What the bodies did, in order.
    final class Log: Sendable {
        private let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// Waits until `condition` holds (or records an issue after about 5 s).
    static func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<5000 where !condition() { try await Task.sleep(for: .milliseconds(1)) }
        #expect(condition())
    }

    @Test func queuedExecutionsRunOneAtATimeInArrivalOrder() async throws {
        let turns = SessionTurns()
        let order = Log()
        let gate = Gate()
        let first = Task {
            try await turns.withTurn(on: "s", policy: .queue) {
                order.add("first in")
                try await gate.wait()
                order.add("first out")
            }
        }
        try await Self.eventually { order.all == ["first in"] }
        var waiters: [Task<Void, any Error>] = []
        for name in ["second", "third"] {
            waiters.append(Task { try await turns.withTurn(on: "s", policy: .queue) { order.add(name) } })
            try await Task.sleep(for: .milliseconds(10))  // arrival order
        }
        // Another session is not held up.
        try await turns.withTurn(on: "other", policy: .reject) { order.add("other") }
        gate.open()
        try await first.value
        for waiter in waiters { try await waiter.value }
        #expect(order.all == ["first in", "other", "first out", "second", "third"])
        #expect(turns.heldSessions == 0)
    }

    @Test func rejectIsAbortedWhileTheSessionIsBusy() async throws {
        let turns = SessionTurns()
        let gate = Gate()
        let holder = Task { try await turns.withTurn(on: "s", policy: .queue) { try await gate.wait() } }
        try await Self.eventually { turns.heldSessions == 1 }
        await #expect { try await turns.withTurn(on: "s", policy: .reject) {} } throws: { error in
            (error as? RPCError)?.code == .aborted && (error as? RPCError)?.details["session_id"] == "s"
        }
        gate.open()
        try await holder.value
        try await turns.withTurn(on: "s", policy: .reject) {}  // free again
    }

    @Test func interruptStopsTheHolderAndGoesNext() async throws {
        let turns = SessionTurns()
        let stopped = Log()
        let holder = Task {
            try await turns.withTurn(on: "s", policy: .queue) {
                do { try await Task.sleep(for: .seconds(30)) } catch { stopped.add("stopped"); throw error }
            }
        }
        try await Self.eventually { turns.heldSessions == 1 }
        let value = try await turns.withTurn(on: "s", policy: .interrupt) { stopped.all == ["stopped"] ? "after" : "during" }
        #expect(value == "after")  // the holder had stopped before this body ran
        await #expect { try await holder.value } throws: { ($0 as? RPCError)?.code == .aborted }
        #expect(turns.heldSessions == 0)
    }

    @Test func aCancelledWaiterLeavesTheLine() async throws {
        let turns = SessionTurns()
        let gate = Gate()
        let ran = Log()
        let holder = Task { try await turns.withTurn(on: "s", policy: .queue) { try await gate.wait() } }
        try await Self.eventually { turns.heldSessions == 1 }
        let waiter = Task { try await turns.withTurn(on: "s", policy: .queue) { ran.add("ran") } }
        try await Task.sleep(for: .milliseconds(10))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        gate.open()
        try await holder.value
        #expect(ran.all.isEmpty && turns.heldSessions == 0)
    }

    @Test func theLineIsBounded() async throws {
        let turns = SessionTurns()
        let gate = Gate()
        let holder = Task { try await turns.withTurn(on: "s", policy: .queue) { try await gate.wait() } }
        try await Self.eventually { turns.heldSessions == 1 }
        let waiters = (0..<SessionTurns.maxWaiting).map { _ in Task { try await turns.withTurn(on: "s", policy: .queue) {} } }
        try await Task.sleep(for: .milliseconds(20))
        await #expect { try await turns.withTurn(on: "s", policy: .queue) {} } throws: { ($0 as? RPCError)?.code == .resourceExhausted }
        gate.open()
        try await holder.value
        for waiter in waiters { try await waiter.value }
        #expect(turns.heldSessions == 0)
    }

    @Test func aFailingBodyStillHandsTheSessionOn() async throws {
        struct Boom: Error {}
        let turns = SessionTurns()
        await #expect(throws: Boom.self) { try await turns.withTurn(on: "s", policy: .queue) { throw Boom() } }
        try await turns.withTurn(on: "s", policy: .reject) {}
        #expect(turns.heldSessions == 0)
    }
}
