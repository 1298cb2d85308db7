/// Formation: members run one after another; each gets the previous member's output.
///
/// - The first member gets `sharedContext` (if any), a blank line, then the input.
/// - FailFast: the first failure ends the run (failed), later members are not called.
/// - ContinueOnError / RetryThenContinue: a failed member is skipped over: the next member gets
///   the last successful output (not an empty string, as the reference passes).
/// - The final output is the last successful output.
public struct Formation: BattalionPattern {
    public var members: [String]
    public var sharedContext: String

    public init(members: [String], sharedContext: String = "") {
        self.members = members
        self.sharedContext = sharedContext
    }

    public var patternName: String { "formation" }
    public var memberNames: [String] { members }

    public func validate() -> [String] {
        members.isEmpty ? ["a formation needs at least one member"] : []
    }

    /// `BattalionPattern.run`, specialized for this pattern. Without a run timeout, the members
    /// that answer at once run in a plain function first (`FormationMarch`): a formation of such
    /// members never suspends (decision 42).
    nonisolated(nonsending) public func run(_ input: String, in context: BattalionContext) async -> BattalionResult {
        guard context.options.timeout == nil else { return await runTimed(input, in: context) }
        if let refused = refusal(in: context) { return refused }
        var march = FormationMarch(sharedContext: sharedContext, input: input)
        let over: Bool
        do {
            over = try march.advance(members, in: context)
        } catch {
            return .stopped(patternName, by: error, in: context)
        }
        if over { return march.result(patternName, in: context) }
        return await Self.resume(march, members: members, pattern: patternName, in: context)
    }

    /// A run under the battalion's timeout: the shared path of every pattern. Kept out of `run`,
    /// where its inlined awaits made the fast path allocate (~270 instructions a run).
    @inline(never)
    private func runTimed(_ input: String, in context: BattalionContext) async -> BattalionResult {
        await runPattern(input, in: context)
    }

    /// The rest of a run that met a member that must be awaited.
    private static func resume(_ march: FormationMarch, members: [String], pattern: String,
                               in context: BattalionContext) async -> BattalionResult {
        var march = march
        do {
            try await march.finish(members, in: context)
        } catch {
            return .stopped(pattern, by: error, in: context)
        }
        return march.result(pattern, in: context)
    }

    public func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome {
        var march = FormationMarch(sharedContext: sharedContext, input: input)
        if try !march.advance(members, in: context) { try await march.finish(members, in: context) }
        return march.outcome
    }
}
