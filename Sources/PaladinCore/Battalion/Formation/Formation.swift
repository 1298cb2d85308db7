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

    public func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome {
        var current = sharedContext.isEmpty ? input : sharedContext + "\n\n" + input
        var lastOutput: String?
        for name in members {
            try Task.checkCancellation()
            let step = await MemberRunner.run(name, input: current, in: context)
            switch step.status {
            case .succeeded:
                current = step.output
                lastOutput = step.output
            case .cancelled:
                throw CancellationError()
            case .failed, .skipped:
                if context.options.errorStrategy == .failFast {
                    return PatternOutcome(finalOutput: lastOutput ?? "", failure: "member \(name) failed: \(step.error ?? "")")
                }
            }
        }
        guard let lastOutput else { return PatternOutcome(finalOutput: "", failure: "every member failed") }
        return PatternOutcome(finalOutput: lastOutput)
    }
}
