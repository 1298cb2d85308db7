/// Chain of Command: a commander picks specialists for a task, they work on it concurrently,
/// and the commander writes the final answer from theirs.
///
/// 1. Selection: the commander gets the task and the specialists (each with the first line of
///    its description when it is a `PaladinAgent`) and answers `SELECT: a, b` (optionally
///    `REASON: ...`). Unknown names are ignored; an empty or missing selection means every
///    specialist. Both are noted in `reasoning`. A failed commander fails the run under
///    FailFast; under ContinueOnError / RetryThenContinue every specialist is selected.
/// 2. The selected specialists run concurrently on the original task. FailFast: the first
///    failure cancels the others and fails the run. ContinueOnError / RetryThenContinue: the
///    run goes on with the specialists that succeeded, and fails if none did.
/// 3. Synthesis (the reference has none): the commander gets the task and each answer,
///    labelled by specialist in selection order (failed specialists are named as such); its
///    output is the final output, and its failure fails the run.
public struct ChainOfCommand: BattalionPattern {
    /// The member that selects specialists and synthesizes their answers.
    public var commander: String
    /// The members the commander may delegate to, in the order they are offered.
    public var specialists: [String]

    /// A chain where `commander` delegates to some of `specialists`.
    public init(commander: String, specialists: [String]) {
        self.commander = commander
        self.specialists = specialists
    }

    /// "chain_of_command".
    public var patternName: String { "chain_of_command" }
    /// The commander, then the specialists.
    public var memberNames: [String] { [commander] + specialists }

    /// Problems: no specialists, duplicate specialists, a commander that is also a specialist.
    public func validate() -> [String] {
        var problems: [String] = []
        if specialists.isEmpty { problems.append("a chain of command needs at least one specialist") }
        if Set(specialists).count != specialists.count { problems.append("specialists must be distinct") }
        if specialists.contains(commander) { problems.append("the commander \(commander) cannot also be a specialist") }
        return problems
    }

    /// Selects, delegates and synthesizes; see the type's documentation.
    public func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome {
        let selectionStep = await MemberRunner.run(commander, input: selectionPrompt(for: input, in: context), in: context)
        var reasoning: String
        let selected: [String]
        switch selectionStep.status {
        case .cancelled:
            throw CancellationError()
        case .succeeded:
            (selected, reasoning) = selection(in: selectionStep.output)
        case .failed, .skipped:
            if context.options.errorStrategy == .failFast {
                return PatternOutcome(finalOutput: "", failure: "commander \(commander) failed: \(selectionStep.error ?? "")")
            }
            (selected, reasoning) = (specialists, "commander \(commander) failed to select; every specialist was used")
        }

        let steps = try await Phalanx.runConcurrently(selected, input: input, limit: 0, in: context)
        let failures = steps.filter { $0.status == .failed }
        if context.options.errorStrategy == .failFast, let first = failures.first {
            return PatternOutcome(finalOutput: "", failure: "specialist \(first.member) failed: \(first.error ?? "")",
                                  reasoning: reasoning)
        }
        guard steps.contains(where: { $0.status == .succeeded }) else {
            return PatternOutcome(finalOutput: "", failure: "every selected specialist failed", reasoning: reasoning)
        }
        if !failures.isEmpty {
            reasoning += "; synthesized without \(failures.map(\.member).joined(separator: ", ")) (failed)"
        }

        let synthesis = await MemberRunner.run(commander, input: synthesisPrompt(for: input, answers: steps), in: context)
        switch synthesis.status {
        case .succeeded:
            return PatternOutcome(finalOutput: synthesis.output, reasoning: reasoning)
        case .cancelled:
            throw CancellationError()
        case .failed, .skipped:
            return PatternOutcome(finalOutput: "", failure: "commander \(commander) failed to synthesize: \(synthesis.error ?? "")",
                                  reasoning: reasoning)
        }
    }
}
