import PaladinCore
import Testing

@Suite("Flow validator")
struct FlowValidatorTests {
    let registered: Set<String> = ["intake", "security", "performance", "style", "synthesis"]
    let available = ["intake", "performance", "security", "style", "synthesis"]

    @Test func defaultLimits() {
        let validator = FlowValidator()
        #expect(validator.maxDepth == 5)
        #expect(validator.maxAgents == 30)
        #expect(validator.maxWidth == 16)
    }

    @Test func validFlowPasses() throws {
        let flow = try FlowParser.parse("intake -> (security, performance, style) -> synthesis")
        try FlowValidator().validate(flow, knownAgents: registered)
    }

    @Test func anAgentMayRunMoreThanOnce() throws {
        let flow = try FlowParser.parse("intake -> security -> intake, security")
        try FlowValidator().validate(flow, knownAgents: registered)
    }

    @Test func collectsEveryUnknownAgentWithSuggestions() throws {
        let flow = try FlowParser.parse("intake -> (securty, Performance, styl, securty) -> synthesis -> review")
        let error = #expect(throws: FlowValidationError.self) {
            try FlowValidator().validate(flow, knownAgents: registered)
        }
        #expect(error?.problems == [
            .unknownAgent(name: "securty", suggestion: "security", available: available),
            .unknownAgent(name: "Performance", suggestion: "performance", available: available),
            .unknownAgent(name: "styl", suggestion: "style", available: available),
            .unknownAgent(name: "review", suggestion: nil, available: available),
        ])
    }

    @Test func collectsLimitProblemsTogetherWithUnknownAgents() throws {
        let flow = try FlowParser.parse("a -> (b, c, (d -> e)) -> a -> x")
        let validator = FlowValidator(maxDepth: 3, maxAgents: 5, maxWidth: 2)
        let problems = validator.problems(in: flow, knownAgents: ["a", "b", "c", "d", "e"])
        #expect(problems == [
            .unknownAgent(name: "x", suggestion: nil, available: ["a", "b", "c", "d", "e"]),
            .tooDeep(depth: 4, limit: 3),
            .tooWide(width: 3, limit: 2),
            .tooManyAgents(count: 7, limit: 5),
        ])
        let error = #expect(throws: FlowValidationError.self) {
            try validator.validate(flow, knownAgents: ["a", "b", "c", "d", "e"])
        }
        #expect(error?.description == """
            invalid flow:
              - unknown agent 'x' (available: a, b, c, d, e)
              - flow is nested 4 levels deep; the limit is 3
              - a parallel group has 3 branches; the limit is 2
              - flow runs 7 agent steps; the limit is 5
            """)
    }

    @Test func describesUnknownAgentsWithSuggestionAndAvailableNames() {
        let problem = FlowValidationError.Problem.unknownAgent(name: "secuirty", suggestion: "security", available: available)
        #expect(problem.description
            == "unknown agent 'secuirty'; did you mean 'security'? (available: intake, performance, security, style, synthesis)")
        let none = FlowValidationError.Problem.unknownAgent(name: "a", suggestion: nil, available: [])
        #expect(none.description == "unknown agent 'a' (no agents are registered)")
        let many = FlowValidationError.Problem.unknownAgent(name: "z", suggestion: nil, available: (1...25).map { "agent\($0)" })
        #expect(many.description.hasSuffix("agent20 and 5 more)"))
    }

    @Test func suggestionsNeedToBeClose() throws {
        let flow = try FlowParser.parse("x -> secur -> intkae")
        let error = #expect(throws: FlowValidationError.self) {
            try FlowValidator().validate(flow, knownAgents: registered.union(["y"]))
        }
        let suggestions = error?.problems.map { problem -> String? in
            if case .unknownAgent(_, let suggestion, _) = problem { return suggestion }
            return "not an unknown agent"
        }
        // One-letter names do not suggest each other; "secur" is 3 edits from "security" (limit 1).
        #expect(suggestions == [nil, nil, "intake"])
    }

    @Test func handBuiltEmptyGroupsAreReported() {
        let flow = FlowNode.sequence([.agent("intake"), .parallel([])])
        #expect(FlowValidator().problems(in: flow, knownAgents: registered) == [.emptyGroup])
    }
}
