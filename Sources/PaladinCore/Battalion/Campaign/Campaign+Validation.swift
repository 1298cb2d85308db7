extension Campaign {
    /// Problems with the graph: no members, duplicate members, edges or entry points naming
    /// unknown members, self-loops, invalid regex conditions, entry points with incoming
    /// edges, no entry point, and cycles (each named, e.g. "cycle: a -> b -> a").
    public func validate() -> [String] {
        var problems: [String] = []
        if members.isEmpty { problems.append("a campaign needs at least one member") }
        var seen: Set<String> = []
        for name in members where !seen.insert(name).inserted {
            problems.append("duplicate member \"\(name)\"")
        }
        let known = Set(members)
        for edge in edges {
            for end in [edge.from, edge.to] where !known.contains(end) {
                problems.append("edge \(edge.from) -> \(edge.to) names unknown member \"\(end)\"")
            }
            if edge.from == edge.to { problems.append("self-loop on \"\(edge.from)\"") }
            if let problem = edge.condition.problem { problems.append("edge \(edge.from) -> \(edge.to): \(problem)") }
        }
        for entry in entryPoints {
            if !known.contains(entry) { problems.append("entry point \"\(entry)\" is not a member") }
            let sources = edges.filter { $0.to == entry }.map(\.from)
            if !sources.isEmpty {
                problems.append("entry point \"\(entry)\" has incoming edges (from \(sources.joined(separator: ", ")))")
            }
        }
        if !members.isEmpty && effectiveEntryPoints.isEmpty {
            problems.append("no entry point: every member has an incoming edge")
        }
        problems += cycles().map { "cycle: " + $0.joined(separator: " -> ") }
        return problems
    }

    /// Each cycle a depth-first search finds (self-loops aside), as a closed path "a, b, a".
    func cycles() -> [[String]] {
        let known = Set(members)
        var children: [String: [String]] = [:]
        for edge in edges where edge.from != edge.to && known.contains(edge.from) && known.contains(edge.to) {
            children[edge.from, default: []].append(edge.to)
        }
        var done: Set<String> = []
        var path: [String] = []
        var found: [[String]] = []
        func visit(_ node: String) {
            path.append(node)
            for child in children[node] ?? [] {
                if let start = path.firstIndex(of: child) {
                    found.append(Array(path[start...]) + [child])
                } else if !done.contains(child) {
                    visit(child)
                }
            }
            path.removeLast()
            done.insert(node)
        }
        for member in members where !done.contains(member) { visit(member) }
        return found
    }
}
