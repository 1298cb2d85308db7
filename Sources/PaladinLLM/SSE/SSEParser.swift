/// The text/event-stream parser: a state machine fed bytes as they arrive, split anywhere
/// (inside a line, between CR and LF, inside a UTF-8 sequence). Follows the WHATWG rules that
/// matter for model APIs: CR, LF or CRLF line ends, `:` comments, `event`/`data` fields, a blank
/// line dispatches, an event without data is dropped. `id` and `retry` are ignored.
/// A line, or an event's data lines together, longer than `maxLineBytes` is an error as soon
/// as it passes the cap, so a line that never ends costs no more than the cap.
public struct SSEParser: Sendable {
    /// Thrown by `feed` when a line or an event's data passes the cap.
    public struct Overflow: Error, Hashable, Sendable {
        public var limit: Int
    }

    /// The longest line, and the longest data of one event, accepted.
    public let maxLineBytes: Int
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var eventName: String?
    private var data: [UInt8] = []
    private var hasData = false

    public init(maxLineBytes: Int = .max) { self.maxLineBytes = maxLineBytes }

    /// Consumes `bytes` and returns the events they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(Overflow) -> [SSEEvent] {
        if let result = bytes.withContiguousStorageIfAvailable({ buffer in Result { () throws(Overflow) in try feed(buffer: buffer) } }) {
            return try result.get()
        }
        var events: [SSEEvent] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n") where lastWasCR:
                lastWasCR = false
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                lastWasCR = byte == UInt8(ascii: "\r")
                if let event = try endLine() { events.append(event) }
            default:
                lastWasCR = false
                guard line.count < maxLineBytes else { throw Overflow(limit: maxLineBytes) }
                line.append(byte)
            }
        }
        return events
    }

    /// Consumes raw bytes as libcurl hands them over (no copy).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(Overflow) -> [SSEEvent] {
        try feed(buffer: UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    /// The contiguous path: finds each line end and appends the run before it at once.
    private mutating func feed(buffer: UnsafeBufferPointer<UInt8>) throws(Overflow) -> [SSEEvent] {
        var events: [SSEEvent] = []
        var start = 0
        while start < buffer.count {
            if lastWasCR, buffer[start] == UInt8(ascii: "\n") {
                lastWasCR = false
                start += 1
                continue
            }
            var end = start
            while end < buffer.count, buffer[end] != UInt8(ascii: "\n"), buffer[end] != UInt8(ascii: "\r") { end += 1 }
            guard end - start <= maxLineBytes - line.count else { throw Overflow(limit: maxLineBytes) }
            line.append(contentsOf: buffer[start..<end])
            lastWasCR = false
            if end == buffer.count { break }
            lastWasCR = buffer[end] == UInt8(ascii: "\r")
            if let event = try endLine() { events.append(event) }
            start = end + 1
        }
        return events
    }

    /// Ends the stream: a final event not followed by a blank line is dispatched (lenient).
    public mutating func finish() throws(Overflow) -> SSEEvent? {
        if !line.isEmpty { _ = try endLine() }
        return dispatch()
    }

    private mutating func endLine() throws(Overflow) -> SSEEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        var valueStart = colon == line.endIndex ? colon : colon + 1
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let name = line[..<colon]
        let value = line[valueStart...]
        if name.elementsEqual("data".utf8) {
            guard value.count + (hasData ? 1 : 0) <= maxLineBytes - data.count else { throw Overflow(limit: maxLineBytes) }
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        } else if name.elementsEqual("event".utf8) {
            eventName = String(decoding: value, as: UTF8.self)
        }
        return nil
    }

    private mutating func dispatch() -> SSEEvent? {
        defer {
            eventName = nil
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        guard hasData else { return nil }
        return SSEEvent(event: eventName, data: String(decoding: data, as: UTF8.self))
    }
}
