import Synchronization

/// What the test server answers to one request: status, headers, body parts with pauses, and
/// how the response ends.
struct ScriptedResponse: Sendable {
    enum Part: Sendable {
        case bytes([UInt8])
        case pause(Duration)
        /// `chunk` written again and again, each write after the last one reached the socket
        /// (so the server holds no more than one chunk), until the client goes or `limit`
        /// bytes were sent.
        case endless([UInt8], limit: Int = 256 << 20)
    }

    enum Ending: Sendable {
        /// The terminating chunk: a well-formed response.
        case complete
        /// The connection closes without the terminating chunk.
        case drop
        /// Nothing more is ever sent.
        case stall
    }

    var status: Int = 200
    var headers: [(String, String)] = []
    var parts: [Part] = []
    var ending: Ending = .complete
    /// Sent as Content-Length instead of the parts' length (a lie, for the body-cap tests).
    var declaredLength: Int?
    /// Counts the body bytes the server has handed to the socket.
    var sent: SentCounter?

    /// A JSON body sent whole.
    static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [("Content-Type", "application/json")] + headers, parts: [.bytes(Array(text.utf8))])
    }

    /// An event stream of `events` (each a full "event:/data:" block without its blank line),
    /// cut every `split` bytes, with a short pause between pieces so they arrive separately.
    static func sse(_ events: [String], split: Int = 1 << 20, ending: Ending = .complete) -> ScriptedResponse {
        let bytes = Array(events.map { $0 + "\n\n" }.joined().utf8)
        var parts: [Part] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + split)
            parts.append(.bytes(Array(bytes[start..<end])))
            parts.append(.pause(.milliseconds(1)))
            start = end
        }
        return ScriptedResponse(headers: [("Content-Type", "text/event-stream")], parts: parts, ending: ending)
    }
}

/// Body bytes a test server has written, read by the test while the response is under way.
final class SentCounter: Sendable {
    private let count = Atomic<Int>(0)
    var bytes: Int { count.load(ordering: .relaxed) }
    func add(_ bytes: Int) { count.add(bytes, ordering: .relaxed) }
}
