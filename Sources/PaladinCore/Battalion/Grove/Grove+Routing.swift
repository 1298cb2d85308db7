extension Grove {
    /// The member keyword routing picks for `input`, and why (with the score).
    func keywordChoice(for input: String) -> (member: String, reasoning: String) {
        let scored = routes.map { (member: $0.member, matched: GroveKeywords.matches($0.keywords, in: input)) }
        let topScore = scored.map(\.matched.count).max() ?? 0
        guard topScore > 0, let top = scored.first(where: { $0.matched.count == topScore }) else {
            if let fallback {
                return (fallback, "keyword routing: no route keyword in the request (score 0), so the fallback \(fallback)")
            }
            let first = routes[0].member
            return (first, "keyword routing: no route keyword in the request (score 0) and no fallback, so the first route \(first)")
        }
        let tied = scored.filter { $0.matched.count == topScore && $0.member != top.member }.map(\.member)
        var reasoning = "keyword routing chose \(top.member): score \(topScore) (matched: \(top.matched.joined(separator: ", ")))"
        if !tied.isEmpty { reasoning += "; tied with \(tied.joined(separator: ", ")), the earlier route wins" }
        return (top.member, reasoning)
    }

    /// The keyword score of `member` for `input` (0 for a member that is not a route).
    func score(of member: String, for input: String) -> Int {
        routes.first { $0.member == member }.map { GroveKeywords.matches($0.keywords, in: input).count } ?? 0
    }

    /// What the router is asked: the routes with their keywords, the fallback, the request.
    func routerPrompt(for input: String) -> String {
        var prompt = "Choose the member best suited to handle the request below.\n\nRoutes:\n"
        for route in routes {
            let keywords = route.keywords.isEmpty ? "" : " (keywords: \(route.keywords.joined(separator: ", ")))"
            prompt += "- \(route.member)\(keywords)\n"
        }
        if let fallback { prompt += "If none fits, choose \(fallback).\n" }
        prompt += "\nRequest:\n\(input)\n\nAnswer with one line: ROUTE: <member>"
        return prompt
    }

    /// The route member or fallback named by a `ROUTE:` line (exact, else case-insensitive).
    func routedMember(in reply: String) -> String? {
        guard let named = ReplyParsing.list(after: "ROUTE", in: reply)?.first else { return nil }
        let candidates = routes.map(\.member) + [fallback].compactMap { $0 }
        return candidates.first { $0 == named } ?? candidates.first { $0.lowercased() == named.lowercased() }
    }
}
