import PaladinCore
import Testing
import Synchronization

/// Builds scripted paladins and battalion contexts for tests.
enum Fixtures {
    /// A paladin named `name` answering from `provider`.
    static func paladin(_ name: String, _ provider: ScriptedProvider, systemPrompt: String = "", tools: [any Tool] = [],
                        configure: (inout PaladinDefinition) -> Void = { _ in }) throws -> PaladinAgent {
        var definition = PaladinDefinition(name: name, systemPrompt: systemPrompt, model: "scripted", tools: tools.map(\.spec.name))
        configure(&definition)
        return try PaladinAgent(definition, provider: provider, tools: tools)
    }

    /// A context over paladins named `names`, all answering from `provider`.
    static func context(_ names: [String], _ provider: ScriptedProvider, options: BattalionOptions = BattalionOptions(),
                        observer: (any BattalionObserver)? = nil) throws -> BattalionContext {
        BattalionContext(members: try names.map { try paladin($0, provider) }, options: options, observer: observer)
    }
}

/// Records observer calls for assertions.
final class RecordingObserver: BattalionObserver {
    private let events = Mutex<[String]>([])
    var all: [String] { events.withLock { $0 } }
    func memberStarted(_ member: String) { events.withLock { $0.append("started \(member)") } }
    func memberDelta(_ member: String, _ text: String) { events.withLock { $0.append("delta \(member) \(text)") } }
    func memberFinished(_ step: MemberStep) { events.withLock { $0.append("finished \(step.member) \(step.status.rawValue)") } }
}

/// Waits (up to 5 s) until `provider` has received `count` requests, so members are running.
func waitForRequests(_ provider: ScriptedProvider, _ count: Int) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while provider.requests.count < count && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
}

/// Starts `run`, lets it get going for 200 ms, cancels it, and checks it ended promptly
/// (well before the 30 s replies the cancellation tests script).
func cancelledRun(_ run: @escaping @Sendable () async -> BattalionResult,
                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> BattalionResult {
    let task = Task { await run() }
    try await Task.sleep(for: .milliseconds(200))
    let clock = ContinuousClock()
    let start = clock.now
    task.cancel()
    let result = await task.value
    #expect(clock.now - start < .seconds(30), "took \(clock.now - start)", sourceLocation: sourceLocation)
    return result
}

/// Waits until every member in `names` has sent `provider` a request (so it is running), or
/// fails after `timeout`: cancellation tests cancel a run that is really under way, however
/// slowly a loaded machine starts it.
func waitForRequests(_ provider: ScriptedProvider, from names: [String], timeout: Duration = .seconds(10),
                     sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while names.contains(where: { provider.requests(from: $0).isEmpty }) {
        guard clock.now < deadline else {
            Issue.record("members \(names) did not all start within \(timeout)", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
