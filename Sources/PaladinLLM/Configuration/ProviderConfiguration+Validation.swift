import Foundation

extension ProviderConfiguration {
    /// Every problem with the configuration, each naming its YAML key; empty when valid.
    public func validate() -> [ProviderConfigurationError] {
        var problems: [ProviderConfigurationError] = []
        func problem(_ field: String, _ message: String) { problems.append(.init(field: field, message: message)) }
        if !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) { problem("base_url", "must start with http:// or https://") }
        if retry.maxAttempts < 1 { problem("retry.max_attempts", "must be at least 1") }
        if retry.initialBackoff < .zero || retry.maxBackoff < retry.initialBackoff {
            problem("retry", "needs 0 <= initial_backoff <= max_backoff")
        }
        if cache.maxEntries < 1 { problem("cache.max_entries", "must be at least 1") }
        if cache.ttl <= .zero { problem("cache.ttl", "must be positive") }
        if let limit = maxConcurrency, limit < 0 { problem("max_concurrency", "must not be negative (0 = no limit)") }
        if timeouts.connect <= .zero { problem("timeouts.connect", "must be positive") }
        for (key, value, range) in [("max_response_bytes", limits.maxResponseBytes, Limits.maxResponseBytesRange),
                                    ("max_sse_line_bytes", limits.maxSSELineBytes, Limits.maxSSELineBytesRange),
                                    ("max_completion_bytes", limits.maxCompletionBytes, Limits.maxCompletionBytesRange)]
        where !range.contains(value) {
            problem("limits.\(key)", "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        for (name, value) in headers where name.contains(":") || (name + value).contains("\n") || (name + value).contains("\r") {
            problem("headers", "\(name) is not a valid header")
        }
        return problems
    }
}

/// The process environment, for reading API keys.
public enum ProcessEnvironment {
    /// A snapshot of the current environment.
    public static var current: [String: String] { ProcessInfo.processInfo.environment }
}
