/// Where and how to reach one model API: what a provider adapter needs per request.
public struct ProviderEndpoint: Sendable {
    /// Base URL up to the API version, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8088/v1`.
    public var baseURL: String
    /// Model used when a request names none.
    public var model: String
    /// The API key itself (read from the environment by the factory); never logged.
    public var apiKey: String?
    /// Extra headers sent with every request (e.g. an organisation id).
    public var headers: [String: String]
    public var timeouts: HTTPTimeouts
    /// Caps on responses, with the provider's name for their errors.
    public var limits: ResponseLimits

    public init(baseURL: String, model: String = "", apiKey: String? = nil, headers: [String: String] = [:],
                timeouts: HTTPTimeouts = HTTPTimeouts(), limits: ResponseLimits = ResponseLimits()) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.model = model
        self.apiKey = apiKey
        self.headers = headers
        self.timeouts = timeouts
        self.limits = limits
    }

    /// The full URL of `path` (which starts with "/").
    func url(_ path: String) -> String { baseURL + path }

    /// The limits of one request: a stream has no body cap (it is bounded per SSE line, in
    /// completion text, and by the total timeout), a non-streamed response has.
    func limits(stream: Bool) -> ResponseLimits {
        var limits = limits
        if stream { limits.maxResponseBytes = nil }
        return limits
    }

    /// The extra headers, sorted by name so requests are reproducible.
    var extraHeaders: [(name: String, value: String)] {
        headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }
}

extension ProviderEndpoint: CustomStringConvertible {
    /// Describes the endpoint without its key.
    public var description: String {
        "ProviderEndpoint(\(baseURL), model: \(model), key: \(apiKey == nil ? "none" : "set"))"
    }
}
