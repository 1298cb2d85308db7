/// Everything a `PaladinServer` can be told; every field has a production default.
public struct ServerConfiguration: Sendable, Hashable {
    /// Address to bind. Default `127.0.0.1`.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free port (tests). Default 50051.
    public var port: Int = 50051
    /// Event loop threads; 0 means one per core.
    public var threads: Int = 0
    /// Limits advertised in the HELLO ACK and enforced per connection.
    public var limits = ServerLimits()
    /// Timeouts that protect the server from slow or silent peers.
    public var timeouts = ServerTimeouts()
    /// When non-empty, a client's HELLO must carry this token.
    public var authToken: String = ""
    /// TLS on the listening port (`server.tls`); `nil` serves plaintext.
    public var tls: TLSSettings?

    public init() {}
}

/// Size and count limits, checked before the data they guard is buffered.
public struct ServerLimits: Sendable, Hashable {
    /// Largest frame payload accepted, bytes. Default 4 MiB.
    public var maxFrameSize: Int = 4 * 1024 * 1024
    /// Open calls per connection. Default 100.
    public var maxConcurrentStreams: Int = 100
    /// Total bytes of metadata per REQUEST: keys and values plus 32 per entry. Default 8 KiB.
    public var maxMetadataSize: Int = 8 * 1024
    /// Metadata entries per REQUEST. Default 64.
    public var maxMetadataEntries: Int = 64
    /// Open connections per server. Default 1024.
    public var maxConnections: Int = 1024
    /// Longest deadline honoured, microseconds; longer ones are clamped. Default 24 h.
    public var maxTimeoutMicroseconds: UInt64 = 24 * 3600 * 1_000_000
    /// PINGs and CANCELs of stream ids never opened, each within
    /// `controlStrikeIntervalMilliseconds` of the last, allowed in a row before the connection
    /// ends (GOAWAY RESOURCE_EXHAUSTED); an opened call clears them. 0 turns the check off.
    /// Default 20.
    public var maxControlStrikes: Int = 20
    /// See `maxControlStrikes`. Default 1000 ms.
    public var controlStrikeIntervalMilliseconds: Int64 = 1000
    /// Battalion runs in progress at once, server-wide (Run, RunStream, resumed runs); past it a
    /// new run fails at once with RESOURCE_EXHAUSTED and a retry hint. Default 256.
    public var maxInflightRuns: Int = 256
    /// Paladin executions in progress at once, server-wide (Execute, ExecuteStream); past it a
    /// new one fails at once with RESOURCE_EXHAUSTED and a retry hint. Default 1024.
    public var maxInflightExecutions: Int = 1024
    /// Most items one page of a list or read call returns (History, Search, ListSessions,
    /// ListRuns, ListPaladins, ListBattalions); larger limits are clamped. Default 1000.
    public var maxPageSize: Int = 1000

    public init() {}
}

/// Timeouts, in milliseconds.
public struct ServerTimeouts: Sendable, Hashable {
    /// Time a new connection has to send its preface and HELLO. Default 10 s.
    public var handshakeMilliseconds: Int64 = 10_000
    /// Time a started frame has to arrive in full. Default 30 s.
    public var partialFrameMilliseconds: Int64 = 30_000
    /// A connection with no open call and nothing received for this long is closed. Default 300 s.
    public var idleMilliseconds: Int64 = 300_000
    /// On shutdown, how long in-flight calls may run before they are ended. Default 30 s.
    public var drainGraceMilliseconds: Int64 = 30_000
    /// A connection whose output stays backed up (the peer reads nothing) for this long is
    /// closed, ending its calls: a non-reading peer cannot hold streams and their work forever.
    /// Default 60 s.
    public var writeStallMilliseconds: Int64 = 60_000

    public init() {}
}
