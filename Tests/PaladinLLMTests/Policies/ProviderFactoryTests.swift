import PaladinCore
import Testing
@testable import PaladinLLM

@Suite struct ProviderFactoryTests {
    @Test func buildsTheAdapterWrappedInItsPolicies() throws {
        let config = ProviderConfiguration(kind: .anthropic, baseURL: "https://api.anthropic.com/v1", model: "claude",
                                           apiKeyEnv: "TEST_ANTHROPIC_KEY", retry: .init(maxAttempts: 3),
                                           cache: .init(enabled: true), maxConcurrency: 4)
        let provider = try ProviderFactory.make(config, environment: ["TEST_ANTHROPIC_KEY": "secret-value"])
        let cache = try #require(provider as? CachingProvider)
        let retry = try #require(cache.base as? RetryingProvider)
        let limit = try #require(retry.base as? ConcurrencyLimitedProvider)
        let adapter = try #require(limit.base as? AnthropicProvider)
        #expect(adapter.endpoint.apiKey == "secret-value")
        #expect(!String(describing: adapter.endpoint).contains("secret-value"))
    }

    @Test func missingKeyAndBadValuesAreReportedByKey() {
        let config = ProviderConfiguration(kind: .openai, baseURL: "http://localhost/v1", apiKeyEnv: "NOPE_NOT_SET")
        #expect(throws: ProviderConfigurationError(field: "api_key_env", message: "environment variable NOPE_NOT_SET is not set")) {
            try ProviderFactory.make(config, environment: [:])
        }
        let bad = ProviderConfiguration(kind: .openai, baseURL: "ftp://x", retry: .init(maxAttempts: 0), maxConcurrency: -1)
        #expect(bad.validate().map(\.field) == ["base_url", "retry.max_attempts", "max_concurrency"])
    }
}
