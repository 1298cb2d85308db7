/// One entry under `providers:` in the server configuration (see docs/configuration.md):
/// which API, where, which model, and the policies wrapped around it.
/// The fields mirror the YAML keys one to one.
public struct ProviderConfiguration: Sendable, Hashable {
    /// The wire format of the API (`kind`).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// OpenAI chat completions: OpenAI, DeepSeek, Ollama, llama.cpp, vLLM.
        case openai
        /// Anthropic Messages.
        case anthropic
    }

    /// `kind`: openai | anthropic.
    public var kind: Kind
    /// `base_url`: up to the API version, e.g. `https://api.openai.com/v1`.
    public var baseURL: String
    /// `model`: used when a paladin names none.
    public var model: String
    /// `api_key_env`: the name of the environment variable that holds the key; `nil` for none
    /// (local servers). The key itself never appears in configuration or logs.
    public var apiKeyEnv: String?
    /// `headers`: extra headers sent with every request.
    public var headers: [String: String]
    /// `timeouts`: connect, total, idle.
    public var timeouts: Timeouts
    /// `retry`: attempts and backoff for retryable failures.
    public var retry: Retry
    /// `cache`: the response cache.
    public var cache: Cache
    /// `max_concurrency`: calls in flight at once to this provider; `nil` or 0 for no limit.
    public var maxConcurrency: Int?
    /// `limits`: how large a response may be.
    public var limits: Limits
    /// The key under `providers:` (not a field of its own): names the provider in the errors
    /// of its limits; empty when built in code.
    public var name: String

    public init(kind: Kind, baseURL: String, model: String = "", apiKeyEnv: String? = nil,
                headers: [String: String] = [:], timeouts: Timeouts = Timeouts(), retry: Retry = Retry(),
                cache: Cache = Cache(), maxConcurrency: Int? = nil, limits: Limits = Limits(), name: String = "") {
        self.kind = kind
        self.baseURL = baseURL
        self.model = model
        self.apiKeyEnv = apiKeyEnv
        self.headers = headers
        self.timeouts = timeouts
        self.retry = retry
        self.cache = cache
        self.maxConcurrency = maxConcurrency
        self.limits = limits
        self.name = name
    }
}
