/// Grove: one member, chosen per request, answers it.
///
/// - Keyword routing: a route's score is the number of its keywords present in the input
///   (whole lowercased words; multi-word phrases match consecutive words; see `GroveKeywords`).
///   The highest score wins, ties go to the earlier route. When nothing scores, the `fallback`
///   member answers, or the first route if there is none (the reasoning says so).
/// - Router routing (`router` set): the router member gets a prompt listing each route's member
///   and keywords and the request, and must answer `ROUTE: <member>` (a route member, or the
///   fallback). An unknown or missing answer falls back to keyword routing, and so does a failed
///   router under ContinueOnError / RetryThenContinue; under FailFast a failed router fails the
///   run. The router's step is recorded.
/// - The chosen member runs on the original input; its output is the final output, and its
///   failure fails the run. `reasoning` explains the choice with its keyword score.
/// - Unlike the reference, no model is hard-coded (the router is a member like any other) and
///   the first member is not always chosen.
public struct Grove: BattalionPattern {
    /// The routes, in priority order (ties go to the earlier route).
    public var routes: [GroveRoute]
    /// A member that picks the route; `nil` means keyword routing only.
    public var router: String?
    /// The member for requests no keyword matches; `nil` means the first route.
    public var fallback: String?

    /// A grove over `routes`, optionally routed by the member `router`, with an optional
    /// `fallback` member for requests no keyword matches.
    public init(routes: [GroveRoute], router: String? = nil, fallback: String? = nil) {
        self.routes = routes
        self.router = router
        self.fallback = fallback
    }

    /// "grove".
    public var patternName: String { "grove" }

    /// The route members, then the router and the fallback (each once).
    public var memberNames: [String] {
        var names: [String] = []
        for name in routes.map(\.member) + [router, fallback].compactMap({ $0 }) where !names.contains(name) {
            names.append(name)
        }
        return names
    }

    /// Problems: no routes, duplicate route members, empty keywords, a router that is also a
    /// route or the fallback, and keyword routing without any keyword.
    public func validate() -> [String] {
        var problems: [String] = []
        if routes.isEmpty { problems.append("a grove needs at least one route") }
        let members = routes.map(\.member)
        if Set(members).count != members.count { problems.append("grove route members must be distinct") }
        for route in routes where route.keywords.contains(where: { GroveKeywords.words($0).isEmpty }) {
            problems.append("route \(route.member) has an empty keyword")
        }
        if let router {
            if members.contains(router) { problems.append("the router \(router) cannot also be a route") }
            if router == fallback { problems.append("the router \(router) cannot also be the fallback") }
        } else if !routes.isEmpty && routes.allSatisfy({ $0.keywords.isEmpty }) {
            problems.append("no route has keywords and there is no router: every request would go to the same member")
        }
        return problems
    }

    /// Routes the input and runs the chosen member; see the type's documentation.
    public func execute(_ input: String, in context: BattalionContext) async throws -> PatternOutcome {
        var choice = keywordChoice(for: input)
        if let router {
            let step = await MemberRunner.run(router, input: routerPrompt(for: input), in: context)
            switch step.status {
            case .cancelled:
                throw CancellationError()
            case .succeeded:
                if let chosen = routedMember(in: step.output) {
                    choice = (chosen, "router \(router) chose \(chosen) (keyword score \(score(of: chosen, for: input)))")
                } else {
                    choice.reasoning = "router \(router) named no known route; " + choice.reasoning
                }
            case .failed, .skipped:
                if context.options.errorStrategy == .failFast {
                    return PatternOutcome(finalOutput: "", failure: "router \(router) failed: \(step.error ?? "")")
                }
                choice.reasoning = "router \(router) failed; " + choice.reasoning
            }
        }
        let step = await MemberRunner.run(choice.member, input: input, in: context)
        switch step.status {
        case .succeeded:
            return PatternOutcome(finalOutput: step.output, reasoning: choice.reasoning)
        case .cancelled:
            throw CancellationError()
        case .failed, .skipped:
            return PatternOutcome(finalOutput: "", failure: "member \(choice.member) failed: \(step.error ?? "")",
                                  reasoning: choice.reasoning)
        }
    }
}
