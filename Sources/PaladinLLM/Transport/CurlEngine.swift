import CCurl
import Foundation
import PaladinCore
import Synchronization

/// The one transfer engine: a single curl-multi handle driven by one thread, bridged to
/// async/await. Every request of every provider runs here, so connections are reused through
/// the multi handle's connection cache and a thousand streams cost no more threads than one.
///
/// New and cancelled transfers are handed over through a locked inbox and `curl_multi_wakeup`;
/// the driver thread is the only one that calls into the multi handle or its easy handles.
///
/// Safety of `@unchecked Sendable`: `multi` is used only by the driver thread, except for
/// `curl_multi_wakeup`, which libcurl documents as callable from any thread; the rest of the
/// shared state is in a `Mutex` or an `Atomic`.
public final class CurlEngine: @unchecked Sendable {
    /// The engine providers use unless given another.
    public static let shared = CurlEngine()

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let active = Atomic<Int>(0)

    private struct Inbox {
        var added: [Transfer] = []
        var cancelled: [Transfer] = []
        var resumed: [Transfer] = []
        var stopping = false
    }

    /// Transfers started and not yet cleaned up; 0 when nothing leaked.
    public var activeTransfers: Int { active.load(ordering: .acquiring) }

    /// - Parameter maxConnections: idle connections kept for reuse (CURLMOPT_MAXCONNECTS); `nil`
    ///   keeps libcurl's default, which grows with the transfers in flight (4 per transfer).
    public init(maxConnections: Int? = nil) {
        _ = curlGlobalInit
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = multi
        if let maxConnections { ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxConnections) }
        let thread = Thread { [self] in drive() }
        thread.name = "paladin-curl"
        thread.start()
    }

    /// Starts `request`; the stream yields the head, then body bytes as they arrive.
    /// Ending the stream early (or cancelling the task iterating it) aborts the transfer. The
    /// stream holds a bounded amount: past it the transfer pauses until the consumer catches up.
    public func start(_ request: HTTPRequest) -> AsyncThrowingStream<HTTPEvent, any Error> {
        let buffer = StreamBuffer<HTTPEvent>()
        start(request, sink: EventStreamSink(buffer)) { transfer in hook(buffer, to: transfer) }
        return buffer.stream()
    }

    /// Connects a transfer's buffer to the engine: a drained buffer resumes the paused
    /// transfer, an abandoned one cancels it. The transfer is held weakly: the buffer belongs
    /// to its sink, so a strong reference would be a cycle.
    func hook<Element>(_ buffer: StreamBuffer<Element>, to transfer: Transfer) {
        buffer.setHooks(onDrain: { [weak self, weak transfer] in
            if let self, let transfer { self.resume(transfer) }
        }, onAbandon: { [weak self, weak transfer] in
            if let self, let transfer { self.cancel(transfer) }
        })
    }

    /// Starts `request` feeding `sink` on the driver thread. `prepare` runs before the driver
    /// sees the transfer (to hook up cancellation). If it cannot start, the sink is finished
    /// with the error.
    func start(_ request: HTTPRequest, sink: any TransferSink, prepare: (Transfer) -> Void) {
        let transfer: Transfer
        do { transfer = try Transfer(request, sink: sink) } catch {
            sink.finish(error)
            return
        }
        prepare(transfer)
        active.add(1, ordering: .relaxed)
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.added.append(transfer)
            return true
        }
        guard accepted else {
            active.subtract(1, ordering: .relaxed)
            transfer.finish(throwing: ProviderError(.network, "the transfer engine is shut down"))
            return
        }
        curl_multi_wakeup(multi)
    }

    /// Stops the driver thread after failing every open transfer. For engines made in tests.
    public func shutdown() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    /// Unpauses `transfer` if it is still running (its consumer caught up).
    func resume(_ transfer: Transfer) {
        inbox.withLock { $0.resumed.append(transfer) }
        curl_multi_wakeup(multi)
    }

    /// Aborts `transfer` if it is still running; its sink finishes with `CancellationError`.
    func cancel(_ transfer: Transfer) {
        transfer.cancelRequested.store(true, ordering: .relaxed)
        inbox.withLock { $0.cancelled.append(transfer) }
        curl_multi_wakeup(multi)
    }
}

private let curlGlobalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

extension CurlEngine {
    /// The driver thread's loop: take new and cancelled transfers, perform, reap, poll.
    private func drive() {
        var running: [UnsafeMutableRawPointer: Transfer] = [:]
        while true {
            let (added, cancelled, resumed, stopping) = inbox.withLock { inbox in
                defer { inbox.added = []; inbox.cancelled = []; inbox.resumed = [] }
                return (inbox.added, inbox.cancelled, inbox.resumed, inbox.stopping)
            }
            for transfer in added {
                running[transfer.easy] = transfer
                curl_multi_add_handle(multi, transfer.easy)
                if transfer.cancelRequested.load(ordering: .relaxed) {  // cancelled before it got here
                    retire(transfer, from: &running) { $0.finish(throwing: CancellationError()) }
                }
            }
            for transfer in cancelled where running[transfer.easy] === transfer {
                retire(transfer, from: &running) { $0.finish(throwing: CancellationError()) }
            }
            // Unpausing may call the write callback at once; this is the driver thread and no
            // callback is running, as libcurl requires.
            for transfer in resumed where running[transfer.easy] === transfer { transfer.resume() }
            if stopping {
                for transfer in running.values {
                    retire(transfer, from: &running) { $0.finish(throwing: ProviderError(.network, "the transfer engine shut down")) }
                }
                curl_multi_cleanup(multi)
                return
            }
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            reapFinished(&running)
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func reapFinished(_ running: inout [UnsafeMutableRawPointer: Transfer]) {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let transfer = running[easy] else { continue }
            let code = ccurl_msg_result(message)
            retire(transfer, from: &running) { $0.finish(code) }
        }
    }

    private func retire(_ transfer: Transfer, from running: inout [UnsafeMutableRawPointer: Transfer],
                        _ finish: (Transfer) -> Void) {
        curl_multi_remove_handle(multi, transfer.easy)
        running[transfer.easy] = nil
        active.subtract(1, ordering: .releasing)  // before the consumer can see the end
        finish(transfer)
    }
}
