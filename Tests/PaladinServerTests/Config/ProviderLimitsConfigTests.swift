import PaladinCore
import PaladinLLM
import PaladinWire
import Testing
@testable import PaladinServer

/// `providers.NAME.limits`: read, range-checked, carried to the adapter with the provider's
/// name; a response past them is RESOURCE_EXHAUSTED at the server.
@Suite struct ProviderLimitsConfigTests {
    @Test func limitsAreReadWithTheProvidersName() throws {
        let config = try PaladinConfig.parse("""
        providers:
          cloud:
            kind: openai
            base_url: http://127.0.0.1:1/v1
            limits: { max_response_bytes: 2097152, max_sse_line_bytes: 65536, max_completion_bytes: 1048576 }
          plain: { kind: anthropic, base_url: http://127.0.0.1:1/v1 }
        """)
        guard case .http(let cloud)? = config.providers["cloud"], case .http(let plain)? = config.providers["plain"] else {
            Issue.record("not http providers")
            return
        }
        #expect(cloud.name == "cloud")
        #expect(cloud.limits == .init(maxResponseBytes: 2 << 20, maxSSELineBytes: 64 << 10, maxCompletionBytes: 1 << 20))
        #expect(plain.limits == .init(maxResponseBytes: 16 << 20, maxSSELineBytes: 1 << 20, maxCompletionBytes: 4 << 20))
        let adapter = try #require(try ProviderFactory.make(cloud, environment: [:]) as? RetryingProvider).base as? OpenAIProvider
        #expect(adapter?.endpoint.limits == ResponseLimits(provider: "cloud", maxResponseBytes: 2 << 20, maxSSELineBytes: 64 << 10,
                                                           maxCompletionBytes: 1 << 20))
    }

    @Test func outOfRangeAndUnknownKeysAreRefused() {
        do {
            _ = try PaladinConfig.parse("""
            providers:
              cloud:
                kind: openai
                base_url: http://127.0.0.1:1/v1
                limits: { max_response_bytes: 10, max_sse_line_bytes: 1099511627776, max_completion_bytes: lots, max_lines: 1 }
            """)
            Issue.record("accepted")
        } catch let error as ConfigError {
            let found = error.problems.map { "\($0.path): \($0.message)" }
            for expected in ["providers.cloud.limits.max_response_bytes: 10 is out of range 1024...1073741824",
                             "providers.cloud.limits.max_sse_line_bytes: 1099511627776 is out of range 1024...67108864",
                             "providers.cloud.limits.max_completion_bytes: expected a whole number",
                             "providers.cloud.limits.max_lines: unknown key"] {
                #expect(found.contains { $0.hasPrefix(expected) }, "missing \(expected) in \(found)")
            }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aResponseTooLargeIsResourceExhausted() {
        #expect(ExecutionErrors.code(for: .responseTooLarge) == .resourceExhausted)
        #expect(!ProviderError(.responseTooLarge, "x").isRetryable)
    }
}
