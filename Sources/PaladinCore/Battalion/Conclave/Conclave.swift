/// Conclave (mixture of experts): the experts answer the same input concurrently, then the
/// aggregator synthesizes their answers into the final output.
///
/// - Every expert gets the input as is; they run all at once through `MemberRunner`.
/// - The aggregator gets `prompt(task:outputs:)`: the synthesis prompt, a blank line, `Task:` and
///   the input, then each successful expert's output as `Expert <name>:` and the output, in the
///   experts' DECLARED order (never completion order), separated by `---` lines.
/// - Its output is the final output; the reasoning names the experts it synthesized.
/// - FailFast: the first expert failure cancels the experts still running and fails the run;
///   the aggregator is not called.
/// - ContinueOnError: failed experts are left out; the run fails only if every expert failed.
/// - RetryThenContinue: each member (experts and aggregator) is retried per
///   `BattalionOptions.retry`, then as ContinueOnError.
/// - An aggregator failure fails the run under every strategy (after retries).
///
/// The aggregator is never an expert (`validate` refuses it), unlike the reference, whose
/// Commander counted its default aggregator as an expert and then failed its own name check.
public struct Conclave: BattalionPattern {
    public var experts: [String]
    public var aggregator: String
    public var synthesisPrompt: String

    /// What the aggregator is told first unless a synthesis prompt is given.
    public static let defaultSynthesisPrompt = """
        You are the aggregator of a panel of experts. Several experts answered the task below \
        independently. Synthesize their answers into one best answer: keep what they agree on, \
        resolve their disagreements, and add nothing they did not support.
        """

    public init(experts: [String], aggregator: String, synthesisPrompt: String = Conclave.defaultSynthesisPrompt) {
        self.experts = experts
        self.aggregator = aggregator
        self.synthesisPrompt = synthesisPrompt
    }

    public var patternName: String { "conclave" }
    public var memberNames: [String] { experts + [aggregator] }

    /// Needs at least two distinct experts and an aggregator that is not one of them.
    public func validate() -> [String] {
        var problems: [String] = []
        if experts.count < 2 { problems.append("a conclave needs at least two experts") }
        if Set(experts).count != experts.count { problems.append("conclave experts must be distinct") }
        if aggregator.isEmpty { problems.append("a conclave needs an aggregator") }
        if experts.contains(aggregator) { problems.append("the aggregator \(aggregator) cannot also be an expert") }
        return problems
    }

    public func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome {
        let steps = try await Phalanx.runConcurrently(experts, input: input, limit: 0, in: context)
        let failed = steps.filter { $0.status == .failed }
        if context.options.errorStrategy == .failFast, let first = failed.first {
            return PatternOutcome(finalOutput: "", failure: "expert \(first.member) failed: \(first.error ?? "")")
        }
        // `steps` is in declared order, whatever order the experts finished in.
        let successes = steps.filter { $0.status == .succeeded }
        guard !successes.isEmpty else { return PatternOutcome(finalOutput: "", failure: "every expert failed") }

        let step = await MemberRunner.run(aggregator, input: prompt(task: input, outputs: successes), in: context)
        if step.status == .cancelled { throw CancellationError() }
        guard step.status == .succeeded else {
            return PatternOutcome(finalOutput: "", failure: "aggregator \(aggregator) failed: \(step.error ?? "")")
        }
        var reasoning = "\(aggregator) synthesized \(successes.count) of \(experts.count) experts: "
            + successes.map(\.member).joined(separator: ", ")
        if !failed.isEmpty { reasoning += " (failed: \(failed.map(\.member).joined(separator: ", ")))" }
        return PatternOutcome(finalOutput: step.output, reasoning: reasoning)
    }

    /// The aggregator's input: synthesis prompt, task, then the labelled outputs in the given order.
    func prompt(task: String, outputs: [MemberStep]) -> String {
        let sections = outputs.map { "Expert \($0.member):\n\($0.output)" }
        return synthesisPrompt + "\n\nTask:\n" + task + "\n\nExpert answers:\n\n" + sections.joined(separator: "\n\n---\n\n")
    }
}
