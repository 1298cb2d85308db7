import PaladinCore
import Synchronization
import Testing
@testable import PaladinLLM

/// Counts calls and the most in flight at once; answers with the call number after a pause.
final class CountingProvider: LLMProvider {
    let state = Mutex((calls: 0, inFlight: 0, peak: 0))

    func complete(_ request: CompletionRequest) async throws -> Completion {
        let number = state.withLock { state in
            state.calls += 1
            state.inFlight += 1
            state.peak = max(state.peak, state.inFlight)
            return state.calls
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        try await Task.sleep(for: .milliseconds(20))
        return Completion(text: "answer \(number)")
    }
}

@Suite struct CacheAndLimitTests {
    func request(_ text: String, temperature: Double? = 0, agent: String = "a") -> CompletionRequest {
        CompletionRequest(model: "m", messages: [.user(text)], temperature: temperature, agent: agent)
    }

    @Test func cachesDeterministicRequestsOnly() async throws {
        let base = CountingProvider()
        let cache = CachingProvider(base, settings: .init(enabled: true))
        #expect(try await cache.complete(request("q")).text == "answer 1")
        #expect(try await cache.complete(request("q", agent: "other")).text == "answer 1")
        let (_, streamed) = try await collect(cache.stream(request("q")))
        #expect(streamed?.text == "answer 1")
        #expect(try await cache.complete(request("q", temperature: 0.7)).text == "answer 2")
        #expect(try await cache.complete(request("q", temperature: nil)).text == "answer 3")
        #expect(cache.statistics.hits == 2)
    }

    @Test func anyTemperatureCachesSampledRequests() async throws {
        let cache = CachingProvider(CountingProvider(), settings: .init(enabled: true, anyTemperature: true))
        #expect(try await cache.complete(request("q", temperature: 0.7)).text == "answer 1")
        #expect(try await cache.complete(request("q", temperature: 0.7)).text == "answer 1")
    }

    @Test func entriesExpireAndTheLeastRecentlyUsedIsEvicted() async throws {
        let cache = CachingProvider(CountingProvider(), settings: .init(enabled: true, maxEntries: 2, ttl: .seconds(2)))
        _ = try await cache.complete(request("a"))  // 1
        _ = try await cache.complete(request("b"))  // 2
        #expect(try await cache.complete(request("a")).text == "answer 1")  // a is now the most recent
        _ = try await cache.complete(request("c"))  // 3, evicts b
        #expect(try await cache.complete(request("a")).text == "answer 1")
        #expect(try await cache.complete(request("b")).text == "answer 4")
        // The TTL is long enough for the steps above on a loaded machine, then it runs out.
        try await Task.sleep(for: .milliseconds(2200))
        #expect(try await cache.complete(request("a")).text == "answer 5")
    }

    @Test func lruCacheKeepsItsLinksAcrossManyOperations() {
        var cache = LRUCache<Int, Int>(capacity: 8)
        let later = ContinuousClock.now + .seconds(60)
        var model: [Int] = []  // most recent last
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let key = Int.random(in: 0..<16, using: &generator)
            if Bool.random(using: &generator) {
                cache.insert(key, key * 10, expires: later)
                model.removeAll { $0 == key }
                model.append(key)
                if model.count > 8 { model.removeFirst() }
            } else {
                let hit = cache.value(key, now: .now)
                #expect(hit == (model.contains(key) ? key * 10 : nil))
                if hit != nil { model.removeAll { $0 == key }; model.append(key) }
            }
            #expect(cache.count == model.count)
        }
    }

    @Test func concurrencyLimitBoundsCallsInFlight() async throws {
        let base = CountingProvider()
        let limited = ConcurrencyLimitedProvider(base, limit: 2)
        try await withThrowingTaskGroup(of: Completion.self) { group in
            for index in 0..<8 { group.addTask { try await limited.complete(request("\(index)")) } }
            for try await _ in group {}
        }
        #expect(base.state.withLock { $0.peak } == 2)
        #expect(base.state.withLock { $0.calls } == 8)
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let semaphore = AsyncSemaphore(permits: 1)
        try await semaphore.acquire()
        let waiter = Task { try await semaphore.acquire() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        #expect(await caught { try await waiter.value } is CancellationError)
        semaphore.release()
        try await semaphore.acquire()  // the permit went back, not to the cancelled waiter
    }
}
