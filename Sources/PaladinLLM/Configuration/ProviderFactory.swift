import PaladinCore

/// Builds a ready `LLMProvider` from its configuration: the adapter for its kind, wrapped in
/// the configured policies (cache outermost, then retry, then the concurrency limit).
public enum ProviderFactory {
    /// - Parameters:
    ///   - environment: where `api_key_env` is looked up (the process environment by default).
    ///   - engine: the transfer engine (the shared one by default).
    /// - Throws: `ProviderConfigurationError` when the configuration is unusable.
    public static func make(_ configuration: ProviderConfiguration,
                            environment: [String: String] = ProcessEnvironment.current,
                            engine: CurlEngine = .shared) throws(ProviderConfigurationError) -> any LLMProvider {
        let problems = configuration.validate()
        if let first = problems.first { throw first }
        var apiKey: String?
        if let name = configuration.apiKeyEnv {
            guard let value = environment[name], !value.isEmpty else {
                throw ProviderConfigurationError(field: "api_key_env", message: "environment variable \(name) is not set")
            }
            apiKey = value
        }
        let endpoint = ProviderEndpoint(baseURL: configuration.baseURL, model: configuration.model, apiKey: apiKey,
                                        headers: configuration.headers, timeouts: configuration.timeouts.http,
                                        limits: configuration.limits.response(provider: configuration.name))
        var provider: any LLMProvider = switch configuration.kind {
        case .openai: OpenAIProvider(endpoint, engine: engine)
        case .anthropic: AnthropicProvider(endpoint, engine: engine)
        }
        if let limit = configuration.maxConcurrency, limit > 0 { provider = ConcurrencyLimitedProvider(provider, limit: limit) }
        if configuration.retry.maxAttempts > 1 { provider = RetryingProvider(provider, policy: configuration.retry) }
        if configuration.cache.enabled { provider = CachingProvider(provider, settings: configuration.cache) }
        return provider
    }
}

/// A problem with a provider configuration, naming the YAML key.
public struct ProviderConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field) \(message)" }
}
