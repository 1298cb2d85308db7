/// How a `PaladinConnection` connects.
public struct ClientConfiguration: Sendable, Hashable {
    /// Sent in HELLO; logged by the server.
    public var agent: String = "paladin-swift/0.1.0"
    /// Sent in HELLO when the server requires a token.
    public var authToken: String = ""
    /// Time allowed for TCP connect plus the HELLO exchange. Default 5 s.
    public var connectTimeout: Duration = .seconds(5)
    /// TLS to the server; `nil` speaks plaintext.
    public var tls: ClientTLS?
    /// Largest frame accepted from the server, bytes. Default 16 MiB.
    public var maxFrameSize: Int = 16 * 1024 * 1024

    public init() {}
}
