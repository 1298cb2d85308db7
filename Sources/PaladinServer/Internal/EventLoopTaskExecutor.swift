import NIOCore

/// Runs Swift tasks on a NIO event loop thread, so a call's work, its writes and the
/// connection's bookkeeping happen on one thread with no hop.
///
/// SwiftNIO makes event loops `SerialExecutor`s but not `TaskExecutor`s; this is the missing
/// adapter. Without it a call's task would run on the global executor and every completion
/// would hop back to the loop. Child tasks inherit the preference; unstructured `Task {}` does
/// not.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
