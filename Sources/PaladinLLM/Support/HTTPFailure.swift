import PaladinCore

/// Maps an HTTP error response to a `ProviderError`, keeping the provider's own message.
enum HTTPFailure {
    /// How much of an error response's body is read for its message; the rest is not.
    static let bodyPrefix = 64 * 1024

    static func error(_ head: HTTPHead, body: [UInt8]) -> ProviderError {
        let (message, code) = details(body, status: head.status)
        let retryAfter = retryAfter(head.headers)
        switch head.status {
        case 401, 403: return ProviderError(.authentication, message)
        case 429: return ProviderError(.rateLimited, message, retryAfter: retryAfter)
        case 408: return ProviderError(.timeout, message)
        case 413: return ProviderError(.contextTooLong, message)
        case 400..<500:
            return ProviderError(isContextTooLong(message, code: code) ? .contextTooLong : .invalidRequest, message)
        default: return ProviderError(.server, message, retryAfter: head.status == 503 ? retryAfter : nil)
        }
    }

    /// Whether an invalid-request message says the prompt does not fit the model's context.
    static func isContextTooLong(_ message: String, code: String?) -> Bool {
        if code == "context_length_exceeded" { return true }
        let text = message.lowercased()
        return ["context length", "context_length", "context window", "maximum context", "prompt is too long",
                "too many tokens", "exceed_context_size"].contains { text.contains($0) }
    }

    /// The error's message and code from an OpenAI- or Anthropic-style JSON body, else its text.
    static func details(_ body: [UInt8], status: Int) -> (message: String, code: String?) {
        if let object = try? JSON.object(body, what: "error body") {
            if let error = object["error"] as? [String: Any] {
                let message = error["message"] as? String ?? JSON.text(error)
                let code = error["code"] as? String ?? error["type"] as? String
                return (message, code)
            }
            if let message = object["error"] as? String ?? object["message"] as? String { return (message, nil) }
        }
        let text = String(decoding: body.prefix(1000), as: UTF8.self).trimmed
        return (text.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(text)", nil)
    }

    /// Retry-After in seconds (or OpenAI's retry-after-ms); HTTP dates are not honoured. A wait
    /// longer than `longestRetryAfter` (`inf`, `1e300` included) is read as that: a `Duration`
    /// cannot hold it, and no caller waits that long anyway. Negative and NaN values are ignored.
    static func retryAfter(_ headers: [String: String]) -> Duration? {
        if let ms = headers["retry-after-ms"].flatMap(Double.init), let wait = clamped(seconds: ms / 1000) { return wait }
        if let seconds = headers["retry-after"].flatMap(Double.init), let wait = clamped(seconds: seconds) { return wait }
        return nil
    }

    /// The longest Retry-After read from a response.
    static let longestRetryAfter = Duration.seconds(86_400)

    private static func clamped(seconds: Double) -> Duration? {
        guard seconds >= 0 else { return nil }  // also false for NaN
        let longest = Double(longestRetryAfter.components.seconds)
        return seconds >= longest ? longestRetryAfter : .milliseconds(seconds * 1000)
    }
}
