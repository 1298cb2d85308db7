/// One server-sent event: its `event:` name (if any) and its `data:` lines joined by "\n".
public struct SSEEvent: Sendable, Hashable {
    public var event: String?
    public var data: String

    public init(event: String? = nil, data: String) {
        self.event = event
        self.data = data
    }
}
