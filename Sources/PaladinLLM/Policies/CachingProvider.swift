import PaladinCore
import Synchronization

/// Answers repeated requests from memory: an LRU cache with a TTL, keyed by the request itself
/// (model, messages, temperature, max tokens, stop, tools; not the calling agent's name).
/// Only deterministic requests (temperature 0) are cached unless `anyTemperature` is set;
/// failures are never cached.
public final class CachingProvider: LLMProvider {
    public let base: any LLMProvider
    public let settings: ProviderConfiguration.Cache
    private let entries: Mutex<LRUCache<CompletionRequest, Completion>>
    private let counters = Mutex((hits: 0, misses: 0))

    public init(_ base: any LLMProvider, settings: ProviderConfiguration.Cache) {
        self.base = base
        self.settings = settings
        entries = Mutex(LRUCache(capacity: settings.maxEntries))
    }

    /// Lookups answered from the cache and lookups that went to the provider.
    public var statistics: (hits: Int, misses: Int) { counters.withLock { $0 } }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        guard let key = key(request) else { return try await base.complete(request) }
        if let hit = lookup(key) { return hit }
        let completion = try await base.complete(request)
        store(key, completion)
        return completion
    }

    public func stream(_ request: CompletionRequest) -> AsyncThrowingStream<CompletionChunk, any Error> {
        guard let key = key(request) else { return base.stream(request) }
        return relay { [self] out in
            if let hit = lookup(key) {
                if !hit.text.isEmpty { try await out.send(.text(hit.text)) }
                try await out.send(.done(hit))
                return
            }
            for try await chunk in base.stream(request) {
                if case .done(let completion) = chunk { store(key, completion) }
                try await out.send(chunk)
            }
        }
    }

    /// The canonical key: the request without its caller's name; `nil` when not cacheable.
    func key(_ request: CompletionRequest) -> CompletionRequest? {
        guard settings.anyTemperature || request.temperature == 0 else { return nil }
        var key = request
        key.agent = ""
        return key
    }

    private func lookup(_ key: CompletionRequest) -> Completion? {
        let hit = entries.withLock { $0.value(key, now: .now) }
        counters.withLock { hit == nil ? ($0.misses += 1) : ($0.hits += 1) }
        return hit
    }

    private func store(_ key: CompletionRequest, _ completion: Completion) {
        entries.withLock { $0.insert(key, completion, expires: .now + settings.ttl) }
    }
}
