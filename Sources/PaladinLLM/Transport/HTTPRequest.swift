/// One HTTP request for the transfer engine: where, what, and how long to wait.
public struct HTTPRequest: Sendable {
    /// Absolute URL (`http://` or `https://`).
    public var url: String
    /// `GET` or `POST`; a non-empty body makes it a POST.
    public var method: String
    /// Header lines as name/value pairs, sent as given.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeouts: HTTPTimeouts
    /// Caps on the response; the transport enforces `maxResponseBytes` and the header block.
    public var limits: ResponseLimits

    public init(url: String, method: String = "POST", headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], timeouts: HTTPTimeouts = HTTPTimeouts(), limits: ResponseLimits = ResponseLimits()) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
        self.limits = limits
    }
}

/// Connect, whole-transfer and idle limits of a request.
public struct HTTPTimeouts: Sendable, Hashable {
    /// Limit for establishing the connection (TCP and TLS).
    public var connect: Duration
    /// Limit for the whole transfer; `nil` means none (streams may run long).
    public var total: Duration?
    /// The longest the response may go without a byte; catches stalled streams.
    /// libcurl measures it in whole seconds, so it is rounded up to at least 1 s.
    public var idle: Duration?

    public init(connect: Duration = .seconds(10), total: Duration? = .seconds(600), idle: Duration? = .seconds(60)) {
        self.connect = connect
        self.total = total
        self.idle = idle
    }
}

/// The status line and headers of a response.
public struct HTTPHead: Sendable, Hashable {
    public var status: Int
    /// Header names lower-cased; a later header with the same name wins.
    public var headers: [String: String]

    public init(status: Int, headers: [String: String] = [:]) {
        self.status = status
        self.headers = headers
    }
}

/// What a transfer reports, in order: one `.head`, then the body as it arrives.
public enum HTTPEvent: Sendable {
    case head(HTTPHead)
    case body([UInt8])
}

extension Duration {
    /// Whole milliseconds, rounded up, for libcurl's `*_MS` options.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
