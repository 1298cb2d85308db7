/// Maneuver: runs a Flow DSL expression, e.g. `intake -> (security, performance, style) -> synthesis`.
///
/// - A sequence passes each step's output to the next step as input.
/// - A parallel group gives every branch the same input, runs the branches concurrently, and
///   outputs their outputs joined by `"\n---\n"` in declared order.
/// - Nesting works at any depth the validator allows: `a -> (b -> (c, d), e) -> f` (the
///   reference parses this but fails at run time).
/// - FailFast: the first failure cancels everything running and fails the run.
///   ContinueOnError / RetryThenContinue: a failed agent in a sequence passes its input on
///   unchanged; a failed branch is left out of its group's output; a group whose branches all
///   failed passes its input on.
public struct Maneuver: BattalionPattern {
    /// The flow as written.
    public var flow: String
    /// Limits checked by `validate`.
    public var validator: FlowValidator

    public init(flow: String, validator: FlowValidator = FlowValidator()) {
        self.flow = flow
        self.validator = validator
    }

    public var patternName: String { "maneuver" }

    public var memberNames: [String] { (try? FlowParser.parse(flow).agentNames) ?? [] }

    public func validate() -> [String] {
        do {
            let node = try FlowParser.parse(flow)
            let problems = validator.problems(in: node, knownAgents: Set(node.agentNames))
            return problems.map { "flow: \($0)" }
        } catch {
            return ["flow: \(error)"]
        }
    }

    public func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome {
        let node = try FlowParser.parse(flow)
        do {
            let output = try await Self.run(node, input: input, in: context)
            return PatternOutcome(finalOutput: output ?? input)
        } catch let failure as ManeuverFailure {
            return PatternOutcome(finalOutput: "", failure: failure.message)
        }
    }

    /// The output of `node`, or `nil` when it produced none (every agent in it failed).
    static func run(_ node: FlowNode, input: String, in context: BattalionContext) async throws -> String? {
        switch node {
        case .agent(let name):
            let step = await MemberRunner.run(name, input: input, in: context)
            switch step.status {
            case .succeeded: return step.output
            case .cancelled: throw CancellationError()
            case .failed, .skipped:
                if context.options.errorStrategy == .failFast {
                    throw ManeuverFailure(message: "member \(name) failed: \(step.error ?? "")")
                }
                return nil
            }
        case .sequence(let steps):
            var current = input
            var produced = false
            for step in steps {
                try Task.checkCancellation()
                if let output = try await run(step, input: current, in: context) {
                    current = output
                    produced = true
                }
            }
            return produced ? current : nil
        case .parallel(let branches):
            let outputs = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for (index, branch) in branches.enumerated() {
                    group.addTask { (index, try await run(branch, input: input, in: context)) }
                }
                var outputs: [String?] = Array(repeating: nil, count: branches.count)
                do {
                    for try await (index, output) in group { outputs[index] = output }
                } catch {
                    group.cancelAll()
                    throw error
                }
                return outputs
            }
            let produced = outputs.compactMap { $0 }
            return produced.isEmpty ? nil : produced.joined(separator: "\n---\n")
        }
    }
}

/// A FailFast failure inside a flow, carried out of nested groups.
struct ManeuverFailure: Error {
    var message: String
}
