import PaladinLLM
import Yams

extension PaladinConfig {
    /// Reads `providers:`, a mapping of name to settings.
    static func readProviders(_ m: Node.Mapping, _ r: inout ConfigReader,
                              _ environment: [String: String] = [:]) -> [String: ProviderSpec] {
        var providers: [String: ProviderSpec] = [:]
        for (name, node) in r.named(m, at: "providers") {
            let path = "providers.\(name)"
            guard let p = r.mapping(node, at: path) else { continue }
            guard let kind = p["kind"]?.scalar?.string else {
                r.fail("\(path).kind", "is required: openai, anthropic or scripted")
                continue
            }
            switch kind {
            case "scripted":
                providers[name] = .scripted(readScripted(p, at: path, &r))
            case "openai", "anthropic":
                if var configuration = readHTTP(p, kind: ProviderConfiguration.Kind(rawValue: kind)!, at: path, &r, environment) {
                    configuration.name = name
                    providers[name] = .http(configuration)
                }
            default:
                r.fail("\(path).kind", "\"\(kind)\" is not a provider kind: openai, anthropic or scripted")
            }
        }
        return providers
    }

    private static func readScripted(_ p: Node.Mapping, at path: String, _ r: inout ConfigReader) -> ProviderSpec.ScriptedSettings {
        r.rejectUnknownKeys(p, known: ["kind", "default_reply", "replies", "delay"], at: path)
        var settings = ProviderSpec.ScriptedSettings()
        var reply = ""
        r.string(p, "default_reply", at: path, into: &reply)
        if p["default_reply"] != nil { settings.defaultReply = reply }
        r.duration(p, "delay", at: path, allowOff: true, into: &settings.delay)
        if let replies = r.mapping(p["replies"], at: "\(path).replies") {
            for (agent, _) in r.named(replies, at: "\(path).replies") {
                var list: [String] = []
                r.strings(replies, agent, at: "\(path).replies", into: &list)
                if list.isEmpty { r.fail("\(path).replies.\(agent)", "needs at least one reply") }
                settings.replies[agent] = list
            }
        }
        return settings
    }

    /// A header value: a literal string, or `{env: NAME}` read from the environment. Headers
    /// that carry credentials (authorization, cookies, names with key, token or secret) must
    /// come from the environment: secrets never sit in the file.
    private static func readHeader(_ name: String, _ value: Node, at path: String, _ r: inout ConfigReader,
                                   _ environment: [String: String]) -> String? {
        if let text = value.scalar?.string {
            let lower = name.lowercased()
            let secret = ["authorization", "cookie"].contains(where: lower.contains)
                || ["key", "token", "secret", "password"].contains(where: lower.contains)
            if secret {
                r.fail(path, "looks like a credential: give it as {env: VARIABLE} so the secret stays out of the file")
                return nil
            }
            return text
        }
        guard let mapping = r.mapping(value, at: path) else { return nil }
        r.rejectUnknownKeys(mapping, known: ["env"], at: path)
        var variable = ""
        r.string(mapping, "env", at: path, into: &variable)
        guard !variable.isEmpty else {
            r.fail(path, "expected a string or {env: VARIABLE}")
            return nil
        }
        guard let secret = environment[variable], !secret.isEmpty else {
            r.fail("\(path).env", "environment variable \(variable) is not set or empty")
            return nil
        }
        return secret
    }

    private static func readHTTP(_ p: Node.Mapping, kind: ProviderConfiguration.Kind, at path: String,
                                 _ r: inout ConfigReader, _ environment: [String: String]) -> ProviderConfiguration? {
        r.rejectUnknownKeys(p, known: ["kind", "base_url", "model", "api_key_env", "headers", "timeouts", "retry", "cache",
                                       "max_concurrency", "limits"], at: path)
        var c = ProviderConfiguration(kind: kind, baseURL: "")
        r.string(p, "base_url", at: path, into: &c.baseURL)
        if p["base_url"] == nil { r.fail("\(path).base_url", "is required, e.g. http://127.0.0.1:8088/v1") }
        r.string(p, "model", at: path, into: &c.model)
        var keyEnv = ""
        r.string(p, "api_key_env", at: path, into: &keyEnv)
        c.apiKeyEnv = keyEnv.isEmpty ? nil : keyEnv
        if let headers = r.mapping(p["headers"], at: "\(path).headers") {
            for (name, value) in r.named(headers, at: "\(path).headers") {
                if let text = readHeader(name, value, at: "\(path).headers.\(name)", &r, environment) { c.headers[name] = text }
            }
        }
        if let t = r.mapping(p["timeouts"], at: "\(path).timeouts") {
            let tp = "\(path).timeouts"
            r.rejectUnknownKeys(t, known: ["connect", "total", "idle"], at: tp)
            r.duration(t, "connect", at: tp, into: &c.timeouts.connect)
            r.duration(t, "total", at: tp, allowOff: true, into: &c.timeouts.total)
            r.duration(t, "idle", at: tp, allowOff: true, into: &c.timeouts.idle)
        }
        if let t = r.mapping(p["retry"], at: "\(path).retry") {
            let tp = "\(path).retry"
            r.rejectUnknownKeys(t, known: ["max_attempts", "initial_backoff", "max_backoff"], at: tp)
            r.integer(t, "max_attempts", at: tp, range: 1...20, into: &c.retry.maxAttempts)
            r.duration(t, "initial_backoff", at: tp, into: &c.retry.initialBackoff)
            r.duration(t, "max_backoff", at: tp, into: &c.retry.maxBackoff)
        }
        if let t = r.mapping(p["cache"], at: "\(path).cache") {
            let tp = "\(path).cache"
            r.rejectUnknownKeys(t, known: ["enabled", "max_entries", "ttl", "any_temperature"], at: tp)
            r.bool(t, "enabled", at: tp, into: &c.cache.enabled)
            r.integer(t, "max_entries", at: tp, range: 1...10_000_000, into: &c.cache.maxEntries)
            r.duration(t, "ttl", at: tp, into: &c.cache.ttl)
            r.bool(t, "any_temperature", at: tp, into: &c.cache.anyTemperature)
        }
        readLimits(p, at: path, &r, into: &c.limits)
        var limit = 0
        r.integer(p, "max_concurrency", at: path, range: 0...100_000, into: &limit)
        c.maxConcurrency = limit == 0 ? nil : limit
        for problem in c.validate() where p["base_url"] != nil || problem.field != "base_url" {
            r.fail("\(path).\(problem.field)", problem.message)
        }
        return c
    }
}
